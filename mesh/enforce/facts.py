"""What the composed contract says about each field: its ``@sensitive`` category and owners."""

from __future__ import annotations

from authz.model import FieldFacts
from mesh.compose import Supergraph


def schema_field_facts(supergraph: Supergraph) -> dict[tuple[str, str], FieldFacts]:
    facts: dict[tuple[str, str], FieldFacts] = {}
    for type_def in supergraph.types.values():
        for field_def in type_def.fields.values():
            sensitive = field_def.directive_args("sensitive")
            category = sensitive[0].get("category") if sensitive else None
            facts[(type_def.name, field_def.name)] = FieldFacts(
                coordinate=field_def.coordinate,
                category=category,
                agencies=tuple(field_def.resolvers),
            )
    return facts
