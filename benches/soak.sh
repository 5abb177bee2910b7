#!/usr/bin/env bash
# Soak and over-capacity runs of `lotse serve` (issue 7), against the release server on loopback.
#
# 1. Soak: 256 connections for SECS seconds (default 60) against a mix of
#      50 % POST /api/v1/rank  (a new profile on 1 request in 5, else one of 8 common profiles)
#      35 % GET  /api/v1/municipalities/{ags}  (any of the 418)
#      15 % GET  /
#    Reports requests, failures (socket errors + non-2xx), p50/p99, and the server's resident
#    memory (VmRSS) sampled every 5 s: after warm-up, at the end, and the largest.
# 2. Over capacity: a server with --concurrency 4 and no rank cache, 256 connections of new
#    rank profiles for 15 s: the requests beyond the limit get a fast 503 with Retry-After
#    (counted as non-2xx here), latency stays low instead of piling up.
#
# Needs wrk (Debian: apt-get install wrk). Usage: benches/soak.sh [SECS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
port="${LOTSE_SOAK_PORT:-18180}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start() { # args...
  ./target/release/lotse serve --bind "127.0.0.1:$port" "$@" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$server/status"; }

report() { # name, wrk output file
  local out=$2
  local rps p50 p99 non2xx errors total
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  total=$(awk '/requests in/ {print $1}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10}' "$out"); errors=${errors:-0}
  printf '%-14s %9s requests  %9s req/s  p50 %8s  p99 %8s  non-2xx %s  socket errors %s\n' \
    "$1" "$total" "$rps" "$p50" "$p99" "$non2xx" "$errors"
}

# The municipalities' AGS for the Lua script.
start
curl -sf "http://127.0.0.1:$port/api/v1/municipalities" |
  python3 -c 'import json,sys; print("ags = {" + ",".join("\"%s\"" % m["ags"] for m in json.load(sys.stdin)) + "}")' >"$work/ags.lua"

cat >"$work/mix.lua" <<LUA
$(cat "$work/ags.lua")
local places = {"Dresden", "Leipzig", "Chemnitz", "Zwickau", "Plauen", "Görlitz", "Freiberg", "Bautzen"}
init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end
local function profile(budget, place)
  return string.format('{"adults": 2, "children": [%d], "rent_budget_eur": %s, "workplace": "%s", "lang": "%s"}',
    math.random(0, 12), budget, place, math.random() < 0.5 and "de" or "en")
end
request = function()
  local r = math.random()
  if r < 0.5 then
    local body
    if math.random() < 0.2 then
      body = profile(string.format("%.2f", 500 + math.random() * 1500), places[math.random(#places)])
    else
      local i = math.random(#places)
      body = string.format('{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "%s"}', places[i])
    end
    return wrk.format("POST", "/api/v1/rank", {["Content-Type"] = "application/json", ["Accept-Encoding"] = "gzip"}, body)
  elseif r < 0.85 then
    return wrk.format("GET", "/api/v1/municipalities/" .. ags[math.random(#ags)])
  else
    return wrk.format("GET", "/", {["Accept-Encoding"] = "gzip"})
  end
end
LUA

echo "lotse soak: 256 connections, ${secs}s, $(nproc) cores"
# Warm-up, then sample memory every 5 s while the soak runs.
wrk -t2 -c256 -d5s -s "$work/mix.lua" "http://127.0.0.1:$port" >/dev/null
rss_start=$(rss_mib)
( while kill -0 "$server" 2>/dev/null; do rss_mib; echo; sleep 5; done ) >"$work/rss.txt" 2>/dev/null &
sampler=$!
[ -n "${LOTSE_SOAK_PERF:-}" ] && { perf record -F 499 -g -o "$LOTSE_SOAK_PERF" -p "$server" -- sleep 8 >/dev/null 2>&1 & }
wrk -t2 -c256 -d"${secs}s" --timeout 10s --latency -s "$work/mix.lua" "http://127.0.0.1:$port" >"$work/soak.txt"
kill "$sampler" 2>/dev/null || true
rss_end=$(rss_mib)
rss_max=$(sort -n "$work/rss.txt" | tail -1)
report soak "$work/soak.txt"
echo "resident memory: ${rss_start} MiB after warm-up, ${rss_end} MiB at the end, ${rss_max} MiB at most (samples every 5 s: $(tr '\n' ' ' <"$work/rss.txt"))"
stop

# Over capacity.
start --concurrency 4 --rank-cache-mb 0
cat >"$work/varied.lua" <<'LUA'
init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end
request = function()
  local body = string.format('{"adults": 2, "children": [3, 7], "rent_budget_eur": %.2f, "workplace": "Dresden"}', 500 + math.random() * 1500)
  return wrk.format("POST", "/api/v1/rank", {["Content-Type"] = "application/json"}, body)
end
LUA
wrk -t2 -c256 -d15s --timeout 10s --latency -s "$work/varied.lua" "http://127.0.0.1:$port/api/v1/rank" >"$work/over.txt" &
wrk_pid=$!
sleep 5
# One request beyond the limit, seen as a client sees it.
curl -s -o /dev/null -D - -X POST -H 'Content-Type: application/json' \
  -d '{"adults": 2, "rent_budget_eur": 777.77, "workplace": "Leipzig"}' \
  "http://127.0.0.1:$port/api/v1/rank" -w 'time %{time_total}s\n' |
  grep -iE '^HTTP|^retry-after|^content-type|^time' | tr -d '\r' | sed 's/^/  probe during the overload: /' || true
wait "$wrk_pid"
report over-capacity "$work/over.txt"
echo "(over capacity: non-2xx are the 503s beyond --concurrency 4; a 2xx share shows the limit still serves)"
stop
