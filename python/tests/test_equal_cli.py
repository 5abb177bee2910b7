"""`rank_batch` equals `lotse batch` row for row: the same profiles (a grid written by
`lotse profiles grid`, as CSV and as Parquet, plus rows that must be rejected) ranked by the
release binary and by the package, compared value for value (scores exactly)."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import lotse
from conftest import cli_batch


def read_profiles(path):
    # CSV as the CLI reads it: every cell text (an empty cell is no value).
    if path.suffix == ".csv":
        return pl.read_csv(path, infer_schema=False)
    return pl.read_parquet(path)


@pytest.mark.parametrize("ext", ["csv", "parquet"])
@pytest.mark.parametrize("top_k,args", [(10, {}), (3, {"with_criteria": True}), (418, {})])
def test_rows_equal_lotse_batch(grid_files, tmp_path, ext, top_k, args):
    profiles = grid_files[ext]
    flags = ["--top-k", str(top_k)] + (["--with-criteria"] if args.get("with_criteria") else [])
    cli = cli_batch(profiles, tmp_path / "cli.parquet", *flags)
    ours = lotse.rank_batch(read_profiles(profiles), top_k, **args)
    assert cli.height >= 500
    assert ours.columns == cli.columns
    assert_frame_equal(ours, cli, check_exact=True)


def test_robustness_columns_equal_lotse_batch(tmp_path):
    profiles = pl.DataFrame({"profile_id": ["x", "y", "z"], "adults": [1, 2, 2],
                             "children": [None, "3;7", "1"], "workplace": [None, "Dresden", "Leipzig"]})
    path = tmp_path / "p.parquet"
    profiles.write_parquet(path)
    cli = cli_batch(path, tmp_path / "cli.parquet", "--top-k", "5", "--robustness")
    ours = lotse.rank_batch(profiles, 5, robustness=True)
    assert_frame_equal(ours, cli, check_exact=True)


def test_rejects_equal_lotse_batch(tmp_path):
    bad = pl.DataFrame({
        "profile_id": ["ok", "kid", "adults", "budget", "town", "weight", None],
        "adults": [2, 2, 11, 1, 1, 1, 0],
        "children": ["3", "3;x", None, None, None, None, None],
        "rent_budget_eur": [None, None, None, -5.0, None, None, None],
        "workplace": [None, None, None, None, "Nowhere-an-der-Elbe", None, None],
        "weights.leisure": [None, None, None, None, None, 9.0, None],
    })
    path = tmp_path / "bad.parquet"
    bad.write_parquet(path)
    out = tmp_path / "cli.parquet"
    cli = cli_batch(path, out)
    cli_rejects = pl.read_csv(str(out) + ".rejects.csv", infer_schema=False)
    rows, rejects = lotse.rank_batch(bad, 10, with_rejects=True)
    assert_frame_equal(rows, cli, check_exact=True)
    assert rejects.height == 6
    assert_frame_equal(rejects.with_columns(pl.col("line").cast(pl.String)), cli_rejects)
