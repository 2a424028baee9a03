"""Housing's part of the person and household graphs."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.housing import queries
from subgraphs.kit import PersonIdentity, RecordSubject, many_as, sensitive
from subgraphs.kit import SensitiveCategory as C


@strawberry.type(description="A person on a tenancy, as housing holds them.")
class TenancyMember(PersonIdentity):
    relationship: str = sensitive(
        C.HOUSING, description="lead_tenant, joint_tenant, partner, child or other."
    )


@strawberry.type(description="The tenancy's rent arrears balance on a date.")
class RentArrearsBalance:
    as_of: date = sensitive(C.FINANCIAL)
    balance: float = sensitive(C.FINANCIAL, description="In pounds, as the rent account shows it.")


@strawberry.type(description="A person on a homelessness case, as housing holds them.")
class HomelessnessCaseMember(PersonIdentity):
    relationship: str = sensitive(C.HOUSING, description="applicant, partner, child or other.")
    lead_applicant: bool = sensitive(C.HOUSING)


@strawberry.type(description="A homelessness case under Part 7 of the Housing Act 1996.")
class HomelessnessCase:
    case_ref: strawberry.Private[str]
    duty_type: str = sensitive(C.HOUSING, description="prevention, relief or main.")
    reason: str = sensitive(C.HOUSING)
    opened_on: date = sensitive(C.HOUSING)
    closed_on: date | None = sensitive(C.HOUSING, description="Null while the case is open.")
    outcome: str | None = sensitive(C.HOUSING, description="Set when the case closes.")

    @sensitive(C.HOUSING, description="The lead applicant first.")
    async def members(self, info: Info[Any, Any]) -> list[HomelessnessCaseMember]:
        return await many_as(
            info, queries.HOMELESSNESS_CASE_MEMBERS, self.case_ref, HomelessnessCaseMember
        )


@strawberry.type(description="A council or ALMO tenancy.")
class Tenancy:
    tenancy_ref: strawberry.Private[str]
    tenure: str = sensitive(
        C.HOUSING, description="secure, assured, introductory, starter or flexible."
    )
    bedrooms: int = sensitive(C.HOUSING)
    start_date: date = sensitive(C.HOUSING)
    end_date: date | None = sensitive(C.HOUSING, description="Null while the tenancy runs.")
    weekly_rent: float = sensitive(C.FINANCIAL, description="In pounds.")
    address_line: str = sensitive(C.CONTACT)
    postcode: str = sensitive(C.CONTACT)

    @sensitive(C.HOUSING, description="The lead tenant first.")
    async def members(self, info: Info[Any, Any]) -> list[TenancyMember]:
        return await many_as(info, queries.TENANCY_MEMBERS, self.tenancy_ref, TenancyMember)

    @sensitive(C.FINANCIAL, description="Balances over time, the latest first.")
    async def rent_arrears(self, info: Info[Any, Any]) -> list[RentArrearsBalance]:
        return await many_as(info, queries.RENT_ARREARS, self.tenancy_ref, RentArrearsBalance)


@strawberry.type(description="A tenancy the person is on, with their place in it.")
class PersonTenancy(Tenancy):
    relationship: str = sensitive(
        C.HOUSING, description="lead_tenant, joint_tenant, partner, child or other."
    )


@strawberry.type(
    description="The housing department's tenancy at the household's property, with the "
    "homelessness cases of its members."
)
class HouseholdHousing(Tenancy):
    @sensitive(C.HOUSING, description="Cases whose lead applicant or members are on the tenancy.")
    async def homelessness_cases(self, info: Info[Any, Any]) -> list[HomelessnessCase]:
        return await many_as(
            info, queries.HOUSEHOLD_HOMELESSNESS_CASES, self.tenancy_ref, HomelessnessCase
        )


@strawberry.type(description="What the housing department holds about a person.")
class HousingRecord(RecordSubject):
    member_ref: strawberry.Private[str]

    @sensitive(C.HOUSING, description="Tenancies the person is or was on, the latest first.")
    async def tenancies(self, info: Info[Any, Any]) -> list[PersonTenancy]:
        return await many_as(info, queries.TENANCIES, self.member_ref, PersonTenancy)

    @sensitive(C.HOUSING, description="Cases the person leads or is listed on, the latest first.")
    async def homelessness_cases(self, info: Info[Any, Any]) -> list[HomelessnessCase]:
        return await many_as(info, queries.HOMELESSNESS_CASES, self.member_ref, HomelessnessCase)
