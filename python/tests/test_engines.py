"""The README's recipes past one machine, run here on 2 local workers: Dask (`read_parquet` of
a profiles dataset + `map_partitions(lotse.rank_batch)` on a `distributed.LocalCluster`) and
Spark (`mapInArrow`, `local[2]`). Both must give the rows `lotse batch` gives."""

import os
import sys

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import lotse
import lotse.engines
from conftest import cli_batch


@pytest.fixture(scope="module")
def dataset(grid_files, tmp_path_factory):
    """The grid as a Parquet dataset of 4 files, and `lotse batch`'s rows for it."""
    d = tmp_path_factory.mktemp("dataset")
    profiles = pl.read_parquet(grid_files["parquet"])
    parts = d / "profiles"
    parts.mkdir()
    n = profiles.height
    for i in range(4):
        profiles.slice(i * n // 4, (i + 1) * n // 4 - i * n // 4).write_parquet(parts / f"part-{i}.parquet")
    cli = cli_batch(grid_files["parquet"], d / "cli.parquet", "--top-k", "10")
    return parts, cli


def sorted_rows(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col("rank").cast(pl.UInt32)).sort("profile_id", "rank")


def test_dask_map_partitions_on_a_local_cluster(dataset):
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    parts, cli = dataset
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster):
        profiles = dd.read_parquet(str(parts))
        assert profiles.npartitions >= 2
        rows = profiles.map_partitions(lotse.rank_batch, 10, output="pandas", threads=1,
                                       meta=lotse.engines.dask_meta(10))
        got = rows.compute()
    got = pl.from_pandas(got)
    assert_frame_equal(sorted_rows(got), sorted_rows(cli), check_exact=True)


def test_spark_map_in_arrow_local_2(dataset):
    from pyspark.sql import SparkSession

    parts, cli = dataset
    # Spark's Python workers must import lotse: this very Python (the driver's).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (SparkSession.builder.master("local[2]").appName("lotse-test")
             .config("spark.ui.enabled", "false").getOrCreate())
    try:
        # Spark reads the grid's unsigned 64-bit ids as decimal(20,0) and `weights.leisure` as
        # a struct field: spark_profiles makes them text and renames the column for the trip.
        profiles = lotse.engines.spark_profiles(spark.read.parquet(str(parts)))
        rows = profiles.mapInArrow(lotse.engines.spark_ranker(10), lotse.engines.spark_schema(10))
        got = pl.from_arrow(rows.toArrow())
    finally:
        spark.stop()
    assert_frame_equal(sorted_rows(got), sorted_rows(cli), check_exact=True)
