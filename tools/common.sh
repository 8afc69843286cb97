# Shared helpers for the project's make targets. Source it; don't run it.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/woonkans"
ODOO_CACHE="$CACHE_DIR/odoo-19.0"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
ADDONS="${ADDONS:-woonkans_case,woonkans_decision_tree,woonkans_reports}"

say() { printf '\033[1m[woonkans]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[woonkans]\033[0m %s\n' "$*" >&2; exit 1; }

# A Python 3.10-3.12 interpreter, preferring the one Odoo 19 is tested with most.
find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.10 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    die "Odoo 19 needs Python 3.10, 3.11 or 3.12: install one (for example 'apt-get install python3 python3-venv python3-dev') and run this again."
}

# True when $1 is an Odoo 19 source tree.
is_odoo19_tree() {
    [ -f "$1/odoo/release.py" ] && grep -q "^version_info = (19, 0" "$1/odoo/release.py"
}

# Where Odoo 19 comes from, in the order the README documents:
# ODOO_SRC, an importable odoo, the shared cache folder, a fresh shallow clone.
find_odoo() {
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo19_tree "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 19 source tree (no odoo/release.py for 19.0)."
        (cd "$ODOO_SRC" && pwd)
        return 0
    fi
    if [ -f "$VENV/.odoo-src" ] && is_odoo19_tree "$(cat "$VENV/.odoo-src")"; then
        cat "$VENV/.odoo-src"
        return 0
    fi
    local py importable
    py=$(find_python)
    importable=$("$py" - <<'PY' 2>/dev/null || true
import os
try:
    import odoo.release as r
except Exception:
    raise SystemExit(0)
if r.version_info[:2] == (19, 0):
    print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))
PY
)
    if [ -n "$importable" ] && is_odoo19_tree "$importable"; then
        echo "$importable"
        return 0
    fi
    if is_odoo19_tree "$ODOO_CACHE"; then
        echo "$ODOO_CACHE"
        return 0
    fi
    command -v git >/dev/null 2>&1 || die "Odoo 19 was not found and git is missing to fetch it: install git, or set ODOO_SRC to an Odoo 19 source tree."
    say "Odoo 19 not found: cloning the 19.0 branch into $ODOO_CACHE (once, shared by every clone)"
    mkdir -p "$CACHE_DIR"
    rm -rf "$ODOO_CACHE.partial"
    git clone --quiet --depth 1 --branch 19.0 "$ODOO_GIT_URL" "$ODOO_CACHE.partial" >&2 \
        || die "Cloning Odoo 19 failed: set ODOO_SRC to an existing Odoo 19 source tree."
    mv "$ODOO_CACHE.partial" "$ODOO_CACHE"
    echo "$ODOO_CACHE"
}
