"""Housing's part of the person and household graphs."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.housing import queries
from subgraphs.kit import SensitiveCategory as C
from subgraphs.kit import many, sensitive


@strawberry.type(description="A person on a tenancy, as housing holds them.")
class TenancyMember:
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
    relationship: str = sensitive(
        C.HOUSING, description="lead_tenant, joint_tenant, partner, child or other."
    )


@strawberry.type(description="The tenancy's rent arrears balance on a date.")
class RentArrearsBalance:
    as_of: date = sensitive(C.FINANCIAL)
    balance: float = sensitive(C.FINANCIAL, description="In pounds, as the rent account shows it.")


@strawberry.type(description="A person on a homelessness case, as housing holds them.")
class HomelessnessCaseMember:
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
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
        rows = await many(info, queries.HOMELESSNESS_CASE_MEMBERS, self.case_ref)
        return [
            HomelessnessCaseMember(
                given_name=r["given_name"],
                family_name=r["family_name"],
                date_of_birth=r["date_of_birth"],
                sex=r["sex"],
                relationship=r["relationship"],
                lead_applicant=r["lead_applicant"],
            )
            for r in rows
        ]


def _homelessness_cases(rows: list[Any]) -> list[HomelessnessCase]:
    return [
        HomelessnessCase(
            case_ref=r["case_ref"],
            duty_type=r["duty_type"],
            reason=r["reason"],
            opened_on=r["opened_on"],
            closed_on=r["closed_on"],
            outcome=r["outcome"],
        )
        for r in rows
    ]


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
        rows = await many(info, queries.TENANCY_MEMBERS, self.tenancy_ref)
        return [
            TenancyMember(
                given_name=r["given_name"],
                family_name=r["family_name"],
                date_of_birth=r["date_of_birth"],
                sex=r["sex"],
                relationship=r["relationship"],
            )
            for r in rows
        ]

    @sensitive(C.FINANCIAL, description="Balances over time, the latest first.")
    async def rent_arrears(self, info: Info[Any, Any]) -> list[RentArrearsBalance]:
        rows = await many(info, queries.RENT_ARREARS, self.tenancy_ref)
        return [RentArrearsBalance(as_of=r["as_of"], balance=r["balance"]) for r in rows]


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
        rows = await many(info, queries.HOUSEHOLD_HOMELESSNESS_CASES, self.tenancy_ref)
        return _homelessness_cases(rows)


@strawberry.type(description="What the housing department holds about a person.")
class HousingRecord:
    member_ref: strawberry.Private[str]
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
    address_line: str = sensitive(C.CONTACT)
    postcode: str | None = sensitive(C.CONTACT)

    @sensitive(C.HOUSING, description="Tenancies the person is or was on, the latest first.")
    async def tenancies(self, info: Info[Any, Any]) -> list[PersonTenancy]:
        rows = await many(info, queries.TENANCIES, self.member_ref)
        return [PersonTenancy(**{k: v for k, v in r.items() if k != "key"}) for r in rows]

    @sensitive(C.HOUSING, description="Cases the person leads or is listed on, the latest first.")
    async def homelessness_cases(self, info: Info[Any, Any]) -> list[HomelessnessCase]:
        rows = await many(info, queries.HOMELESSNESS_CASES, self.member_ref)
        return _homelessness_cases(rows)
