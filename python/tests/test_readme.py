"""The README's Python, Dask and Spark examples run as written: every ```python block of the
section "Python, Dask and Spark", in order, as a script in one empty directory."""

import re
import subprocess
import sys

import polars as pl

from conftest import REPO


def section() -> str:
    text = (REPO / "README.md").read_text()
    start = text.index("## Python, Dask and Spark")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_the_readme_examples_run_as_written(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", section(), re.S)
    assert len(blocks) == 3, "the notebook, Dask and Spark examples"
    for i, code in enumerate(blocks):
        script = tmp_path / f"example_{i}.py"
        script.write_text(code)
        done = subprocess.run([sys.executable, script.name], cwd=tmp_path,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"README example {i + 1} failed:\n{code}\n{done.stderr[-3000:]}"
    notebook = subprocess.run([sys.executable, "example_0.py"], cwd=tmp_path, capture_output=True,
                              text=True).stdout
    assert "Freital" in notebook and "adults" in notebook
    dask = pl.read_parquet(tmp_path / "rankings-dask" / "*.parquet")
    spark = pl.read_parquet(tmp_path / "rankings-spark" / "*.parquet")
    assert dask.height == spark.height == 40_000
    key = ["profile_id", "rank"]
    assert dask.sort(key).select("profile_id", "ags", "score").equals(
        spark.sort(key).select("profile_id", "ags", "score"))


def test_the_readme_installs_the_package_from_the_clone():
    s = section()
    assert "pip install ./python" in s and "python python/bench/bench.py" in s
