"""Plans as data: the whole plan text of each operation compared with its snapshot.

Supergraphs are files here (the civic mesh's, a Fed 1 ``@core`` one, a progressive override
one), the engine cases' (``tests/engine/cases``), or a conformance case composed by our
composer (``case:NAME``, see ``corpus.py``). A failing test shows the full plan diff. After a
deliberate planner change, review the diffs and rewrite the snapshots with
``MESH_UPDATE_PLANS=1 pytest tests/unit/federation/test_plans.py``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

from bench.workloads import HOUSEHOLD_VIEW
from mesh.federation.plan import (
    PlanningError,
    describe_plan,
    explain_operation,
    plan_operation,
    plan_to_json,
)
from mesh.federation.supergraph import Supergraph, load_supergraph
from tests.unit.federation.corpus import case_supergraph

HERE = Path(__file__).parent
ENGINE_CASES = HERE.parent.parent / "engine" / "cases"
SNAPSHOTS = HERE / "plans"
HOUSEHOLD = HOUSEHOLD_VIEW  # the bench's household view, planned as the bench asks it


@cache
def supergraph(source: str) -> Supergraph:
    if source.startswith("case:"):
        return case_supergraph(source.removeprefix("case:"))
    if source.startswith("engine:"):
        return load_supergraph((ENGINE_CASES / source.removeprefix("engine:")).read_text())
    return load_supergraph((HERE / "supergraphs" / source).read_text())


PLANS: list[tuple[str, str, str, frozenset[str]]] = [
    ("civic_household", "civic.graphql", HOUSEHOLD, frozenset()),
    (
        "requires_from_a_key_only_one_subgraph_has",
        "engine:catalogue.graphql",
        "{ topProducts(first: 2) { name inStock shippingEstimate } }",
        frozenset(),
    ),
    (
        "provides",
        "engine:catalogue.graphql",
        "{ me { reviews { body author { username } } } }",
        frozenset(),
    ),
    (
        "client_alias_on_a_key_name",
        "engine:catalogue.graphql",
        "{ topProducts(first: 1) { upc: name sku: price reviews { body } inStock } }",
        frozenset(),
    ),
    (
        "interface_object_real_type",
        "case:interface-object",
        "{ dueForService { ... on Bus { seats mileage } ... on Tram { carriages } } }",
        frozenset(),
    ),
    (
        "interface_object_fields_need_no_type",
        "case:interface-object",
        "{ dueForService { id mileage } }",
        frozenset(),
    ),
    ("override_label_off", "progressive.graphql", "{ products { price } }", frozenset()),
    (
        "override_label_on",
        "progressive.graphql",
        "{ products { price } }",
        frozenset({"percent(50)"}),
    ),
    (
        "fed1_core_supergraph",
        "fed1_core.graphql",
        "{ me { name reviews { body author { username } } score } }",
        frozenset(),
    ),
    (
        "skip_include_conditions",
        "engine:interfaces.graphql",
        "query($a: Boolean!, $b: Boolean = true) { accounts { id displayName @include(if: $a)"
        " ... on Admin @skip(if: $b) { level } } media @skip(if: true) { __typename } }",
        frozenset(),
    ),
    (
        "mutations_in_order",
        "engine:shared_roots.graphql",
        'mutation { first: bump(by: 2) second: double third: bump(by: 1) note(text: "now") }',
        frozenset(),
    ),
    (
        "shared_root_split",
        "engine:shared_roots.graphql",
        "{ stats { visits errors } }",
        frozenset(),
    ),
    (
        "requires_chains_share_fetches",
        "case:requires-chain",
        '{ home(id: "h1") { affordable annualCost premium councilTaxBand } }',
        frozenset(),
    ),
    (
        "requires_with_arguments_and_a_client_field",
        "case:requires-with-arguments",
        '{ meters { reading(unit: "MJ") bill visits(last: 1) { id } lastEngineer { id } } }',
        frozenset(),
    ),
    (
        # Admin and Guest are both Account in the interface object's subgraph: greeting (and
        # the name it requires) only for the Admin, so the guest gets a request of its own
        "interface_object_requirer_under_one_implementation",
        "case:interface-object-two-subgraphs",
        "{ accounts { quota ... on Admin { greeting } } }",
        frozenset(),
    ),
    (
        "aliased_roots_share_one_entity_fetch",
        "case:aliased-entity-roots",
        '{ a: book(id: "k1") { borrowers } b: book(id: "k2") { borrowers } }',
        frozenset(),
    ),
    (
        "same_key_two_shapes_aliased",
        "case:child-type-mismatch",
        "{ members { ... on Volunteer { id name } ... on Trustee { id name } } }",
        frozenset(),
    ),
    (
        "selection_split_over_two_subgraphs",
        "case:parent-entity-call",
        '{ school(id: "s1") { name headteacher { id name title } } }',
        frozenset(),
    ),
    (
        "key_fetched_from_two_subgraphs",
        "case:complex-entity-call",
        '{ busRoutes(number: "42") { number journey { farePence legs { stop } } } }',
        frozenset(),
    ),
    (
        "fed1_key_chain",
        "engine:fed1.graphql",
        "{ productInA { id pid price upc name } }",
        frozenset(),
    ),
]


@pytest.mark.parametrize(("name", "source", "query", "labels"), PLANS, ids=[p[0] for p in PLANS])
def test_plan_snapshot(name: str, source: str, query: str, labels: frozenset[str]) -> None:
    plan = plan_operation(supergraph(source), query, override_labels=labels)
    text = describe_plan(plan)
    json.dumps(plan_to_json(plan))  # the JSON form is plain data
    snapshot = SNAPSHOTS / f"{name}.plan"
    if os.environ.get("MESH_UPDATE_PLANS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(text + "\n")
    assert text == snapshot.read_text().rstrip("\n")


def test_every_snapshot_is_used() -> None:
    names = {p[0] for p in PLANS}
    assert {p.stem for p in SNAPSHOTS.glob("*.plan")} == names


def test_the_household_takes_eight_requests() -> None:
    plan = plan_operation(supergraph("civic.graphql"), HOUSEHOLD)
    fetches = plan.fetches()
    assert len(fetches) == 8
    housing = [f for f in fetches if f.subgraph == "housing"]
    assert len(housing) == 1
    assert sorted(t.path for t in housing[0].targets) == [
        ("household",),
        ("household", "members", "@"),
    ]


def test_an_unreachable_field_fails_planning_with_its_path() -> None:
    with pytest.raises(PlanningError) as raised:
        plan_operation(supergraph("case:unknown-entities"), '{ node(id: "hs1") { id } }')
    assert raised.value.code == "QUERY_PLANNING_FAILED"
    assert raised.value.path[0] == "node"


def test_an_invalid_operation_is_a_planning_error() -> None:
    with pytest.raises(PlanningError, match="not valid"):
        plan_operation(supergraph("progressive.graphql"), "{ nope }")
    with pytest.raises(PlanningError, match="does not parse"):
        plan_operation(supergraph("progressive.graphql"), "{")


def test_introspection_alone_needs_no_fetch() -> None:
    plan = plan_operation(
        supergraph("progressive.graphql"),
        "{ __typename __schema { queryType { name } } }",
    )
    assert plan.node is None
    assert describe_plan(plan) == "QueryPlan {\n}"


def test_mesh_plan_prints_text_and_json() -> None:
    sdl = (HERE / "supergraphs" / "progressive.graphql").read_text()
    text = explain_operation(sdl, "{ products { price } }")
    assert text == (SNAPSHOTS / "override_label_off.plan").read_text().rstrip("\n")
    data = json.loads(explain_operation(sdl, "{ products { price } }", as_json=True))
    assert (data["node"]["kind"], data["node"]["serviceName"]) == ("Fetch", "b")
    assert data["node"]["operation"] == "query {products {price}}"


def test_required_fields_implicit_in_the_supergraph_come_from_their_own_subgraph() -> None:
    """A supergraph that leaves a required field without ``@join__field`` (as some composers
    print it): the requiring subgraph's own root must not be asked for it."""
    sdl = (HERE / "supergraphs" / "implicit_external.graphql").read_text()
    text = explain_operation(sdl, "{ cheap { postage } due { nextCheck } }")
    fetches = text.split("Fetch(service: ")
    assert [f.split(")")[0] for f in fetches[1:]].count('"stock"') == 2
    root_fetches = [f for f in fetches if f.startswith(('"pricing"', '"maint"')) and "=>" not in f]
    assert root_fetches and all("weight" not in f and "serial" not in f for f in root_fetches)
