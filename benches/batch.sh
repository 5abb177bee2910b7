#!/usr/bin/env bash
# Batch benchmark (issue 5): `lotse batch` on 1,000,000 grid profiles, top 10, Parquet in and
# out — profiles/s — and peak RSS (GNU time) on 10,000,000 profiles.
# Goals: ≥ 250,000 profiles/s on 2 cores; peak RSS < 1 GiB for 10,000,000 profiles.
#
# Needs GNU time (Debian: apt-get install time). Usage:
#   benches/batch.sh            # 1M profiles (about 15 s), then 10M (about 2 min)
#   benches/batch.sh 1m         # only the 1M run
# Files go to ${LOTSE_BATCH_DIR:-target/batch-bench} (about 40 MB for 10M profiles in and
# 100 MB out).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)" >&2; exit 1; }
cargo build --release --quiet
lotse=$PWD/target/release/lotse
dir=${LOTSE_BATCH_DIR:-target/batch-bench}
mkdir -p "$dir"

# 2 × 10 × 100 × 5 × 2 × 5 × 10 = 1,000,000 distinct profiles; × 10 transit weights = 10M.
grid=(--adults 1,2 --children "none;0;2;4;3,7;8;12;2,5,9;15;1,10" --budget 500..2480:20
      --workplace "none;Dresden;Leipzig;Chemnitz;Zwickau" --car true,false
      --income none,2500,4000,6000,9000 --weight leisure=0..4.5:0.5)

run() { # name, profiles file
  local name=$1 profiles=$2 out log
  out="$dir/results-$name.parquet"
  log=$(mktemp)
  /usr/bin/time -v "$lotse" batch --profiles "$profiles" --out "$out" --top-k 10 --quiet >"$log" 2>&1
  local summary rss wall
  summary=$(grep '^profiles read' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MiB", $2/1024}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  echo "$name: $summary"
  echo "$name: wall $wall, peak RSS $rss, result $(du -h "$out" | cut -f1)"
  rm -f "$log"
}

echo "lotse batch benchmark on $(nproc) cores"
[ -f "$dir/profiles-1m.parquet" ] || "$lotse" profiles grid "${grid[@]}" --out "$dir/profiles-1m.parquet"
run 1m "$dir/profiles-1m.parquet"
if [ "${1:-all}" != 1m ]; then
  [ -f "$dir/profiles-10m.parquet" ] ||
    "$lotse" profiles grid "${grid[@]}" --weight transit=0..4.5:0.5 --out "$dir/profiles-10m.parquet"
  run 10m "$dir/profiles-10m.parquet"
fi
