#!/usr/bin/env bash
# Soak benchmark (not a test, not in CI): serves the l demo with a release build and runs
# scripts/soak.py, which drives wrk for MINUTES with a mix of reads (API lists, pages, the health
# check) and writes (new interactions through the API) while it samples the server's memory.
# It reports requests/s, latency, errors and the memory over time, and fails on any error or on
# memory that keeps growing.
# Usage: scripts/soak.sh [MINUTES] [CONNECTIONS] [WRITE-PERCENT]   (default: 10, 32, 5)
# Reuses $BENCH_DB (an SQLite file or postgres:// URL holding the demo) when given.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MINUTES=${1:-10}
CONNECTIONS=${2:-32}
WRITES=${3:-5}
command -v wrk > /dev/null || { echo "error: wrk is missing (apt-get install wrk)" >&2; exit 1; }
source scripts/serve-lib.sh
bench_setup l
TOKEN=$("$TANDEM" token create --db "$DB" --email "$EMAIL" --label soak)
serve_tandem "$WORK/serve.log" --db "$DB"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); demo: l; database: ${DB%%:*}"
status=0
python3 scripts/soak.py "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$TOKEN" "$SERVER_PID" "$MINUTES" "$CONNECTIONS" "$WRITES" || status=$?
"$TANDEM" user disable --db "$DB" --email "$EMAIL" > /dev/null
exit $status
