"""What the composed contract says about each field: its ``@sensitive`` category and owners."""

from __future__ import annotations

from authz.model import FieldFacts
from mesh.compose import Supergraph


def schema_field_facts(
    supergraph: Supergraph, centre: str = "mesh"
) -> dict[tuple[str, str], FieldFacts]:
    """Facts per (type, field). Fields the centre's own subgraph resolves (search) are
    governed by the index's agreements: they say who is known where, as the index does."""
    facts: dict[tuple[str, str], FieldFacts] = {}
    for type_def in supergraph.types.values():
        for field_def in type_def.fields.values():
            sensitive = field_def.directive_args("sensitive")
            category = sensitive[0].get("category") if sensitive else None
            facts[(type_def.name, field_def.name)] = FieldFacts(
                coordinate=field_def.coordinate,
                category=category,
                agencies=tuple("index" if s == centre else s for s in field_def.resolvers),
            )
    return facts
