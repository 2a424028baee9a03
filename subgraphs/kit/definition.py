"""How an agency describes its subgraph to the kit."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from authz.model import PurposeOfUse
from subgraphs.kit.context import SubgraphContext
from subgraphs.kit.directives import SensitiveCategory

SectionLoader = Callable[[Info[SubgraphContext, Any], str], Awaitable[Any | None]]
"""Given a mesh id, the agency's section for that entity, or None when it does not know it."""


@dataclass(frozen=True)
class PersonSection:
    """The field an agency contributes to ``Person`` (e.g. ``Person.health``)."""

    field_name: str
    type: type
    load: SectionLoader
    category: SensitiveCategory
    description: str


@dataclass(frozen=True)
class HouseholdSection:
    """The field an agency contributes to ``Household`` (e.g. ``Household.housing``)."""

    field_name: str
    type: type
    load: SectionLoader
    category: SensitiveCategory
    description: str
    # SQL returning (local_id text, uprn) for the agency's household-level records, so that
    # `mesh link` can give each of them the mesh household at its property.
    linkage_records: str | None = None


@dataclass(frozen=True)
class AgencySubgraph:
    """Everything the kit needs to serve one agency: its sections and extra types."""

    name: str
    person: PersonSection
    household: HouseholdSection | None = None
    extra_types: tuple[type, ...] = field(default=())
    # The agency's own, stricter rule: purposes it never serves, whatever the agreements say.
    refused_purposes: frozenset[PurposeOfUse] = frozenset()
    # SQL returning ``local_id`` (text) of the agency's records whose person registered a
    # national data opt-out. An agency that holds the opt-out (health: it is recorded against
    # the NHS number) publishes it pseudonymously to the index at linkage time, so the gateway
    # can apply it without asking the agency at query time.
    opt_out_records: str | None = None

    def schema(self) -> Any:
        from subgraphs.kit.agency_schema import build_agency_schema

        return build_agency_schema(self)


@dataclass(frozen=True)
class CustomSubgraph:
    """A subgraph that writes its own root and entity types (the index) on the kit's schema."""

    name: str
    query: type
    types: tuple[type, ...] = field(default=())

    def schema(self) -> Any:
        from subgraphs.kit.entities import MeshSubgraphSchema

        return MeshSubgraphSchema(query=self.query, types=list(self.types))
