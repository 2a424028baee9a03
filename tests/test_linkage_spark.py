"""The same linkage model on Spark (a local session here): the persons it finds are the ones the
embedded DuckDB path finds. Needs pyspark (``pip install -e '.[spark]'``) and a Java runtime;
without them the test is skipped and says so."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from linkage.index_side.model import load_model
from linkage.index_side.probabilistic import SplinkClusterer
from linkage.key import key_check
from tests.unit.linkage_population import KEY, pair_scores, population

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (the 'spark' extra)")
if shutil.which("java") is None:
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

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

    assert sorted(persons) == list(range(len(people.records)))
    on_spark = [persons[i] for i in range(len(people.records))]
    assert pair_scores(on_spark, list(embedded.person_of)) == (1.0, 1.0)
    precision, recall = pair_scores(on_spark, people.person)
    assert precision >= 0.999 and recall >= 0.99
