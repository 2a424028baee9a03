"""The index's types: who is a mesh person, which household they belong to, who links."""

from typing import Any, Optional

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from subgraphs.index import queries
from subgraphs.kit import Public, Sensitive, many, one, public, sensitive
from subgraphs.kit import SensitiveCategory as C
from subgraphs.kit.ids import HOUSEHOLD_PREFIX, PERSON_PREFIX, checked_id


@strawberry.type(description="An agency that holds records linked to this person.")
class AgencyLink:
    agency: str = sensitive(C.LINKAGE)
    records: int = sensitive(C.LINKAGE, description="How many of its records link here.")


@strawberry.federation.type(keys=["id"], description="A household: people at one address.")
class Household:
    id: strawberry.ID = public()

    @classmethod
    async def resolve_reference(
        cls, info: Info[Any, Any], id: strawberry.ID
    ) -> Optional["Household"]:
        return await household_by_id(info, checked_id(id, HOUSEHOLD_PREFIX))

    @sensitive(C.IDENTITY, description="The people the index places in this household.")
    async def members(self, info: Info[Any, Any]) -> list["Person"]:
        rows = await many(info, queries.MEMBERS, str(self.id))
        return [Person(id=strawberry.ID(r["mesh_id"]), household_id=str(self.id)) for r in rows]

    @sensitive(C.IDENTITY)
    async def size(self, info: Info[Any, Any]) -> int:
        return len(await many(info, queries.MEMBERS, str(self.id)))


@strawberry.federation.type(keys=["id"], description="A person as the mesh knows them.")
class Person:
    id: strawberry.ID = public()
    household_id: strawberry.Private[str | None]

    @classmethod
    async def resolve_reference(cls, info: Info[Any, Any], id: strawberry.ID) -> Optional["Person"]:
        return await person_by_id(info, checked_id(id, PERSON_PREFIX))

    @sensitive(C.IDENTITY, description="The household the person belongs to.")
    def household(self) -> Household | None:
        return Household(id=strawberry.ID(self.household_id)) if self.household_id else None

    @strawberry.federation.field(
        inaccessible=True,
        description="The national data opt-out as the agencies holding it published it at "
        "linkage; null when none of them knows the person. Read by the gateway to apply the "
        "opt-out (unknown counts as opted out); not part of the client contract.",
    )
    async def national_data_opt_out(self, info: Info[Any, Any]) -> bool | None:
        row = await one(info, queries.PERSONS, str(self.id))
        return None if row is None else row["national_data_opt_out"]

    @sensitive(
        C.LINKAGE,
        description="Which agencies hold records linked to this person: only those whose "
        "data the caller may see something of for this purpose.",
    )
    async def links(self, info: Info[Any, Any]) -> list[AgencyLink]:
        rows = await many(info, queries.AGENCY_LINKS, str(self.id))
        context = info.context.mesh_context
        if context is not None:
            # That an agency knows someone is that agency's data: a link is named only where
            # the caller may see something of the agency, and not for an agency whose records
            # the opt-out governs here unless the person is known not to have opted out.
            rows = [r for r in rows if r["agency"] in context.agencies]
            if any(r["agency"] in context.opt_out for r in rows):
                person = await one(info, queries.PERSONS, str(self.id))
                opted_in = person is not None and person["national_data_opt_out"] is False
                rows = [r for r in rows if opted_in or r["agency"] not in context.opt_out]
        return [AgencyLink(agency=r["agency"], records=r["records"]) for r in rows]


async def person_by_id(info: Info[Any, Any], mesh_id: str) -> Person | None:
    row = await one(info, queries.PERSONS, mesh_id)
    if row is None:
        return None
    return Person(id=strawberry.ID(mesh_id), household_id=row["household_id"])


async def household_by_id(info: Info[Any, Any], mesh_id: str) -> Household | None:
    row = await one(info, queries.HOUSEHOLDS, mesh_id)
    return Household(id=strawberry.ID(mesh_id)) if row is not None else None


@strawberry.type(
    description="What planners' statistics need from the index, pseudonymously, as text built "
    "by PostgreSQL (a million ids through GraphQL lists would cost seconds)."
)
class PlanningProfile:
    sizes: str = sensitive(C.LINKAGE, description="Every household: 'household<TAB>members' lines.")
    not_countable: str = sensitive(
        C.LINKAGE,
        description="People who may not be counted under the national data opt-out, one a "
        "line: those who opted out and those whose choice nobody knows (fail closed).",
    )
    without_household: str = sensitive(
        C.LINKAGE,
        description="People the index knows but places in no household, one a line.",
    )


PLANNING_PROFILE = "needsPlanningProfile"


async def needs_planning_profile(info: Info[Any, Any]) -> PlanningProfile:
    context = info.context.mesh_context
    if context is None or f"Query.{PLANNING_PROFILE}" not in context.reads:
        raise GraphQLError(
            "the index gives planning profiles only when the gateway allowed it for this request",
            extensions={"code": "FORBIDDEN_BY_POLICY"},
        )
    rows = await info.context.database.fetch(queries.PLANNING_PROFILE)
    return PlanningProfile(
        sizes=rows[0]["sizes"],
        not_countable=rows[0]["not_countable"],
        without_household=rows[0]["without_household"],
    )


@strawberry.type
class Query:
    needs_planning_profile: PlanningProfile = strawberry.federation.field(
        resolver=needs_planning_profile,
        name=PLANNING_PROFILE,
        inaccessible=True,
        directives=[Sensitive(category=C.LINKAGE.value)],
        description="Household sizes and opt-out status for the centre's statistics.",
    )

    @strawberry.field(
        description="A person by mesh id; null when the index holds no such person.",
        directives=[Public()],
    )
    async def person(self, info: Info[Any, Any], id: strawberry.ID) -> Person | None:
        return await person_by_id(info, checked_id(id, PERSON_PREFIX))

    @strawberry.field(
        description="A household by mesh id; null when unknown.", directives=[Public()]
    )
    async def household(self, info: Info[Any, Any], id: strawberry.ID) -> Household | None:
        return await household_by_id(info, checked_id(id, HOUSEHOLD_PREFIX))
