#!/usr/bin/env bash
# Property-based API fuzzing (issue 7): schemathesis (PyPI) generates requests from the
# server's own /openapi.json and checks every answer: no 5xx, content type and body as the
# schema says, status codes documented, problem+json errors.
#
# Two checks are left out where they cannot hold:
# - `positive_data_acceptance` (everywhere) expects every schema-valid request to be accepted,
#   but a schema cannot say that a workplace must be an existing municipality, that
#   `max_commute_km` needs a workplace or which criterion ids exist; lotse answers those with a
#   422 naming the field, as documented.
# - `negative_data_rejection` for POST /api/v1/batch: its body is JSON Lines, and a line that
#   is not a valid profile is answered on its own line (200), as `lotse batch` writes it to
#   the rejects file, by design; the run does not stop for one bad line.
#
# Usage: fuzz/api.sh [EXAMPLES per operation, default 300]
# Needs: pip install schemathesis
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"; shift || true
port="${LOTSE_API_FUZZ_PORT:-18190}"
command -v st >/dev/null || { echo "schemathesis is not installed (pip install schemathesis)" >&2; exit 1; }
cargo build --release --quiet
./target/release/lotse serve --bind "127.0.0.1:$port" >/tmp/lotse-api-fuzz.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
st_run() {
  SCHEMATHESIS_HOOKS=api_hooks PYTHONPATH="$PWD/fuzz" st run "http://127.0.0.1:$port/openapi.json" \
    --url "http://127.0.0.1:$port" --checks all --max-examples "$n" \
    --seed "${LOTSE_API_FUZZ_SEED:-1}" --max-response-time 5 --suppress-health-check all "$@"
}
status=0
st_run --exclude-checks positive_data_acceptance --exclude-path /api/v1/batch "$@" || status=1
st_run --exclude-checks positive_data_acceptance,negative_data_rejection --include-path /api/v1/batch "$@" || status=1
# The server must still be up and answer after the run.
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && echo "server still healthy after the run" || status=1
exit $status
