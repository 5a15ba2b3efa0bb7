#!/usr/bin/env bash
# Reads while others write (issue [I]; a benchmark, not a test): builds the release binary,
# generates and imports the SIZE demo into SQLite (or uses $BENCH_DB, an SQLite file or
# postgres:// URL holding it) and runs scripts/bench-mixed.py: the cold start, the read mix with
# and without WRITE-PERCENT writes on one server, reads on one server while a second takes writes,
# how soon the first sees the second's writes, and memory, each beside its baseline from the run.
# Usage: scripts/bench-mixed.sh [SIZE] [SECONDS] [CONNECTIONS] [WRITE-PERCENT]   (default: l, 20, 32, 5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZE=${1:-l}
SECONDS_PER_PHASE=${2:-20}
CONNECTIONS=${3:-32}
WRITES=${4:-5}
command -v wrk > /dev/null || { echo "error: wrk is missing (apt-get install wrk)" >&2; exit 1; }
source scripts/serve-lib.sh
bench_setup "$SIZE"
TOKEN=$("$TANDEM" token create --db "$DB" --email "$EMAIL" --label bench-mixed)
# The writes are a salesperson's, the reads the admin's (bench-mixed.py).
WRITER_EMAIL="writer-$$@tandem.example"
"$TANDEM" user add --db "$DB" --email "$WRITER_EMAIL" --role salesperson <<< "$PASSWORD" > /dev/null
WRITER=$("$TANDEM" token create --db "$DB" --email "$WRITER_EMAIL" --label bench-mixed)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); demo: $SIZE; database: ${DB%%:*}"
status=0
python3 scripts/bench-mixed.py "$TANDEM" "$DB" "$EMAIL" "$PASSWORD" "$TOKEN" "$WRITER" "$SECONDS_PER_PHASE" "$CONNECTIONS" "$WRITES" || status=$?
"$TANDEM" user disable --db "$DB" --email "$EMAIL" > /dev/null
"$TANDEM" user disable --db "$DB" --email "$WRITER_EMAIL" > /dev/null
exit $status
