"""Estimating the linkage model's parameters from the submitted tokens themselves.

* **u** (how often non-matches agree at each level) is counted exactly on pairs known not to
  match: two records of one agency are two people (agencies hold one record per person; the
  clusterer assumes the same). Health holds nearly everyone, so these pairs are a census of
  random pairs of residents. Counting every such pair that agrees on any token, rather than
  sampling random pairs (Splink's ``estimate_u_using_random_sampling``), matters for the strong
  levels: full name and date of birth agree for about one random pair in a billion, so a sample
  of 10^7 pairs sees none, and the few it does see are true matches, which inflates u. The level
  "different addresses confirmed close together" needs no shared token, so it is counted over
  every pair of one agency from each agency's histogram of confirmation days.
* **the prior** (probability that two random records match) from pairs that deterministic rules
  link (NHS number; full name, DOB and postcode), allowing for the rules' recall; Splink's
  ``estimate_probability_two_random_records_match``. It is kept per record, so the model
  carries over to a population of another size.
* **m** (how often true matches agree at each level) by expectation maximisation on blocked
  pairs, with Splink: once on pairs sharing an NHS number (for names and addresses), once on
  pairs sharing date of birth and postcode (for the NHS number and names). A level no training
  pair reached gets ``UNSEEN_M``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

import duckdb
from splink import DuckDBAPI, Linker, block_on

from linkage.index_side.model import (
    COMPARISONS,
    CONFIRMED_DAY,
    CONFIRMED_TOGETHER_DAYS,
    Comparison,
    LinkageModel,
    splink_settings,
)

UNSEEN_M = 1e-4
PRIOR_RULES = (("nhs",), ("fullname_dob", "dob_postcode"), ("name_dob", "uprn"))
PRIOR_RECALL = 0.95
EM_BLOCKS = (("nhs",), ("dob_postcode",))

_SAME_AGENCY_PAIRS = """
CREATE TEMP TABLE same_agency_pair AS
{unions}
"""


def train(
    con: duckdb.DuckDBPyConnection, *, key_check: str, table: str = "records"
) -> LinkageModel:
    """Estimate every parameter from the records in ``table`` (see the module docstring)."""
    records = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    settings = splink_settings()
    u = _u_from_same_agency_pairs(con, table)
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                level["u_probability"] = u[comparison["output_column_name"]][
                    level["label_for_charts"]
                ]
    db = DuckDBAPI(con)
    linker = Linker(db.register(table), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*rule) for rule in PRIOR_RULES], recall=PRIOR_RECALL
    )
    for rule in EM_BLOCKS:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    trained = linker.misc.save_model_to_json()
    unseen = _fill_unseen_m(trained)
    prior = float(trained["probability_two_random_records_match"])
    agencies = [r[0] for r in con.execute(f"SELECT DISTINCT agency::text FROM {table}").fetchall()]
    return LinkageModel(
        key_check=key_check,
        settings=_portable(trained),
        matching_pairs_per_record=prior * (records - 1) / 2,
        trained={
            "records": records,
            "agencies": sorted(agencies),
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "splink": version("splink"),
            "duckdb": version("duckdb"),
            "m_not_observed": unseen,
        },
    )


def _u_from_same_agency_pairs(
    con: duckdb.DuckDBPyConnection, table: str
) -> dict[str, dict[str, float]]:
    """Per comparison and level label, u counted over all pairs of records of one agency."""
    kinds = sorted({kind for c in COMPARISONS for kind in c.kinds})
    unions = "\nUNION\n".join(
        f"SELECT l.record AS l, r.record AS r FROM {table} l JOIN {table} r "
        f'ON l."{kind}" = r."{kind}" AND l.agency = r.agency AND l.record < r.record'
        for kind in kinds
    )
    con.execute(_SAME_AGENCY_PAIRS.format(unions=unions))
    columns = sorted({column for c in COMPARISONS for column in c.columns})
    sides = ", ".join(f'l."{k}" AS "{k}_l", r."{k}" AS "{k}_r"' for k in columns)
    levels = ", ".join(f"{_level_case(c)} AS {c.name}" for c in COMPARISONS)
    close = f"abs({CONFIRMED_DAY}_l - {CONFIRMED_DAY}_r) <= {CONFIRMED_TOGETHER_DAYS}"
    con.execute(
        f"CREATE TEMP TABLE same_agency_level AS SELECT {levels}, "
        f"coalesce({close}, false) AS confirmed_close FROM ("
        f"SELECT {sides} FROM same_agency_pair p "
        f"JOIN {table} l ON l.record = p.l JOIN {table} r ON r.record = p.r)"
    )
    out: dict[str, dict[str, float]] = {}
    for comparison in COMPARISONS:
        known = _known_pairs(con, table, comparison)
        counts = dict(
            con.execute(
                f"SELECT {comparison.name}, count(*) FROM same_agency_level GROUP BY 1"
            ).fetchall()
        )
        u = {
            level.label: (counts.get(n, 0) + 0.5) / known
            for n, level in enumerate(comparison.levels, start=1)
        }
        for n, level in enumerate(comparison.levels, start=1):
            if level.columns == (CONFIRMED_DAY,):
                stronger = con.execute(
                    f"SELECT count(*) FROM same_agency_level WHERE {comparison.name} "
                    f"BETWEEN 1 AND {n - 1} AND confirmed_close"
                ).fetchall()[0][0]
                near = _close_confirmations(con, table, comparison) - int(stronger)
                u[level.label] = (max(0, near) + 0.5) / known
        u["different"] = 1.0 - sum(u.values())
        out[comparison.name] = u
    con.execute("DROP TABLE same_agency_level; DROP TABLE same_agency_pair")
    return out


def _close_confirmations(con: duckdb.DuckDBPyConnection, table: str, comparison: Comparison) -> int:
    """Pairs of records of one agency, both with some token of the comparison, whose addresses
    were confirmed within ``CONFIRMED_TOGETHER_DAYS`` of each other (from a histogram of days)."""
    has_any = " OR ".join(f'"{kind}" IS NOT NULL' for kind in comparison.kinds)
    (pairs,) = con.execute(
        f"""
        WITH days AS (
            SELECT agency, {CONFIRMED_DAY} AS day, count(*)::DOUBLE AS n FROM {table}
            WHERE ({has_any}) AND {CONFIRMED_DAY} IS NOT NULL GROUP BY 1, 2
        ), near AS (
            SELECT n, sum(n) OVER (
                PARTITION BY agency ORDER BY day
                RANGE BETWEEN {CONFIRMED_TOGETHER_DAYS} PRECEDING
                      AND {CONFIRMED_TOGETHER_DAYS} FOLLOWING) AS within
            FROM days
        )
        SELECT coalesce(sum(n * within - n) / 2, 0) FROM near
        """
    ).fetchall()[0]
    return int(pairs)


def _level_case(comparison: Comparison) -> str:
    """SQL giving a pair's level number: 0 missing, 1.. the levels, then "different"."""
    whens = [f"WHEN {comparison.null_condition()} THEN 0"]
    whens += [f"WHEN {level.sql()} THEN {n}" for n, level in enumerate(comparison.levels, start=1)]
    return f"CASE {' '.join(whens)} ELSE {len(comparison.levels) + 1} END"


def _known_pairs(con: duckdb.DuckDBPyConnection, table: str, comparison: Comparison) -> int:
    """Pairs of records of one agency where both records have some token of the comparison."""
    has_any = " OR ".join(f'"{kind}" IS NOT NULL' for kind in comparison.kinds)
    (pairs,) = con.execute(
        f"SELECT sum(n * (n - 1) / 2)::DOUBLE FROM ("
        f"SELECT count(*) FILTER (WHERE {has_any}) AS n FROM {table} GROUP BY agency)"
    ).fetchall()[0]
    return max(1, int(pairs or 0))


def _fill_unseen_m(settings: dict[str, Any]) -> list[str]:
    """Give levels EM never saw the floor m; returns their names."""
    unseen = []
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if not isinstance(level.get("m_probability"), float):
                level["m_probability"] = UNSEEN_M
                unseen.append(f"{comparison['output_column_name']}: {level['label_for_charts']}")
    return unseen


def _portable(settings: dict[str, Any]) -> dict[str, Any]:
    """Splink's saved settings without what belongs to one run (its id, its SQL dialect)."""
    out = {k: v for k, v in settings.items() if k not in ("linker_uid", "sql_dialect")}
    for rule in out.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, dict):
            rule.pop("sql_dialect", None)
    return out
