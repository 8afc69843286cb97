#!/usr/bin/env bash
# `make i18n`: exports i18n/<module>.pot of each add-on from a throwaway
# database with the add-ons installed, and merges it into i18n/nl.po keeping
# the existing translations (gettext's msgmerge; new strings get an empty
# msgstr, which tools/check_po.py reports). Run it through tools/pg.sh.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"

ADDONS="${ADDONS:-woonkans_case,woonkans_decision_tree,woonkans_reports}"
export ADDONS
PY="$VENV/bin/python"
command -v msgmerge >/dev/null 2>&1 || die "msgmerge is missing: install gettext (apt-get install gettext)."

DB="wk_i18n_$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
TMP=$(mktemp -d)
cleanup() { "$PY" "$ROOT/tools/odoo_env.py" drop "$DB" || true; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$PY" "$ROOT/tools/odoo_env.py" write-conf "$TMP/odoo.conf" "$TMP/data"
mapfile -t ODOO < <("$PY" "$ROOT/tools/odoo_env.py" odoo-args)
say "installing $ADDONS on a throwaway database $DB"
"${ODOO[@]}" "--data-dir=$TMP/data" -d "$DB" -i "$ADDONS" --stop-after-init --max-cron-threads=0 \
    --log-level=warn --no-http || die "Installing the add-ons failed."

IFS=, read -ra MODS <<< "$ADDONS"
for mod in "${MODS[@]}"; do
    dir=$("$PY" "$ROOT/tools/odoo_env.py" module-dir "$mod") || true
    [ -n "$dir" ] || die "module $mod not found in the repository or ADDONS_PATH_EXTRA"
    mkdir -p "$dir/i18n"
    pot="$dir/i18n/$mod.pot"
    "${ODOO[0]}" i18n export -c "$TMP/odoo.conf" -d "$DB" -l pot -o "$pot" "$mod"
    po="$dir/i18n/nl.po"
    if [ -f "$po" ]; then
        msgmerge --quiet --no-fuzzy-matching --update --backup=none "$po" "$pot"
        say "$mod: merged $pot into $po"
    else
        # Odoo's own header, with the language set.
        sed -e 's/^"Language: \\n"$/"Language: nl\\n"/' "$pot" > "$po"
        grep -q '^"Language: nl' "$po" || sed -i '0,/^"Content-Type/s//"Language: nl\\n"\n&/' "$po"
        say "$mod: created $po from $pot"
    fi
done
dirs=()
for mod in "${MODS[@]}"; do dirs+=("$("$PY" "$ROOT/tools/odoo_env.py" module-dir "$mod")"); done
"$PY" "$ROOT/tools/check_po.py" "${dirs[@]}" || say "translate the empty strings in the nl.po files above (make test checks them)"
