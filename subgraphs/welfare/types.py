"""Welfare's part of the person graph."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.kit import RecordSubject, many_as, one_as, sensitive
from subgraphs.kit import SensitiveCategory as C
from subgraphs.welfare import queries


@strawberry.type(description="A Universal Credit claim the person is on, alone or jointly.")
class UniversalCreditClaim:
    role: str = sensitive(
        C.FINANCIAL, description="claimant, or partner on the claimant's joint claim."
    )
    joint_claim: bool = sensitive(C.FINANCIAL)
    start_date: date = sensitive(C.FINANCIAL)
    end_date: date | None = sensitive(C.FINANCIAL, description="Null while the claim is live.")
    monthly_award: float = sensitive(C.FINANCIAL, description="Monthly award in pounds.")
    housing_element: bool = sensitive(C.FINANCIAL)
    child_element: bool = sensitive(C.FINANCIAL)
    childcare_element: bool = sensitive(C.FINANCIAL)
    limited_capability_for_work_element: bool = sensitive(
        C.HEALTH,
        description="The LCWRA element: the claimant has limited capability for work and "
        "work-related activity because of a health condition or disability.",
    )
    carer_element: bool = sensitive(C.FINANCIAL)


@strawberry.type(description="A claimant's labour-market status.")
class EmploymentStatus:
    status: str = sensitive(
        C.FINANCIAL,
        description="employed, self_employed, unemployed, inactive_sick_or_disabled, "
        "inactive_caring or student.",
    )
    effective_from: date = sensitive(C.FINANCIAL)
    weekly_hours: int | None = sensitive(C.FINANCIAL)


@strawberry.type(description="A record that carries the person's National Insurance number.")
class NationalInsuranceNumbered:
    national_insurance_number: str = sensitive(C.IDENTITY)


@strawberry.type(description="What the DWP holds about a Universal Credit claimant.")
class WelfareRecord(NationalInsuranceNumbered, RecordSubject):
    claimant_id: strawberry.Private[int]

    @sensitive(C.FINANCIAL)
    async def universal_credit_claims(self, info: Info[Any, Any]) -> list[UniversalCreditClaim]:
        return await many_as(
            info, queries.UNIVERSAL_CREDIT_CLAIMS, self.claimant_id, UniversalCreditClaim
        )

    @sensitive(C.FINANCIAL)
    async def employment_status(self, info: Info[Any, Any]) -> EmploymentStatus | None:
        return await one_as(info, queries.EMPLOYMENT_STATUS, self.claimant_id, EmploymentStatus)
