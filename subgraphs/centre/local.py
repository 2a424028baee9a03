"""Serve the centre's subgraph in-process: the transport hands it requests like any other."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import strawberry

from authz.context_token import CONTEXT_HEADER, ContextRejected, ContextVerifier
from subgraphs.centre import oversight, search
from subgraphs.centre.context import CentreContext, Forward
from subgraphs.centre.needs import cohort
from subgraphs.centre.needs import demand as demand_table
from subgraphs.centre.needs.household import Household
from subgraphs.kit.directives import Sensitive, SensitiveCategory

CENTRE = "mesh"


@strawberry.type
class Query:
    search_people: search.PeopleSearch = strawberry.field(
        resolver=search.search_people,
        directives=[Sensitive(category=SensitiveCategory.IDENTITY.value)],
        description="Find people by NHS number, family name + date of birth, or postcode, "
        "across every agency's own records (identity never leaves the agencies).",
    )
    access_log: list[oversight.AccessEvent] = strawberry.field(resolver=oversight.access_log)
    break_glass_to_review: list[oversight.AuditEvent] = strawberry.field(
        resolver=oversight.break_glass_to_review
    )
    audit_search: list[oversight.AuditEvent] = strawberry.field(resolver=oversight.audit_search)
    early_help_cohort: cohort.EarlyHelpCohort | None = strawberry.field(
        resolver=cohort.early_help_cohort,
        directives=[Sensitive(category=SensitiveCategory.NEEDS_INDICATOR.value)],
        description="Households in a local authority with at least minNeeds of the ten "
        "Supporting Families outcomes (and every one of `needs`), for early help: each agency "
        "evaluates its own indicators, the centre combines pseudonymous ids. Paginated.",
    )
    demand: demand_table.DemandTable | None = strawberry.field(
        resolver=demand_table.demand,
        directives=[Sensitive(category=SensitiveCategory.NEEDS_STATISTICS.value)],
        description="Disclosure-controlled counts of households (or people) with needs, by "
        "LOCAL_AUTHORITY, HOUSEHOLD_SIZE and (people) AGE_BAND, for planning.",
    )


@strawberry.type
class Mutation:
    review_break_glass: oversight.AuditEvent = strawberry.mutation(
        resolver=oversight.review_break_glass
    )


def centre_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=Query, mutation=Mutation, types=[search.Person, Household]
    )


@dataclass
class LocalSubgraph:
    """A subgraph executed in this process, behind the same interface as HTTP ones."""

    name: str
    schema: strawberry.federation.Schema
    verifier: ContextVerifier | None
    forward: Forward | None = None  # how to reach the other subgraphs (the transport)
    search_fields: dict[str, str] | None = None
    audit: Any = None
    scan_timeout: float | None = None  # for the agencies' needs scans (cohorts, statistics)

    def sdl(self) -> str:
        return self.schema.as_str()

    async def __call__(
        self, query: str, variables: Mapping[str, Any], headers: Mapping[str, str] | None
    ) -> dict[str, Any]:
        mesh_context = None
        token = (headers or {}).get(CONTEXT_HEADER)
        if self.verifier is not None and token is not None:
            try:
                mesh_context = self.verifier.verify(token)
            except ContextRejected as rejected:
                return {
                    "data": None,
                    "errors": [{"message": str(rejected), "extensions": {"code": rejected.code}}],
                }
        forward = self.forward

        async def call_agency(
            subgraph: str, text: str, values: Mapping[str, Any]
        ) -> dict[str, Any]:
            if forward is None:
                raise RuntimeError(f"no route to subgraph {subgraph}")
            return await forward(subgraph, text, values, headers)

        scan_timeout = self.scan_timeout

        async def call_scan(subgraph: str, text: str, values: Mapping[str, Any]) -> dict[str, Any]:
            if forward is None:
                raise RuntimeError(f"no route to subgraph {subgraph}")
            return await forward(subgraph, text, values, headers, timeout=scan_timeout)

        context = CentreContext(
            mesh_context=mesh_context,
            call_agency=call_agency,
            call_scan=call_scan,
            search_fields=self.search_fields or {},
            audit=self.audit,
        )
        result = await self.schema.execute(
            query, variable_values=dict(variables), context_value=context
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        return body


def centre_subgraph(verifier: ContextVerifier | None = None) -> LocalSubgraph:
    return LocalSubgraph(CENTRE, centre_schema(), verifier)
