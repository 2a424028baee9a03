"""Gateway semantics on the classic federation example: keys, @requires, @provides,
@override, @inaccessible, interfaces and unions, request counts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from graphql import GraphQLObjectType

from mesh.federation.compose import SubgraphSource, compose
from mesh.federation.plan import QueryPlan, describe_plan
from mesh.federation.supergraph import load_supergraph
from mesh.gateway import Gateway, GatewaySettings
from mesh.gateway.transport import MeshTransport
from tests.federation_fixtures import schemas, serving


@pytest.fixture(scope="module")
def subgraphs() -> Iterator[dict[str, str]]:
    with serving() as running:
        yield running


@pytest_asyncio.fixture()
async def gateway(subgraphs: dict[str, str]) -> AsyncIterator[Gateway]:
    result = compose([SubgraphSource(n, subgraphs[n], s.as_str()) for n, s in schemas().items()])
    assert result.supergraph_sdl is not None, result.errors
    supergraph = load_supergraph(result.supergraph_sdl)
    built = Gateway(supergraph, MeshTransport(subgraphs), GatewaySettings())
    yield built
    await built.aclose()


async def run(gateway: Gateway, query: str, **variables: Any) -> dict[str, Any]:
    result = await gateway.execute(query, variables or None)
    return result.body


async def test_entities_cross_subgraphs_with_requires(gateway: Gateway) -> None:
    body = await run(gateway, "{ topProducts(first: 2) { name inStock shippingEstimate } }")
    assert body == {
        "data": {
            "topProducts": [
                {"name": "Table", "inStock": True, "shippingEstimate": 50},
                {"name": "Couch", "inStock": False, "shippingEstimate": 0},
            ]
        }
    }
    assert dict(gateway.transport.requests) == {"products": 1, "inventory": 1}


async def test_provides_saves_a_fetch_and_override_moves_a_field(gateway: Gateway) -> None:
    body = await run(gateway, "{ latestReviews { body author { username name } } }")
    reviews = body["data"]["latestReviews"]
    assert reviews[0] == {"body": "Love it", "author": {"username": "ada", "name": "ADA LOVELACE"}}
    # username came with the reviews (@provides); name is overridden into reviews too.
    assert dict(gateway.transport.requests) == {"reviews": 1}


async def test_nested_entities_one_request_per_subgraph_per_level(gateway: Gateway) -> None:
    query = """{ me { name username reviews { body product { name inStock
                 reviews { author { username } } } } } }"""
    body = await run(gateway, query)
    me = body["data"]["me"]
    assert me["username"] == "ada" and len(me["reviews"]) == 2
    assert me["reviews"][1]["product"] == {
        "name": "Couch",
        "inStock": False,
        "reviews": [{"author": {"username": "ada"}}],
    }
    # Product.reviews nested under reviews is resolved in the same reviews fetch.
    assert dict(gateway.transport.requests) == {
        "accounts": 1,
        "reviews": 1,
        "products": 1,
        "inventory": 1,
    }


async def test_inaccessible_fields_are_not_in_the_client_schema(gateway: Gateway) -> None:
    body = await run(gateway, "{ me { secretScore } }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    user = gateway.supergraph.api_schema.type_map["User"]
    assert isinstance(user, GraphQLObjectType) and "secretScore" not in user.fields


async def test_interfaces_unions_fragments_and_typename(gateway: Gateway) -> None:
    query = """
    query ($id: ID!) {
      node(id: $id) { __typename id ... on User { username } }
      media { __typename ... on Book { title } ... on Movie { title minutes } }
    }"""
    body = await run(gateway, query, id="2")
    assert body["data"]["node"] == {"__typename": "User", "id": "2", "username": "alan"}
    assert body["data"]["media"] == [
        {"__typename": "Book", "title": "Dune"},
        {"__typename": "Movie", "title": "Alien", "minutes": 117},
    ]


async def test_null_propagation_and_introspection(gateway: Gateway) -> None:
    body = await run(gateway, '{ node(id: "404") { id } __schema { queryType { name } } }')
    assert body["data"] == {"node": None, "__schema": {"queryType": {"name": "Query"}}}
    assert "errors" not in body


def test_query_plan_is_cached_per_operation(gateway: Gateway) -> None:
    from graphql import parse

    query = "{ topProducts { name inStock } }"
    document = parse(query)
    plans = gateway.pipeline.plans
    first = plans.plan(query, None, None, lambda: document, frozenset())
    assert plans.plan(query, None, None, lambda: document, frozenset()) is first
    assert (plans.hits, plans.misses) == (1, 1)
    assert isinstance(first, QueryPlan)
    text = describe_plan(first)
    assert text.count("Fetch(service:") == 2, text
    assert 'Fetch(service: "products")' in text and 'Fetch(service: "inventory")' in text
