#!/usr/bin/env bash
# `make bench`: runs every bench/*.py with the venv's python against a prepared
# database ($BENCH_DB, default woonkans_bench: the add-ons with demo data,
# created on the first run and reused). Each script gets:
#   WOONKANS_BENCH_DB    the database name
#   WOONKANS_ODOO_CONF   an Odoo config file (addons path, DB connection):
#                        odoo.tools.config.parse_config(["-c", conf, "-d", db])
#   PG* variables        for plain psycopg2 / libpq.
# Run it through tools/pg.sh.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"

ADDONS="${ADDONS:-woonkans_case,woonkans_decision_tree,woonkans_reports}"
export ADDONS
DB="${BENCH_DB:-woonkans_bench}"
PY="$VENV/bin/python"
DATA_DIR="$ROOT/.odoo-data"

shopt -s nullglob
scripts=("$ROOT"/bench/*.py)
if [ ${#scripts[@]} -eq 0 ]; then
    say "no bench/*.py scripts yet: nothing to run"
    exit 0
fi

mapfile -t ODOO < <("$PY" "$ROOT/tools/odoo_env.py" odoo-args)
if [ "$("$PY" "$ROOT/tools/odoo_env.py" state "$DB")" != installed ]; then
    say "preparing database $DB ($ADDONS with demo data)"
    "${ODOO[@]}" "--data-dir=$DATA_DIR" -d "$DB" -i "$ADDONS" --with-demo --stop-after-init \
        --max-cron-threads=0 --no-http --log-level=warn || die "Preparing $DB failed."
fi
conf=$(mktemp --suffix=.conf)
trap 'rm -f "$conf"' EXIT
"$PY" "$ROOT/tools/odoo_env.py" write-conf "$conf" "$DATA_DIR"
export WOONKANS_BENCH_DB="$DB" WOONKANS_ODOO_CONF="$conf"

failed=0
for s in "${scripts[@]}"; do
    say "bench: ${s#"$ROOT"/}"
    start=$(date +%s.%N)
    if ! "$PY" "$s"; then
        failed=$((failed + 1))
        say "bench: ${s#"$ROOT"/} FAILED"
    fi
    say "bench: ${s#"$ROOT"/} took $(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?') s"
done
[ "$failed" -eq 0 ] || die "$failed bench script(s) failed"
