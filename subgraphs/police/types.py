"""Police's part of the person graph."""

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.kit import RecordSubject, many_as, one_as, sensitive
from subgraphs.kit import SensitiveCategory as C
from subgraphs.police import queries


@strawberry.type(description="A recorded incident and the person's part in it.")
class PoliceIncident:
    role: str = sensitive(C.CRIMINAL, description="victim, suspect or witness.")
    incident_type: str = sensitive(C.CRIMINAL)
    occurred_at: datetime = sensitive(C.CRIMINAL)
    postcode: str | None = sensitive(C.CRIMINAL, description="Where the incident happened.")


@strawberry.type(description="A police warning marker on the person.")
class WarningMarker:
    code: str = sensitive(C.CRIMINAL, description="ASB, VIOLENCE, MISSING_PERSON or DRUGS.")
    added_on: date = sensitive(C.CRIMINAL)


@strawberry.type(description="A police marker that the person is linked to domestic abuse.")
class DomesticAbuseMarker:
    added_on: date = sensitive(C.DOMESTIC_ABUSE)


@strawberry.type(description="A police marker that the person has a mental-health concern.")
class MentalHealthMarker:
    added_on: date = sensitive(C.MENTAL_HEALTH)


@strawberry.type(description="What Greater Manchester Police hold about a person.")
class PoliceRecord(RecordSubject):
    nominal_ref: strawberry.Private[str]

    @sensitive(C.CRIMINAL)
    async def incidents(self, info: Info[Any, Any]) -> list[PoliceIncident]:
        return await many_as(info, queries.INCIDENTS, self.nominal_ref, PoliceIncident)

    @sensitive(C.CRIMINAL, description="Markers other than domestic abuse and mental health.")
    async def warning_markers(self, info: Info[Any, Any]) -> list[WarningMarker]:
        return await many_as(info, queries.WARNING_MARKERS, self.nominal_ref, WarningMarker)

    @sensitive(C.DOMESTIC_ABUSE)
    async def domestic_abuse_marker(self, info: Info[Any, Any]) -> DomesticAbuseMarker | None:
        return await one_as(
            info, queries.DOMESTIC_ABUSE_MARKER, self.nominal_ref, DomesticAbuseMarker
        )

    @sensitive(C.MENTAL_HEALTH)
    async def mental_health_marker(self, info: Info[Any, Any]) -> MentalHealthMarker | None:
        return await one_as(
            info, queries.MENTAL_HEALTH_MARKER, self.nominal_ref, MentalHealthMarker
        )
