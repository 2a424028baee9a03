"""Reads the centre makes on the caller's behalf, decided by the gateway like any field.

The centre's roll-ups read the agencies' needs indicators: ``Household.needs`` and
``earlyHelpCohort`` read each agency's ``Household.<agency>NeedsIndicators``; ``demand`` reads
each agency's ``@inaccessible`` ``<agency>NeedsScan`` (category ``needs_statistics``) and the
index's planning profile. When an operation selects one of them, the gateway decides those
coordinates too (same rules, same audit record); the allowed ones travel in the signed context
(``reads``), so the centre asks only those agencies, and each agency serves its scan only when
its coordinate is there. A denied read is never fetched and shows as NOT_VISIBLE for every
household alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mesh.federation.supergraph import Supergraph
from subgraphs.index.types import PLANNING_PROFILE
from subgraphs.kit.needs.catalogue import all_catalogues
from subgraphs.kit.needs.fields import field_prefix, household_field_name, scan_field_name

Coordinate = tuple[str, str]


def implied_reads(supergraph: Supergraph) -> dict[Coordinate, frozenset[Coordinate]]:
    """Field → the coordinates it reads on the caller's behalf (only those composed)."""

    def present(coordinates: Iterable[Coordinate]) -> frozenset[Coordinate]:
        return frozenset(
            (t, f)
            for t, f in coordinates
            if t in supergraph.types and f in supergraph.types[t].fields
        )

    prefixes = [field_prefix(agency) for agency in all_catalogues()]
    indicators = present(("Household", household_field_name(p)) for p in prefixes)
    scans = present(("Query", scan_field_name(p)) for p in prefixes)
    profile = present([("Query", PLANNING_PROFILE)])
    reads = {
        ("Household", "needs"): indicators,
        ("Query", "earlyHelpCohort"): indicators,
        ("Query", "demand"): scans | profile,
    }
    return {field: implied for field, implied in reads.items() if present([field]) and implied}


def reads_of(
    implied: Mapping[Coordinate, frozenset[Coordinate]], coordinates: Iterable[Coordinate]
) -> frozenset[Coordinate]:
    found: set[Coordinate] = set()
    for coordinate in coordinates:
        found |= implied.get(coordinate, frozenset())
    return frozenset(found)
