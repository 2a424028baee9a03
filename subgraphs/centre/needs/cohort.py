"""``earlyHelpCohort``: households in a local authority with at least N needs, for early help.

Each allowed agency answers its kept indicators as pseudonymous household and person ids with
indicator codes and coarse attributes; the centre combines the ids in DuckDB, places each
household in the authority most of its indicators give (as the demand tables do) and pages
through the authority's households by id (opaque cursors). An agency that did not
answer is named, and the cohort says it is incomplete rather than quietly smaller.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from authz.audit import AuditUnavailable
from authz.releases import record_cohort
from subgraphs.centre.context import CentreContext
from subgraphs.centre.needs import cursor
from subgraphs.centre.needs.agencies import needs_agencies, scan_all, split_by_reads
from subgraphs.centre.needs.combine import CohortPage, Combination
from subgraphs.centre.needs.household import Household
from subgraphs.centre.needs.rollup import Evidence, roll_up
from subgraphs.centre.needs.types import NI, HouseholdNeeds, household_needs
from subgraphs.kit.directives import sensitive
from subgraphs.kit.needs.catalogue import all_catalogues
from subgraphs.kit.needs.geography import known_local_authority
from subgraphs.kit.needs.outcomes import HeadlineOutcome

MAX_PAGE = 100


@strawberry.type
class CohortPageInfo:
    has_next_page: bool = sensitive(NI)
    end_cursor: str | None = sensitive(NI, description="Pass as `after` for the next page.")


@strawberry.type(description="A household in the cohort, with its identified needs.")
class CohortHousehold:
    household: Household = sensitive(NI)
    needs: HouseholdNeeds = sensitive(NI)


@strawberry.type(description="Households with enough needs to be offered early help.")
class EarlyHelpCohort:
    local_authority: str = sensitive(NI)
    min_needs: int = sensitive(NI)
    total_count: int = sensitive(NI, description="Households meeting the criteria, all pages.")
    households: list[CohortHousehold] = sensitive(NI)
    page_info: CohortPageInfo = sensitive(NI)
    not_visible_from: list[str] = sensitive(
        NI, description="Agencies whose indicators you may not see: not counted."
    )
    unavailable_agencies: list[str] = sensitive(
        NI, description="Agencies that did not answer: the cohort may miss households."
    )
    complete: bool = sensitive(NI, description="False when an agency did not answer.")
    as_of: date | None = sensitive(NI, description="The agencies' latest extract date.")


async def _record(
    context: CentreContext,
    authority: str,
    min_needs: int,
    required: list[str],
    after: str | None,
    page: CohortPage,
    unavailable: list[str],
) -> None:
    """The households disclosed, recorded before they leave (fail closed)."""
    if context.mesh_context is None or context.audit is None:
        raise GraphQLError(
            "cohorts are released only through the gateway, with the audit log open",
            extensions={"code": "AUDIT_UNAVAILABLE"},
        )
    try:
        await record_cohort(
            context.audit.pool,
            context.mesh_context,
            query={
                "localAuthority": authority,
                "minNeeds": min_needs,
                "needs": required,
                "after": after,
            },
            households=page.households,
            total=page.total,
            unavailable=unavailable,
        )
    except AuditUnavailable as error:
        raise GraphQLError(str(error), extensions={"code": "AUDIT_UNAVAILABLE"}) from None


def bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


def checked_outcomes(needs: list[str] | None) -> list[str]:
    valid = [o.value for o in HeadlineOutcome]
    unknown = [n for n in needs or [] if n not in valid]
    if unknown:
        raise bad_input(f"unknown need(s) {', '.join(unknown)}; use any of {', '.join(valid)}")
    return sorted(set(needs or []))


def checked_authority(name: str) -> str:
    try:
        return known_local_authority(name)
    except ValueError as error:
        raise bad_input(str(error)) from None


async def early_help_cohort(
    info: Info[CentreContext, Any],
    local_authority: str,
    min_needs: int = 3,
    needs: list[str] | None = None,
    first: int = 25,
    after: str | None = None,
) -> EarlyHelpCohort:
    authority = checked_authority(local_authority)
    required = checked_outcomes(needs)
    if not 1 <= min_needs <= len(HeadlineOutcome):
        raise bad_input(f"minNeeds must be between 1 and {len(HeadlineOutcome)}, not {min_needs}")
    if not 1 <= first <= MAX_PAGE:
        raise bad_input(f"first must be between 1 and {MAX_PAGE}, not {first}")
    query_id = cursor.fingerprint(authority, min_needs, required)
    start = cursor.decode(after, query_id) if after else None

    context = info.context
    allowed, hidden = split_by_reads(
        context.mesh_context, needs_agencies().values(), statistics=False
    )
    if not allowed:
        raise GraphQLError(
            "no agency's needs indicators are shared with you for this purpose",
            extensions={"code": "FORBIDDEN_BY_POLICY"},
        )
    # Every authority is scanned: a household is placed by all its indicators, not only by
    # the records an agency holds in this authority.
    scans, failures = await scan_all(context, allowed, None)
    catalogues = all_catalogues()

    def combine() -> tuple[CohortPage, dict[str, list[Evidence]]]:
        combination = Combination(scans, catalogues)
        try:
            page = combination.cohort(
                local_authority=authority,
                min_needs=min_needs,
                required=required,
                after=start,
                first=first,
            )
            return page, combination.evidence(page.households)
        finally:
            combination.close()

    page, evidence = await asyncio.to_thread(combine)
    unavailable = sorted(f.agency for f in failures)
    await _record(context, authority, min_needs, required, after, page, unavailable)
    rows = [
        CohortHousehold(
            household=Household(id=strawberry.ID(h)),
            needs=household_needs(
                roll_up(evidence[h], catalogues=catalogues, hidden=hidden, unavailable=unavailable)
            ),
        )
        for h in page.households
    ]
    end = page.households[-1] if page.households else None
    return EarlyHelpCohort(
        local_authority=authority,
        min_needs=min_needs,
        total_count=page.total,
        households=rows,
        page_info=CohortPageInfo(
            has_next_page=page.has_next,
            end_cursor=cursor.encode(query_id, end) if end else None,
        ),
        not_visible_from=hidden,
        unavailable_agencies=unavailable,
        complete=not failures,
        as_of=max((s.as_of for s in scans), default=None),
    )
