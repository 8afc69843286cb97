#!/bin/bash
# Writes /etc/odoo/odoo.conf from odoo.conf.in with admin_passwd taken from
# $ADMIN_PASSWORD (Odoo does not expand environment variables in its config
# file, and has no command-line option for the master password), then hands
# over to the official image's /entrypoint.sh, which passes the database
# connection from $HOST/$PORT/$USER/$PASSWORD as --db_host/--db_port/...
set -euo pipefail
if [ -z "${ADMIN_PASSWORD:-}" ] || [ "$ADMIN_PASSWORD" = admin ]; then
    echo "Set ADMIN_PASSWORD (Odoo's master password) in docker/.env: see docker/.env.example." >&2
    exit 1
fi
python3 - <<'PY'
import configparser, os
conf = configparser.RawConfigParser()
conf.read("/etc/odoo/odoo.conf.in")
conf.set("options", "admin_passwd", os.environ["ADMIN_PASSWORD"])
if os.environ.get("ODOO_WORKERS"):
    conf.set("options", "workers", os.environ["ODOO_WORKERS"])
with open(os.environ.get("ODOO_RC", "/etc/odoo/odoo.conf"), "w") as f:
    conf.write(f)
PY
exec /entrypoint.sh "$@"
