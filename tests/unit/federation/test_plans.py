"""Plans as data: the whole plan text of each operation compared with its snapshot.

A failing test shows the full plan diff. After a deliberate planner change, review the
diffs and rewrite the snapshots with ``MESH_UPDATE_PLANS=1 pytest tests/unit/federation``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

from mesh.federation.plan import (
    PlanningError,
    describe_plan,
    explain_operation,
    plan_operation,
    plan_to_json,
)
from mesh.federation.supergraph import Supergraph, load_supergraph

HERE = Path(__file__).parent
ENGINE = HERE.parent.parent / "engine"
SNAPSHOTS = HERE / "plans"
HOUSEHOLD = (HERE / "household.graphql").read_text()


@cache
def supergraph(path: str) -> Supergraph:
    return load_supergraph((HERE / path).read_text())


PLANS: list[tuple[str, str, str, frozenset[str]]] = [
    ("civic_household", "supergraphs/civic.graphql", HOUSEHOLD, frozenset()),
    (
        "requires_from_a_key_only_one_subgraph_has",
        "../../engine/cases/catalogue.graphql",
        "{ topProducts(first: 2) { name inStock shippingEstimate } }",
        frozenset(),
    ),
    (
        "provides",
        "../../engine/cases/catalogue.graphql",
        "{ me { reviews { body author { username } } } }",
        frozenset(),
    ),
    (
        "client_alias_on_a_key_name",
        "../../engine/cases/catalogue.graphql",
        "{ topProducts(first: 1) { upc: name sku: price reviews { body } inStock } }",
        frozenset(),
    ),
    (
        "interface_object_real_type",
        "../../engine/scenarios/interface_objects.graphql",
        "{ accounts { ... on Admin { name } } }",
        frozenset(),
    ),
    (
        "interface_object_fields_need_no_type",
        "../../engine/scenarios/interface_objects.graphql",
        "{ accounts { id isActive } }",
        frozenset(),
    ),
    (
        "override_label_off",
        "supergraphs/progressive.graphql",
        "{ products { price } }",
        frozenset(),
    ),
    (
        "override_label_on",
        "supergraphs/progressive.graphql",
        "{ products { price } }",
        frozenset({"percent(50)"}),
    ),
    (
        "fed1_core_supergraph",
        "supergraphs/fed1_core.graphql",
        "{ me { name reviews { body author { username } } score } }",
        frozenset(),
    ),
    (
        "skip_include_conditions",
        "../../engine/cases/interfaces.graphql",
        "query($a: Boolean!, $b: Boolean = true) { accounts { id displayName @include(if: $a)"
        " ... on Admin @skip(if: $b) { level } } media @skip(if: true) { __typename } }",
        frozenset(),
    ),
    (
        "mutations_in_order",
        "../../engine/cases/shared_roots.graphql",
        'mutation { first: bump(by: 2) second: double third: bump(by: 1) note(text: "now") }',
        frozenset(),
    ),
    (
        "shared_root_split",
        "../../engine/cases/shared_roots.graphql",
        "{ stats { visits errors } }",
        frozenset(),
    ),
    (
        "requires_chains_share_fetches",
        "../../engine/scenarios/requires_requires.graphql",
        "{ product { canAfford canAffordWithDiscount } }",
        frozenset(),
    ),
    (
        "requires_with_arguments_and_a_client_field",
        "../../engine/scenarios/requires_arguments.graphql",
        "{ feed { author { id } comments(limit: 1) { id } } }",
        frozenset(),
    ),
    (
        "same_key_two_shapes_aliased",
        "../../engine/scenarios/child_type_mismatch.graphql",
        "{ accounts { ... on User { id nickname } ... on Admin { id } } }",
        frozenset(),
    ),
    (
        "selection_split_over_two_subgraphs",
        "../../engine/scenarios/parent_entity_call.graphql",
        '{ productFromD(id: "1") { id name category { id name details } } }',
        frozenset(),
    ),
    (
        "key_fetched_from_two_subgraphs",
        "../../engine/scenarios/complex_entity_call.graphql",
        "{ topProducts { products { id pid price { price } } selected { id } } }",
        frozenset(),
    ),
    (
        "fed1_key_chain",
        "../../engine/cases/fed1.graphql",
        "{ productInA { id pid price upc name } }",
        frozenset(),
    ),
]


@pytest.mark.parametrize(("name", "path", "query", "labels"), PLANS, ids=[p[0] for p in PLANS])
def test_plan_snapshot(name: str, path: str, query: str, labels: frozenset[str]) -> None:
    plan = plan_operation(supergraph(path), query, override_labels=labels)
    text = describe_plan(plan)
    json.dumps(plan_to_json(plan))  # the JSON form is plain data
    snapshot = SNAPSHOTS / f"{name}.plan"
    if os.environ.get("MESH_UPDATE_PLANS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(text + "\n")
    assert text == snapshot.read_text().rstrip("\n")


def test_the_household_takes_eight_requests() -> None:
    plan = plan_operation(supergraph("supergraphs/civic.graphql"), HOUSEHOLD)
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
        plan_operation(
            supergraph("../../engine/scenarios/shared_node_root.graphql"),
            '{ node(id: "a1") { id } }',
        )
    assert raised.value.code == "QUERY_PLANNING_FAILED"
    assert raised.value.path[0] == "node"


def test_an_invalid_operation_is_a_planning_error() -> None:
    with pytest.raises(PlanningError, match="not valid"):
        plan_operation(supergraph("supergraphs/progressive.graphql"), "{ nope }")
    with pytest.raises(PlanningError, match="does not parse"):
        plan_operation(supergraph("supergraphs/progressive.graphql"), "{")


def test_introspection_alone_needs_no_fetch() -> None:
    plan = plan_operation(
        supergraph("supergraphs/progressive.graphql"),
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
