"""A catalogue as SQL: one parameterised statement over the agency's ``mesh_needs_fact`` view.

The catalogue's rules travel as array parameters (never spliced into the text), so a changed
threshold is a changed parameter, not a new statement. Each person gets at most one row per
indicator, dated by the latest fact that made it. A time window counts back from the agency's
extract date (``mesh_extract``; today when none is recorded).

The results are kept in ``mesh_needs_indicator`` (``refresh``), where the agency's fields read
them: a household's indicators are an index look-up, a cohort a scan of one table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from store.bulk import bulk_loaded
from subgraphs.kit.needs.catalogue import IndicatorCatalogue

AGE_BANDS: tuple[str, ...] = ("0-4", "5-10", "11-15", "16-17", "18-24", "25-49", "50-64", "65+")

_TEMPLATE = """
WITH today AS (SELECT coalesce((SELECT taken_on FROM mesh_extract), current_date) AS d),
rule AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::text[],
                         $6::text[], $7::int[])
        AS r(code, fact, op, threshold, la, except_las, within_days)
),
fact AS (
    SELECT f.local_id, f.fact, f.value, f.as_of, f.date_of_birth, d.local_authority
    FROM mesh_needs_fact f
    LEFT JOIN mesh_postcode_district d ON d.district = split_part(f.postcode, ' ', 1)
    WHERE f.fact = ANY($8::text[]){scope}
),
evaluated AS (
    SELECT f.local_id, r.code, max(coalesce(f.as_of, t.d)) AS as_of,
           min(f.local_authority) AS local_authority, min(f.date_of_birth) AS date_of_birth,
           min(t.d) AS today
    FROM fact f
    CROSS JOIN today t
    JOIN rule r ON r.fact = f.fact
     AND (r.la = f.local_authority
          OR (r.la IS NULL
              AND (f.local_authority IS NULL
                   OR NOT f.local_authority = ANY(string_to_array(r.except_las, ',')))))
    WHERE CASE r.op
              WHEN 'below' THEN f.value < r.threshold
              WHEN 'at_most' THEN f.value <= r.threshold
              WHEN 'above' THEN f.value > r.threshold
              WHEN 'at_least' THEN f.value >= r.threshold
              ELSE true
          END
      AND (r.within_days IS NULL OR f.as_of >= t.d - r.within_days)
      AND (f.as_of IS NULL OR f.as_of <= t.d)
    GROUP BY f.local_id, r.code
)
SELECT hm.household_id, c.mesh_id AS person_id, e.code, e.as_of, e.local_authority, e.today,
       CASE WHEN e.date_of_birth IS NULL THEN NULL ELSE
           width_bucket(date_part('year', age(e.today, e.date_of_birth)),
                        ARRAY[5, 11, 16, 18, 25, 50, 65]::float8[]) END AS age_band
FROM evaluated e
JOIN mesh_crosswalk c ON c.entity = 'Person' AND c.local_id = e.local_id
LEFT JOIN mesh_household_member hm ON hm.mesh_id = c.mesh_id  -- none: in no household
"""

EXTRACT_DATE = "SELECT coalesce((SELECT taken_on FROM mesh_extract), current_date) AS d"

# Every indicator of everyone the agency knows, as (household, person, code, as_of, ...).
EVALUATE = _TEMPLATE.format(scope="")
# Those of some records only ($9: local ids; a plain array, so the condition reaches into each
# branch of the agency's view and its look-ups go by index).
_EVALUATE_RECORDS = _TEMPLATE.format(scope="\n      AND f.local_id = ANY($9::text[])")
_RECORDS_OF = (
    "SELECT local_id FROM mesh_crosswalk WHERE entity = 'Person' AND mesh_id = ANY($1::text[])"
)
_INSERT = (
    "INSERT INTO mesh_needs_indicator "
    "(household_id, person_id, code, as_of, local_authority, age_band) "
    "SELECT household_id, person_id, code, as_of, local_authority, age_band FROM ("
)
REFRESH = _INSERT + EVALUATE + ") evaluated"
_REFRESH_RECORDS = _INSERT + _EVALUATE_RECORDS + ") evaluated"
_RECORD = """
INSERT INTO mesh_needs_evaluation (catalogue, as_of, indicators)
VALUES ($1, (SELECT coalesce((SELECT taken_on FROM mesh_extract), current_date)), $2)
"""

# The kept indicators of some codes ($1), all or one local authority's ($5), as one string of
# tab-separated rows: indexes into the catalogue's codes ($2) and the authorities ($3), days
# before the evaluation's date ($4). PostgreSQL builds it; the subgraph passes it on.
_KEPT = """
SELECT count(*)::int AS rows, coalesce(string_agg(concat_ws(E'\t',
           coalesce(household_id, ''), person_id, array_position($2::text[], code) - 1,
           coalesce(array_position($3::text[], local_authority) - 1, -1),
           coalesce(age_band, -1), $4::date - as_of), E'\n'), '') AS tsv
FROM mesh_needs_indicator WHERE code = ANY($1::text[]) AND code = ANY($2::text[])
"""
SCAN_ALL = _KEPT
SCAN_AUTHORITY = _KEPT + " AND local_authority = $5"
OF_HOUSEHOLDS = """
SELECT household_id, person_id, code, as_of FROM mesh_needs_indicator
WHERE household_id = ANY($1::text[]) ORDER BY household_id, person_id, code
"""
EVALUATED = "SELECT catalogue, as_of, evaluated_at FROM mesh_needs_evaluation"


@dataclass(frozen=True)
class Evaluation:
    """A catalogue's rules as the statement's parameters."""

    parameters: tuple[Any, ...]

    @classmethod
    def of(cls, catalogue: IndicatorCatalogue, codes: frozenset[str] | None = None) -> Evaluation:
        columns: tuple[list[Any], ...] = ([], [], [], [], [], [], [])
        facts: set[str] = set()
        for indicator in catalogue.indicators:
            if codes is not None and indicator.code not in codes:
                continue
            facts.add(indicator.fact)
            overridden = ",".join(indicator.local_authorities)
            rows = [(None, indicator.condition, overridden)] + [
                (la, condition, "") for la, condition in indicator.local_authorities.items()
            ]
            for la, condition, except_las in rows:
                for column, value in zip(
                    columns,
                    (
                        indicator.code,
                        indicator.fact,
                        condition.operator,
                        condition.threshold,
                        la,
                        except_las,
                        indicator.within_days,
                    ),
                    strict=True,
                ):
                    column.append(value)
        return cls((*columns, sorted(facts)))


async def refresh(conn: asyncpg.Connection, catalogue: IndicatorCatalogue) -> int:
    """Re-evaluate the agency's catalogue over all its facts, in one transaction."""
    parameters = Evaluation.of(catalogue).parameters
    # Fresh statistics first: right after linkage the planner may still think the crosswalk
    # empty, and a nested loop over it is quadratic at full scale.
    await conn.execute("ANALYZE mesh_crosswalk")
    await conn.execute("ANALYZE mesh_household_member")
    async with conn.transaction():
        await conn.execute("TRUNCATE mesh_needs_indicator, mesh_needs_evaluation")
        async with bulk_loaded(conn, "mesh_needs_indicator"):  # its indexes built once, after
            status = await conn.execute(REFRESH, *parameters)
        count = int(status.split()[-1])
        await conn.execute(_RECORD, catalogue.ref, count)
    await conn.execute("ANALYZE mesh_needs_indicator")
    return count


async def refresh_persons(
    conn: asyncpg.Connection, catalogue: IndicatorCatalogue, persons: Sequence[str]
) -> int:
    """Re-evaluate the indicators of some mesh persons only (after a linkage delta: those it
    re-linked or re-housed), in one transaction; the rest are kept as evaluated. Without an
    earlier evaluation by this catalogue as at the same extract date there is nothing to keep:
    everything is evaluated. Returns how many indicators the agency holds now."""
    current = await conn.fetchval(
        f"SELECT true FROM mesh_needs_evaluation WHERE catalogue = $1 AND as_of = ({EXTRACT_DATE})",
        catalogue.ref,
    )
    if not current:
        return await refresh(conn, catalogue)
    parameters = Evaluation.of(catalogue).parameters
    async with conn.transaction():
        removed = await conn.execute(
            "DELETE FROM mesh_needs_indicator WHERE person_id = ANY($1::text[])", list(persons)
        )
        records = [r[0] for r in await conn.fetch(_RECORDS_OF, list(persons))]
        added = await conn.execute(_REFRESH_RECORDS, *parameters, records)
        count: int = await conn.fetchval(
            "UPDATE mesh_needs_evaluation SET indicators = indicators - $1 + $2, "
            "evaluated_at = now() RETURNING indicators",
            int(removed.split()[-1]),
            int(added.split()[-1]),
        )
    return count
