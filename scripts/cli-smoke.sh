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
    # backup and restore: a bundle backup into a new workspace gives the same export; an existing file is never overwritten
    "$TANDEM" backup --db "$db" --workspace "$ws" --format bundle "$WORK/backup-$ws.zip" | grep -q '^backed up workspace'
    if "$TANDEM" backup --db "$db" --workspace "$ws" --format bundle "$WORK/backup-$ws.zip" 2> "$WORK/backup-$ws.err"; then
        echo "error: a backup overwrote a file" >&2; exit 1
    fi
    grep -q 'already exists: name a new file' "$WORK/backup-$ws.err"
    "$TANDEM" restore --db "$db" --workspace "$ws-restored" "$WORK/backup-$ws.zip" | grep -q "^restored [0-9]* rows into workspace \"$ws-restored\""
    "$TANDEM" export --db "$db" --workspace "$ws" "$WORK/before-restore-$ws"
    "$TANDEM" export --db "$db" --workspace "$ws-restored" "$WORK/restored-$ws"
    diff -r "$WORK/before-restore-$ws" "$WORK/restored-$ws"
    if [[ "$db" != postgres* ]]; then
        "$TANDEM" backup --db "$db" "$WORK/backup-$ws.sqlite" | grep -q '^backed up the whole database'
        "$TANDEM" restore --db "$WORK/restored-$ws.sqlite" "$WORK/backup-$ws.sqlite" | grep -q '^restored the whole database'
        "$TANDEM" export --db "$WORK/restored-$ws.sqlite" --workspace "$ws" "$WORK/whole-$ws"
        diff -r "$WORK/before-restore-$ws" "$WORK/whole-$ws"
        test "$(sqlite3 "$WORK/restored-$ws.sqlite" 'PRAGMA integrity_check')" = ok
    fi
    ASSESSED=$((ASSESSED + 1))
    echo "ok: $db"
}
ASSESSED=0

# Files other tools wrote (Tests/Fixtures): contacts, a calendar, point-of-sale reports, CRM exports;
# previews change nothing, imports are all or nothing and a second import changes nothing.
check_foreign() {
    local db=$1 ws="foreign-$$-$RANDOM" fx=Tests/Fixtures
    echo "--- foreign files on $db"
    "$TANDEM" import --db "$db" --workspace "$ws" "$fx/foreign/workspace" > /dev/null
    "$TANDEM" import --db "$db" --workspace "$ws" "$fx/foreign/contacts-3.vcf" --dry-run | grep -q '^would create 5 people, 4 employments, 1 organization; update 1 person; leave 2 people unchanged$'
    if "$TANDEM" audit --db "$db" --workspace "$ws" --format csv | grep -q 'contacts-3.vcf'; then
        echo "error: a dry run was audited as an import" >&2; exit 1
    fi
    "$TANDEM" import --db "$db" --workspace "$ws" "$fx/foreign/contacts-3.vcf" | grep -q '^created 5 people'
    "$TANDEM" import --db "$db" --workspace "$ws" "$fx/foreign/contacts-3.vcf" | grep -q '^8 people unchanged$'
    "$TANDEM" import --db "$db" --workspace "$ws" "$fx/foreign/calendar.ics" --from 2026-01-01 --to 2026-12-31 \
        --kind-rule 'category:Business review=business_review' --kind-rule summary:call=call > "$WORK/ics-$ws.out"
    grep -q '^created 62 interactions; skipped 3 events$' "$WORK/ics-$ws.out"
    grep -q 'note: stranger@elsewhere.example is not a person of the workspace' "$WORK/ics-$ws.out"
    "$TANDEM" import --db "$db" --workspace "$ws" "$fx/foreign/calendar.ics" --from 2026-01-01 --to 2026-12-31 | grep -q '^updated 62 interactions'
    printf 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:2026-03-01\nEND:VEVENT\nEND:VCALENDAR\n' > "$WORK/bad-$ws.ics"
    if "$TANDEM" import --db "$db" --workspace "$ws" "$WORK/bad-$ws.ics" 2> "$WORK/bad-ics-$ws.err"; then
        echo "error: a bad calendar was accepted" >&2; exit 1
    fi
    grep -q '^bad-.*\.ics:4: DTSTART: "2026-03-01" is not a date (20260303)' "$WORK/bad-ics-$ws.err"
    # point of sale: the home organization and Acme's branches first, then an X12 867 and the NEMRA layout
    "$TANDEM" import --db "$db" --workspace "$ws-pos" "$fx/pos/workspace" > /dev/null
    "$TANDEM" import --db "$db" --workspace "$ws-pos" "$fx/pos/acme-867-pipes.x12" --locations "$fx/pos/locations.csv" \
        --products "$fx/pos/products.csv" | grep -q '^set 4 sales rows$'
    "$TANDEM" import --db "$db" --workspace "$ws-pos" "$fx/pos/acme-nemra.csv" --format nemra --locations "$fx/pos/locations.csv" \
        --products "$fx/pos/products.csv" --currency USD > /dev/null
    "$TANDEM" sales --db "$db" --workspace "$ws-pos" --by branch --format json | python3 -c '
import json, sys
rows = json.load(sys.stdin)["rows"]
total = round(sum(r["figures"]["sell_through"] for r in rows), 2)
assert total == 2028.85, (total, rows)
print("ok: point of sale, sell-through", total)'
    if "$TANDEM" import --db "$db" --workspace "$ws-pos" "$fx/pos/acme-867.x12" 2> "$WORK/pos-$ws.err"; then
        echo "error: an unmapped location was accepted" >&2; exit 1
    fi
    grep -q '^acme-867.x12:14: location: location "101" (3 lines) is not a branch' "$WORK/pos-$ws.err"
    # another CRM's export with its mapping
    "$TANDEM" import --db "$db" --workspace "$ws" "$fx/crm/salesforce-activities.csv" --format crm-csv \
        --mapping "$fx/crm/salesforce-activities.mapping" | grep -q '^created 4 interactions; skipped 1 activity$'
    # duplicates and a merge, in the audit trail; people out as vCards and back in unchanged
    "$TANDEM" import --db "$db" --workspace "$ws" "$fx/crm/hubspot-contacts.csv" --format crm-csv --records contacts \
        --map "name=First Name + Last Name" --map email=Email --map organization="Company Name" > /dev/null
    printf 'key,name,email\ndirk-again,Dirk Brandt,DIRK@acme.example\n' > "$WORK/people-$ws.csv"
    mkdir -p "$WORK/dup-$ws" && cp "$fx/foreign/workspace/organizations.csv" "$WORK/dup-$ws/" && mv "$WORK/people-$ws.csv" "$WORK/dup-$ws/people.csv"
    "$TANDEM" import --db "$db" --workspace "$ws" "$WORK/dup-$ws" > /dev/null
    "$TANDEM" duplicates --db "$db" --workspace "$ws" --format json | python3 -c '
import json, sys
found = json.load(sys.stdin)
assert any(d["keep"] == "dirk" and d["merge"] == "dirk-again" for d in found), found'
    "$TANDEM" merge person dirk dirk-again --db "$db" --workspace "$ws" | grep -q '^person dirk-again merged into dirk'
    "$TANDEM" audit --db "$db" --workspace "$ws" --format csv | grep -q ',merge,'
    "$TANDEM" export --db "$db" --workspace "$ws" --format vcard "$WORK/people-$ws.vcf" > /dev/null
    "$TANDEM" import --db "$db" --workspace "$ws" "$WORK/people-$ws.vcf" | grep -Eq '^[0-9]+ people unchanged$'
    echo "ok: foreign files on $db"
}

check_database "$WORK/smoke.sqlite"
check_foreign "$WORK/smoke.sqlite"
if [[ -n "${TANDEM_TEST_POSTGRES_URL:-}" ]]; then
    check_database "$TANDEM_TEST_POSTGRES_URL"
    check_foreign "$TANDEM_TEST_POSTGRES_URL"
    diff "$WORK/assess-0.json" "$WORK/assess-1.json" || { echo "error: the assessment differs between SQLite and PostgreSQL" >&2; exit 1; }
    diff "$WORK/coverage-0.json" "$WORK/coverage-1.json" || { echo "error: the coverage differs between SQLite and PostgreSQL" >&2; exit 1; }
    diff "$WORK/alerts-0.json" "$WORK/alerts-1.json" || { echo "error: the alerts differ between SQLite and PostgreSQL" >&2; exit 1; }
    for figure in sales economics plan leadlag; do
        diff "$WORK/$figure-0.json" "$WORK/$figure-1.json" || { echo "error: $figure differs between SQLite and PostgreSQL" >&2; exit 1; }
    done
fi
echo "CLI smoke passed"
