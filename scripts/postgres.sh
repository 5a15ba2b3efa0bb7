#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for Tandem's tests and CI.
#
# Usage: scripts/postgres.sh start|stop|url|status [DIR]
#
#   start   create the cluster in DIR if missing, start it (if not already
#           running), make sure role `tandem` (password `tandem`) and database
#           `tandem_test` exist, and print the connection URL on stdout.
#   stop    stop the cluster (pg_ctl stop -m fast); no-op if not running.
#   url     print the connection URL on stdout.
#   status  exit 0 if the cluster is running, 3 if not.
#
# DIR defaults to $PWD/.ci-work/pg. When this runs as root, the server runs as
# the `postgres` user (initdb refuses root); if that user cannot reach DIR
# (e.g. it is under /root), a directory under /tmp is used instead (named
# after DIR, so start/stop/url keep finding it). The server listens on
# 127.0.0.1 only, port $TANDEM_PG_PORT (default 54329), with its unix socket in
# the cluster dir, and trusts every local connection. Diagnostics go to stderr;
# stdout carries only the URL, so `URL=$(scripts/postgres.sh start)` works.
#
# PostgreSQL binaries are looked up in /usr/lib/postgresql/*/bin (highest
# version with a server), then on PATH; if there are none, the `postgresql`
# package is installed with apt.
set -euo pipefail
umask 022

PG_ROLE=tandem
PG_PASSWORD=tandem
PG_DB=tandem_test
PG_SUPERUSER=postgres
PG_OS_USER=postgres
PORT="${TANDEM_PG_PORT:-54329}"
# Don't let a caller's libpq settings redirect our own psql/pg_isready calls.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS || true

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
    exit 2
}

# ---------------------------------------------------------------- binaries --

find_bindir() {
    local d best=""
    # Highest version first; a dir counts only if it has a server (a bare
    # postgresql-client install ships psql & pg_isready but no initdb).
    while IFS= read -r d; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            best=$d
            break
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r)
    if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1; then
        best=$(dirname "$(readlink -f "$(command -v initdb)")")
    fi
    printf '%s' "$best"
}

apt_install_postgresql() {
    [[ $EUID -eq 0 ]] || die "no PostgreSQL server binaries found (initdb); install the 'postgresql' package"
    command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server binaries found and no apt-get to install them"
    log "no initdb found: installing postgresql with apt (this takes a minute)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
        postgresql postgresql-client >&2
}

BIN=$(find_bindir)
need_bin() {
    if [[ -z "$BIN" ]]; then
        apt_install_postgresql
        BIN=$(find_bindir)
        [[ -n "$BIN" ]] || die "postgresql installed but initdb still not found"
    fi
}

# A client tool: from the server's bin dir, else from PATH.
tool() {
    local t=$1
    if [[ -n "$BIN" && -x "$BIN/$t" ]]; then
        printf '%s' "$BIN/$t"
    elif command -v "$t" >/dev/null 2>&1; then
        command -v "$t"
    else
        die "$t not found"
    fi
}

# ------------------------------------------------------------- user switch --

# initdb/postgres refuse to run as root: as root, run them as `postgres`.
if [[ $EUID -eq 0 ]]; then
    AS_OTHER_USER=1
else
    AS_OTHER_USER=0
fi

ensure_os_user() {
    [[ $AS_OTHER_USER -eq 1 ]] || return 0
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        log "creating system user $PG_OS_USER"
        useradd --system --user-group --home-dir /var/lib/postgresql \
            --shell /bin/bash "$PG_OS_USER"
    fi
}

# Run a command as the server's OS user, from / (the caller's cwd may be
# unreadable for that user, which makes initdb/pg_ctl/psql warn).
as_pg() {
    if [[ $AS_OTHER_USER -eq 1 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd / && runuser -u "$PG_OS_USER" -- "$@")
        else
            local q
            q=$(printf '%q ' "$@")
            (cd / && su -s /bin/sh "$PG_OS_USER" -c "$q")
        fi
    else
        "$@"
    fi
}

# ------------------------------------------------------------ cluster dir --

abspath() {
    local p=$1
    [[ $p == /* ]] || p="$PWD/$p"
    # Normalise without requiring existence.
    if command -v realpath >/dev/null 2>&1; then
        realpath -m -- "$p"
    else
        printf '%s' "$p"
    fi
}

nearest_existing() {
    local p=$1
    while [[ ! -e $p && $p != / ]]; do p=$(dirname "$p"); done
    printf '%s' "$p"
}

# Can the server's OS user reach (traverse to) DIR, once root has created any
# missing parents with umask 022?
pg_can_reach() {
    local dir=$1 anc
    [[ $AS_OTHER_USER -eq 1 ]] || return 0
    id -u "$PG_OS_USER" >/dev/null 2>&1 || return 0   # will be created; judged later
    anc=$(nearest_existing "$(dirname "$dir")")
    as_pg test -x "$anc" 2>/dev/null
}

resolve_dir() {
    local want fb h
    want=$(abspath "${1:-$PWD/.ci-work/pg}")
    if pg_can_reach "$want"; then
        printf '%s' "$want"
        return
    fi
    h=$(printf '%s' "$want" | md5sum | cut -c1-12)
    fb="/tmp/tandem-pg-$h"
    log "note: user $PG_OS_USER cannot traverse the parents of $want; using $fb instead"
    printf '%s' "$fb"
}

# --------------------------------------------------------------- helpers --

is_running() {
    [[ -f "$DIR/PG_VERSION" ]] || return 1
    as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1
}

# The port the running server listens on (4th line of postmaster.pid), else $PORT.
current_port() {
    local p=""
    if [[ -r "$DIR/postmaster.pid" ]]; then
        p=$(sed -n 4p "$DIR/postmaster.pid" 2>/dev/null || true)
    fi
    if [[ "$p" =~ ^[0-9]+$ ]]; then printf '%s' "$p"; else printf '%s' "$PORT"; fi
}

url() {
    printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$PG_ROLE" "$PG_PASSWORD" "$(current_port)" "$PG_DB"
}

# postmaster.pid left by a killed server can name a PID that now belongs to
# another process (after a reboot) or to an unreaped zombie; pg_ctl and
# postgres then believe a server is still running. Remove such a file.
clear_stale_pid() {
    local f="$DIR/postmaster.pid" pid comm state i
    [[ -f $f ]] || return 0
    pid=$(head -n1 "$f" 2>/dev/null || true)
    for ((i = 0; i < 10; i++)); do
        if ! [[ $pid =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
            return 0 # dead: postgres itself ignores the stale file
        fi
        comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
        state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1 || true)
        if [[ $comm != postgres* ]]; then
            break # PID reused by something else
        fi
        [[ $state == Z ]] || return 0 # a live postmaster
        sleep 0.5 # zombie: give init a moment to reap it
    done
    log "removing stale $f (pid $pid is ${comm:-gone}${state:+, state $state})"
    rm -f "$f"
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Run SQL from stdin as the superuser.
psql_super() {
    "$(tool psql)" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(current_port)" \
        -U "$PG_SUPERUSER" -d postgres
}

# wait_ready [TRIES]: poll pg_isready every 0.5s (default 60 tries = 30s).
wait_ready() {
    local isready i tries=${1:-60}
    isready=$(tool pg_isready)
    for ((i = 0; i < tries; i++)); do
        if "$isready" -q -h 127.0.0.1 -p "$(current_port)" -d postgres -U "$PG_SUPERUSER"; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

ensure_db() {
    psql_super <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
  -- Imports skip PostgreSQL's row-by-row foreign key checks when the role may (README, PostgreSQL).
  IF current_setting('server_version_num')::int >= 150000 THEN
    EXECUTE 'GRANT SET ON PARAMETER session_replication_role TO $PG_ROLE';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_ROLE'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')
\gexec
SQL
}

write_conf() {
    # Regenerated on every start so TANDEM_PG_PORT takes effect; included from
    # postgresql.conf. postgres' own user writes it (the dir is 0700).
    local sockdir=$DIR
    # Unix socket paths are limited to ~107 bytes; skip the socket if too long.
    if (( ${#DIR} + ${#PORT} + 10 > 100 )); then
        log "note: cluster path too long for a unix socket; TCP only"
        sockdir=""
    fi
    as_pg tee "$DIR/tandem.conf" >/dev/null <<CONF
# Written by scripts/postgres.sh on every start; edits are lost.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '${sockdir//\'/\'\'}'
# A test cluster: a crash may lose the last few commits, never corrupts.
synchronous_commit = off
max_connections = 200
log_min_messages = warning
CONF
}

# --------------------------------------------------------------- commands --

cmd_start() {
    need_bin
    ensure_os_user
    if is_running; then
        if wait_ready 20; then
            log "already running in $DIR"
            ensure_db
            url
            return
        fi
        log "postmaster.pid says running, but nothing answers on port $(current_port); restarting"
    fi
    clear_stale_pid
    if port_in_use "$PORT"; then
        die "port $PORT on 127.0.0.1 is taken by another process; set TANDEM_PG_PORT to a free port"
    fi

    if [[ ! -f "$DIR/PG_VERSION" ]]; then
        mkdir -p "$DIR"
        if [[ -n "$(ls -A "$DIR")" ]]; then
            die "$DIR exists, is not empty and is not a PostgreSQL cluster"
        fi
        [[ $AS_OTHER_USER -eq 0 ]] || chown "$PG_OS_USER:" "$DIR"
        chmod 700 "$DIR"
        as_pg test -w "$DIR" || die "user $PG_OS_USER cannot write $DIR"
        log "initdb $DIR ($("$BIN/postgres" --version))"
        as_pg "$BIN/initdb" -D "$DIR" -U "$PG_SUPERUSER" --auth=trust \
            --encoding=UTF8 --no-locale --no-sync >"$DIR.initdb.log" 2>&1 || {
            cat "$DIR.initdb.log" >&2
            die "initdb failed"
        }
        rm -f "$DIR.initdb.log"
        printf "\ninclude_if_exists = 'tandem.conf'\n" | as_pg tee -a "$DIR/postgresql.conf" >/dev/null
    fi
    # An owner mismatch (e.g. a cluster made by another user) fails loudly here.
    write_conf

    log "starting on 127.0.0.1:$PORT (log: $DIR/server.log)"
    if ! as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null; then
        tail -n 30 "$DIR/server.log" >&2 || true
        die "pg_ctl start failed"
    fi
    wait_ready || { tail -n 30 "$DIR/server.log" >&2 || true; die "server not ready after 30s"; }
    ensure_db
    url
}

cmd_stop() {
    if [[ -z "$BIN" ]] || ! is_running; then
        log "not running ($DIR)"
        return 0
    fi
    as_pg "$BIN/pg_ctl" -D "$DIR" -m fast -w -t 60 stop >/dev/null
    log "stopped ($DIR)"
}

cmd_status() {
    if [[ -n "$BIN" ]] && is_running; then
        log "running in $DIR: $(url)"
        return 0
    fi
    log "not running ($DIR)"
    return 3
}

[[ $# -ge 1 && $# -le 2 ]] || usage
ACTION=$1
DIR=$(resolve_dir "${2:-}")
case "$ACTION" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) url ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    *) usage ;;
esac
