#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for MINUTES each, one after the other, one job
# each, and prints a summary table (also written to fuzz/last-run.txt):
#
#   fuzz/run-all.sh MINUTES [TARGET...]        # e.g. fuzz/run-all.sh 10
#
# Per target: the result (ok, or CRASH with the artifact), the executions (libFuzzer's final
# `stat::number_of_executed_units`, from -print_final_stats=1), executions per second, and the
# coverage of the last status line (`cov:` edges, `ft:` features, `corp:` units/bytes).
# The working corpus grows in fuzz/corpus/<target>/ (the seeds in fuzz/seeds/<target>/, made by
# make-seeds.sh when missing,
# are read, never written); crashes land in fuzz/artifacts/<target>/; full logs in
# fuzz/logs/<target>.log. All three and last-run.txt are git-ignored.
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). FUZZ_BUILD_FLAGS
# overrides the build flags (default: -O -a, release with debug assertions and overflow checks;
# a different value rebuilds everything, polars included).
set -euo pipefail
cd "$(dirname "$0")"

minutes=${1:?usage: fuzz/run-all.sh MINUTES [TARGET...]}
shift
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60); if (s < 1) s = 1; print s }')
read -r -a flags <<<"${FUZZ_BUILD_FLAGS:--O -a}"

if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# The seeds are made from the data directory (not committed; see fuzz/README.md).
[ -d seeds ] || ./make-seeds.sh

echo "building ${#targets[@]} target(s): cargo +nightly fuzz build ${flags[*]}" >&2
cargo +nightly fuzz build "${flags[@]}"

mkdir -p logs corpus
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rows=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "seeds/$t"
    log="logs/$t.log"
    echo "fuzzing $t for ${seconds}s (log: fuzz/$log)" >&2
    result=ok
    if ! cargo +nightly fuzz run "${flags[@]}" "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=30 -rss_limit_mb=4096 \
        >"$log" 2>&1; then
        artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //')
        result="CRASH ${artifact:-see log}"
    fi
    execs=$(awk '/stat::number_of_executed_units:/ { v = $2 } END { print (v == "" ? "-" : v) }' "$log")
    persec=$(awk '/stat::average_exec_per_sec:/ { v = $2 } END { print (v == "" ? "-" : v) }' "$log")
    status=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
    field() { sed -n "s/.* $1: \([^ ]*\).*/\1/p" <<<"$status"; }
    cov=$(field cov)
    ft=$(field ft)
    corp=$(field corp)
    rows+=("$(printf '%-30s %10s %8s %6s %7s %12s  %s' "$t" "$execs" "$persec" "${cov:--}" "${ft:--}" "${corp:--}" "$result")")
done

{
    echo "lotse fuzz run: ${seconds}s per target, started $started, build flags: ${flags[*]}"
    printf '%-30s %10s %8s %6s %7s %12s  %s\n' target execs exec/s cov ft corpus result
    printf '%s\n' "${rows[@]}"
} | tee last-run.txt
