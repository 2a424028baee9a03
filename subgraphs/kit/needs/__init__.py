"""Needs indicators: each agency derives them from its own facts, by a catalogue it owns.

The ten Supporting Families headline outcomes are the shared vocabulary (``outcomes``); an
agency's catalogue (``subgraphs/<agency>/indicators.yaml``) says which of its facts, past which
thresholds, evidence which outcome (``catalogue``); ``evaluate`` turns a catalogue into one
parameterised SQL statement over the agency's ``mesh_needs_fact`` view.
"""

from subgraphs.kit.needs.catalogue import (
    CatalogueError,
    Condition,
    IndicatorCatalogue,
    IndicatorDefinition,
    agency_catalogue,
    all_catalogues,
    load_catalogue,
)
from subgraphs.kit.needs.outcomes import HeadlineOutcome

__all__ = [
    "CatalogueError",
    "Condition",
    "HeadlineOutcome",
    "IndicatorCatalogue",
    "IndicatorDefinition",
    "agency_catalogue",
    "all_catalogues",
    "load_catalogue",
]
