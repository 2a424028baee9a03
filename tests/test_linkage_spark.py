"""The same linkage model on Spark (a local session here): the persons it finds are the ones the
embedded DuckDB path finds, and the pairs it scores weigh what they weigh there, moved-together
weights included. Needs pyspark (``pip install -e '.[spark]'``) and a Java runtime: without them
the test is skipped and says so, and fails under CI (`.ci/run` installs both)."""

from __future__ import annotations

import importlib.util
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from linkage.index_side.model import load_model
from linkage.index_side.moves import adjust
from linkage.index_side.probabilistic import SplinkClusterer, _engine, score_pairs
from linkage.key import key_check
from tests.required_tools import module_unavailable
from tests.unit.linkage_population import KEY, pair_scores, population

if importlib.util.find_spec("pyspark") is None:
    module_unavailable("pyspark is not installed: pip install -e '.[spark]' (the 'spark' extra)")
if shutil.which("java") is None:
    module_unavailable("no Java runtime for Spark: install a JRE (Debian: default-jre-headless)")

PEOPLE = 700


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from linkage.index_side.spark import spark_session

    session = spark_session(cores=2)
    yield session
    session.stop()


def test_spark_links_the_same_persons_as_duckdb_with_the_same_model(
    spark: Any, tmp_path: Path
) -> None:
    from linkage.index_side.spark import link_on_spark

    people = population(PEOPLE, seed=9)
    model_path = tmp_path / "model.json"
    clusterer = SplinkClusterer(model_path, key_check(KEY))
    embedded = clusterer.cluster(people.records)
    clusterer.keep()
    model = load_model(model_path, key_check=key_check(KEY))
    parquet = tmp_path / "records.parquet"
    pq.write_table(people.records.to_arrow(), parquet)
    records = spark.read.parquet(str(parquet))

    linked: Any = link_on_spark(spark, records, model)
    persons = dict(linked.select("record", "person").collect())

    # the pairs Spark scored, moved-together weights added, are DuckDB's to the last bit or so
    spark_edges = {
        (int(r[0]), int(r[1])): float(r[2])
        for r in spark.table("edges").select("record_l", "record_r", "match_weight").collect()
    }
    with _engine(people.records, 2) as con:
        score_pairs(con, model, len(people.records))
        apart = adjust(con, model.moved_together)
        duck_edges = {
            (int(left), int(right)): float(weight)
            for left, right, weight in con.execute(
                "SELECT record_l, record_r, match_weight FROM edges"
            ).fetchall()
        }
    assert apart > 0, "the population has scored pairs at two addresses"
    assert spark_edges.keys() == duck_edges.keys()
    assert all(math.isclose(spark_edges[k], duck_edges[k], abs_tol=1e-6) for k in duck_edges)
    assert sorted(persons) == list(range(len(people.records)))
    on_spark = [persons[i] for i in range(len(people.records))]
    assert pair_scores(on_spark, list(embedded.person_of)) == (1.0, 1.0)
    precision, recall = pair_scores(on_spark, people.person)
    assert precision >= 0.999 and recall >= 0.99
