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
    # sales, economics, where to partner, lead/lag: the same on every database
    "$TANDEM" sales --db "$db" --workspace "$ws" --by period,territory --period quarter --format json > "$WORK/sales-$ASSESSED.json"
    "$TANDEM" sales --db "$db" --workspace "$ws" --by organization > /dev/null
    "$TANDEM" economics --db "$db" --workspace "$ws" --as-of "$as_of" --hourly-cost EUR=75 --format json > "$WORK/economics-$ASSESSED.json"
    "$TANDEM" plan --db "$db" --workspace "$ws" --as-of "$as_of" --budget-money 100000 --budget-hours 2000 --uplift-home 0.1 \
        --uplift-counterpart 0.08 --money-share 0.01 --hours-per-branch 20 --rate USD=0.92 --format json > "$WORK/plan-$ASSESSED.json"
    "$TANDEM" lead-lag --db "$db" --workspace "$ws" --as-of "$as_of" --by all --format json > "$WORK/leadlag-$ASSESSED.json"
    python3 - "$WORK/sales-$ASSESSED.json" "$WORK/economics-$ASSESSED.json" "$WORK/plan-$ASSESSED.json" "$WORK/leadlag-$ASSESSED.json" <<'PY'
import json, sys
sales, economics, plan, leads = (json.load(open(path)) for path in sys.argv[1:])
assert sales["rows"] and all(r["currency"] and "sell_through" in r["figures"] for r in sales["rows"]), "sales rows"
assert economics and all(len(e["sides"]) == 2 and e["verdict"] for e in economics), "economics"
assert plan["exact"] and plan["candidates"] and plan["money_used"] <= plan["budget_money"], "plan"
assert leads and [l["quarters"] for l in leads[0]["lags"]] == [0, 1, 2, 3, 4], "lead-lag"
print(f"ok: {len(sales['rows'])} sales rows, {len(economics)} partnerships, {len(plan['candidates'])} plan candidates")
PY
    # a partnership kept by both sides through the CLI
    local home_person counterpart_person counterpart
    counterpart=$(awk -F, 'NR > 1 && $3 == "distributor" { print $1; exit }' "$WORK/demo/organizations.csv")
    home_person=$(awk -F, 'NR > 1 && $2 == "home" && $7 == "" { print $1; exit }' "$WORK/demo/employments.csv")
    counterpart_person=$(awk -F, -v org="$counterpart" 'NR > 1 && $2 == org && $7 == "" { print $1; exit }' "$WORK/demo/employments.csv")
    "$TANDEM" partnership propose --db "$db" --workspace "$ws" --counterpart "$counterpart" --key smoke-ps > /dev/null
    if "$TANDEM" partnership activate smoke-ps --db "$db" --workspace "$ws" --date 2026-01-15 --commitment expressed \
        --signatory "$home_person" 2> "$WORK/sign-$ws.err"; then
        echo "error: a commitment signed by one side was accepted" >&2; exit 1
    fi
    grep -q "^--signatory: an expressed commitment needs someone of the counterpart" "$WORK/sign-$ws.err"
    "$TANDEM" partnership activate smoke-ps --db "$db" --workspace "$ws" --date 2026-01-15 --commitment expressed \
        --signatory "$home_person" --signatory "$counterpart_person" > /dev/null
    "$TANDEM" partnership goal smoke-ps --db "$db" --workspace "$ws" --key smoke-g --metric "Sell-through growth" --baseline 0 --target 20 \
        --due 2026-12-31 --owner "$home_person" --owner "$counterpart_person" > /dev/null
    "$TANDEM" partnership progress smoke-g --db "$db" --workspace "$ws" --date 2026-06-30 --value 12 > /dev/null
    "$TANDEM" partnership pledge smoke-ps --db "$db" --workspace "$ws" --key smoke-c --party "$counterpart" --asset time_hours --amount 100 > /dev/null
    local contribution
    contribution=$("$TANDEM" partnership contribute smoke-c --db "$db" --workspace "$ws" --date 2026-02-01 --amount 40 --format json \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    if "$TANDEM" partnership confirm "$contribution" --db "$db" --workspace "$ws" --by "$counterpart_person" 2>/dev/null; then
        echo "error: a contribution was confirmed by its own side" >&2; exit 1
    fi
    "$TANDEM" partnership confirm "$contribution" --db "$db" --workspace "$ws" --by "$home_person" > /dev/null
    "$TANDEM" partnership review smoke-ps --db "$db" --workspace "$ws" --date 2026-03-01 --attendee "$home_person" \
        --attendee "$counterpart_person" --visibility shared --notes "Kick-off" > /dev/null
    "$TANDEM" partnership suspend smoke-ps --db "$db" --workspace "$ws" --date 2026-04-01 --note "Reorganisation" > /dev/null
    "$TANDEM" partnership show smoke-ps --db "$db" --workspace "$ws" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [e["status"] for e in d["partnership"]["events"]] == ["proposed", "active", "suspended"], d["partnership"]
assert d["goals"][0]["status"]["on_track"] is True and d["pledges"][0]["delivered"] == 40 and d["reviews"][0]["visibility"] == "shared"
print("ok: partnership lifecycle")'
    "$TANDEM" partnership show smoke-ps --db "$db" --workspace "$ws" > /dev/null
    # accounts: a user, a token, disabled (no new token), enabled, a new password (a short one refused), the audit trail
    "$TANDEM" user add --db "$db" --workspace "$ws" --email Ops@Example.com --role manager <<< "a-long-enough-password" > /dev/null
    "$TANDEM" token create --db "$db" --workspace "$ws" --email ops@example.com 2>/dev/null | grep -q '^tdm_'
    "$TANDEM" user disable --db "$db" --workspace "$ws" --email ops@example.com > /dev/null
    if "$TANDEM" token create --db "$db" --workspace "$ws" --email ops@example.com > /dev/null 2>&1; then
        echo "error: a disabled user got a token" >&2; exit 1
    fi
    "$TANDEM" user enable --db "$db" --workspace "$ws" --email ops@example.com > /dev/null
    if "$TANDEM" user password --db "$db" --workspace "$ws" --email ops@example.com <<< "too short" 2> "$WORK/pw-$ws.err"; then
        echo "error: a short password was accepted" >&2; exit 1
    fi
    grep -q '^password: ' "$WORK/pw-$ws.err"
    "$TANDEM" user password --db "$db" --workspace "$ws" --email ops@example.com <<< "another-long-password" > /dev/null
    "$TANDEM" user list --db "$db" --workspace "$ws" --format json | python3 -c '
import json, sys
users = json.load(sys.stdin)
assert [(u["email"], u["role"], u["disabled"]) for u in users] == [("ops@example.com", "manager", False)], users'
    "$TANDEM" audit --db "$db" --workspace "$ws" --format csv | python3 -c '
import csv, sys
actions = [row["action"] for row in csv.DictReader(sys.stdin)]
for expected in ["user.password", "user.enable", "user.disable", "token.create", "user.create", "export", "import"]:
    assert expected in actions, (expected, actions)
print("ok: accounts and audit trail")'
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
    for figure in sales economics plan leadlag; do
        diff "$WORK/$figure-0.json" "$WORK/$figure-1.json" || { echo "error: $figure differs between SQLite and PostgreSQL" >&2; exit 1; }
    done
fi
echo "CLI smoke passed"
