#!/usr/bin/env bash
# `make run`: Odoo 19 with the add-ons and demo data on http://localhost:$PORT.
# The first run creates $DB (demo data, Dutch loaded); later runs reuse it.
# Run it through tools/pg.sh (the Makefile does).
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"

DB="${DB:-woonkans_demo}"
PORT="${PORT:-8069}"
# WORKERS=0: one threaded process (development). WORKERS=N: production mode,
# N HTTP worker processes plus the websocket (gevent) process on GEVENT_PORT.
WORKERS="${WORKERS:-0}"
GEVENT_PORT="${GEVENT_PORT:-8072}"
[[ "$WORKERS" =~ ^[0-9]+$ ]] || die "WORKERS=$WORKERS is not a number of worker processes (0 = threaded)."
ADDONS="${ADDONS:-woonkans_case,woonkans_decision_tree,woonkans_reports}"
export ADDONS
PY="$VENV/bin/python"
DATA_DIR="$ROOT/.odoo-data"

mapfile -t ODOO < <("$PY" "$ROOT/tools/odoo_env.py" odoo-args)
ODOO+=("--data-dir=$DATA_DIR" "--database=$DB" "--db-filter=^$DB\$" "--http-port=$PORT"
       "--http-interface=${HTTP_INTERFACE:-127.0.0.1}")

state=$("$PY" "$ROOT/tools/odoo_env.py" state "$DB")
case "$state" in
    installed) say "reusing database $DB (make reset starts from scratch)" ;;
    missing|empty)
        say "creating database $DB with $ADDONS and demo data (first run, a few minutes)"
        "${ODOO[@]}" -i "$ADDONS" --with-demo --load-language=nl_NL --stop-after-init --max-cron-threads=0 \
            || die "Installing the add-ons failed: see the log above."
        ;;
esac

echo
say "Odoo runs on http://localhost:$PORT  (database $DB; Ctrl-C stops it)"
if [ "$WORKERS" -gt 0 ]; then
    say "production mode: $WORKERS HTTP workers, the websocket (gevent) process on port $GEVENT_PORT"
fi
say "demo logins (tools/demo_logins.txt):"
grep -v '^\s*#' "$ROOT/tools/demo_logins.txt" | grep -v '^\s*$' | while read -r role login password desc; do
    printf '    %-12s %-12s / %-12s %s\n' "$role" "$login" "$password" "$desc" >&2
done
echo
exec "${ODOO[@]}" "--workers=$WORKERS" "--gevent-port=$GEVENT_PORT"
