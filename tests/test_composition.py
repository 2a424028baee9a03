"""Composition: the mesh composes, broken SDL is refused with named errors, and the committed
client contract in schema/ matches what the subgraphs compose to (the schema check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesh.compose import CompositionFailed, SubgraphSDL, compose
from mesh.schema_contract import CONTRACT_PATH, composed_contract
from subgraphs.kit.serve import load_definition
from subgraphs.registry import AGENCIES, known_subgraphs

HEADER = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", '
    'import: ["@key", "@shareable", "@external", "@requires", "@provides"])\n'
)


def _codes(subgraphs: dict[str, str]) -> list[tuple[str, str, tuple[str, ...]]]:
    with pytest.raises(CompositionFailed) as failed:
        compose([SubgraphSDL(name, HEADER + sdl) for name, sdl in subgraphs.items()])
    return [(e.code, e.coordinate, e.subgraphs) for e in failed.value.errors]


def test_the_mesh_composes_with_every_agency_on_person() -> None:
    supergraph = compose(
        [SubgraphSDL(n, load_definition(n).schema().as_str()) for n in known_subgraphs()]
    )
    person = supergraph.types["Person"]
    assert set(person.keys) == set(known_subgraphs())
    sections = {load_definition(agency).person.field_name for agency in AGENCIES}
    assert len(sections) == len(AGENCIES) and sections <= set(person.fields)
    for agency in AGENCIES:
        field_name = load_definition(agency).person.field_name
        assert set(person.fields[field_name].resolvers) == {agency}
    assert "healthPeopleSearch" not in supergraph.client_sdl  # @inaccessible
    assert '@sensitive(category: "mental_health")' in supergraph.client_sdl


def test_unshared_field_in_two_subgraphs_is_named() -> None:
    codes = _codes(
        {
            "a": 'type Query { a: T } type T @key(fields: "id") { id: ID! name: String }',
            "b": 'type Query { b: T } type T @key(fields: "id") { id: ID! name: String }',
        }
    )
    assert ("INVALID_FIELD_SHARING", "T.name", ("a", "b")) in codes


def test_type_mismatch_kind_mismatch_and_bad_key_are_named() -> None:
    codes = _codes(
        {
            "a": 'type Query { a: T } type T @key(fields: "id") { id: ID! n: Int @shareable }',
            "b": 'type Query { b: T } type T @key(fields: "id") { id: ID! n: String @shareable }\n'
            'type U @key(fields: "nope") { id: ID! }',
            "c": "type Query { c: Int } enum T { X }",
        }
    )
    found = {code for code, _, _ in codes}
    assert {"FIELD_TYPE_MISMATCH", "KEY_INVALID_FIELDS", "TYPE_KIND_MISMATCH"} <= found
    assert ("KEY_INVALID_FIELDS", "U", ("b",)) in codes


def test_external_without_owner_and_bad_requires() -> None:
    codes = _codes(
        {
            "a": 'type Query { a: T } type T @key(fields: "id") { id: ID! '
            'w: Int @external x: Int @requires(fields: "missing") }',
        }
    )
    assert ("EXTERNAL_MISSING_ON_BASE", "T.w", ("a",)) in codes
    assert ("REQUIRES_INVALID_FIELDS", "T.x", ("a",)) in codes


def test_unparseable_sdl_names_the_subgraph() -> None:
    with pytest.raises(CompositionFailed) as failed:
        compose([SubgraphSDL("broken", "type Query {")])
    (error,) = failed.value.errors
    assert error.code == "INVALID_GRAPHQL" and error.subgraphs == ("broken",)
    assert "broken" in str(failed.value)


def test_committed_contract_matches_what_the_subgraphs_compose_to() -> None:
    committed = Path(CONTRACT_PATH).read_text(encoding="utf-8")
    assert committed == composed_contract(), (
        "schema/supergraph.graphql is stale: run `mesh schema write` and review the diff"
    )
