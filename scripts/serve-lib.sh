# Sourced by the scripts that serve Tandem for a check (api-fuzz.sh, browser-check.sh,
# bench-pages.sh). Needs $TANDEM, the binary to run.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve_tandem LOG ARGS…: runs `$TANDEM serve ARGS --port PORT` in the background with its output
# in LOG, sets SERVER_PID and PORT, and returns once the server answers (or fails, printing LOG).
serve_tandem() {
    local log=$1
    shift
    PORT=$(free_port)
    "$TANDEM" serve "$@" --port "$PORT" > "$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        curl -sf -o /dev/null "http://127.0.0.1:$PORT/login" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; SERVER_PID=; return 1; }
        sleep 0.5
    done
    echo "error: the server did not answer within 5 minutes" >&2
    return 1
}

stop_tandem() {
    if [[ -n "${SERVER_PID:-}" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}

# bench_setup SIZE: for the benchmarks (bench-pages.sh, bench-load.sh): builds the release binary
# (sets TANDEM), makes WORK (removed on exit, with the server stopped), sets DB to $BENCH_DB or to
# a fresh SQLite file holding the SIZE demo, and adds an admin (EMAIL, PASSWORD) to it.
bench_setup() {
    local size=$1
    swift build -c release --product tandem 2>&1 | tail -1
    TANDEM="$(swift build -c release --show-bin-path)/tandem"
    WORK=$(mktemp -d)
    trap 'stop_tandem; rm -rf "$WORK"' EXIT
    DB=${BENCH_DB:-}
    if [[ -z "$DB" ]]; then
        DB="$WORK/bench.sqlite"
        "$TANDEM" demo --size "$size" "$WORK/demo" > /dev/null
        "$TANDEM" import --db "$DB" "$WORK/demo" 2>&1 | tail -1
        rm -rf "$WORK/demo"
    fi
    EMAIL="bench-$$@tandem.example" PASSWORD="bench-password-$RANDOM$RANDOM"
    "$TANDEM" user add --db "$DB" --email "$EMAIL" --role admin <<< "$PASSWORD" > /dev/null
}
