"""Welfare's part of the person graph."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.kit import SensitiveCategory as C
from subgraphs.kit import many, one, sensitive
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


@strawberry.type(description="What the DWP holds about a Universal Credit claimant.")
class WelfareRecord:
    claimant_id: strawberry.Private[int]
    national_insurance_number: str = sensitive(C.IDENTITY)
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
    address_line: str = sensitive(C.CONTACT)
    postcode: str | None = sensitive(C.CONTACT)

    @sensitive(C.FINANCIAL)
    async def universal_credit_claims(self, info: Info[Any, Any]) -> list[UniversalCreditClaim]:
        rows = await many(info, queries.UNIVERSAL_CREDIT_CLAIMS, self.claimant_id)
        return [
            UniversalCreditClaim(
                role=r["role"],
                joint_claim=r["joint_claim"],
                start_date=r["start_date"],
                end_date=r["end_date"],
                monthly_award=r["monthly_award"],
                housing_element=r["housing_element"],
                child_element=r["child_element"],
                childcare_element=r["childcare_element"],
                limited_capability_for_work_element=r["lcwra_element"],
                carer_element=r["carer_element"],
            )
            for r in rows
        ]

    @sensitive(C.FINANCIAL)
    async def employment_status(self, info: Info[Any, Any]) -> EmploymentStatus | None:
        row = await one(info, queries.EMPLOYMENT_STATUS, self.claimant_id)
        if row is None:
            return None
        return EmploymentStatus(
            status=row["status"],
            effective_from=row["effective_from"],
            weekly_hours=row["weekly_hours"],
        )
