#!/usr/bin/env bash
# Coverage-guided fuzzing of Tandem's parsers of foreign input with libFuzzer:
#   scripts/fuzz.sh [SECONDS-PER-PARSER] [PARSER...]      (default 30 s; vcard ical x12 nemra crm bundle)
# Compiles TandemCore's sources with Fuzz/FuzzTarget.swift and -sanitize=fuzzer,address (about two
# minutes), then runs each parser from the fixtures as seeds. A crash, a sanitizer report, an input
# taking over 10 s (a hang) or over 1 GiB of memory fails the run; the input is kept in
# .ci-work/fuzz/PARSER/ to reproduce with: TANDEM_FUZZ_TARGET=PARSER .build-fuzz/tandem-fuzz FILE
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_EACH=${1:-30}
shift || true
PARSERS=("$@")
[[ ${#PARSERS[@]} -gt 0 ]] || PARSERS=(vcard ical x12 nemra crm bundle)

mkdir -p .build-fuzz
BINARY=.build-fuzz/tandem-fuzz
if [[ ! -x $BINARY || -n $(find Sources/TandemCore Fuzz -name '*.swift' -newer "$BINARY" | head -1) ]]; then
    echo "compiling the fuzz target (sanitizers on; about two minutes)"
    swiftc -sanitize=fuzzer,address -parse-as-library -module-name TandemCore -O \
        $(find Sources/TandemCore -name '*.swift' | sort) Fuzz/FuzzTarget.swift -o "$BINARY"
fi

seeds() {
    case $1 in
        vcard) echo Tests/Fixtures/foreign/*.vcf ;;
        ical) echo Tests/Fixtures/foreign/*.ics ;;
        x12) echo Tests/Fixtures/pos/*.x12 ;;
        nemra) echo Tests/Fixtures/pos/acme-nemra.csv ;;
        crm) echo Tests/Fixtures/crm/*.csv ;;
        bundle) echo Tests/Fixtures/foreign/workspace/*.csv ;;
        *) echo "unknown parser $1" >&2; exit 2 ;;
    esac
}

FAILED=()
for parser in "${PARSERS[@]}"; do
    work=.ci-work/fuzz/$parser
    rm -rf "$work" && mkdir -p "$work/corpus"
    cp $(seeds "$parser") "$work/corpus/"
    echo "--- $parser: ${SECONDS_EACH} s"
    # Leak checks are off: Foundation keeps a buffer alive until exit, which is not ours to fix.
    if ASAN_OPTIONS=detect_leaks=0 TANDEM_FUZZ_TARGET=$parser TANDEM_FUZZ_FIXTURES=$PWD/Tests/Fixtures "$BINARY" "$work/corpus" \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=1024 -max_len=262144 -detect_leaks=0 \
        -artifact_prefix="$work/" -print_final_stats=1 > "$work/log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/log" | tr '\n' ' '
        echo
    else
        echo "FAILED: $parser (see $work/log; the input is in $work/)"
        grep -E 'ERROR|==[0-9]+==|Fatal error|deadly signal|timeout|out-of-memory' "$work/log" | head -5 || true
        FAILED+=("$parser")
    fi
done
[[ ${#FAILED[@]} -eq 0 ]] || { echo "fuzzing found problems in: ${FAILED[*]}"; exit 1; }
echo "fuzzing: no crash, hang or runaway memory in ${PARSERS[*]}"
