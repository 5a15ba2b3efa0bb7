#!/usr/bin/env bash
# Page benchmark (not a test): serves a demo with a release build, signs in and times every kind
# of page with scripts/bench-pages.py (p50, p95 and the ratio to the stylesheet measured in the
# same run). Usage: scripts/bench-pages.sh [SIZE] [ROUNDS]   (default: l, 20)
# Reuses $BENCH_DB (an SQLite file holding the demo) when given; otherwise generates and imports it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZE=${1:-l}
ROUNDS=${2:-20}
source scripts/serve-lib.sh
bench_setup "$SIZE"
serve_tandem "$WORK/serve.log" --db "$DB"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); demo: $SIZE; rounds: $ROUNDS"
python3 scripts/bench-pages.py "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$ROUNDS"
"$TANDEM" user disable --db "$DB" --email "$EMAIL" > /dev/null
