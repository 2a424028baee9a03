"""Adult social care's part of the person graph."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.adult_social_care import queries
from subgraphs.kit import NhsNumbered, RecordSubject, many_as, sensitive
from subgraphs.kit import SensitiveCategory as C


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
class SocialCareRecord(NhsNumbered, RecordSubject):
    client_id: strawberry.Private[int]
    primary_support_reason: str = sensitive(C.SOCIAL_CARE)

    @sensitive(C.SOCIAL_CARE)
    async def assessments(self, info: Info[Any, Any]) -> list[CareAssessment]:
        return await many_as(info, queries.ASSESSMENTS, self.client_id, CareAssessment)

    @sensitive(C.SOCIAL_CARE)
    async def care_packages(self, info: Info[Any, Any]) -> list[CarePackage]:
        return await many_as(info, queries.CARE_PACKAGES, self.client_id, CarePackage)
