#!/usr/bin/env python3
"""Fail when a module's Dutch translation is incomplete.

    python tools/check_po.py [MODULE_DIR ...]   (default: the project's add-ons)

For each module, i18n/nl.po must exist and every msgid in it must have a
non-empty msgstr that is not marked fuzzy (obsolete entries are ignored). Prints the count per module and
exits 1 if any module is incomplete.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["woonkans_case", "woonkans_decision_tree", "woonkans_reports"]


def check_module(path: Path) -> tuple[int, list[str]]:
    """Returns (number of problems, messages)."""
    po_path = path / "i18n" / "nl.po"
    if not po_path.is_file():
        return 1, [f"{path.name}: no i18n/nl.po (run `make i18n`, then translate it)"]
    po = polib.pofile(str(po_path))
    untranslated = [e for e in po if not e.obsolete and not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [e for e in po if not e.obsolete and "fuzzy" in e.flags]
    bad = len(untranslated) + len(fuzzy)
    msgs = []
    if bad:
        msgs.append(
            f"{path.name}: {len(untranslated)} untranslated and {len(fuzzy)} fuzzy of {len(po)} strings in {po_path}"
        )
        for e in (untranslated + fuzzy)[:10]:
            msgs.append(f"    {e.msgid[:100]!r}")
        if bad > 10:
            msgs.append(f"    ... and {bad - 10} more")
    else:
        msgs.append(f"{path.name}: {len(po)} strings, all translated")
    return bad, msgs


def main(argv: list[str]) -> int:
    dirs = [Path(a) for a in argv] or [ROOT / m for m in DEFAULT]
    failed = 0
    for d in dirs:
        if not (d / "__manifest__.py").is_file():
            print(f"{d}: not an Odoo module, skipped", file=sys.stderr)
            continue
        bad, msgs = check_module(d)
        for m in msgs:
            print(m)
        failed += bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
