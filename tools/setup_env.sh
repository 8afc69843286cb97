#!/usr/bin/env bash
# Makes .venv with Odoo 19 and the project's requirements.
# Idempotent: a stamp of every input lets a second run return in a second.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"

ODOO_DIR=$(find_odoo)
PY=$(find_python)

if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV with $PY"
    "$PY" -m venv "$VENV" || die "Could not create a virtual environment: install python3-venv."
fi

stamp_input() {
    "$VENV/bin/python" -c 'import sys; print(sys.version)'
    echo "$ODOO_DIR"
    cat "$ODOO_DIR/requirements.txt" "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" \
        "$ROOT/tools/pip-constraints.txt" "$ROOT/tools/pip-build-constraints.txt"
}
want=$(stamp_input | sha256sum | cut -d' ' -f1)
have=$(cat "$VENV/.woonkans-stamp" 2>/dev/null || true)
if [ "$want" = "$have" ]; then
    exit 0
fi

say "installing Odoo 19 from $ODOO_DIR and the project's requirements into $VENV (first run only)"
# Two sets of constraints: what is installed into .venv (PIP_CONSTRAINT) and
# what builds sdists in pip's isolated build environments (PIP_BUILD_CONSTRAINT).
# They differ for setuptools (see both files). pip keeps them apart from 26.2
# on; older pip also applies PIP_CONSTRAINT to builds, so pip comes first.
export PIP_DISABLE_PIP_VERSION_CHECK=1
pip() { "$VENV/bin/python" -m pip --quiet "$@"; }
pip install --upgrade "pip>=26.2"
export PIP_CONSTRAINT="$ROOT/tools/pip-constraints.txt"
export PIP_BUILD_CONSTRAINT="$ROOT/tools/pip-build-constraints.txt"
pip install --upgrade wheel setuptools
if ! pip install -r "$ODOO_DIR/requirements.txt"; then
    die "Installing Odoo's requirements failed. On Debian/Ubuntu first run: apt-get install libldap2-dev libsasl2-dev libpq-dev python3-dev build-essential"
fi
pip install --no-deps -e "$ODOO_DIR"
pip install -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"
echo "$ODOO_DIR" > "$VENV/.odoo-src"
echo "$want" > "$VENV/.woonkans-stamp"
say "environment ready"
