"""The shared subgraph kit: everything every agency subgraph needs, written once.

An agency folder holds only its types, its SQL, its migrations and its sharing directives;
it describes itself with an :class:`AgencySubgraph` and the kit builds the federation
schema, the HTTP app, the database pool, the per-request DataLoaders and the health checks.
"""

from subgraphs.kit.definition import (
    AgencySubgraph,
    CustomSubgraph,
    HouseholdSection,
    PersonSection,
)
from subgraphs.kit.directives import Public, Sensitive, SensitiveCategory, public, sensitive
from subgraphs.kit.identity import NhsNumbered, PersonIdentity, RecordSubject
from subgraphs.kit.rows import many, many_as, one, one_as, section_loader

__all__ = [
    "AgencySubgraph",
    "CustomSubgraph",
    "HouseholdSection",
    "NhsNumbered",
    "PersonIdentity",
    "PersonSection",
    "Public",
    "RecordSubject",
    "Sensitive",
    "SensitiveCategory",
    "many",
    "many_as",
    "one",
    "one_as",
    "public",
    "section_loader",
    "sensitive",
]
