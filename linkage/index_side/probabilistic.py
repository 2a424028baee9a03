"""The default clusterer: Fellegi-Sunter match weights (Splink, on DuckDB) and guarded merging.

1. Pairs sharing a blocking token are scored with the model (:mod:`linkage.index_side.model`):
   a match weight per pair, from the tokens alone; a pair at two different addresses then gains
   or loses weight by whether someone else was seen at both (:mod:`linkage.index_side.moves`).
2. Pairs are merged best first (highest weight, then lowest record numbers: deterministic) while
   the weight is at least the model's threshold, unless the merge would put two records of one
   agency in a person without a shared NHS number, or two different NHS numbers (agencies hold
   one record per person; twins at one address stay apart).
3. A record whose two best candidates in one agency (two different people there) are closer than
   the model's margin links to neither: namesakes born on the same day are told apart by
   nothing else, so the record stays unlinked rather than be joined to the wrong person. Nor
   does it link to any other agency's record by a pair weaker than that margin above the better
   of the two: what cannot tell two people apart in one agency cannot tell their records apart
   in another either (the second person may simply be missing from that agency).

Households then follow (:mod:`linkage.index_side.households`). Without a model (or with
``retrain``) the clusterer trains one on the records first (:mod:`linkage.index_side.training`)
and saves it to ``model_path`` once the run that trained it has been committed (:meth:`keep`),
so a failed run leaves the previous model too.
"""

from __future__ import annotations

import logging
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from splink import DuckDBAPI, Linker

from linkage.index_side.clustering import Clustering, ClusterStats, ScoredPair
from linkage.index_side.forest import RecordForest
from linkage.index_side.households import assign_households
from linkage.index_side.model import LinkageModel, ModelError, load_model
from linkage.index_side.moves import Surroundings, adjust, estimate
from linkage.index_side.records import RecordSet
from linkage.index_side.training import train

REVIEW_PAIRS = 40

# Per record and agency of the other side: its best two candidates there. A record is contested
# in that agency when two different people there (different records, not sharing an NHS number)
# score within the margin of each other.
_CONTESTED = """
CREATE TEMP TABLE contested AS
WITH sides AS (
    SELECT e.record_l AS record, e.record_r AS other, r.agency AS other_agency, r.nhs AS other_nhs,
           e.match_weight FROM edges e JOIN records r ON r.record = e.record_r
    UNION ALL
    SELECT e.record_r, e.record_l, l.agency, l.nhs, e.match_weight
    FROM edges e JOIN records l ON l.record = e.record_l
), ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY record, other_agency ORDER BY match_weight DESC, other) AS n
    FROM sides
)
SELECT a.record, a.other_agency, a.match_weight AS top_weight FROM ranked a JOIN ranked b
  ON b.record = a.record AND b.other_agency = a.other_agency AND a.n = 1 AND b.n = 2
WHERE a.match_weight - b.match_weight < $margin
  AND (a.other_nhs IS NULL OR b.other_nhs IS NULL OR a.other_nhs <> b.other_nhs)
"""
_LINKABLE = """
SELECT e.record_l, e.record_r FROM edges e
JOIN records l ON l.record = e.record_l JOIN records r ON r.record = e.record_r
WHERE e.match_weight >= $threshold
  AND NOT EXISTS (SELECT 1 FROM contested c
                  WHERE c.record = e.record_l
                    AND (c.other_agency = r.agency OR e.match_weight < c.top_weight + $margin))
  AND NOT EXISTS (SELECT 1 FROM contested c
                  WHERE c.record = e.record_r
                    AND (c.other_agency = l.agency OR e.match_weight < c.top_weight + $margin))
ORDER BY e.match_weight DESC, e.record_l, e.record_r
"""
_BORDERLINE = """
SELECT record_l, record_r, match_weight FROM edges
ORDER BY abs(match_weight - $threshold), record_l, record_r LIMIT $n
"""


@dataclass
class SplinkClusterer:
    """Linkage v2: Fellegi-Sunter with Splink on DuckDB, then guarded best-first merging."""

    model_path: Path
    key_check: str
    retrain: bool = False
    household_preference: tuple[str, ...] = ("housing", "health")
    threads: int = 2
    model: LinkageModel | None = field(default=None, init=False)
    trained_now: bool = field(default=False, init=False)

    @property
    def method(self) -> str:
        return "splink"

    def parameters(self) -> dict[str, object]:
        model = self.model
        return {
            "model": str(self.model_path),
            "trained_now": self.trained_now,
            "threshold": model.threshold if model else None,
            "margin": model.margin if model else None,
            "trained": model.trained if model else None,
            "household_preference": list(self.household_preference),
        }

    def keep(self) -> None:
        """Save a model trained by this run (the run has been committed)."""
        if self.trained_now and self.model is not None:
            self.model.save(self.model_path)

    def load(self) -> LinkageModel | None:
        """The saved model, if there is one and it may be used (raises ModelError if not)."""
        if self.retrain or not self.model_path.exists():
            return None
        return load_model(self.model_path, key_check=self.key_check)

    def cluster(
        self,
        records: RecordSet,
        *,
        population: int | None = None,
        surroundings: Surroundings | None = None,
    ) -> Clustering:
        model = self.load()
        if model is None and population is not None:
            raise ModelError(
                f"no linkage model at {self.model_path} to link a part of the records with: "
                "run a whole `mesh link` first"
            )
        with _engine(records, self.threads) as con:
            if model is None:
                model = train(con, key_check=self.key_check)
                self.trained_now = True
            self.model = model
            scored = score_pairs(con, model, population or len(records))
            if self.trained_now:
                model.moved_together = estimate(con)
            apart = adjust(con, model.moved_together, surroundings=surroundings)
            person_of, persons, stats = merge_best_first(con, records, model)
            borderline = [
                ScoredPair(
                    int(left), int(right), float(weight), person_of[left] == person_of[right]
                )
                for left, right, weight in con.execute(
                    _BORDERLINE, {"threshold": model.threshold, "n": REVIEW_PAIRS}
                ).fetchall()
            ]
        stats.links["scored pairs"] = scored
        stats.links["scored pairs at two addresses"] = apart
        households, tokens = assign_households(
            records, person_of, persons, self.household_preference
        )
        return Clustering(person_of, persons, households, tokens, stats, borderline)


class _engine:
    """A DuckDB connection holding the records as table ``records``."""

    def __init__(self, records: RecordSet, threads: int) -> None:
        self.con = duckdb.connect()
        self.con.execute(f"SET threads = {int(threads)}; SET preserve_insertion_order = false")
        self.con.register("records_arrow", records.to_arrow())
        self.con.execute("CREATE TABLE records AS SELECT * FROM records_arrow")
        self.con.unregister("records_arrow")

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        return self.con

    def __exit__(self, *_: object) -> None:
        self.con.close()


def linker_for(con: duckdb.DuckDBPyConnection, model: LinkageModel, records: int) -> Linker:
    """A Splink linker over table ``records`` with the model's parameters."""
    db = DuckDBAPI(con)
    return Linker(db.register("records"), model.settings_for(records), log_level=logging.ERROR)


def score_pairs(con: duckdb.DuckDBPyConnection, model: LinkageModel, records: int) -> int:
    """Score every blocked pair worth keeping into table ``edges`` (record_l, record_r,
    match_weight); returns how many."""
    linker = linker_for(con, model, records)
    predictions = linker.inference.predict(
        threshold_match_weight=model.threshold - model.margin, warning_mode="never"
    )
    con.execute(
        "CREATE TEMP TABLE edges AS SELECT record_l, record_r, match_weight "
        f"FROM {predictions.physical_name}"
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    return int(con.execute("SELECT count(*) FROM edges").fetchall()[0][0])


def merge_best_first(
    con: duckdb.DuckDBPyConnection, records: RecordSet, model: LinkageModel
) -> tuple[array[int], int, ClusterStats]:
    """Merge records into persons along the ``edges``, best first, under the guards."""
    con.execute(_CONTESTED.replace("$margin", repr(model.margin)))
    contested = int(con.execute("SELECT count(*) FROM contested").fetchall()[0][0])
    linkable_sql = _LINKABLE.replace("$threshold", repr(model.threshold))
    linkable = con.sql(linkable_sql.replace("$margin", repr(model.margin))).to_arrow_table()
    forest = GuardedForest(records.agency_of, records.keys("nhs"))
    refused = merged = 0
    for left, right in zip(
        linkable.column(0).to_pylist(), linkable.column(1).to_pylist(), strict=True
    ):
        outcome = forest.merge(left, right)
        merged += outcome > 0
        refused += outcome < 0
    person_of, persons = forest.number()
    stats = ClusterStats(
        links={"merges": merged},
        ambiguous_blocks={"refused by a guard": refused, "contested record-agency": contested},
    )
    return person_of, persons, stats


class GuardedForest(RecordForest):
    """A record forest whose merges keep the guards: never two NHS numbers in one person, and
    two records of one agency only when their NHS numbers agree."""

    def merge(self, left: int, right: int) -> int:
        """1 if merged, 0 if already one person, -1 if a guard refused."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return 0
        nhs_a, nhs_b = self.nhs[a], self.nhs[b]
        if nhs_a and nhs_b and nhs_a != nhs_b:
            return -1
        if self.agencies[a] & self.agencies[b] and not (nhs_a and nhs_a == nhs_b):
            return -1
        self.join(a, b)
        return 1
