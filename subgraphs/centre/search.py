"""Federated search: ask the agencies' own searches, merge the answers by mesh id.

Each agency compares the criteria with its own records and answers mesh ids with a strength;
identity never leaves the agency. The combined strength treats agencies as independent
witnesses: 1 - Π(1 - s).

Only agencies the caller may see something of for this purpose are asked (the signed context
lists them): that an agency knows a person, and what it matched on, is that agency's data. No
person-level search is done for PLANNING, whatever the agreements say.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.types import Info

from authz.model import PurposeOfUse
from subgraphs.centre.context import CentreContext
from subgraphs.kit.directives import SensitiveCategory as C
from subgraphs.kit.directives import public, sensitive
from subgraphs.kit.search import MAX_MATCHES

MAX_RESULTS = 50


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Person:
    id: strawberry.ID = public()


@strawberry.type(description="What one agency said about a candidate.")
class AgencyMatch:
    agency: str = sensitive(C.TRACING)
    strength: float = sensitive(C.TRACING)
    matched_on: list[str] = sensitive(C.TRACING)


@strawberry.type(description="A candidate person, with every agency that matched.")
class PersonSearchResult:
    person: Person = public()
    strength: float = sensitive(C.TRACING, description="Combined: 1 - Π(1 - agency strength).")
    agencies: list[AgencyMatch] = sensitive(C.TRACING)


@strawberry.type(description="The merged answer of every agency's search.")
class PeopleSearch:
    results: list[PersonSearchResult] = public()
    unavailable_agencies: list[str] = public(
        description="Agencies that could not be searched (down, slow or refusing)."
    )
    complete: bool = public(
        description="False when people may be missing: an agency could not be searched, one "
        f"found more than the {MAX_MATCHES} it returns, or more than {MAX_RESULTS} people "
        "matched. Narrow the search (add a date of birth or a name)."
    )


def _searchable(context: CentreContext) -> dict[str, str]:
    """The agencies to ask (and their search fields): with a gateway context, only those the
    caller may see something of and the opt-out does not govern; never any for PLANNING."""
    mesh_context = context.mesh_context
    if mesh_context is None:
        return dict(context.search_fields)  # an ungoverned deployment: nothing to go by
    if mesh_context.request.purpose is PurposeOfUse.PLANNING:
        raise GraphQLError(
            "person-level search is never done for PLANNING",
            extensions={"code": "FORBIDDEN_BY_POLICY", "reason": "no identity search for planning"},
        )
    return {
        agency: field
        for agency, field in context.search_fields.items()
        if agency in mesh_context.agencies and agency not in mesh_context.opt_out
    }


def _agency_query(field: str) -> str:
    return (
        "query ($nhs: String, $given: String, $family: String, $dob: Date, $postcode: String) {"
        f" matches: {field}(nhsNumber: $nhs, givenName: $given, familyName: $family,"
        " dateOfBirth: $dob, postcode: $postcode) { meshId agency strength matchedOn } }"
    )


async def search_people(
    info: Info[CentreContext, Any],
    nhs_number: str | None = None,
    given_name: str | None = None,
    family_name: str | None = None,
    date_of_birth: date | None = None,
    postcode: str | None = None,
) -> PeopleSearch:
    if not (nhs_number or (family_name and date_of_birth) or postcode):
        raise GraphQLError(
            "search needs an NHS number, a family name with a date of birth, or a postcode",
            extensions={"code": "BAD_USER_INPUT"},
        )
    context = info.context
    agencies = _searchable(context)
    variables = {
        "nhs": nhs_number,
        "given": given_name,
        "family": family_name,
        "dob": date_of_birth.isoformat() if date_of_birth else None,
        "postcode": postcode,
    }
    answers = await asyncio.gather(
        *(
            context.call_agency(agency, _agency_query(field), variables)
            for agency, field in agencies.items()
        ),
        return_exceptions=True,
    )
    by_person: dict[str, list[AgencyMatch]] = {}
    failed: list[str] = []
    capped = False  # an agency answered as many as it may: it may have found more
    for agency, answer in zip(agencies, answers, strict=True):
        if isinstance(answer, BaseException) or answer.get("errors"):
            failed.append(agency)
            continue
        matches = (answer.get("data") or {}).get("matches") or []
        capped = capped or len(matches) >= MAX_MATCHES
        for match in matches:
            by_person.setdefault(match["meshId"], []).append(
                AgencyMatch(
                    agency=match["agency"],
                    strength=match["strength"],
                    matched_on=match["matchedOn"],
                )
            )
    if agencies and len(failed) == len(agencies):
        raise GraphQLError("no agency could be searched", extensions={"code": "SUBGRAPH_ERROR"})
    results = []
    for mesh_id, matches in by_person.items():
        missing = 1.0
        for match in matches:
            missing *= 1.0 - match.strength
        results.append(
            PersonSearchResult(
                person=Person(id=strawberry.ID(mesh_id)),
                strength=round(1.0 - missing, 4),
                agencies=sorted(matches, key=lambda m: m.agency),
            )
        )
    results.sort(key=lambda r: (-r.strength, str(r.person.id)))
    return PeopleSearch(
        results=results[:MAX_RESULTS],
        unavailable_agencies=sorted(failed),
        complete=not (failed or capped or len(results) > MAX_RESULTS),
    )
