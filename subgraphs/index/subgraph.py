"""The index subgraph: owns the root fields that reach a person or a household."""

from subgraphs.index.types import AgencyLink, Household, Person, PlanningProfile, Query
from subgraphs.kit import CustomSubgraph

SUBGRAPH = CustomSubgraph(
    name="index", query=Query, types=(Person, Household, AgencyLink, PlanningProfile)
)
