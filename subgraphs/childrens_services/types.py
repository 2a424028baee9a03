"""Children's services' part of the person graph."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.childrens_services import queries
from subgraphs.kit import NhsNumbered, RecordSubject, many_as, sensitive
from subgraphs.kit import SensitiveCategory as C


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
class ChildrensServicesRecord(NhsNumbered, RecordSubject):
    child_id: strawberry.Private[int]

    @sensitive(C.CHILD)
    async def child_in_need_episodes(self, info: Info[Any, Any]) -> list[ChildInNeedEpisode]:
        return await many_as(
            info, queries.CHILD_IN_NEED_EPISODES, self.child_id, ChildInNeedEpisode
        )

    @sensitive(C.CHILD)
    async def child_protection_plans(self, info: Info[Any, Any]) -> list[ChildProtectionPlan]:
        return await many_as(
            info, queries.CHILD_PROTECTION_PLANS, self.child_id, ChildProtectionPlan
        )

    @sensitive(C.CHILD)
    async def looked_after_episodes(self, info: Info[Any, Any]) -> list[LookedAfterEpisode]:
        return await many_as(info, queries.LOOKED_AFTER_EPISODES, self.child_id, LookedAfterEpisode)
