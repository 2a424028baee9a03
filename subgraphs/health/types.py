"""Health's part of the person graph."""

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.health import queries
from subgraphs.kit import NhsNumbered, RecordSubject, many_as, sensitive
from subgraphs.kit import SensitiveCategory as C


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
class HealthRecord(NhsNumbered, RecordSubject):
    patient_id: strawberry.Private[int]
    # Every registered patient has one.
    nhs_number: str = sensitive(C.IDENTITY)
    gp_practice_code: str = sensitive(C.HEALTH)
    registered_on: date = sensitive(C.HEALTH)
    national_data_opt_out: bool = sensitive(
        C.HEALTH, description="The person opted out of use beyond their individual care."
    )

    @sensitive(C.HEALTH)
    async def long_term_conditions(self, info: Info[Any, Any]) -> list[LongTermCondition]:
        return await many_as(info, queries.CONDITIONS, self.patient_id, LongTermCondition)

    @sensitive(C.HEALTH)
    async def ae_attendances(self, info: Info[Any, Any]) -> list[AEAttendance]:
        return await many_as(info, queries.AE_ATTENDANCES, self.patient_id, AEAttendance)

    @sensitive(C.MENTAL_HEALTH)
    async def mental_health_contacts(self, info: Info[Any, Any]) -> list[MentalHealthContact]:
        return await many_as(
            info, queries.MENTAL_HEALTH_CONTACTS, self.patient_id, MentalHealthContact
        )
