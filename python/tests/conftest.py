"""Shared helpers: the `lotse` binary of this repository (built by `cargo build --release`, or by
`cargo test --release --workspace`, which CI runs first) and profile files it generates."""

import os
import subprocess
from pathlib import Path

import polars as pl
import pytest

REPO = Path(__file__).resolve().parents[2]


def lotse_bin() -> Path:
    path = Path(os.environ.get("LOTSE_BIN", REPO / "target" / "release" / "lotse"))
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: build it with `cargo build --release` (or set LOTSE_BIN)"
        )
    return path


def run(*args) -> str:
    out = subprocess.run(
        [str(lotse_bin()), *map(str, args)], check=True, capture_output=True, text=True
    )
    return out.stdout + out.stderr


def grid(path: Path, *extra) -> Path:
    """A profile grid written by `lotse profiles grid` (CSV, JSON Lines or Parquet by suffix)."""
    run(
        "profiles", "grid",
        "--adults", "1,2",
        "--children", "none;3;3,7",
        "--budget", "none,500..1400:300",
        "--workplace", "none;Dresden;Leipzig+Chemnitz;51.05,13.74",
        "--car", "true,false",
        "--weight", "leisure=0,4",
        *extra,
        "--out", path,
    )
    return path


def cli_batch(profiles: Path, out: Path, *args) -> pl.DataFrame:
    run("batch", "--profiles", profiles, "--out", out, "--quiet", *args)
    return pl.read_parquet(out)


@pytest.fixture(scope="session")
def grid_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("grid")
    return {ext: grid(d / f"profiles.{ext}") for ext in ("csv", "parquet")}
