"""Moved together: evidence about a pair at two addresses from the people around them.

A pair of records whose addresses differ (the model's address comparison fell to a "different"
level) is either one person who moved, with one agency's copy stale, or two people who share a
name and birth date. Households move together, and an agency that misses a move has every
member it knows at the old address; so when *someone else* is seen at both addresses too (a
scored pair of other records, one at each address), the move is corroborated. When nobody
is, though both records' agencies know other people at those addresses who could have moved
along, that is evidence against. Four cases, each adding log2(m / u) to the match weight:

======================  ==============================================  ======================
case                    what is seen                                    weight at full GM
======================  ==============================================  ======================
corroborated, people    someone else at both; others at each address    +7.5
corroborated            someone else at both                            +7.5
uncorroborated, people  nobody at both, though others live at each      -3.3
uncorroborated          nobody at both, and no one else to see          -0.2
======================  ==============================================  ======================

An address is a record's UPRN token or, without one, its address token (line and postcode);
"someone else" is a record whose forename and birth date token differs from the pair's record
at that address; "others" are people (forename and birth date tokens) that the record's own
agency has at its address. m is counted over scored pairs at different addresses sharing an
NHS number (one person who moved), u over those of one agency (two people: agencies hold one
record per person), so no label is needed. u is counted among scored pairs, not over every
namesake pair of an agency as the comparisons' u is: what matters is how often a pair strong
enough to be a candidate is corroborated, and namesakes picked at random almost never are (u
counted that way put +17 bits on a corroborated pair, and linked more false pairs). Only tokens
are used: the centre learns nothing it did not hold.

A whole run sees every record, and "someone else at both" is a scored pair of records. A delta
sees only its region, so the index hands the clusterer the records of everyone else seen at the
region's addresses (:class:`Surroundings`): they count among the others at an address, and a
mesh person among them with records at both addresses counts as someone else seen at both.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from linkage.index_side.records import RecordSet

CASES: tuple[str, ...] = (
    "corroborated, people",
    "corroborated",
    "uncorroborated, people",
    "uncorroborated",
)

# Pairs added to each side's counts, spread as both sides' pairs are (see case_weights).
PSEUDO_PAIRS = 10


@dataclass(frozen=True)
class Surroundings:
    """Records outside the ones being clustered, seen at their addresses, with the person each
    belongs to (any numbering: records of one person share a number)."""

    records: RecordSet
    person_of: array[int]

    def to_arrow(self) -> pa.Table:
        table = self.records.to_arrow().select(["agency", "uprn", "address", "forename_dob"])
        person = pa.array(self.person_of, pa.int64())
        return table.append_column("person", person)


#: No surroundings (a whole run), as a table in any engine.
EMPTY_SURROUNDINGS = (
    "SELECT CAST(NULL AS STRING) AS agency, CAST(NULL AS BIGINT) AS uprn, "
    "CAST(NULL AS BIGINT) AS address, CAST(NULL AS BIGINT) AS forename_dob, "
    "CAST(NULL AS BIGINT) AS person WHERE false"
)
# The pairs of table {pairs} at different addresses, each with its case; any scored pair of
# others (table ``edges``) at the two addresses corroborates a move. Portable SQL: DuckDB here,
# Spark SQL beyond one machine (linkage/index_side/spark.py).
MOVED_CASES = """
WITH place AS (
    SELECT record, CAST(agency AS STRING) AS agency, coalesce(uprn, address) AS place,
           forename_dob AS who, uprn, address, dob_postcode, name_postcode
    FROM records
), around AS (
    SELECT agency, place, who FROM place WHERE place IS NOT NULL
    UNION ALL
    SELECT CAST(agency AS STRING), coalesce(uprn, address), forename_dob FROM surroundings
    WHERE coalesce(uprn, address) IS NOT NULL
), people AS (
    SELECT place, agency, count(DISTINCT who) AS people FROM around GROUP BY place, agency
), apart AS (
    SELECT p.record_l, p.record_r, l.place AS place_l, r.place AS place_r,
           l.who AS who_l, r.who AS who_r, l.agency AS agency_l, r.agency AS agency_r
    FROM {pairs} p
    JOIN place l ON l.record = p.record_l
    JOIN place r ON r.record = p.record_r
    WHERE l.place IS NOT NULL AND r.place IS NOT NULL
      AND NOT coalesce(l.uprn = r.uprn OR l.address = r.address
                       OR l.dob_postcode = r.dob_postcode OR l.name_postcode = r.name_postcode,
                       false)
), scored AS (
    SELECT l.place AS place_l, r.place AS place_r, l.who AS who_l, r.who AS who_r
    FROM edges e
    JOIN place l ON l.record = e.record_l
    JOIN place r ON r.record = e.record_r
    WHERE l.place <> r.place
), context AS (
    SELECT person, coalesce(uprn, address) AS place, forename_dob AS who FROM surroundings
    WHERE coalesce(uprn, address) IS NOT NULL
), seen_at_both AS (
    SELECT place_l AS a, place_r AS b, who_l AS who_a, who_r AS who_b FROM scored
    UNION ALL
    SELECT place_r, place_l, who_r, who_l FROM scored
    UNION ALL
    SELECT x.place, y.place, x.who, y.who FROM context x
    JOIN context y ON y.person = x.person AND y.place <> x.place
)
SELECT ap.record_l, ap.record_r, CASE
    WHEN EXISTS (
        SELECT 1 FROM seen_at_both s
        WHERE s.a = ap.place_l AND s.b = ap.place_r
          AND s.who_a IS DISTINCT FROM ap.who_l AND s.who_b IS DISTINCT FROM ap.who_r)
    THEN 0 ELSE 2
END + CASE WHEN coalesce(pl.people, 1) > 1 AND coalesce(pr.people, 1) > 1 THEN 0 ELSE 1 END
    AS moved_case
FROM apart ap
LEFT JOIN people pl ON pl.place = ap.place_l AND pl.agency = ap.agency_l
LEFT JOIN people pr ON pr.place = ap.place_r AND pr.agency = ap.agency_r
"""
_ADJUST = """
UPDATE edges SET match_weight = edges.match_weight + w.weight
FROM moved_case c JOIN moved_weight w ON w.moved_case = c.moved_case
WHERE c.record_l = edges.record_l AND c.record_r = edges.record_r
"""


def case_weights(matches: Mapping[str, int], non_matches: Mapping[str, int]) -> dict[str, float]:
    """log2(m / u) per case from counts of pairs known to match and known not to. Each side gets
    ``PSEUDO_PAIRS`` more pairs spread as both sides together are (and half a pair per case), so
    a case never seen weighs a finite amount and too few pairs to tell weigh nearly nothing."""
    pooled = {case: matches.get(case, 0) + non_matches.get(case, 0) + 0.5 for case in CASES}
    total = sum(pooled.values())

    def shares(counts: Mapping[str, int]) -> dict[str, float]:
        n = sum(counts.get(case, 0) for case in CASES) + PSEUDO_PAIRS
        return {
            case: (counts.get(case, 0) + PSEUDO_PAIRS * pooled[case] / total) / n for case in CASES
        }

    m, u = shares(matches), shares(non_matches)
    return {case: math.log2(m[case] / u[case]) for case in CASES}


def moved_weights(weights: Mapping[str, float]) -> str:
    """SQL: the table (moved_case, weight) of the model's weights, in any engine."""
    rows = ", ".join(f"({n}, CAST({float(weights[c])!r} AS DOUBLE))" for n, c in enumerate(CASES))
    return f"SELECT * FROM (VALUES {rows}) AS w (moved_case, weight)"


def _cases(
    con: duckdb.DuckDBPyConnection, pairs: str, surroundings: Surroundings | None = None
) -> None:
    if surroundings is None:
        con.execute(f"CREATE TEMP TABLE surroundings AS {EMPTY_SURROUNDINGS}")
    else:
        con.register("surroundings_arrow", surroundings.to_arrow())
        con.execute("CREATE TEMP TABLE surroundings AS SELECT * FROM surroundings_arrow")
        con.unregister("surroundings_arrow")
    con.execute("CREATE TEMP TABLE moved_case AS " + MOVED_CASES.format(pairs=pairs))


def _counts(con: duckdb.DuckDBPyConnection, where: str) -> dict[str, int]:
    rows = con.execute(
        "SELECT c.moved_case, count(*) FROM moved_case c "
        "JOIN records l ON l.record = c.record_l JOIN records r ON r.record = c.record_r "
        f"WHERE {where} GROUP BY ALL"
    ).fetchall()
    return {CASES[case]: int(n) for case, n in rows}


def estimate(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The four cases' weights from a whole run's records and scored pairs (``edges``): m over
    the scored pairs sharing an NHS number, u over those of one agency without one."""
    _cases(con, "edges")
    matches = _counts(con, "l.nhs = r.nhs")
    non_matches = _counts(con, "l.agency = r.agency AND l.nhs IS DISTINCT FROM r.nhs")
    con.execute("DROP TABLE moved_case; DROP TABLE surroundings")
    return case_weights(matches, non_matches)


def adjust(
    con: duckdb.DuckDBPyConnection,
    weights: Mapping[str, float],
    *,
    surroundings: Surroundings | None = None,
) -> int:
    """Add each pair's case weight to its match weight in ``edges``; returns how many pairs
    were at different addresses."""
    _cases(con, "edges", surroundings)
    con.execute(f"CREATE TEMP TABLE moved_weight AS {moved_weights(weights)}")
    apart = int(con.execute("SELECT count(*) FROM moved_case").fetchall()[0][0])
    con.execute(_ADJUST)
    con.execute("DROP TABLE moved_case; DROP TABLE moved_weight; DROP TABLE surroundings")
    return apart
