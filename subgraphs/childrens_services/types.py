"""Children's services' part of the person graph."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.childrens_services import queries
from subgraphs.kit import SensitiveCategory as C
from subgraphs.kit import many, sensitive


@strawberry.type(description="An episode of being a child in need (Children Act 1989, s17).")
class ChildInNeedEpisode:
    referral_date: date = sensitive(C.CHILD)
    start_date: date = sensitive(C.CHILD)
    end_date: date | None = sensitive(C.CHILD, description="Null while the episode is open.")
    primary_need_code: str = sensitive(
        C.CHILD,
        description="DfE CIN census code: N1 abuse or neglect … N9 cases other than children "
        "in need.",
    )


@strawberry.type(description="A child protection plan.")
class ChildProtectionPlan:
    category: str = sensitive(
        C.CHILD, description="neglect, emotional, physical, sexual or multiple."
    )
    start_date: date = sensitive(C.CHILD)
    end_date: date | None = sensitive(C.CHILD, description="Null while the plan is in force.")


@strawberry.type(description="An episode of being looked after by the local authority.")
class LookedAfterEpisode:
    legal_status: str = sensitive(
        C.CHILD,
        description="SSDA903 code: C1 interim care order, C2 full care order, V2 accommodated "
        "under s20, E1 placement order …",
    )
    placement_type: str = sensitive(
        C.CHILD,
        description="foster_care, kinship_care, placed_with_parents, residential, "
        "semi_independent or placed_for_adoption.",
    )
    start_date: date = sensitive(C.CHILD)
    end_date: date | None = sensitive(C.CHILD, description="Null while the child is looked after.")


@strawberry.type(description="What children's services hold about a child.")
class ChildrensServicesRecord:
    child_id: strawberry.Private[int]
    nhs_number: str | None = sensitive(C.IDENTITY)
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
    address_line: str = sensitive(C.CONTACT)
    postcode: str | None = sensitive(C.CONTACT)

    @sensitive(C.CHILD)
    async def child_in_need_episodes(self, info: Info[Any, Any]) -> list[ChildInNeedEpisode]:
        rows = await many(info, queries.CHILD_IN_NEED_EPISODES, self.child_id)
        return [
            ChildInNeedEpisode(
                referral_date=r["referral_date"],
                start_date=r["start_date"],
                end_date=r["end_date"],
                primary_need_code=r["primary_need_code"],
            )
            for r in rows
        ]

    @sensitive(C.CHILD)
    async def child_protection_plans(self, info: Info[Any, Any]) -> list[ChildProtectionPlan]:
        rows = await many(info, queries.CHILD_PROTECTION_PLANS, self.child_id)
        return [
            ChildProtectionPlan(
                category=r["category"], start_date=r["start_date"], end_date=r["end_date"]
            )
            for r in rows
        ]

    @sensitive(C.CHILD)
    async def looked_after_episodes(self, info: Info[Any, Any]) -> list[LookedAfterEpisode]:
        rows = await many(info, queries.LOOKED_AFTER_EPISODES, self.child_id)
        return [
            LookedAfterEpisode(
                legal_status=r["legal_status"],
                placement_type=r["placement_type"],
                start_date=r["start_date"],
                end_date=r["end_date"],
            )
            for r in rows
        ]
