#!/usr/bin/env bash
# Reads and writes during a large import through the server's import page (a benchmark, not a
# test, not in CI): serves the l demo with a release build, uploads about 1.7 million rows of the
# xl demo (its organizations, people and employments, and as many interactions as fit the page's
# 256 MB upload limit) and runs scripts/bench-import-load.py, which reads and writes all along.
# Usage: scripts/bench-import-load.sh   (reuses $BENCH_DB, an SQLite file or postgres:// URL holding the l demo, when given)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/serve-lib.sh
bench_setup l
TOKEN=$("$TANDEM" token create --db "$DB" --email "$EMAIL" --label bench-import-load)
"$TANDEM" demo --size xl "$WORK/xl" > /dev/null
mkdir "$WORK/upload"
for file in territories organizations branches people employments; do cp "$WORK/xl/$file.csv" "$WORK/upload/"; done
# Whole lines only, about 150 MB of them.
head -c 150000000 "$WORK/xl/interactions.csv" | head -n -1 > "$WORK/upload/interactions.csv"
rm -rf "$WORK/xl"
serve_tandem "$WORK/serve.log" --db "$DB"
echo "machine: $(nproc) cores; served: the l demo on ${DB%%:*}; upload: $(du -sm "$WORK/upload" | cut -f1) MB"
status=0
python3 scripts/bench-import-load.py "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$TOKEN" "$WORK/upload" || status=$?
"$TANDEM" user disable --db "$DB" --email "$EMAIL" > /dev/null
exit $status
