"""Running :func:`lotse.rank_batch` on the engines researchers already use, past one machine.

No scheduler of lotse's own: these are the small adapters the README's recipes use.

- Dask: ``profiles.map_partitions(lotse.rank_batch, 10, output="pandas", meta=lotse.engines.dask_meta(10))``
  over ``dask.dataframe.read_parquet(...)`` (give the profiles a ``profile_id`` column: default
  ids restart in every partition).
- Spark: ``spark_profiles(df).mapInArrow(spark_ranker(10), spark_schema(10))``.
"""

from __future__ import annotations

from typing import Callable, Iterator

from . import result_schema, rank_batch


def dask_meta(top_k: int = 10, *, with_criteria: bool = False, robustness: bool = False):
    """An empty pandas frame with the columns and dtypes of ``rank_batch(..., output="pandas")``:
    the ``meta`` Dask needs to know the result of ``map_partitions`` without running it."""
    schema = result_schema(top_k, with_criteria=with_criteria, robustness=robustness)
    return schema.empty_table().to_pandas()


def _spark_type(t) -> str:
    import pyarrow as pa

    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    if pa.types.is_floating(t):
        return "double"
    # Spark has no unsigned integers: rank, rank_p5, rank_p95 and group (≤ 1000) fit an int.
    if pa.types.is_integer(t):
        return "int"
    raise TypeError(f"no Spark type for {t}")


def _spark_arrow_type(t):
    import pyarrow as pa

    if pa.types.is_integer(t):
        return pa.int32()
    if pa.types.is_string_view(t):
        return pa.string()
    return t


def spark_schema(top_k: int = 10, *, with_criteria: bool = False, robustness: bool = False) -> str:
    """The Spark DDL schema of the rows (``profile_id string, rank int, ags string, ...``)."""
    schema = result_schema(top_k, with_criteria=with_criteria, robustness=robustness)
    return ", ".join(f"`{f.name}` {_spark_type(f.type)}" for f in schema)


# Spark resolves a dotted name (`weights.leisure`) as a field of a struct: such columns travel
# under this stand-in for the dot and get their names back in `spark_ranker`.
_DOT = "__dot__"


def spark_profiles(profiles):
    """A Spark DataFrame of profiles made ready for :func:`spark_ranker`: dotted column names
    (``weights.leisure``, ``must.within_km.gymnasium``), which Spark would read as struct fields,
    renamed for the trip, and a ``profile_id`` Spark read as ``decimal(20,0)`` (an unsigned
    64-bit id, as ``lotse profiles grid`` writes) cast to text, the same id."""
    from pyspark.sql.functions import col
    from pyspark.sql.types import DecimalType

    if "profile_id" in profiles.columns and isinstance(
        profiles.schema["profile_id"].dataType, DecimalType
    ):
        profiles = profiles.withColumn("profile_id", col("profile_id").cast("string"))
    return profiles.toDF(*[c.replace(".", _DOT) for c in profiles.columns])


def spark_ranker(
    top_k: int = 10, *, with_criteria: bool = False, robustness: bool = False, threads: int | None = 1
) -> Callable[[Iterator], Iterator]:
    """The function for ``DataFrame.mapInArrow``: each Arrow batch of profiles in, its rows out
    (unsigned columns as Spark's int). Rejected profiles are left out, as in ``lotse batch``'s
    results; count them by comparing profile ids, or rank the rejects' table separately.
    ``threads`` per task: 1 by default, since Spark runs one task per core already."""

    def rank_partition(batches):
        import pyarrow as pa

        for batch in batches:
            batch = batch.rename_columns([c.replace(_DOT, ".") for c in batch.schema.names])
            rows = rank_batch(
                batch,
                top_k,
                with_criteria=with_criteria,
                robustness=robustness,
                output="arrow",
                threads=threads,
            )
            spark = pa.schema(
                [
                    pa.field(f.name, _spark_arrow_type(f.type))
                    for f in rows.schema
                ]
            )
            yield from rows.cast(spark).to_batches()

    return rank_partition
