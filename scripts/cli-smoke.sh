#!/usr/bin/env bash
# Drives the real `tandem` binary end to end: demo → import → export → re-import → export,
# on SQLite and (when TANDEM_TEST_POSTGRES_URL is set) PostgreSQL; a bad bundle must exit
# non-zero, print file:line: column: message and change nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --product tandem 2>&1 | tail -1
TANDEM="$(swift build --show-bin-path)/tandem"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$TANDEM" demo --size s --seed 3 "$WORK/demo"
test -f "$WORK/demo/truth.json"

check_database() {
    local db=$1 ws="smoke-$$-$RANDOM"
    echo "--- $db"
    "$TANDEM" import --db "$db" --workspace "$ws" "$WORK/demo"
    "$TANDEM" export --db "$db" --workspace "$ws" "$WORK/first-$ws"
    "$TANDEM" import --db "$db" --workspace "$ws-copy" "$WORK/first-$ws"
    "$TANDEM" export --db "$db" --workspace "$ws-copy" "$WORK/second-$ws"
    diff -r "$WORK/first-$ws" "$WORK/second-$ws"
    # a second import of the same bundle changes nothing
    "$TANDEM" import --db "$db" --workspace "$ws" "$WORK/demo" >/dev/null
    "$TANDEM" export --db "$db" --workspace "$ws" "$WORK/again-$ws"
    diff -r "$WORK/first-$ws" "$WORK/again-$ws"
    # a bad bundle is refused with a precise message and changes nothing
    mkdir -p "$WORK/bad-$ws"
    cp "$WORK/demo/organizations.csv" "$WORK/bad-$ws/"
    printf 'key,name,email\np-new,New Person,\np-bad,,x@y.example\n' > "$WORK/bad-$ws/people.csv"
    if "$TANDEM" import --db "$db" --workspace "$ws" "$WORK/bad-$ws" 2> "$WORK/bad-$ws.err"; then
        echo "error: a bad bundle was accepted" >&2; exit 1
    fi
    grep -q '^people.csv:3: name: required value is missing$' "$WORK/bad-$ws.err" \
        || { echo "error: unexpected report:" >&2; cat "$WORK/bad-$ws.err" >&2; exit 1; }
    "$TANDEM" export --db "$db" --workspace "$ws" "$WORK/after-bad-$ws"
    diff -r "$WORK/first-$ws" "$WORK/after-bad-$ws"
    # the assessment, as FORMATS.md describes it; the same on every database
    local as_of
    as_of=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$WORK/demo/truth.json")
    "$TANDEM" assess --db "$db" --workspace "$ws" --as-of "$as_of" --format json > "$WORK/assess-$ASSESSED.json"
    python3 scripts/check-assessment.py "$WORK/assess-$ASSESSED.json"
    "$TANDEM" assess --db "$db" --workspace "$ws" --as-of "$as_of" > /dev/null
    "$TANDEM" coverage --db "$db" --workspace "$ws" --as-of "$as_of" --format json > "$WORK/coverage-$ASSESSED.json"
    python3 scripts/check-assessment.py --coverage "$WORK/coverage-$ASSESSED.json"
    "$TANDEM" coverage --db "$db" --workspace "$ws" --as-of "$as_of" > /dev/null
    "$TANDEM" alerts --db "$db" --workspace "$ws" --as-of "$as_of" --format json > "$WORK/alerts-$ASSESSED.json"
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert isinstance(a, list) and a and all(x["kind"] and x["message"] for x in a); print(f"ok: {len(a)} alerts")' "$WORK/alerts-$ASSESSED.json"
    ASSESSED=$((ASSESSED + 1))
    echo "ok: $db"
}
ASSESSED=0

check_database "$WORK/smoke.sqlite"
if [[ -n "${TANDEM_TEST_POSTGRES_URL:-}" ]]; then
    check_database "$TANDEM_TEST_POSTGRES_URL"
    diff "$WORK/assess-0.json" "$WORK/assess-1.json" || { echo "error: the assessment differs between SQLite and PostgreSQL" >&2; exit 1; }
    diff "$WORK/coverage-0.json" "$WORK/coverage-1.json" || { echo "error: the coverage differs between SQLite and PostgreSQL" >&2; exit 1; }
    diff "$WORK/alerts-0.json" "$WORK/alerts-1.json" || { echo "error: the alerts differ between SQLite and PostgreSQL" >&2; exit 1; }
fi
echo "CLI smoke passed"
