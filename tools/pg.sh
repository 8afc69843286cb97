#!/usr/bin/env bash
# PostgreSQL discovery for the make targets.
#
#   tools/pg.sh COMMAND [ARGS...]
#
# Finds a PostgreSQL server the current user may create databases on, exports
# PGHOST/PGPORT/PGUSER (and keeps PGPASSWORD) for it, runs COMMAND, and stops
# the server again if this script had to start it.
#
# 1. The server named by the standard PG* variables (PGHOST, PGPORT, PGUSER,
#    PGPASSWORD), or the local one on port 5432, if it answers and the role
#    may create databases.
# 2. Otherwise a private cluster in $ROOT/.pgdata (git-ignored), made with the
#    system's initdb/pg_ctl (PATH, then /usr/lib/postgresql/*/bin newest first,
#    version >= 13), listening only on a Unix socket inside that folder.
#    As root, initdb refuses to run: the cluster then belongs to the `postgres`
#    system user (runuser) and gets a superuser role named after the caller.
#
# Tools that need the connection read the PG* variables (libpq does it by
# itself); tools/odoo_db.py turns them into --db_host/--db_port/... for Odoo.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PGDATA_ROOT="${WOONKANS_PGDATA:-$ROOT/.pgdata}"
PG_PY="$VENV/bin/python"
[ -x "$PG_PY" ] || PG_PY=$(find_python)

# Exit 0 when the server described by the PG* variables answers and the role
# may create databases; 2 when it answers but may not; 1 when it doesn't answer.
pg_usable() {
    "$PG_PY" - <<'PY' 2>/dev/null
import sys
try:
    import psycopg2
except ImportError:
    sys.exit(1)
try:
    conn = psycopg2.connect(dbname="postgres", connect_timeout=3)
except Exception:
    sys.exit(1)
with conn, conn.cursor() as cr:
    cr.execute("SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user")
    row = cr.fetchone()
sys.exit(0 if row and row[0] else 2)
PY
}

# Newest PostgreSQL (>= 13) bin directory that has initdb and pg_ctl.
pg_bindir() {
    local dirs=() d v
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirs+=("$(dirname "$(command -v initdb)")")
    fi
    # /usr/lib/postgresql/<version>/bin, newest first
    while IFS= read -r d; do dirs+=("$d"); done < <(
        ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -rn || true)
    for d in "${dirs[@]}"; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] || continue
        v=$("$d/initdb" --version 2>/dev/null | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
        [ -n "$v" ] && [ "$v" -ge 13 ] 2>/dev/null || continue
        echo "$d"
        return 0
    done
    return 1
}

PG_STARTED=""
PG_AS=()

pg_private() {
    local bindir data sock
    bindir=$(pg_bindir) || die "No usable PostgreSQL server and no PostgreSQL >= 13 programs (initdb, pg_ctl) to start one: install them, e.g. 'apt-get install postgresql', or set PGHOST/PGPORT/PGUSER/PGPASSWORD to a server where you may create databases."
    data="$PGDATA_ROOT/data"
    sock="$PGDATA_ROOT/run"
    # A Unix socket path must fit in 107 bytes.
    if [ ${#sock} -gt 90 ]; then
        sock="/tmp/woonkans-pg-$(id -u)-$(printf '%s' "$PGDATA_ROOT" | sha1sum | cut -c1-8)"
    fi
    mkdir -p "$PGDATA_ROOT" "$sock"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "Running as root needs the 'postgres' system user to own the private PostgreSQL cluster: install the postgresql package or run as a normal user."
        # The cluster belongs to postgres, which must be able to reach it: when
        # the repository is in a folder postgres may not enter (e.g. mktemp -d),
        # keep the cluster in a private folder under /tmp instead.
        if ! runuser -u postgres -- test -x "$(dirname "$PGDATA_ROOT")"; then
            PGDATA_ROOT="${TMPDIR:-/tmp}/woonkans-pgdata-$(printf '%s' "$ROOT" | sha1sum | cut -c1-8)"
            data="$PGDATA_ROOT/data"
            sock="$PGDATA_ROOT/run"
            say "postgres cannot enter $ROOT: the private cluster goes to $PGDATA_ROOT"
            mkdir -p "$PGDATA_ROOT" "$sock"
        fi
        chown postgres: "$PGDATA_ROOT" "$sock"
        [ -d "$data" ] && chown -R postgres: "$data"
        PG_AS=(runuser -u postgres --)
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        say "no usable PostgreSQL server: creating a private cluster in $data ($bindir)"
        rm -rf "$data"
        "${PG_AS[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >"$PGDATA_ROOT/initdb.log" 2>&1 \
            || die "initdb failed: see $PGDATA_ROOT/initdb.log"
        echo "include_if_exists = 'woonkans.conf'" | "${PG_AS[@]}" tee -a "$data/postgresql.conf" >/dev/null
    fi
    # No TCP at all; the socket lives in our folder.
    printf "listen_addresses = ''\nunix_socket_directories = '%s'\nport = 5432\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n" "$sock" \
        | "${PG_AS[@]}" tee "$data/woonkans.conf" >/dev/null
    export PGHOST="$sock" PGPORT=5432
    unset PGPASSWORD PGSERVICE PGSSLMODE
    if ! "${PG_AS[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        # setsid: a Ctrl-C in the terminal must not stop the server before the
        # command has cleaned up its databases; we stop it ourselves.
        "${PG_AS[@]}" setsid "$bindir/pg_ctl" -D "$data" -l "$PGDATA_ROOT/server.log" -w -t 60 start >/dev/null \
            || die "Starting the private PostgreSQL cluster failed: see $PGDATA_ROOT/server.log"
        PG_STARTED="$bindir"
    fi
    local me
    me=$(id -un)
    PGUSER=postgres "$PG_PY" - "$me" <<'PY' || die "Could not create the PostgreSQL role for $me in the private cluster."
import sys, psycopg2
from psycopg2 import sql
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
with conn.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [sys.argv[1]])
    if not cr.fetchone():
        cr.execute(sql.SQL("CREATE ROLE {} SUPERUSER LOGIN").format(sql.Identifier(sys.argv[1])))
PY
    if [ "$me" = postgres ]; then
        die "Odoo refuses to connect as the 'postgres' role: run this as another user."
    fi
    export PGUSER="$me"
}

pg_stop() {
    if [ -n "$PG_STARTED" ]; then
        "${PG_AS[@]}" "$PG_STARTED/pg_ctl" -D "$PGDATA_ROOT/data" -m fast -w stop >/dev/null 2>&1 || true
        PG_STARTED=""
    fi
}

pg_ensure() {
    local rc=0
    pg_usable || rc=$?
    if [ "$rc" = 1 ] && [ -z "${PGHOST:-}" ]; then
        # libpq's default is the Unix socket; also try TCP on localhost.
        rc=0
        PGHOST=localhost pg_usable || rc=$?
        [ "$rc" = 0 ] && export PGHOST=localhost
    fi
    case "$rc" in
        0) return 0 ;;
        2) say "PostgreSQL at ${PGHOST:-<local socket>}:${PGPORT:-5432} answers but role ${PGUSER:-$(id -un)} may not create databases: using a private cluster" ;;
        *) say "no PostgreSQL answers at ${PGHOST:-<local socket>}:${PGPORT:-5432}: using a private cluster" ;;
    esac
    pg_private
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    [ $# -gt 0 ] || die "usage: tools/pg.sh COMMAND [ARGS...]"
    trap pg_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    pg_ensure
    rc=0
    "$@" || rc=$?
    exit "$rc"
fi
