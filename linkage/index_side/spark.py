"""The same linkage model on Spark, for a population beyond one machine.

Nothing about the model is DuckDB's: the comparisons and blocking rules are Splink settings
(SQL that Splink writes in each engine's dialect), and the model file carries every m and u.
On Spark the index links in four distributed steps, each the counterpart of the embedded one:

1. **score** blocked pairs with Splink's Spark backend and the saved model;
2. **contest** with the same SQL as :mod:`linkage.index_side.probabilistic` (window functions);
3. **group** the linkable pairs into connected components by iterative min-label propagation
   (a few rounds: components are people and the odd cluster of namesakes, not chains);
4. **merge** each component best first under the same guards (:class:`GuardedForest`), in
   parallel (``applyInArrow``): a component never needs another's records.

Between steps 1 and 2, as the embedded clusterer does, each scored pair at two addresses gets
its moved-together weight (:mod:`linkage.index_side.moves`, model version 3): the same SQL,
run by Spark over the scored pairs (a whole run: no surroundings).

Households are the :mod:`linkage.index_side.households` SQL run on the person table, which
fits one machine at any national scale (one row per person); only matching needs Spark.

``pyspark`` is an optional dependency (``pip install civic-mesh[spark]``) and needs a JRE.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from linkage.index_side.model import LinkageModel
from linkage.index_side.moves import EMPTY_SURROUNDINGS, MOVED_CASES, moved_weights
from linkage.index_side.probabilistic import _CONTESTED, _LINKABLE, GuardedForest

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MAX_ROUNDS = 30
_PERSON_SCHEMA = "record int, person int"


def link_on_spark(
    spark: SparkSession, records: DataFrame, model: LinkageModel, *, population: int | None = None
) -> DataFrame:
    """Persons of ``records`` (columns as :meth:`RecordSet.to_arrow`): a DataFrame of
    (record, person), a person numbered by its lowest record."""
    from splink import Linker, SparkAPI

    n = population or records.count()
    api = SparkAPI(spark_session=spark, register_udfs_automatically=False)  # type: ignore[no-untyped-call]
    linker = Linker(api.register(records), model.settings_for(n), log_level=logging.ERROR)
    predictions = linker.inference.predict(
        threshold_match_weight=model.threshold - model.margin, warning_mode="never"
    )
    spark.table(predictions.physical_name).select(
        "record_l", "record_r", "match_weight"
    ).createOrReplaceTempView("edges")
    records.createOrReplaceTempView("records")
    _add_moved_together(spark, model)
    contested = _CONTESTED.split(" AS\n", 1)[1].replace("$margin", repr(model.margin))
    spark.sql(contested).createOrReplaceTempView("contested")
    linkable_sql = _LINKABLE.replace("$threshold", repr(model.threshold))
    linkable = spark.sql(
        linkable_sql.replace("$margin", repr(model.margin)).rsplit("ORDER BY", 1)[0]
    )
    components = _components(spark, linkable)
    edges = (
        linkable.join(components.withColumnRenamed("record", "record_l"), "record_l")
        .join(spark.table("edges"), ["record_l", "record_r"])
        .select("component", "record_l", "record_r", "match_weight")
        .localCheckpoint()  # its own lineage, so the cogroup below can tell the sides apart
    )
    nodes = (
        components.join(records.select("record", "agency", "nhs"), "record")
        .selectExpr("component", "record", "CAST(agency AS string) AS agency", "nhs")
        .localCheckpoint()
    )
    codes = {
        a: i
        for i, a in enumerate(sorted(r[0] for r in nodes.select("agency").distinct().collect()))
    }
    grouped = nodes.groupBy("component").cogroup(edges.groupBy("component"))
    merged = grouped.applyInArrow(lambda n, e: _merge_component(n, e, codes), _PERSON_SCHEMA)
    singles = records.join(components, "record", "left_anti").selectExpr(
        "record", "record AS person"
    )
    return merged.unionByName(singles)


def _add_moved_together(spark: SparkSession, model: LinkageModel) -> None:
    """Replace view ``edges`` by the same pairs with their moved-together weight added."""
    spark.sql(EMPTY_SURROUNDINGS).createOrReplaceTempView("surroundings")
    spark.sql(MOVED_CASES.format(pairs="edges")).createOrReplaceTempView("moved_case")
    spark.sql(moved_weights(model.moved_together)).createOrReplaceTempView("moved_weight")
    spark.sql(
        "SELECT e.record_l, e.record_r, e.match_weight + coalesce(w.weight, 0.0) AS match_weight "
        "FROM edges e LEFT JOIN moved_case c "
        "ON c.record_l = e.record_l AND c.record_r = e.record_r "
        "LEFT JOIN moved_weight w ON w.moved_case = c.moved_case"
    ).localCheckpoint().createOrReplaceTempView("edges")


def _components(spark: SparkSession, edges: DataFrame) -> DataFrame:
    """(record, component) for every record on an edge: the lowest record it is joined to."""
    from pyspark.sql import functions as f

    both = (
        edges.select(f.col("record_l").alias("a"), f.col("record_r").alias("b"))
        .unionByName(edges.select(f.col("record_r").alias("a"), f.col("record_l").alias("b")))
        .cache()
    )
    labels = both.groupBy("a").agg(f.least(f.min("b"), f.first("a")).alias("label"))
    for _ in range(MAX_ROUNDS):
        step = (
            both.join(labels.withColumnRenamed("a", "b").withColumnRenamed("label", "theirs"), "b")
            .join(labels, "a")
            .groupBy("a")
            .agg(f.least(f.min("theirs"), f.min("label")).alias("label"))
            .cache()
        )
        if step.join(labels, ["a", "label"], "left_anti").isEmpty():
            break
        labels = step
    return labels.select(f.col("a").alias("record"), f.col("label").alias("component"))


def _merge_component(nodes: pa.Table, edges: pa.Table, codes: dict[str, int]) -> pa.Table:
    """Guarded best-first merging of one component's records along its linkable edges."""
    records = nodes.column("record").to_pylist()
    position = {record: i for i, record in enumerate(records)}
    forest = GuardedForest(
        [codes[a] for a in nodes.column("agency").to_pylist()],
        [k or 0 for k in nodes.column("nhs").to_pylist()],
    )
    order: list[tuple[float, int, int]] = sorted(
        (-weight, left, right)
        for left, right, weight in zip(
            edges.column("record_l").to_pylist(),
            edges.column("record_r").to_pylist(),
            edges.column("match_weight").to_pylist(),
            strict=True,
        )
    )
    for _, left, right in order:
        forest.merge(position[left], position[right])
    lowest: dict[int, int] = {}
    roots = [forest.find(i) for i in range(len(records))]
    for i, root in enumerate(roots):
        lowest[root] = min(lowest.get(root, records[i]), records[i])
    return pa.table(
        {
            "record": pa.array(records, pa.int32()),
            "person": pa.array([lowest[root] for root in roots], pa.int32()),
        }
    )


def spark_session(*, cores: int = 2, checkpoints: str | None = None, **config: Any) -> SparkSession:
    """A local Spark session (tests, and trying the Spark path on one machine); Splink
    checkpoints its intermediate tables, so the session needs a checkpoint directory."""
    import os
    import sys
    import tempfile

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(f"local[{cores}]").config("spark.ui.enabled", "false")
    builder = builder.config("spark.sql.shuffle.partitions", str(cores * 2))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this Python
    for name, value in config.items():
        builder = builder.config(name, value)
    session = builder.getOrCreate()
    session.sparkContext.setCheckpointDir(checkpoints or tempfile.mkdtemp(prefix="mesh-spark-"))
    return session
