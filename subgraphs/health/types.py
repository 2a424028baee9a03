"""Health's part of the person graph."""

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.health import queries
from subgraphs.kit import SensitiveCategory as C
from subgraphs.kit import many, sensitive


@strawberry.type(description="A long-term condition on the GP record.")
class LongTermCondition:
    snomed_code: str = sensitive(C.HEALTH)
    description: str = sensitive(C.HEALTH)
    diagnosed_on: date = sensitive(C.HEALTH)


@strawberry.type(description="An attendance at an Accident & Emergency department.")
class AEAttendance:
    arrived_at: datetime = sensitive(C.HEALTH)
    presenting_complaint: str = sensitive(C.HEALTH)
    disposal: str = sensitive(C.HEALTH)


@strawberry.type(description="A contact with a mental-health service.")
class MentalHealthContact:
    contact_date: date = sensitive(C.MENTAL_HEALTH)
    service: str = sensitive(C.MENTAL_HEALTH)
    team: str = sensitive(C.MENTAL_HEALTH)


@strawberry.type(description="What the NHS in Greater Manchester holds about a person.")
class HealthRecord:
    patient_id: strawberry.Private[int]
    nhs_number: str = sensitive(C.IDENTITY)
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
    address_line: str = sensitive(C.CONTACT)
    postcode: str | None = sensitive(C.CONTACT)
    gp_practice_code: str = sensitive(C.HEALTH)
    registered_on: date = sensitive(C.HEALTH)
    national_data_opt_out: bool = sensitive(
        C.HEALTH, description="The person opted out of use beyond their individual care."
    )

    @sensitive(C.HEALTH)
    async def long_term_conditions(self, info: Info[Any, Any]) -> list[LongTermCondition]:
        rows = await many(info, queries.CONDITIONS, self.patient_id)
        return [
            LongTermCondition(
                snomed_code=r["snomed_code"],
                description=r["description"],
                diagnosed_on=r["diagnosed_on"],
            )
            for r in rows
        ]

    @sensitive(C.HEALTH)
    async def ae_attendances(self, info: Info[Any, Any]) -> list[AEAttendance]:
        rows = await many(info, queries.AE_ATTENDANCES, self.patient_id)
        return [
            AEAttendance(
                arrived_at=r["arrived_at"],
                presenting_complaint=r["presenting_complaint"],
                disposal=r["disposal"],
            )
            for r in rows
        ]

    @sensitive(C.MENTAL_HEALTH)
    async def mental_health_contacts(self, info: Info[Any, Any]) -> list[MentalHealthContact]:
        rows = await many(info, queries.MENTAL_HEALTH_CONTACTS, self.patient_id)
        return [
            MentalHealthContact(
                contact_date=r["contact_date"], service=r["service"], team=r["team"]
            )
            for r in rows
        ]
