"""What the supergraph says about each field: its ``@sensitive`` category and who serves it."""

from __future__ import annotations

from authz.model import FieldFacts
from mesh.federation.supergraph import Supergraph


def schema_field_facts(
    supergraph: Supergraph, centre: str = "mesh"
) -> dict[tuple[str, str], FieldFacts]:
    """Facts per (type, field). Fields the centre's own subgraph resolves (search) are
    governed by the index's agreements: they say who is known where, as the index does."""
    facts: dict[tuple[str, str], FieldFacts] = {}
    for type_info in supergraph.types.values():
        for field_info in type_info.fields.values():
            sensitive = field_info.directive_args("sensitive")
            category = sensitive[0].get("category") if sensitive else None
            providers = field_info.resolvers() or field_info.subgraphs
            facts[(type_info.name, field_info.name)] = FieldFacts(
                coordinate=field_info.coordinate,
                category=str(category) if category is not None else None,
                agencies=tuple("index" if s == centre else s for s in providers),
            )
    return facts
