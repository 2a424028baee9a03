"""Adult social care's part of the person graph."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.adult_social_care import queries
from subgraphs.kit import SensitiveCategory as C
from subgraphs.kit import many, sensitive


@strawberry.type(description="A Care Act assessment or review of a person's needs.")
class CareAssessment:
    assessment_type: str = sensitive(
        C.SOCIAL_CARE,
        description="needs_assessment, review, carers_assessment or financial_assessment.",
    )
    assessed_on: date = sensitive(C.SOCIAL_CARE)
    outcome: str = sensitive(
        C.SOCIAL_CARE,
        description="eligible_needs, no_eligible_needs, universal_services or ongoing.",
    )


@strawberry.type(description="A package of care commissioned for a person.")
class CarePackage:
    service_type: str = sensitive(
        C.SOCIAL_CARE,
        description="home_care, residential_care, nursing_care, day_care, direct_payment, "
        "supported_living or reablement.",
    )
    weekly_hours: float | None = sensitive(C.SOCIAL_CARE)
    weekly_cost: float = sensitive(C.FINANCIAL, description="Gross weekly cost in pounds.")
    start_date: date = sensitive(C.SOCIAL_CARE)
    end_date: date | None = sensitive(C.SOCIAL_CARE, description="Null while the package runs.")


@strawberry.type(description="What adult social care holds about a person.")
class SocialCareRecord:
    client_id: strawberry.Private[int]
    nhs_number: str | None = sensitive(C.IDENTITY)
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
    address_line: str = sensitive(C.CONTACT)
    postcode: str | None = sensitive(C.CONTACT)
    primary_support_reason: str = sensitive(C.SOCIAL_CARE)

    @sensitive(C.SOCIAL_CARE)
    async def assessments(self, info: Info[Any, Any]) -> list[CareAssessment]:
        rows = await many(info, queries.ASSESSMENTS, self.client_id)
        return [
            CareAssessment(
                assessment_type=r["assessment_type"],
                assessed_on=r["assessed_on"],
                outcome=r["outcome"],
            )
            for r in rows
        ]

    @sensitive(C.SOCIAL_CARE)
    async def care_packages(self, info: Info[Any, Any]) -> list[CarePackage]:
        rows = await many(info, queries.CARE_PACKAGES, self.client_id)
        return [
            CarePackage(
                service_type=r["service_type"],
                weekly_hours=r["weekly_hours"],
                weekly_cost=r["weekly_cost"],
                start_date=r["start_date"],
                end_date=r["end_date"],
            )
            for r in rows
        ]
