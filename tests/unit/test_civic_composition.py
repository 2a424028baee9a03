"""Composition of the civic mesh: every agency's section on Person, search fields kept from
clients, categories carried into the contract, and the committed client contract in schema/
matching what the subgraphs compose to (the schema check). Composition's own rules are tested
against Apollo's on a corpus (tests/federation/composition/)."""

from __future__ import annotations

from functools import cache

from mesh.federation.supergraph import Supergraph
from mesh.gateway.contract import contract_sdl
from mesh.schema_contract import CONTRACT_PATH, composed_supergraph
from subgraphs.kit.serve import load_definition
from subgraphs.registry import AGENCIES, known_subgraphs


@cache
def _civic() -> Supergraph:
    return composed_supergraph()[1]


def test_the_mesh_composes_with_every_agency_on_person() -> None:
    supergraph = _civic()
    person = supergraph.types["Person"]
    assert set(known_subgraphs()) <= {s for s, t in person.subgraphs.items() if t.keys}
    sections = {load_definition(agency).person.field_name for agency in AGENCIES}
    assert len(sections) == len(AGENCIES) and sections <= set(person.fields)
    for agency in AGENCIES:
        field_name = load_definition(agency).person.field_name
        assert set(person.fields[field_name].resolvers()) == {agency}
    contract = contract_sdl(supergraph.api_schema)
    assert "healthPeopleSearch" not in contract  # @inaccessible
    assert '@sensitive(category: "mental_health")' in contract


def test_sensitive_fields_are_nullable_in_the_contract() -> None:
    supergraph = _civic()
    record = supergraph.types["HealthRecord"].fields["nhsNumber"]
    assert record.type.endswith("!")  # non-null in the health subgraph's own schema
    assert "  nhsNumber: String @sensitive" in contract_sdl(supergraph.api_schema)


def test_committed_contract_matches_what_the_subgraphs_compose_to() -> None:
    assert CONTRACT_PATH.read_text(encoding="utf-8") == contract_sdl(_civic().api_schema)
