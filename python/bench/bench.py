"""Benchmark of the Python package against `lotse batch` (issue 15): profiles/s and peak memory
on the same 1,000,000 grid profiles (Parquet in and out, top 10).

    python python/bench/bench.py                 # every case below, a table at the end
    python python/bench/bench.py --cases cli,rank_batch --threads 1 --repeat 3

Cases (each in its own process under GNU time, `/usr/bin/time -v`, for its peak RSS):
- `cli`: `lotse batch --profiles P --out O --top-k 10 --threads N` (reads, ranks, writes);
- `rank_batch`: `pl.read_parquet(P)`, `lotse.rank_batch(df, 10, threads=N)`, `write_parquet(O)`;
  the ranking alone is timed too (`rank s`);
- `dask`: the README's Dask recipe on a `LocalCluster` of 2 worker processes (1 thread each)
  over the profiles split into 8 files, results written with `to_parquet`;
- `spark`: the README's Spark recipe, `local[2]`, results written with `write.parquet`.
"CPU s" is user + system time of all its processes (GNU time counts the waited-for children):
profiles per CPU second compare per core even on a machine shared with other work, where wall
times vary. For `dask` and `spark` the JVM and worker processes are counted only as far as GNU
time sees them (Spark's Python workers are children of the JVM). For `dask` and `spark` the peak is also sampled as the sum over the whole process tree
(workers, JVM) with psutil every 0.1 s, since GNU time reports the largest single process.

Needs `target/release/lotse` (cargo build --release) and the package installed
(pip install ./python[test]). Files go to python/target/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOTSE = Path(os.environ.get("LOTSE_BIN", REPO / "target" / "release" / "lotse"))
DIR = REPO / "python" / "target" / "bench"

# As benches/batch.sh: 2 × 10 × 100 × 5 × 2 × 5 × 10 = 1,000,000 distinct profiles.
GRID = ["--adults", "1,2", "--children", "none;0;2;4;3,7;8;12;2,5,9;15;1,10",
        "--budget", "500..2480:20", "--workplace", "none;Dresden;Leipzig;Chemnitz;Zwickau",
        "--car", "true,false", "--income", "none,2500,4000,6000,9000",
        "--weight", "leisure=0..4.5:0.5"]


def profiles() -> Path:
    DIR.mkdir(parents=True, exist_ok=True)
    p = DIR / "profiles-1m.parquet"
    if not p.exists():
        subprocess.run([LOTSE, "profiles", "grid", *GRID, "--out", p], check=True)
    parts = DIR / "profiles-1m"
    if not parts.exists():
        import polars as pl

        df = pl.read_parquet(p)
        parts.mkdir()
        n = df.height
        for i in range(8):
            df.slice(i * n // 8, (i + 1) * n // 8 - i * n // 8).write_parquet(parts / f"part-{i}.parquet")
    return p


def timed(cmd: list) -> dict:
    """Runs `cmd` under GNU time; its wall time and peak RSS, and the tree's sampled peak."""
    import psutil

    proc = subprocess.Popen(["/usr/bin/time", "-v", *map(str, cmd)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    done.set()
    if proc.returncode:
        raise SystemExit(f"{cmd} failed:\n{out}\n{err}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) * 1024
    wall = re.search(r"Elapsed \(wall clock\) time .*: (\S+)", err).group(1)
    parts = [float(x) for x in wall.split(":")]
    seconds = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
    cpu = sum(float(re.search(rf"{k} time \(seconds\): (\S+)", err).group(1)) for k in ("User", "System"))
    extra = {"cpu_s": cpu}
    for line in out.splitlines():
        if line.startswith("{"):
            extra.update(json.loads(line))
    return {"wall_s": seconds, "peak_rss_mib": rss / 2**20, "tree_peak_mib": peak / 2**20, **extra}


def one(case: str, threads: int) -> None:
    """One case, in this process (called by `timed` through `--one`)."""
    p = profiles()
    out = DIR / f"out-{case}-{threads}"
    if case == "rank_batch":
        import polars as pl

        import lotse

        t0 = time.perf_counter()
        df = pl.read_parquet(p)
        t1 = time.perf_counter()
        rows = lotse.rank_batch(df, 10, threads=threads)
        t2 = time.perf_counter()
        rows.write_parquet(f"{out}.parquet")
        t3 = time.perf_counter()
        print(json.dumps({"read_s": t1 - t0, "rank_s": t2 - t1, "write_s": t3 - t2,
                          "rows": rows.height}))
    elif case == "dask":
        import dask.dataframe as dd
        from distributed import Client, LocalCluster

        import lotse
        import lotse.engines

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster):
            t0 = time.perf_counter()
            ddf = dd.read_parquet(str(DIR / "profiles-1m"))
            rows = ddf.map_partitions(lotse.rank_batch, 10, output="pandas", threads=1,
                                      meta=lotse.engines.dask_meta(10))
            rows.to_parquet(str(out), write_index=False)
            print(json.dumps({"run_s": time.perf_counter() - t0}))
    elif case == "spark":
        from pyspark.sql import SparkSession

        import lotse.engines

        # Spark's Python workers must import lotse: this very Python (the driver's).
        os.environ["PYSPARK_PYTHON"] = sys.executable
        spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
                 .getOrCreate())
        t0 = time.perf_counter()
        df = lotse.engines.spark_profiles(spark.read.parquet(str(DIR / "profiles-1m")))
        rows = df.mapInArrow(lotse.engines.spark_ranker(10), lotse.engines.spark_schema(10))
        rows.write.mode("overwrite").parquet(str(out))
        print(json.dumps({"run_s": time.perf_counter() - t0}))
        spark.stop()
    else:
        raise SystemExit(f"unknown case {case}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="cli,rank_batch,dask,spark")
    ap.add_argument("--threads", default="1,2", help="for cli and rank_batch")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per case, the fastest reported (the machine may be shared)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        one(a.one, int(a.threads))
        return
    p = profiles()
    n = 1_000_000
    print(f"{n:,} profiles, top 10, on {os.cpu_count()} cores")
    print(f"{'case':<22} {'wall s':>7} {'profiles/s':>11} {'CPU s':>6} {'per CPU s':>10} {'rank s':>7} {'peak MiB':>9} {'tree MiB':>9}")
    for case in a.cases.split(","):
        for threads in ([int(t) for t in a.threads.split(",")] if case in ("cli", "rank_batch") else [2]):
            if case == "cli":
                cmd = [LOTSE, "batch", "--profiles", p, "--out", DIR / f"out-cli-{threads}.parquet",
                       "--top-k", "10", "--threads", threads, "--quiet"]
            else:
                cmd = [sys.executable, __file__, "--one", case, "--threads", threads]
            runs = [timed(cmd) for _ in range(a.repeat)]
            r = min(runs, key=lambda r: r["wall_s"])
            # Spark's JVM is not a child GNU time waits for: its CPU time is not measured.
            r["cpu_s"] = float("nan") if case == "spark" else min(x["cpu_s"] for x in runs)
            rank_s = r.get("rank_s")
            label = f"{case} ({threads} thread{'s' if threads > 1 else ''})" if case in ("cli", "rank_batch") else f"{case} (2 workers)"
            print(f"{label:<22} {r['wall_s']:>7.2f} {n / r['wall_s']:>11,.0f} "
                  f"{r['cpu_s']:>6.1f} {n / r['cpu_s']:>10,.0f} "
                  f"{rank_s if rank_s is not None else float('nan'):>7.2f} "
                  f"{r['peak_rss_mib']:>9.0f} {r['tree_peak_mib']:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
