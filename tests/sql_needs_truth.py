"""Demand tables and early-help cohorts as the stores say, in PostgreSQL: the oracle for the
centre's ``demand`` and ``earlyHelpCohort`` (``docs/families.md`` is the spec), written without
the centre's roll-up, DuckDB combination, disclosure control or catalogue loader.

Every agency's kept indicators (``mesh_needs_indicator``) and the outcome each code evidences
(read from the agency's ``indicators.yaml`` as the agency wrote it) are copied into temporary
tables on one connection to the index, beside its ``mesh_person``; every answer is one SQL
statement over them. A person's household and every household's size are the index's; someone
it places in no household counts as a person (their authority by their own records, their own
outcomes as their household's), never as a household or in a cohort.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import yaml

from store import ServerAddress
from store.server import connect

ROOT = Path(__file__).resolve().parent.parent
# Agencies that share their indicators for early help and for planning (the agreements); police
# shares neither (it refuses PLANNING, and its indicators are for safeguarding only).
SHARING_AGENCIES = (
    "adult_social_care", "childrens_services", "education", "health", "housing", "welfare"
)  # fmt: skip
NEEDS_AGENCIES = (*SHARING_AGENCIES, "police")
# The national data opt-out covers health and adult social care, not children's services.
OPT_OUT_AGENCIES = ("adult_social_care", "health")
# The values a grouping takes, in the spec's words (Greater Manchester's ten authorities).
AUTHORITIES = (
    "Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside",
    "Trafford", "Wigan",
)  # fmt: skip
AGE_BANDS = ("0-4", "5-10", "11-15", "16-17", "18-24", "25-49", "50-64", "65+")
GROUP_VALUES: dict[str, tuple[str, ...]] = {
    "LOCAL_AUTHORITY": (*AUTHORITIES, "Unknown"),
    "HOUSEHOLD_SIZE": ("1", "2", "3", "4", "5", "6+", "Unknown"),
    "AGE_BAND": (*AGE_BANDS, "Unknown"),
}
# Who counts under the opt-out: the spec (the index knows they did not opt out), and two
# wrong readings a test uses to show it can tell them apart.
OPT_OUT_READINGS = {
    "spec": "p.national_data_opt_out IS FALSE",
    "unknown_counted": "p.national_data_opt_out IS NOT TRUE",
    "ignored": "true",
}

Key = tuple[str | None, ...]  # grouping values; None is a total ("All")


def outcomes_of(agency: str) -> dict[str, str]:
    """The agency's indicator codes and the headline outcome each evidences."""
    text = (ROOT / "subgraphs" / agency / "indicators.yaml").read_text(encoding="utf-8")
    catalogue = yaml.safe_load(text)
    return {i["code"]: i["outcome"] for i in catalogue["indicators"]}


# Rows that count: the asked agencies', the opt-out agencies' only for people it lets count.
# Each row takes its household from the index.
_COUNTED = """
counted AS (
    SELECT r.agency, p.household_id, r.person_id, r.code, o.outcome, r.local_authority,
           (ARRAY['0-4','5-10','11-15','16-17','18-24','25-49','50-64','65+'])[r.age_band + 1]
               AS age_band
    FROM needs_row r
    JOIN needs_outcome o ON o.agency = r.agency AND o.code = r.code
    JOIN mesh_person p ON p.mesh_id = r.person_id
    WHERE r.agency = ANY($1::text[]) AND (NOT r.agency = ANY($2::text[]) OR {counts})
),
placed AS (  -- the authority most of a household's rows give; ties: the first by name
    SELECT DISTINCT ON (household_id) household_id, local_authority
    FROM (SELECT household_id, local_authority, count(*) AS n FROM counted
          WHERE local_authority IS NOT NULL AND household_id IS NOT NULL
          GROUP BY household_id, local_authority) t
    ORDER BY household_id, n DESC, local_authority COLLATE "C"
),
placed_alone AS (  -- likewise for someone in no household, by their own rows
    SELECT DISTINCT ON (person_id) person_id, local_authority
    FROM (SELECT person_id, local_authority, count(*) AS n FROM counted
          WHERE local_authority IS NOT NULL AND household_id IS NULL
          GROUP BY person_id, local_authority) t
    ORDER BY person_id, n DESC, local_authority COLLATE "C"
),
household AS (
    SELECT household_id, count(DISTINCT outcome) AS needs, count(DISTINCT agency) AS agencies,
           array_agg(DISTINCT outcome) AS outcomes, array_agg(DISTINCT code) AS codes
    FROM counted WHERE household_id IS NOT NULL GROUP BY household_id
),
sized AS (
    SELECT household_id, count(*) AS members FROM mesh_person
    WHERE household_id IS NOT NULL GROUP BY household_id
)
"""
_SIZE_LABEL = """CASE WHEN s.members IS NULL THEN 'Unknown' WHEN s.members >= 6 THEN '6+'
                      ELSE s.members::text END"""
_UNITS = {
    "HOUSEHOLDS": f"""
SELECT coalesce(pl.local_authority, 'Unknown') AS local_authority,
       {_SIZE_LABEL} AS household_size, NULL::text AS age_band, h.needs AS household_needs,
       h.agencies, h.outcomes, h.codes
FROM household h
LEFT JOIN placed pl USING (household_id) LEFT JOIN sized s USING (household_id)
""",
    # A person: their own outcomes, codes, agencies and age band (the band most of their rows
    # give; ties: the first label alphabetically); their household's authority, size and
    # number of needs.
    "PEOPLE": f"""
SELECT coalesce(pl.local_authority, pa.local_authority, 'Unknown') AS local_authority,
       {_SIZE_LABEL} AS household_size, coalesce(b.age_band, 'Unknown') AS age_band,
       coalesce(h.needs, m.needs) AS household_needs, m.agencies, m.outcomes, m.codes
FROM (SELECT person_id, household_id, count(DISTINCT agency) AS agencies,
             count(DISTINCT outcome) AS needs,
             array_agg(DISTINCT outcome) AS outcomes, array_agg(DISTINCT code) AS codes
      FROM counted GROUP BY person_id, household_id) m
LEFT JOIN household h USING (household_id) LEFT JOIN placed_alone pa USING (person_id)
LEFT JOIN placed pl USING (household_id) LEFT JOIN sized s USING (household_id)
LEFT JOIN (SELECT DISTINCT ON (person_id) person_id, age_band
           FROM (SELECT person_id, age_band, count(*) AS n FROM counted
                 WHERE age_band IS NOT NULL GROUP BY person_id, age_band) t
           ORDER BY person_id, n DESC, age_band COLLATE "C") b USING (person_id)
""",
}
_MEASURES = {
    "need": "{p}::text = ANY(outcomes)",
    "indicator": "{p}::text = ANY(codes)",
    "minNeeds": "household_needs >= {p}::int",
    "minAgencies": "agencies >= {p}::int",
}
_GROUPINGS = {
    "LOCAL_AUTHORITY": "local_authority",
    "HOUSEHOLD_SIZE": "household_size",
    "AGE_BAND": "age_band",
}


class NeedsTruth:
    """The agencies' kept indicators and the index, on one connection to the index."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    @classmethod
    async def load(cls, address: ServerAddress) -> NeedsTruth:
        conn = await connect(address, "index")
        await conn.execute(
            "CREATE TEMP TABLE needs_row (agency text, household_id text, person_id text,"
            " code text, local_authority text, age_band smallint);"
            "CREATE TEMP TABLE needs_outcome (agency text, code text, outcome text)"
        )
        for agency in NEEDS_AGENCIES:
            store = await connect(address, agency)
            try:
                rows = await store.fetch(
                    "SELECT $1::text, household_id, person_id, code, local_authority, age_band"
                    " FROM mesh_needs_indicator",
                    agency,
                )
            finally:
                await store.close()
            await conn.copy_records_to_table("needs_row", records=[tuple(r) for r in rows])
            await conn.copy_records_to_table(
                "needs_outcome", records=[(agency, *kv) for kv in outcomes_of(agency).items()]
            )
        await conn.execute("ANALYZE needs_row")
        return cls(conn)

    async def close(self) -> None:
        await self.conn.close()

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return list(await self.conn.fetch(sql, *args))

    async def demand(
        self,
        *,
        unit: str,
        group_by: Sequence[str],
        measures: Sequence[tuple[str, str | int]],
        agencies: Sequence[str] = SHARING_AGENCIES,
        opt_out: str = "spec",
    ) -> dict[Key, list[int]]:
        """Every entry of the table (each combination of grouping values, and every total),
        the true count of each measure: zeros included."""
        dims = [_GROUPINGS[g] for g in group_by]
        filters = [
            f"count(*) FILTER (WHERE {_MEASURES[kind].format(p=f'${i + 3}')})"
            for i, (kind, _) in enumerate(measures)
        ]
        group = f" GROUP BY CUBE ({', '.join(dims)})" if dims else ""
        sql = (
            f"WITH {_COUNTED.format(counts=OPT_OUT_READINGS[opt_out])}, unit AS ({_UNITS[unit]})"
            f" SELECT {', '.join([*dims, *filters])} FROM unit{group}"
        )
        found = {
            tuple(r[: len(dims)]): [int(c) for c in r[len(dims) :]]
            for r in await self.conn.fetch(
                sql, list(agencies), list(OPT_OUT_AGENCIES), *(v for _, v in measures)
            )
        }
        entries = _cube_keys([GROUP_VALUES[g] for g in group_by])
        extra = set(found) - set(entries)
        assert not extra, f"values outside the spec's groupings: {extra}"
        return {k: found.get(k, [0] * len(measures)) for k in entries}

    async def cohort(self, *, authority: str, min_needs: int, required: Sequence[str]) -> list[str]:
        """The households of an early-help cohort, by id: placed in ``authority``, with at least
        ``min_needs`` outcomes and every ``required`` one, over every indicator shared for early
        help (the opt-out does not apply to early help)."""
        rows = await self.conn.fetch(
            f"WITH {_COUNTED.format(counts='true')}"
            " SELECT household_id FROM household JOIN placed USING (household_id)"
            " WHERE local_authority = $3 AND needs >= $4 AND outcomes @> $5::text[]"
            ' ORDER BY household_id COLLATE "C"',
            list(SHARING_AGENCIES),
            list(OPT_OUT_AGENCIES),
            authority,
            min_needs,
            list(required),
        )
        return [r["household_id"] for r in rows]

    async def needs_of(self, households: Sequence[str]) -> dict[str, int]:
        """Each household's number of outcomes over every indicator shared for early help."""
        rows = await self.conn.fetch(
            f"WITH {_COUNTED.format(counts='true')}"
            " SELECT household_id, needs FROM household WHERE household_id = ANY($3::text[])",
            list(SHARING_AGENCIES),
            list(OPT_OUT_AGENCIES),
            list(households),
        )
        return {r["household_id"]: r["needs"] for r in rows}


def _cube_keys(values: Sequence[Sequence[str]]) -> list[Key]:
    keys: list[Key] = [()]
    for dimension in values:
        keys = [(*k, v) for k in keys for v in (*dimension, None)]
    return keys
