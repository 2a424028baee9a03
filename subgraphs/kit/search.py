"""Federated search inside one agency's own records, for the gateway to fan out.

Reads only the agency's ``mesh_identity`` view and its crosswalk, and answers mesh ids with a
match strength, never the agency's identity fields. The root field is ``@inaccessible``: the
gateway calls it on each agency, clients cannot.
"""

import re
from datetime import date
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from subgraphs.kit.context import SubgraphContext
from subgraphs.kit.directives import SensitiveCategory, sensitive

MAX_MATCHES = 50

_FIND = """
SELECT c.mesh_id, i.nhs_number, lower(i.given_name) AS given, lower(i.family_name) AS family,
       i.date_of_birth, i.postcode
FROM mesh_identity i
JOIN mesh_crosswalk c ON c.entity = 'Person' AND c.local_id = i.local_id
WHERE i.nhs_number = $1
   OR (i.date_of_birth = $3 AND lower(i.family_name) = $2)
   OR (i.date_of_birth = $3 AND i.postcode = $4)
   OR ($3::date IS NULL AND $2::text IS NULL AND i.postcode = $4)
LIMIT 500
"""

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


@strawberry.federation.type(shareable=True, description="One agency's candidate for a search.")
class PersonMatch:
    # What an agency's own search found: tracing data, as the centre's merged answer is.
    mesh_id: strawberry.ID = sensitive(SensitiveCategory.TRACING)
    agency: str = sensitive(SensitiveCategory.TRACING)
    strength: float = sensitive(SensitiveCategory.TRACING)
    matched_on: list[str] = sensitive(SensitiveCategory.TRACING)


def normalise_postcode(value: str | None) -> str | None:
    if value is None:
        return None
    match = _POSTCODE.match(value.strip().upper())
    if match is None:
        raise GraphQLError(f"not a UK postcode: {value!r}", extensions={"code": "BAD_USER_INPUT"})
    return f"{match.group(1)} {match.group(2)}"


def _score(
    row: Any,
    nhs: str | None,
    given: str | None,
    family: str | None,
    dob: date | None,
    postcode: str | None,
) -> tuple[float, list[str]]:
    matched = []
    if nhs and row["nhs_number"] == nhs:
        matched.append("nhs_number")
    if dob and row["date_of_birth"] == dob:
        matched.append("date_of_birth")
    if family and row["family"] == family:
        matched.append("family_name")
    if given and row["given"] == given:
        matched.append("given_name")
    if postcode and row["postcode"] == postcode:
        matched.append("postcode")
    weights = {
        "nhs_number": 0.6,
        "date_of_birth": 0.15,
        "family_name": 0.12,
        "given_name": 0.08,
        "postcode": 0.05,
    }
    strength = sum(weights[m] for m in matched)
    if "nhs_number" in matched:
        strength = max(strength, 0.95)
    return round(min(strength, 1.0), 3), matched


async def search_people(
    info: Info[SubgraphContext, Any],
    nhs_number: str | None = None,
    given_name: str | None = None,
    family_name: str | None = None,
    date_of_birth: date | None = None,
    postcode: str | None = None,
) -> list[PersonMatch]:
    """People this agency knows matching an NHS number, a name + date of birth, or a postcode."""
    postcode = normalise_postcode(postcode)
    family = family_name.strip().lower() if family_name else None
    given = given_name.strip().lower() if given_name else None
    if not (nhs_number or (family and date_of_birth) or postcode):
        raise GraphQLError(
            "search needs an NHS number, a family name with a date of birth, or a postcode",
            extensions={"code": "BAD_USER_INPUT"},
        )
    rows = await info.context.database.fetch(_FIND, nhs_number, family, date_of_birth, postcode)
    best: dict[str, PersonMatch] = {}
    for row in rows:
        strength, matched = _score(row, nhs_number, given, family, date_of_birth, postcode)
        current = best.get(row["mesh_id"])
        if current is None or strength > current.strength:
            best[row["mesh_id"]] = PersonMatch(
                mesh_id=strawberry.ID(row["mesh_id"]),
                agency=info.context.agency,
                strength=strength,
                matched_on=matched,
            )
    ranked = sorted(best.values(), key=lambda m: (-m.strength, str(m.mesh_id)))
    return ranked[:MAX_MATCHES]
