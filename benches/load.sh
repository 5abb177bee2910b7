#!/usr/bin/env bash
# Load benchmark of `lotse serve` (issue 4): requests/s and p50/p99 latency of
#   POST /api/v1/rank (a realistic family profile, top 10 explained) and GET /healthz
# at 64 connections, in one run, against the release server on loopback.
# Goal: rank reaches ≥ 70 % of healthz's req/s, p99 ≤ 5 ms, 0 non-2xx responses.
#
# Needs wrk (Debian: apt-get install wrk). Usage: benches/load.sh [seconds per endpoint, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"
conns=64
threads=2
port="${LOTSE_LOAD_PORT:-18080}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

cargo build --release --quiet
./target/release/lotse serve --bind "127.0.0.1:$port" >/tmp/lotse-load-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

lua=$(mktemp --suffix=.lua)
cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden", "max_commute_km": 50, "lang": "en"}'
LUA

run() { # name, wrk args...
  local name=$1; shift
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$@")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  printf '%-10s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "$non2xx"
  echo "$rps" >"/tmp/lotse-load-$name.rps"
}
echo "lotse load benchmark: $conns connections, $threads wrk threads, ${secs}s each, $(nproc) cores"
run healthz "http://127.0.0.1:$port/healthz"
run rank -s "$lua" "http://127.0.0.1:$port/api/v1/rank"
ratio=$(awk -v r="$(cat /tmp/lotse-load-rank.rps)" -v h="$(cat /tmp/lotse-load-healthz.rps)" 'BEGIN {printf "%.0f", 100*r/h}')
echo "rank / healthz throughput: ${ratio} %"
rm -f "$lua"
