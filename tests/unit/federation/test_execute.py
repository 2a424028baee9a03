"""Running plans in process: merging, representations, errors and faults (no sockets)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from graphql import parse

from bench.workloads import HOUSEHOLD_VIEW
from mesh.federation.execute import (
    HttpTransport,
    InProcessTransport,
    RoutingTransport,
    SubgraphBadResponse,
    SubgraphTimeout,
    SubgraphUnavailable,
    Transport,
    execute_plan,
    shape_response,
)
from mesh.federation.execute.transport import Headers, parse_response
from mesh.federation.plan import plan_operation
from mesh.federation.supergraph import Supergraph, load_supergraph
from tests.engine.cases import catalogue
from tests.engine.kit import Subgraph
from tests.engine.mock import mock_subgraphs
from tests.unit.federation.corpus import CaseSubgraphs, case_supergraph

ENGINE = Path(__file__).parent.parent.parent / "engine"


def in_process(subgraphs: Sequence[Subgraph]) -> RoutingTransport:
    return RoutingTransport({s.name: InProcessTransport(handler=s.handler) for s in subgraphs})


async def run(
    supergraph: Supergraph,
    transport: Transport,
    query: str,
    variables: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    document = parse(query)
    plan = plan_operation(supergraph, document)
    outcome = await execute_plan(plan, transport, variables)
    return shape_response(supergraph.api_schema, document, None, variables, outcome)


@pytest.fixture
def catalogue_graph() -> tuple[Supergraph, list[Subgraph]]:
    sdl = (ENGINE / "cases" / "catalogue.graphql").read_text()
    return load_supergraph(sdl), catalogue.subgraphs()


async def test_one_representation_per_distinct_entity(
    catalogue_graph: tuple[Supergraph, list[Subgraph]],
) -> None:
    supergraph, subgraphs = catalogue_graph
    body = await run(supergraph, in_process(subgraphs), "{ me { reviews { author { name } } } }")
    assert body == {
        "data": {"me": {"reviews": [{"author": {"name": "Ada"}}, {"author": {"name": "Ada"}}]}}
    }
    accounts = next(s for s in subgraphs if s.name == "accounts")
    entity_calls = [c for c in accounts.log if "_entities" in c["query"]]
    assert [c["variables"]["representations"] for c in entity_calls] == [
        [{"__typename": "User", "id": "u1"}]
    ]


class Failing:
    """Answers like ``inner`` except for one subgraph, which raises ``fault``."""

    def __init__(self, inner: Transport, subgraph: str, fault: Exception) -> None:
        self.inner, self.subgraph, self.fault = inner, subgraph, fault

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None,
    ) -> dict[str, Any]:
        if subgraph == self.subgraph:
            raise self.fault
        return await self.inner.post(subgraph, query, variables, headers)


async def test_a_subgraph_fault_costs_only_its_fields(
    catalogue_graph: tuple[Supergraph, list[Subgraph]],
) -> None:
    supergraph, subgraphs = catalogue_graph
    transport = Failing(
        in_process(subgraphs), "inventory", SubgraphTimeout("inventory", "no answer within 1 s")
    )
    body = await run(supergraph, transport, "{ topProducts(first: 1) { name inStock } }")
    assert body["data"] == {"topProducts": [{"name": "Table", "inStock": None}]}
    assert body["errors"] == [
        {
            "message": "subgraph inventory failed: no answer within 1 s",
            "path": ["topProducts", 0],
            "extensions": {"code": "SUBGRAPH_TIMEOUT", "subgraph": "inventory"},
        }
    ]


async def test_entity_errors_keep_their_place_in_the_response(
    catalogue_graph: tuple[Supergraph, list[Subgraph]],
) -> None:
    supergraph, subgraphs = catalogue_graph
    inventory = next(s for s in subgraphs if s.name == "inventory")

    def broken(rep: dict[str, Any]) -> dict[str, Any]:
        def fail(info: object) -> None:
            raise ValueError("stock system offline")

        return {"sku": rep["sku"], "inStock": fail}

    inventory.references["Product"] = broken
    body = await run(
        supergraph, in_process(subgraphs), "{ topProducts(first: 2) { name inStock } }"
    )
    assert body["data"] == {
        "topProducts": [{"name": "Table", "inStock": None}, {"name": "Couch", "inStock": None}]
    }
    assert [e["path"] for e in body["errors"]] == [
        ["topProducts", 0, "inStock"],
        ["topProducts", 1, "inStock"],
    ]
    assert {e["extensions"]["subgraph"] for e in body["errors"]} == {"inventory"}


async def test_an_unknown_entity_is_null_not_data(
    catalogue_graph: tuple[Supergraph, list[Subgraph]],
) -> None:
    supergraph, subgraphs = catalogue_graph
    inventory = next(s for s in subgraphs if s.name == "inventory")
    inventory.references["Product"] = lambda rep: None
    body = await run(
        supergraph, in_process(subgraphs), "{ topProducts(first: 1) { name inStock } }"
    )
    assert body == {"data": {"topProducts": [{"name": "Table", "inStock": None}]}}


async def test_a_response_key_aliased_for_the_subgraph_is_renamed_back() -> None:
    """``id`` is ``ID!`` on Volunteer and ``ID`` on Trustee in one subgraph: the operation
    sent there aliases one of them, and the answer has the client's key."""
    subgraphs = CaseSubgraphs("child-type-mismatch")
    body = await run(
        case_supergraph("child-type-mismatch"),
        subgraphs.transport,
        "{ members { ... on Volunteer { id name } ... on Trustee { id name } } }",
    )
    assert body == {
        "data": {"members": [{"id": "vo1", "name": "Sam"}, {"id": "tr1", "name": "Lee"}]}
    }
    [sent] = subgraphs.to("charity")
    assert "id__fed1: id" in sent.query


async def test_a_renamed_key_merges_into_the_object_the_client_key_holds() -> None:
    """``similar`` selected on the interface and again under ``... on Flat`` (another type,
    so the subgraph operation aliases one of them): both selections land in one object."""
    subgraphs = CaseSubgraphs("circular-interface")
    body = await run(
        case_supergraph("circular-interface"),
        subgraphs.transport,
        "{ listing { similar { similar { id } } ... on Flat { similar { rooms } } } }",
    )
    assert body == {"data": {"listing": {"similar": {"similar": {"id": "f1"}, "rooms": 2}}}}


async def test_a_key_aliased_inside_an_aliased_field_is_renamed_back() -> None:
    """``permit`` is aliased for Driver and, inside it, ``ref`` for Cab: the inner alias is
    named by the outer one, so it is renamed first, and the Cab's ref reaches the client."""
    subgraphs = CaseSubgraphs("errors-under-renamed-keys")
    body = await run(
        case_supergraph("errors-under-renamed-keys"),
        subgraphs.transport,
        """{ holders {
          ... on Trader { permit { __typename } }
          ... on Driver { permit { ... on Stall { ref } ... on Cab { ref } } }
        } }""",
    )
    [sent] = subgraphs.to("licensing")
    assert "permit__fed1: permit" in sent.query
    assert "ref__fed1: ref" in sent.query
    assert body["data"]["holders"][2] == {"permit": {"ref": "CB-7"}}


async def test_subgraph_error_paths_name_the_client_keys_not_aliases() -> None:
    subgraphs = CaseSubgraphs("errors-under-renamed-keys")
    body = await run(
        case_supergraph("errors-under-renamed-keys"),
        subgraphs.transport,
        """{ flagged {
          ... on Trader { code permit { ... on Stall { ref } ... on Cab { ref } } }
          ... on Driver { code permit { ... on Stall { ref } ... on Cab { ref } } }
        } }""",
    )
    assert sorted(e["path"] for e in body["errors"]) == [
        ["flagged", 0, "code"],
        ["flagged", 0, "permit", "ref"],
        ["flagged", 2, "code"],
    ]


async def test_an_owner_answering_an_interface_representation_is_renamed_by_its_own_type() -> None:
    """From the interface object, the owner is sent ``{__typename: "Venue"}`` and answers a
    Pitch: the alias asked of Pitches is renamed by the answer's type, not the representation's."""
    subgraphs = CaseSubgraphs("interface-object-aliased-members")
    body = await run(
        case_supergraph("interface-object-aliased-members"),
        subgraphs.transport,
        "{ popular { ... on Hall { capacity } ... on Pitch { capacity } } }",
    )
    [sent] = subgraphs.to("venues")
    assert "capacity__fed1: capacity" in sent.query
    assert body == {"data": {"popular": [{"capacity": 22}, {"capacity": 300}]}}


class ShortEntities:
    """Answers like ``inner``, but ``_entities`` answers lose their last entity."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None,
    ) -> dict[str, Any]:
        answer = await self.inner.post(subgraph, query, variables, headers)
        entities = (answer.get("data") or {}).get("_entities")
        if isinstance(entities, list):
            answer["data"]["_entities"] = entities[:-1]
        return answer


async def test_entities_that_do_not_match_the_representations_are_a_fault(
    catalogue_graph: tuple[Supergraph, list[Subgraph]],
) -> None:
    """Two representations, one entity back: which object it belongs to is unknowable, so
    neither object gets it (no data made up) and the answer says the subgraph failed."""
    supergraph, subgraphs = catalogue_graph
    transport = ShortEntities(in_process(subgraphs))
    body = await run(supergraph, transport, "{ topProducts(first: 2) { name inStock } }")
    assert body["data"] == {
        "topProducts": [{"name": "Table", "inStock": None}, {"name": "Couch", "inStock": None}]
    }
    assert [(e["path"], e["extensions"]) for e in body["errors"]] == [
        (["topProducts", 0], {"code": "SUBGRAPH_ERROR", "subgraph": "inventory"}),
        (["topProducts", 1], {"code": "SUBGRAPH_ERROR", "subgraph": "inventory"}),
    ]
    assert all("1 entities for 2 representations" in e["message"] for e in body["errors"])


async def test_an_asgi_app_in_process(catalogue_graph: tuple[Supergraph, list[Subgraph]]) -> None:
    supergraph, subgraphs = catalogue_graph
    transport = RoutingTransport({s.name: InProcessTransport(app=s.app) for s in subgraphs})
    body = await run(supergraph, transport, "{ me { name } }")
    assert body == {"data": {"me": {"name": "Ada"}}}


async def test_routing_without_a_route_is_an_unavailable_subgraph() -> None:
    with pytest.raises(SubgraphUnavailable) as raised:
        await RoutingTransport({}).post("nowhere", "{ a }", {}, None)
    assert raised.value.code == "SUBGRAPH_UNAVAILABLE"


async def test_http_faults_are_classified() -> None:
    transport = HttpTransport({"closed": "http://127.0.0.1:1/graphql"}, default_timeout=2)
    try:
        with pytest.raises(SubgraphUnavailable):
            await transport.post("closed", "{ a }", {}, None)
        with pytest.raises(SubgraphUnavailable, match="no URL"):
            await transport.post("unknown", "{ a }", {}, None)
    finally:
        await transport.aclose()


def test_answers_that_are_not_graphql_responses_are_subgraph_errors() -> None:
    with pytest.raises(SubgraphBadResponse, match="not JSON"):
        parse_response("a", 200, b"<html>")
    with pytest.raises(SubgraphBadResponse, match="without a GraphQL response"):
        parse_response("a", 200, b'{"hello": 1}')
    with pytest.raises(SubgraphBadResponse) as down:
        parse_response("a", 502, b'{"data": null, "errors": [{"message": "database is down"}]}')
    assert down.value.detail == "HTTP 502: database is down"
    many = orjson.dumps({"errors": [{"message": f"e{i}" * 200} for i in range(5)] + [{"x": 1}]})
    with pytest.raises(SubgraphBadResponse) as failed:
        parse_response("a", 500, many)
    assert str(failed.value.detail).endswith("(and 2 more)")
    assert len(str(failed.value.detail)) < 700
    with pytest.raises(SubgraphBadResponse) as bare:
        parse_response("a", 503, b'{"errors": "not a list"}')
    assert bare.value.detail == "HTTP 503"
    assert parse_response("a", 500, b'{"data": {"a": 1}}') == {"data": {"a": 1}}


async def test_the_civic_household_in_eight_requests_with_every_section() -> None:
    """The civic subgraphs' own SDL (tests/unit/federation/civic, from `mesh subgraph sdl`)
    answered by mocks: housing's Household and Person sections share one request, and the
    key the merge had to alias (`housing` on both types) lands under the right name."""
    civic = Path(__file__).parent / "civic"
    sdls = {p.stem: p.read_text() for p in sorted(civic.glob("*.graphql"))}
    subgraphs = mock_subgraphs(sdls)
    supergraph = load_supergraph(
        (Path(__file__).parent / "supergraphs" / "civic.graphql").read_text()
    )
    body = await run(supergraph, in_process(subgraphs), HOUSEHOLD_VIEW, {"id": "h1"})
    assert "errors" not in body
    household = body["data"]["household"]
    assert household["housing"]["tenure"] == 'household(id: "h1").housing|tenure'
    member = household["members"][0]
    assert member["housing"]["givenName"] == 'household(id: "h1").members[0].housing|givenName'
    assert member["health"]["nhsNumber"].endswith(".health|nhsNumber")
    assert sum(len(s.log) for s in subgraphs) == 8
    housing = next(s for s in subgraphs if s.name == "housing")
    assert len(housing.log) == 1


def test_objects_of_an_interface_nothing_implements_are_shaped() -> None:
    """An @interfaceObject's interface may have no implementation in any subgraph: its
    fields are still answered (and introspection does not show the stand-in type)."""
    from graphql import build_schema

    from mesh.federation.execute import ExecutionOutcome

    schema = build_schema(
        "interface Orphan { id: ID! keep: String } type Query { orphans: [Orphan] }"
    )
    outcome = ExecutionOutcome(
        data={"orphans": [{"__typename": "Orphan", "id": "o1", "keep": "x"}]}
    )
    body = shape_response(schema, parse("{ orphans { id keep } }"), None, None, outcome)
    assert body == {"data": {"orphans": [{"id": "o1", "keep": "x"}]}}
    names = shape_response(schema, parse("{ __schema { types { name } } }"), None, None, outcome)
    assert "_Implementation_Orphan" not in str(names)


async def test_a_transport_bug_costs_only_that_subgraphs_fields(
    catalogue_graph: tuple[Supergraph, list[Subgraph]],
) -> None:
    supergraph, subgraphs = catalogue_graph
    transport = Failing(in_process(subgraphs), "inventory", RuntimeError("boom"))
    body = await run(supergraph, transport, "{ topProducts(first: 1) { name inStock } }")
    assert body["data"] == {"topProducts": [{"name": "Table", "inStock": None}]}
    assert body["errors"][0]["extensions"] == {"code": "SUBGRAPH_ERROR", "subgraph": "inventory"}
