"""Serve the centre's subgraph in-process: the transport hands it requests like any other."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
import strawberry

from authz.context_batch import ContextBatch
from authz.context_token import (
    CONTEXT_HEADER,
    NONCE_HEADER,
    ContextRejected,
    ContextSigner,
    ContextVerifier,
    MeshContext,
)
from authz.organisations import Organisation, load_organisations, provided_by
from authz.oversight import OversightScope
from subgraphs.centre import oversight, search
from subgraphs.centre.context import CentreContext, FetchHeaders, Forward
from subgraphs.centre.needs import cohort
from subgraphs.centre.needs import demand as demand_table
from subgraphs.centre.needs.household import Household
from subgraphs.kit.directives import Sensitive, SensitiveCategory
from subgraphs.kit.entities import LoggingSchema

CENTRE = "mesh"
AUDIT = Sensitive(category=SensitiveCategory.AUDIT.value)


@strawberry.type
class Query:
    search_people: search.PeopleSearch = strawberry.field(
        resolver=search.search_people,
        directives=[Sensitive(category=SensitiveCategory.TRACING.value)],
        description="Find people by NHS number, family name + date of birth, or postcode, "
        "across every agency's own records (identity never leaves the agencies).",
    )
    access_log: list[oversight.AccessEvent] = strawberry.field(
        resolver=oversight.access_log, directives=[AUDIT]
    )
    break_glass_to_review: list[oversight.AuditEvent] = strawberry.field(
        resolver=oversight.break_glass_to_review, directives=[AUDIT]
    )
    audit_search: list[oversight.AuditEvent] = strawberry.field(
        resolver=oversight.audit_search, directives=[AUDIT]
    )
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
        resolver=oversight.review_break_glass, directives=[AUDIT]
    )


def centre_schema() -> strawberry.federation.Schema:
    return LoggingSchema(query=Query, mutation=Mutation, types=[search.Person, Household])


@dataclass
class LocalSubgraph:
    """A subgraph executed in this process, behind the same interface as HTTP ones."""

    name: str
    schema: strawberry.federation.Schema
    verifier: ContextVerifier | None
    signer: ContextSigner | None = None  # signs the context of each request it makes onward
    forward: Forward | None = None  # how to reach the other subgraphs (the transport)
    search_fields: dict[str, str] | None = None
    audit: Any = None
    scan_timeout: float | None = None  # for the agencies' needs scans (cohorts, statistics)
    # agency -> the coordinates of its data (from composition), for IG oversight scopes
    provided_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=load_organisations)

    def oversight_scope(self, organisation: str) -> OversightScope:
        """An IG lead's reach: their organisation's staff, and the data it provides."""
        fields = {
            coordinate
            for agency in provided_by(self.organisations, organisation)
            for coordinate in self.provided_fields.get(agency, ())
        }
        return OversightScope(organisation, tuple(sorted(fields)))

    def sdl(self) -> str:
        return self.schema.as_str()

    def _onward(
        self, mesh_context: MeshContext | None, headers: Mapping[str, str] | None
    ) -> FetchHeaders:
        """Headers for the agencies the centre asks on the caller's behalf: the caller's
        context, for each agency and request (those asked together signed together; without
        a context: none)."""
        signer = self.signer
        if mesh_context is None or signer is None:

            async def none(subgraph: str, body: bytes) -> Mapping[str, str]:
                return {}

            return none
        request_id = (headers or {}).get("x-request-id") or mesh_context.request_id
        onward = mesh_context.onward()
        contexts = ContextBatch(signer, onward, onward.claims())

        async def made(subgraph: str, body: bytes) -> Mapping[str, str]:
            return {**await contexts.headers(subgraph, body), "x-request-id": request_id}

        return made

    async def __call__(
        self, query: str, variables: Mapping[str, Any], headers: Mapping[str, str] | None
    ) -> dict[str, Any]:
        mesh_context = None
        if self.verifier is not None:  # governed: every request needs its own context
            sent = orjson.dumps({"query": query, "variables": dict(variables)})
            try:
                mesh_context = self.verifier.verify(
                    (headers or {}).get(CONTEXT_HEADER),
                    (headers or {}).get(NONCE_HEADER),
                    audience=self.name,
                    body=sent,
                )
            except ContextRejected as rejected:
                return {
                    "data": None,
                    "errors": [{"message": str(rejected), "extensions": {"code": rejected.code}}],
                }
        forward, onward = self.forward, self._onward(mesh_context, headers)

        async def call_agency(
            subgraph: str, text: str, values: Mapping[str, Any]
        ) -> dict[str, Any]:
            if forward is None:
                raise RuntimeError(f"no route to subgraph {subgraph}")
            return await forward(subgraph, text, values, onward)

        scan_timeout = self.scan_timeout

        async def call_scan(subgraph: str, text: str, values: Mapping[str, Any]) -> dict[str, Any]:
            if forward is None:
                raise RuntimeError(f"no route to subgraph {subgraph}")
            return await forward(subgraph, text, values, onward, timeout=scan_timeout)

        context = CentreContext(
            mesh_context=mesh_context,
            call_agency=call_agency,
            call_scan=call_scan,
            search_fields=self.search_fields or {},
            audit=self.audit,
            oversight_scope=self.oversight_scope,
        )
        result = await self.schema.execute(
            query, variable_values=dict(variables), context_value=context
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        return body


def centre_subgraph(
    verifier: ContextVerifier | None = None, signer: ContextSigner | None = None
) -> LocalSubgraph:
    return LocalSubgraph(CENTRE, centre_schema(), verifier, signer)
