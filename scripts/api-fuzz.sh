#!/usr/bin/env bash
# API fuzzing: serves the `s` demo with the real `tandem serve` and runs schemathesis against its
# OpenAPI description (/api/v1/openapi.json) with an admin's API token and `--checks all`
# (server errors, status codes, content types, response schemas, acceptance of valid and
# rejection of invalid data, unsupported methods, and the authentication checks). Fails on any
# finding.
#
# Usage: scripts/api-fuzz.sh [DB...]    each DB `sqlite` (a fresh SQLite file, the default),
#                                       an SQLite path or a postgres:// URL
#
# Each database gets a fresh workspace. Reports (JUnit, NDJSON, HTML) go to
# $API_FUZZ_REPORTS (default .ci-work/schemathesis/<database>). Environment:
#   API_FUZZ_EXAMPLES  test cases per operation and phase (default 30)
#   API_FUZZ_SEED      schemathesis seed (default 20261127, so CI runs are reproducible)
#   API_FUZZ_VENV      the virtualenv holding schemathesis (default .ci-venv; created if missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCHEMATHESIS_VERSION=4.32.5
VENV=${API_FUZZ_VENV:-.ci-venv}
REPORTS=${API_FUZZ_REPORTS:-.ci-work/schemathesis}
EXAMPLES=${API_FUZZ_EXAMPLES:-30}
SEED=${API_FUZZ_SEED:-20261127}

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
swift build --product tandem 2>&1 | tail -1
TANDEM="$(swift build --show-bin-path)/tandem"
WORK=$(mktemp -d)
source scripts/serve-lib.sh
trap 'stop_tandem; rm -rf "$WORK"' EXIT
"$TANDEM" demo --size s --seed 1 "$WORK/demo" >/dev/null

fuzz() {
    local db=$1 name=$2 ws="fuzz-$$-$RANDOM"
    echo "--- schemathesis against $name (workspace $ws)"
    "$TANDEM" import --db "$db" --workspace "$ws" "$WORK/demo" 2>&1 | tail -1
    "$TANDEM" user add --db "$db" --workspace "$ws" --email fuzz@example.com --role admin <<< "fuzzing-password-$RANDOM$RANDOM" >/dev/null
    local token
    token=$("$TANDEM" token create --db "$db" --workspace "$ws" --email fuzz@example.com --label schemathesis 2>/dev/null)
    serve_tandem "$WORK/server-$name.log" --db "$db" --workspace "$ws" || return 1
    local url="http://127.0.0.1:$PORT/api/v1/openapi.json"
    mkdir -p "$REPORTS/$name"
    local rc=0
    "$VENV/bin/schemathesis" --config-file scripts/schemathesis.toml run "$url" \
        --header "Authorization: Bearer $token" --checks all \
        --max-examples "$EXAMPLES" --seed "$SEED" --workers 1 --request-timeout 60 \
        --report junit,ndjson,html --report-dir "$REPORTS/$name" "${@:3}" || rc=$?
    stop_tandem
    cp "$WORK/server-$name.log" "$REPORTS/$name/server.log"
    echo "report: $REPORTS/$name"
    return "$rc"
}

status=0
if [[ $# -eq 0 ]]; then set -- sqlite; fi
for db in "$@"; do
    [[ "$db" == sqlite ]] && db="$WORK/fuzz.sqlite"
    case "$db" in
        postgres://*|postgresql://*)
            # The derived reports compute from a snapshot of the workspace whose loading the
            # PostgreSQL tests of `swift test` cover; a debug build loads it in 2-3 s from
            # PostgreSQL, too slow for thousands of cases, so they are fuzzed on SQLite only.
            fuzz "$db" postgresql --exclude-operation-id list_assessments --exclude-operation-id get_assessment \
                --exclude-operation-id list_coverage --exclude-operation-id list_alerts --exclude-operation-id list_relationships \
                --exclude-operation-id sales_summary --exclude-operation-id list_economics --exclude-operation-id plan_partnerships \
                --exclude-operation-id lead_lag || status=1 ;;
        *) fuzz "$db" sqlite || status=1 ;;
    esac
done
exit "$status"
