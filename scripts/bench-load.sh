#!/usr/bin/env bash
# Load benchmark (not a test): serves a demo with a release build and runs scripts/bench-load.py,
# which drives wrk (Debian) at the health check, the API's lists and the main pages and prints
# requests/s, p50, p99, the ratio to the health check's requests/s and the server's memory.
# Usage: scripts/bench-load.sh [SIZE] [SECONDS] [CONNECTIONS]   (default: xl, 10, 64)
# Reuses $BENCH_DB (an SQLite file or postgres:// URL holding the demo) when given; otherwise
# generates the demo and imports it into SQLite. $BENCH_SERVE_ARGS are added to `tandem serve`
# (`--list-cache-mib 0` measures the API lists without their cache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZE=${1:-xl}
SECONDS_PER_TARGET=${2:-10}
CONNECTIONS=${3:-64}
command -v wrk > /dev/null || { echo "error: wrk is missing (apt-get install wrk)" >&2; exit 1; }
source scripts/serve-lib.sh
bench_setup "$SIZE"
TOKEN=$("$TANDEM" token create --db "$DB" --email "$EMAIL" --label bench-load)
# shellcheck disable=SC2086  # word splitting of the extra arguments is wanted
serve_tandem "$WORK/serve.log" --db "$DB" ${BENCH_SERVE_ARGS:-}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); demo: $SIZE; database: ${DB%%:*}"
status=0
python3 scripts/bench-load.py "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$TOKEN" "$SERVER_PID" "$SECONDS_PER_TARGET" "$CONNECTIONS" || status=$?
"$TANDEM" user disable --db "$DB" --email "$EMAIL" > /dev/null
exit $status
