"""lotse for researchers: rank Saxony's 418 municipalities for household profiles.

The same scoring core as the ``lotse`` command line and web API, over the atlas the ``lotse``
binary bundles (or an atlas file written by ``lotse ingest``)::

    import lotse, polars as pl
    lotse.rank({"adults": 2, "children": [4], "workplace": "Dresden"}, top=3)   # as POST /api/v1/rank
    rows = lotse.rank_batch(pl.DataFrame({"adults": [1, 2], "children": ["", "2;8"]}))  # as lotse batch
    lotse.atlas()       # one row per municipality, one column per indicator
    lotse.criteria()    # the criteria table (GET /api/v1/criteria)
    lotse.about()       # lotse version, atlas input hash, criteria table

Profiles tables have the columns of ``lotse batch`` (README, "Batch rankings"): ``adults``
(required), ``children`` (a list of ages or text such as ``"2;8"``), ``rent_budget_eur``,
``workplace``, ``weights.<criterion>``, ``must.within_km.<facility>``, ... and an optional
``profile_id``. They arrive as Arrow columns (polars, pyarrow, pandas through pyarrow): no
Python object per row, and the GIL is released while ranking on every core.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any, Literal

from . import _lotse
from ._lotse import InvalidColumns, InvalidProfile

__all__ = [
    "rank",
    "rank_batch",
    "atlas",
    "indicators",
    "sources",
    "criteria",
    "about",
    "result_schema",
    "InvalidProfile",
    "InvalidColumns",
    "RejectedProfiles",
    "__version__",
]

__version__: str = _lotse.VERSION

AtlasPath = str | os.PathLike | None
Output = Literal["polars", "pandas", "arrow"]


class RejectedProfiles(UserWarning):
    """Some profiles of a batch could not be ranked (pass ``with_rejects=True`` to get them)."""


def _path(atlas: AtlasPath) -> str | None:
    return None if atlas is None else os.fspath(atlas)


def rank(
    profile: dict[str, Any], top: int = 10, lang: str | None = "en", *, atlas: AtlasPath = None
) -> dict[str, Any]:
    """Ranks every municipality for one household: the answer of ``POST /api/v1/rank``.

    ``top`` (1-50) rows carry explanations, robustness and help contacts; ``lang`` ("en" or
    "de") overrides the profile's own ``lang`` (``None`` keeps it). An invalid profile raises
    :class:`InvalidProfile`, whose ``field``, ``problem`` and ``allowed`` name the field.
    """
    text = json.dumps(profile)
    return json.loads(_lotse.rank_json(text, top, lang, _path(atlas)))


def criteria() -> dict[str, Any]:
    """The criteria table (``GET /api/v1/criteria``): curves, breakpoints, default weights."""
    return json.loads(_lotse.criteria_json())


def about(*, atlas: AtlasPath = None) -> dict[str, Any]:
    """What makes a result reproducible: ``lotse_version``, ``atlas_input_hash``,
    ``atlas_origin`` and the ``criteria`` table (the keys ``lotse batch`` writes as metadata)."""
    return json.loads(_lotse.about_json(_path(atlas)))


def _polars():
    import polars as pl

    return pl


def _arrow_table(stream):
    import pyarrow as pa

    return pa.table(stream)


def _convert(stream, output: Output):
    if output == "polars":
        pl = _polars()
        try:
            return pl.DataFrame(stream)
        except TypeError:
            # A polars that cannot read the PyCapsule interface itself: through pyarrow.
            return pl.from_arrow(_arrow_table(stream))
    if output == "arrow":
        return _arrow_table(stream)
    if output == "pandas":
        return _arrow_table(stream).to_pandas()
    raise ValueError(f"output must be 'polars', 'pandas' or 'arrow', not {output!r}")


def atlas(*, atlas: AtlasPath = None, output: Output = "polars"):
    """The atlas: one row per municipality (``ags``, ``name``, ``district``, ``lat``, ``lon``,
    ...), one column per indicator (its id). With ``output="arrow"`` every indicator column
    carries its label, unit, sources and reference date as field metadata; :func:`indicators`
    gives the same as a table."""
    return _convert(_lotse.atlas_arrow(_path(atlas)), output)


def indicators(*, atlas: AtlasPath = None):
    """The indicators of :func:`atlas`: id, labels, unit, sources, reference date, method."""
    return _polars().DataFrame(json.loads(_lotse.indicators_json(_path(atlas))))


def sources(*, atlas: AtlasPath = None) -> list[dict[str, Any]]:
    """Every dataset of the atlas: publisher, licence, attribution, reference date."""
    return json.loads(_lotse.sources_json(_path(atlas)))


def _profiles_stream(profiles):
    if hasattr(profiles, "__arrow_c_stream__"):
        return profiles
    if hasattr(profiles, "__arrow_c_array__"):
        # A record batch of a pyarrow before 16 (as Spark's mapInArrow may hand over).
        import pyarrow as pa

        return pa.Table.from_batches([profiles])
    if type(profiles).__module__.startswith("polars") and hasattr(profiles, "to_arrow"):
        # A polars DataFrame of a version without the PyCapsule interface.
        return profiles.to_arrow()
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional
        pd = None
    if pd is not None and isinstance(profiles, pd.DataFrame):
        # Column by column through Arrow (pandas before 3 has no __arrow_c_stream__).
        import pyarrow as pa

        return pa.Table.from_pandas(profiles, preserve_index=False)
    raise TypeError(
        "profiles must be a polars or pandas DataFrame or a pyarrow Table / RecordBatch "
        f"(anything with __arrow_c_stream__), not {type(profiles).__name__}"
    )


def rank_batch(
    profiles,
    top_k: int = 10,
    *,
    with_criteria: bool = False,
    robustness: bool = False,
    with_rejects: bool = False,
    output: Output = "polars",
    atlas: AtlasPath = None,
    threads: int | None = None,
):
    """Ranks every profile of a table: its top ``top_k`` rows in the long format of
    ``lotse batch`` (``profile_id, rank, ags, name, score``; ``robustness=True`` adds
    ``top_k_share, rank_p5, rank_p95, group``, ``with_criteria=True`` one utility column per
    criterion). Row for row what ``lotse batch --top-k top_k`` writes for the same profiles.

    ``profiles``: a polars or pandas DataFrame or a pyarrow Table with the columns of
    ``lotse batch``. A column lotse cannot read (unknown name, wrong type) raises
    :class:`InvalidColumns` naming it; a bad row does not raise: it is rejected, as in
    ``lotse batch``, and with ``with_rejects=True`` the call returns ``(rows, rejects)`` where
    rejects has ``profile_id, line, field, reason, allowed`` (``line``: the 1-based row).
    Without it, rejected rows are reported by a :class:`RejectedProfiles` warning.

    ``output``: ``"polars"`` (default), ``"pandas"`` or ``"arrow"`` (a pyarrow Table whose
    schema metadata carries ``lotse.atlas_input_hash``, ``lotse.lotse_version``,
    ``lotse.criteria``, ... as ``lotse batch`` writes them into its Parquet files).
    ``threads``: ranking threads (default: one per core).
    """
    rows, rejects = _lotse.rank_table(
        _profiles_stream(profiles),
        top_k,
        with_criteria,
        robustness,
        _path(atlas),
        threads,
    )
    rows = _convert(rows, output)
    if with_rejects:
        return rows, _convert(rejects, output)
    bad = _polars().DataFrame(rejects)
    if bad.height:
        first = bad.row(0, named=True)
        warnings.warn(
            f"{bad.height} profile(s) rejected, e.g. row {first['line']} "
            f"(profile_id {first['profile_id']}): field `{first['field']}`: {first['reason']} "
            f"(allowed: {first['allowed']}); pass with_rejects=True to get them all",
            RejectedProfiles,
            stacklevel=2,
        )
    return rows


def result_schema(
    top_k: int = 10, *, with_criteria: bool = False, robustness: bool = False, atlas: AtlasPath = None
):
    """The pyarrow schema of :func:`rank_batch`'s rows (with its ``lotse.*`` metadata): the
    ``meta`` of a Dask ``map_partitions``, or the schema of a Spark ``mapInArrow``."""
    import pyarrow as pa

    rows, _ = _lotse.rank_table(
        pa.table({"adults": pa.array([], pa.int64())}),
        top_k,
        with_criteria,
        robustness,
        _path(atlas),
        None,
    )
    return pa.table(rows).schema
