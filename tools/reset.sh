#!/usr/bin/env bash
# `make reset`: drops the demo database of `make run` and its filestore.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
DB="${DB:-woonkans_demo}"
"$VENV/bin/python" "$ROOT/tools/odoo_env.py" drop "$DB" "$ROOT/.odoo-data"
say "dropped database $DB and its filestore"
