#!/usr/bin/env bash
# `make pytest-odoo`: the add-ons' own tests under pytest-odoo
# (https://pypi.org/project/pytest-odoo/) instead of Odoo's test runner.
# Installs the add-ons with demo data on a throwaway database (or uses DB when
# it is given and already installed), runs
#   pytest --odoo-database=DB --odoo-http woonkans_case woonkans_decision_tree woonkans_reports
# and drops the throwaway database afterwards (PYTEST_ODOO_DATA_DIR names the
# filestore folder of a given database, when it is not Odoo's default). Extra pytest arguments go in
# PYTEST_ARGS, e.g. PYTEST_ARGS="-k closure". Run it through tools/pg.sh.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"

PY="$VENV/bin/python"
mapfile -t ODOO < <("$PY" "$ROOT/tools/odoo_env.py" odoo-args)
addons_path=$("$PY" -c 'import sys; sys.path.insert(0, "tools"); import odoo_env; print(odoo_env.addons_path())')
throwaway=""
if [ -n "${PYTEST_ODOO_DB:-}" ]; then
    db=$PYTEST_ODOO_DB
    data_dir=${PYTEST_ODOO_DATA_DIR:-}
else
    db="woonkans_pytest_$(date +%s)"
    throwaway=1
    data_dir=$(mktemp -d)
    trap '"$PY" "$ROOT/tools/odoo_env.py" drop "$db" "$data_dir" >/dev/null 2>&1 || true' EXIT
    say "installing ${ADDONS} with demo data on the throwaway database $db"
    "${ODOO[@]}" "--data-dir=$data_dir" "--database=$db" -i "$ADDONS" --with-demo --stop-after-init \
        --max-cron-threads=0 --log-level=warn >/dev/null
fi
read -r -a extra <<< "${PYTEST_ARGS:-}"
args=(--odoo-database="$db" --odoo-http --odoo-addons-path="$addons_path" --odoo-log-level=warn)
for pair in PGHOST:db_host PGPORT:db_port PGUSER:db_user PGPASSWORD:db_password; do
    var=${pair%%:*}
    [ -n "${!var:-}" ] && args+=(--odoo-extra="${pair#*:}=${!var}")
done
[ -n "${data_dir:-}" ] && args+=(--odoo-extra="data-dir=$data_dir")
# shellcheck disable=SC2086
"$PY" -m pytest -c "$ROOT/tools/pytest-odoo.ini" --rootdir="$ROOT" "${args[@]}" "${extra[@]}" ${ADDONS//,/ }
