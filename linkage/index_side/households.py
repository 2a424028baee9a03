"""Mesh households: where each person lives now, by recency and evidence rather than by vote.

Agencies hold copies of a person's address from different times: a GP may still have the flat
someone left two years ago while the landlord has the new tenancy. Each record comes with the
date its agency last confirmed the address, so:

1. **Each person's own evidence.** A record's property is its UPRN token or, without one, the
   UPRN its address token (address line and postcode) was seen with elsewhere, when that is a
   single one. Per person and property the latest confirmation counts; the person lives at the
   most recently confirmed property (ties: the preferred agency, housing then health, then the
   property more records show).
2. **Households move together.** When some people seen at a property have since been confirmed
   at one same other property, and the people still placed there were last confirmed there
   before that, and the leavers are at least half as many as those left (``leaver_share``), the
   rest of the household has moved too: they follow. A young adult leaving a family of three
   does not take them along; a family whose GP has everyone's old address but whose school has
   the child's new one does move.
3. **Not on the roster.** Some agencies record whole households (a council tenancy lists
   everyone living there: ``rosters``, housing by default). Someone placed at a property such an
   agency has on its books, who is not among the people it lists there and whose own last
   confirmation there is older than the agency's latest, is placed in no household: the people
   who keep the household's record say they do not live there (a grown-up child whose GP still
   has the family home).
4. **Long unconfirmed, and most others there since.** Someone last confirmed at a property more
   than ``stale_after`` days before the newest confirmation submitted, where more of the people
   placed there have been confirmed within that time than not, has probably left (a grown-up
   child whose only record is a GP's, still at the family home): they are placed in no household
   rather than in what is now someone else's.

Persons placed at one property form one mesh household, identified by its UPRN token.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import date

import duckdb
import pyarrow as pa

from linkage.index_side.records import RecordSet

# Stage 1: per person, the latest confirmation of each property; their choice.
_EVIDENCE = """
CREATE TEMP TABLE evidence AS
WITH address_uprn AS (
    SELECT address, min(uprn) AS uprn FROM placed
    WHERE uprn IS NOT NULL AND address IS NOT NULL
    GROUP BY address HAVING count(DISTINCT uprn) = 1
), property AS (
    SELECT p.person, coalesce(p.uprn, a.uprn) AS uprn, p.confirmed, r.rank
    FROM placed p
    JOIN ranks r ON r.agency = p.agency
    LEFT JOIN address_uprn a ON p.uprn IS NULL AND a.address = p.address
)
SELECT person, uprn, max(confirmed) AS confirmed, min(rank) AS rank, count(*) AS records
FROM property WHERE uprn IS NOT NULL GROUP BY person, uprn
"""
_CHOICE = """
CREATE TEMP TABLE choice AS
SELECT person, uprn, confirmed FROM evidence
QUALIFY row_number() OVER (
    PARTITION BY person ORDER BY confirmed DESC NULLS LAST, rank, records DESC, uprn
) = 1
"""
# Stage 2: households that moved take along the members whose records lag behind. Returns each
# placed person's property and a record holding that property's token.
_FOLLOW = """
WITH leavers AS (
    SELECT e.uprn AS left_from, c.uprn AS moved_to, c.confirmed AS seen_there
    FROM evidence e JOIN choice c ON c.person = e.person AND c.uprn <> e.uprn
), moves AS (
    SELECT left_from, min(moved_to) AS moved_to, count(*) AS leavers,
           min(seen_there) AS first_seen_there
    FROM leavers GROUP BY left_from HAVING count(DISTINCT moved_to) = 1
), stayers AS (
    SELECT uprn, count(*) AS stayers, max(confirmed) AS last_seen_here FROM choice GROUP BY uprn
), follow AS (
    SELECT m.left_from, m.moved_to FROM moves m JOIN stayers s ON s.uprn = m.left_from
    WHERE m.leavers >= $share * s.stayers
      AND coalesce(s.last_seen_here, DATE '0001-01-01') < m.first_seen_there
), roster AS (
    SELECT p.uprn, max(p.confirmed) AS listed_on FROM placed p JOIN ranks r ON r.agency = p.agency
    WHERE r.roster AND p.uprn IS NOT NULL GROUP BY p.uprn
), listed AS (
    SELECT DISTINCT p.person, p.uprn FROM placed p JOIN ranks r ON r.agency = p.agency
    WHERE r.roster AND p.uprn IS NOT NULL
), holder AS (
    SELECT uprn, min(record) AS record FROM placed WHERE uprn IS NOT NULL GROUP BY uprn
), placement AS (
    SELECT c.person, coalesce(f.moved_to, c.uprn) AS uprn, c.confirmed,
           f.moved_to IS NOT NULL AS followed
    FROM choice c LEFT JOIN follow f ON f.left_from = c.uprn
), seen AS (
    SELECT uprn, count(*) FILTER (WHERE confirmed >= $recent) AS recently,
           count(*) FILTER (WHERE confirmed < $recent) AS long_ago
    FROM placement WHERE NOT followed GROUP BY uprn
)
SELECT p.person, h.record
FROM placement p
JOIN holder h ON h.uprn = p.uprn
LEFT JOIN seen s ON s.uprn = p.uprn
LEFT JOIN roster o ON o.uprn = p.uprn AND NOT p.followed
LEFT JOIN listed l ON l.person = p.person AND l.uprn = p.uprn
WHERE (p.followed OR p.confirmed IS NULL OR p.confirmed >= $recent
       OR s.recently <= s.long_ago)
  AND (o.uprn IS NULL OR l.person IS NOT NULL OR p.confirmed IS NULL
       OR o.listed_on IS NULL OR p.confirmed >= o.listed_on)
ORDER BY p.person
"""


STALE_AFTER_DAYS = 3 * 365
LEAVER_SHARE = 0.5


def assign_households(
    records: RecordSet,
    person_of: array[int],
    persons: int,
    preference: Sequence[str] = ("housing", "health"),
    *,
    rosters: Sequence[str] = ("housing",),
    stale_after: int = STALE_AFTER_DAYS,
    leaver_share: float = LEAVER_SHARE,
) -> tuple[array[int], list[bytes]]:
    """Each person's household number (-1: no property known, or none we can vouch for) and
    each household's UPRN token, households numbered in order of their first person. ``rosters``
    are the agencies whose records at a property list everyone living there."""
    placed = records.to_arrow().select(["record", "agency", "uprn", "address", "confirmed"])
    placed = placed.append_column(
        "person", pa.Array.from_buffers(pa.int32(), len(records), [None, pa.py_buffer(person_of)])
    )
    ranks = pa.table(
        {
            "agency": records.agencies,
            "rank": [
                preference.index(a) if a in preference else len(preference)
                for a in records.agencies
            ],
            "roster": [a in rosters for a in records.agencies],
        }
    )
    with duckdb.connect() as con:
        con.register("placed", placed)
        con.register("ranks", ranks)
        con.execute(_EVIDENCE)
        con.execute(_CHOICE)
        newest = max(records.confirmed, default=0)
        recent = date.fromordinal(max(1, newest - stale_after)) if newest else date.min
        follow = _FOLLOW.replace("$recent", f"DATE '{recent.isoformat()}'")
        result = con.sql(follow.replace("$share", repr(float(leaver_share)))).to_arrow_table()
    household_of_person = array("i", [-1]) * persons
    number: dict[bytes, int] = {}
    tokens: list[bytes] = []
    for person, record in zip(
        result.column(0).to_pylist(), result.column(1).to_pylist(), strict=True
    ):
        token = records.address_token(record) or bytes(32)
        household = number.get(token)
        if household is None:
            household = number[token] = len(tokens)
            tokens.append(token)
        household_of_person[person] = household
    return household_of_person, tokens
