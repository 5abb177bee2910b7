#!/usr/bin/env bash
# Load benchmark of `lotse serve` (issue 4): requests/s and p50/p99 latency at 64 connections,
# in one run, against the release server on loopback, of
#   healthz      GET /healthz
#   rank         POST /api/v1/rank, one realistic family profile (top 10 explained), asking for
#                gzip as the web page's browser does. After the first request the answer (made
#                and compressed once) comes from the rank cache (src/server/rank_cache.rs).
#   rank-varied  POST /api/v1/rank, a different profile on every request (budget to the cent,
#                children, workplace, car drawn at random), plain JSON as a script would ask:
#                every answer is computed and serialised, the cache misses. This is the cost of
#                a new question.
#   rank-varied-1  the same at one connection: the latency of a new question on a quiet server.
# Goals: rank reaches ≥ 70 % of healthz's req/s, p99 ≤ 5 ms, 0 non-2xx responses (issue 4); with
# the 10,000 SMAA draws in every answer, a new profile answers at one connection with p99 ≤ 20 ms
# and at 64 connections ≥ 250 new profiles/s with 0 errors (issue 13).
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
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
wrk.body = '{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden", "max_commute_km": 50, "lang": "en"}'
LUA

varied=$(mktemp --suffix=.lua)
cat >"$varied" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local places = {"Dresden", "Leipzig", "Chemnitz", "Zwickau", "Plauen", "Görlitz", "Freiberg", "Bautzen"}
init = function(args)
  -- A different stream per wrk thread (the address of a fresh table differs).
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end
request = function()
  local kids = {}
  for i = 1, math.random(0, 3) do kids[i] = tostring(math.random(0, 17)) end
  local body = string.format(
    '{"adults": %d, "children": [%s], "rent_budget_eur": %.2f, "workplace": "%s", "car": %s, "max_commute_km": %d, "lang": "%s"}',
    math.random(1, 2), table.concat(kids, ", "), 500 + math.random() * 1500,
    places[math.random(#places)], math.random() < 0.7 and "true" or "false",
    math.random(20, 80), math.random() < 0.5 and "de" or "en")
  return wrk.format(nil, nil, nil, body)
end
LUA

run() { # name, wrk args... (connections: $conns, or $run_conns for this run)
  local name=$1; shift
  local out c=${run_conns:-$conns} t=$threads
  [ "$c" -lt "$t" ] && t=$c
  out=$(wrk -t"$t" -c"$c" -d"${secs}s" --latency "$@")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  printf '%-12s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "$non2xx"
  echo "$rps" >"/tmp/lotse-load-$name.rps"
}
echo "lotse load benchmark: $conns connections, $threads wrk threads, ${secs}s each, $(nproc) cores"
run healthz "http://127.0.0.1:$port/healthz"
run rank -s "$lua" "http://127.0.0.1:$port/api/v1/rank"
run rank-varied -s "$varied" "http://127.0.0.1:$port/api/v1/rank"
run_conns=1 run rank-varied-1 -s "$varied" "http://127.0.0.1:$port/api/v1/rank"
ratio=$(awk -v r="$(cat /tmp/lotse-load-rank.rps)" -v h="$(cat /tmp/lotse-load-healthz.rps)" 'BEGIN {printf "%.0f", 100*r/h}')
ratio_varied=$(awk -v r="$(cat /tmp/lotse-load-rank-varied.rps)" -v h="$(cat /tmp/lotse-load-healthz.rps)" 'BEGIN {printf "%.0f", 100*r/h}')
echo "rank / healthz throughput: ${ratio} % (one profile, cached); ${ratio_varied} % (a new profile each request)"
rm -f "$lua" "$varied"
