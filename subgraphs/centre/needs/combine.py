"""Combining the agencies' pseudonymous answers with DuckDB (embedded, in memory).

Every agency's scan becomes rows of one table, ``indicator(agency, household, person, code,
outcome, local_authority, age_band, as_of)``: mesh ids, codes and coarse attributes only (the
household null for someone the index places in no household: they count as people, never in a
household's needs or a cohort). The
cohort and the demand tables are SQL over it, the same SQL that runs on Spark when a region
outgrows one machine (docs/families.md). Blocking: call from a worker thread.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb

from subgraphs.centre.needs.agencies import ScanAnswer
from subgraphs.centre.needs.rollup import Evidence
from subgraphs.kit.needs.catalogue import IndicatorCatalogue

_SCHEMA = """
CREATE TABLE indicator (
    agency VARCHAR, household VARCHAR, person VARCHAR, code VARCHAR, outcome VARCHAR,
    local_authority VARCHAR, age_band VARCHAR, as_of DATE
)
"""
# One agency's rows, read from its tab-separated answer (spilled to a private temporary file
# for DuckDB's CSV reader, deleted at once), decoded through small dictionaries.
_READ = """
INSERT INTO indicator
SELECT $agency, r.h, r.p, c.code, c.outcome, l.name, b.name, $as_of - r.d
FROM read_csv($path, delim = '\t', header = false, quote = '', escape = '',
              columns = {'h': 'VARCHAR', 'p': 'VARCHAR', 'i': 'INTEGER', 'l': 'INTEGER',
                         'b': 'INTEGER', 'd': 'INTEGER'}) r
JOIN (SELECT unnest($codes) AS code, unnest($outcomes) AS outcome,
             generate_subscripts($codes, 1) - 1 AS i) c ON c.i = r.i
LEFT JOIN (SELECT unnest($authorities) AS name,
                  generate_subscripts($authorities, 1) - 1 AS i) l ON l.i = r.l
LEFT JOIN (SELECT unnest($bands) AS name, generate_subscripts($bands, 1) - 1 AS i) b ON b.i = r.b
"""
_PER_HOUSEHOLD = """
CREATE TABLE household_needs AS
SELECT household, count(DISTINCT outcome) AS needs, list(DISTINCT outcome) AS outcomes,
       count(DISTINCT agency) AS agencies
FROM indicator WHERE household IS NOT NULL GROUP BY household
"""


# Memory-backed where the system has it: the ids never need to reach a disk.
_SPILL = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


@dataclass(frozen=True)
class CohortPage:
    total: int
    households: list[str]
    has_next: bool


class Combination:
    """The agencies' answers for one request, in an in-memory DuckDB."""

    def __init__(
        self, scans: Iterable[ScanAnswer], catalogues: Mapping[str, IndicatorCatalogue]
    ) -> None:
        self.db = duckdb.connect(":memory:")
        self.db.execute(_SCHEMA)
        for scan in scans:
            if not scan.rows:
                continue
            catalogue = catalogues[scan.agency]
            outcomes = []
            for code in scan.indicators:
                definition = catalogue.indicator(code)
                outcomes.append(None if definition is None else definition.outcome.value)
            with tempfile.NamedTemporaryFile(
                "w", suffix=".tsv", dir=_SPILL, encoding="utf-8"
            ) as spill:
                spill.write(scan.tsv)
                spill.flush()
                self.db.execute(
                    _READ,
                    {
                        "agency": scan.agency,
                        "path": spill.name,
                        "codes": scan.indicators,
                        "outcomes": outcomes,
                        "authorities": scan.local_authorities,
                        "bands": scan.age_bands,
                        "as_of": scan.as_of,
                    },
                )
        self.db.execute("DELETE FROM indicator WHERE outcome IS NULL")
        self.db.execute("CREATE TABLE size (household VARCHAR, size INTEGER)")
        self._needs_ready = False

    def _household_needs(self) -> None:
        """Per household: its distinct outcomes and agencies (made once, after any restrict)."""
        if not self._needs_ready:
            self.db.execute("DROP TABLE IF EXISTS household_needs")
            self.db.execute(_PER_HOUSEHOLD)
            self._needs_ready = True

    def close(self) -> None:
        self.db.close()

    def cohort(
        self,
        *,
        local_authority: str,
        min_needs: int,
        required: list[str],
        after: str | None,
        first: int,
    ) -> CohortPage:
        """Households of ``local_authority`` with at least ``min_needs`` outcomes and every
        required one, by id. A household's authority is the one most of its indicators give
        (as in the demand tables), and its needs count every indicator wherever the agency's
        record places it: a family one agency still has at an old address is counted whole,
        in one authority."""
        self._household_needs()
        where = (
            "needs >= $min AND list_has_all(outcomes, $required::VARCHAR[]) AND household IN "
            f"(SELECT household FROM ({_PLACE}) WHERE local_authority = $authority)"
        )
        values = {"min": min_needs, "required": required, "authority": local_authority}
        total = self.db.execute(
            f"SELECT count(*) FROM household_needs WHERE {where}", values
        ).fetchone()
        page = self.db.execute(
            f"SELECT household FROM household_needs WHERE {where} AND household > $after "
            "ORDER BY household LIMIT $limit",
            {**values, "after": after or "", "limit": first + 1},
        ).fetchall()
        households = [row[0] for row in page]
        return CohortPage(
            int(total[0]) if total else 0, households[:first], len(households) > first
        )

    def evidence(self, households: list[str]) -> dict[str, list[Evidence]]:
        found: dict[str, list[Evidence]] = {h: [] for h in households}
        rows = self.db.execute(
            "SELECT household, agency, code, person, as_of FROM indicator "
            "WHERE list_contains($households, household) ORDER BY household, agency, person, code",
            {"households": households},
        ).fetchall()
        for household, agency, code, person, as_of in rows:
            found[household].append(Evidence(agency, code, person, as_of))
        return found

    def load_sizes(self, tsv: str) -> None:
        """Every household's size, as the index counts its members ('household<TAB>size')."""
        if tsv:
            self._read_text(
                "INSERT INTO size SELECT * FROM read_csv($path, delim = '\t', header = false, "
                "quote = '', escape = '', columns = {'h': 'VARCHAR', 's': 'INTEGER'})",
                tsv,
            )

    def restrict(
        self, agencies: Iterable[str], not_countable: str | None, *, without_household: str = ""
    ) -> None:
        """The national data opt-out: ``agencies``' rows count only for people the index does
        not list as not countable, in households the index knows (``load_sizes`` first) or,
        without a household, whom it lists as ``without_household`` (one mesh id a line);
        ``None`` (the index could not be asked): those agencies count nothing."""
        wanted = list(agencies)
        if not wanted:
            return
        if not_countable is None:
            self.db.execute("DELETE FROM indicator WHERE list_contains($a, agency)", {"a": wanted})
        else:
            for table, people in (
                ("not_countable", not_countable),
                ("without_household", without_household),
            ):
                self.db.execute(f"CREATE OR REPLACE TEMP TABLE {table} (person VARCHAR)")
                if people:
                    self._read_text(
                        f"INSERT INTO {table} SELECT * FROM read_csv($path, header = false, "
                        "quote = '', escape = '', columns = {'p': 'VARCHAR'})",
                        people,
                    )
            self.db.execute(
                "DELETE FROM indicator WHERE list_contains($a, agency) AND ("
                "person IN (SELECT person FROM not_countable) "
                "OR (household IS NULL AND person NOT IN (SELECT person FROM without_household)) "
                "OR household NOT IN (SELECT household FROM size))",
                {"a": wanted},
            )
        self._needs_ready = False

    def _read_text(self, sql: str, text: str) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", dir=_SPILL, encoding="utf-8") as spill:
            spill.write(text)
            spill.flush()
            self.db.execute(sql, {"path": spill.name})

    def counts(
        self, *, unit: str, group_by: list[str], measures: list[tuple[str, str]]
    ) -> dict[tuple[str, ...], list[int]]:
        """Per combination of the grouping values, the count of each measure (unrounded)."""
        self._household_needs()
        sql = demand_sql(unit=unit, group_by=group_by, measures=measures)
        result: dict[tuple[str, ...], list[int]] = {}
        for row in self.db.execute(sql).fetchall():
            key = tuple(str(v) for v in row[: len(group_by)])
            result[key] = [int(v or 0) for v in row[len(group_by) :]]
        return result


# The groupings a planner may ask for, as SQL over the per-unit relation.
GROUPINGS = {
    "LOCAL_AUTHORITY": "coalesce(local_authority, 'Unknown')",
    "HOUSEHOLD_SIZE": "CASE WHEN size IS NULL THEN 'Unknown' WHEN size >= 6 THEN '6+' "
    "ELSE CAST(size AS VARCHAR) END",
    "AGE_BAND": "coalesce(age_band, 'Unknown')",
}


def measure_sql(kind: str, value: str) -> str:
    """A measure as a boolean over the per-unit relation (values validated by the caller)."""
    if kind == "need":
        return f"list_contains(outcomes, '{value}')"
    if kind == "indicator":
        return f"list_contains(codes, '{value}')"
    if kind == "min_needs":
        return f"household_needs >= {int(value)}"
    if kind == "min_agencies":
        return f"agencies >= {int(value)}"
    raise ValueError(f"unknown measure kind {kind!r}")


def demand_sql(*, unit: str, group_by: list[str], measures: list[tuple[str, str]]) -> str:
    """The aggregate over households or people: only counts leave it."""
    codes = any(kind == "indicator" for kind, _ in measures)
    unit_sql = (_HOUSEHOLDS if unit == "HOUSEHOLDS" else _PEOPLE).format(
        codes="c.codes" if codes else "NULL::VARCHAR[]",
        join_codes=_CODES[unit] if codes else "",
    )
    dims = [GROUPINGS[g] for g in group_by]
    sums = [f"sum(CAST({measure_sql(k, v)} AS INTEGER))" for k, v in measures]
    select = ", ".join([*dims, *sums])
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(dims)))}" if dims else ""
    return f"WITH unit AS ({unit_sql}) SELECT {select} FROM unit{group}"


# A household's authority: the one most of its rows give (ties: alphabetical), a person's age
# band likewise, and likewise the authority of someone in no household by their own rows;
# deterministic, so the same data always gives the same table.
_PLACE = """
SELECT household, first(local_authority ORDER BY n DESC, local_authority) AS local_authority
FROM (SELECT household, local_authority, count(*) AS n FROM indicator
      WHERE local_authority IS NOT NULL GROUP BY household, local_authority)
GROUP BY household
"""
_PLACE_UNHOUSED = """
SELECT person, first(local_authority ORDER BY n DESC, local_authority) AS local_authority
FROM (SELECT person, local_authority, count(*) AS n FROM indicator
      WHERE household IS NULL AND local_authority IS NOT NULL GROUP BY person, local_authority)
GROUP BY person
"""
_BAND = """
SELECT person, first(age_band ORDER BY n DESC, age_band) AS age_band
FROM (SELECT person, age_band, count(*) AS n FROM indicator
      WHERE age_band IS NOT NULL GROUP BY person, age_band)
GROUP BY person
"""
# Indicator codes per unit, joined only when a measure counts an indicator.
_CODES = {
    "HOUSEHOLDS": "LEFT JOIN (SELECT household, list(DISTINCT code) AS codes FROM indicator "
    "GROUP BY household) c ON c.household = n.household",
    "PEOPLE": "LEFT JOIN (SELECT person, list(DISTINCT code) AS codes FROM indicator "
    "GROUP BY person) c ON c.person = i.person",
}
_HOUSEHOLDS = (
    """
SELECT n.household, p.local_authority, NULL AS age_band, s.size, n.outcomes, {codes},
       n.needs AS household_needs, n.agencies
FROM household_needs n
LEFT JOIN ("""
    + _PLACE
    + """) p ON p.household = n.household
LEFT JOIN size s ON s.household = n.household
{join_codes}
"""
)
# A person in no household: their own authority, and their own outcomes as their household's.
_PEOPLE = (
    """
SELECT i.person, coalesce(any_value(p.local_authority), any_value(u.local_authority))
           AS local_authority,
       any_value(b.age_band) AS age_band, any_value(s.size) AS size,
       list(DISTINCT i.outcome) AS outcomes, any_value({codes}) AS codes,
       coalesce(min(n.needs), count(DISTINCT i.outcome)) AS household_needs,
       count(DISTINCT i.agency) AS agencies
FROM indicator i
LEFT JOIN ("""
    + _PLACE
    + """) p ON p.household = i.household
LEFT JOIN ("""
    + _PLACE_UNHOUSED
    + """) u ON u.person = i.person
LEFT JOIN ("""
    + _BAND
    + """) b ON b.person = i.person
LEFT JOIN household_needs n ON n.household = i.household
LEFT JOIN size s ON s.household = i.household
{join_codes}
GROUP BY i.person
"""
)
