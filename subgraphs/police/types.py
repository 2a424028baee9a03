"""Police's part of the person graph."""

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.kit import SensitiveCategory as C
from subgraphs.kit import many, one, sensitive
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
class PoliceRecord:
    nominal_ref: strawberry.Private[str]
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
    address_line: str = sensitive(C.CONTACT)
    postcode: str | None = sensitive(C.CONTACT)

    @sensitive(C.CRIMINAL)
    async def incidents(self, info: Info[Any, Any]) -> list[PoliceIncident]:
        rows = await many(info, queries.INCIDENTS, self.nominal_ref)
        return [
            PoliceIncident(
                role=r["role"],
                incident_type=r["incident_type"],
                occurred_at=r["occurred_at"],
                postcode=r["postcode"],
            )
            for r in rows
        ]

    @sensitive(C.CRIMINAL, description="Markers other than domestic abuse and mental health.")
    async def warning_markers(self, info: Info[Any, Any]) -> list[WarningMarker]:
        rows = await many(info, queries.WARNING_MARKERS, self.nominal_ref)
        return [WarningMarker(code=r["marker_code"], added_on=r["added_on"]) for r in rows]

    @sensitive(C.DOMESTIC_ABUSE)
    async def domestic_abuse_marker(self, info: Info[Any, Any]) -> DomesticAbuseMarker | None:
        row = await one(info, queries.DOMESTIC_ABUSE_MARKER, self.nominal_ref)
        return None if row is None else DomesticAbuseMarker(added_on=row["added_on"])

    @sensitive(C.MENTAL_HEALTH)
    async def mental_health_marker(self, info: Info[Any, Any]) -> MentalHealthMarker | None:
        row = await one(info, queries.MENTAL_HEALTH_MARKER, self.nominal_ref)
        return None if row is None else MentalHealthMarker(added_on=row["added_on"])
