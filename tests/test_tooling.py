# ruff: noqa: E501  (SAMPLE holds real Odoo log lines, which are long)
"""Unit tests of the project's own tooling (no database needed)."""

import subprocess
import sys
import textwrap

import run_tests
from conftest import ROOT, read_demo_logins

MODULES = ["woonkans_case", "woonkans_decision_tree", "woonkans_reports"]
DB = "wk_test_abcd"

SAMPLE = textwrap.dedent(f"""\
    2025-11-23 01:00:00,001 42 INFO {DB} odoo.modules.loading: loading 1 modules...
    2025-11-23 01:00:01,002 42 WARNING {DB} odoo.modules.loading: The models ['woonkans.case.tag'] have no access rules in module woonkans_case, consider adding some, like:
    id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink
    2025-11-23 01:00:01,003 42 WARNING {DB} odoo.addons.base.models.ir_ui_view: unrelated core warning
    2025-11-23 01:00:01,004 42 INFO {DB} odoo.addons.woonkans_case.tests.test_case: Starting TestCase.test_ok ...
    2025-11-23 01:00:02,005 42 ERROR {DB} odoo.addons.woonkans_case.tests.test_case: FAIL: TestCase.test_bad
    Traceback (most recent call last):
    AssertionError: 1 != 2
    2025-11-23 01:00:02,006 42 INFO {DB} odoo.addons.woonkans_case.tests.test_tour: skipped TestTour.test_tour : Chrome executable not found
    2025-11-23 01:00:02,007 42 WARNING {DB} odoo.addons.woonkans_case.tests.test_tour: Chrome executable not found
    2025-11-23 01:00:02,008 42 INFO {DB} odoo.addons.woonkans_reports.tests.test_x: skipped TestX.test_later : not yet
    2025-11-23 01:00:02,009 42 WARNING {DB} odoo.addons.woonkans_reports.models.report: something odd
    2025-11-23 01:00:02,010 42 INFO {DB} odoo.addons.woonkans_case.models.case: all fine
    2025-11-23 01:00:03,010 42 ERROR {DB} odoo.modules.loading: Module woonkans_case: 1 failures, 1 errors of 7 tests
    2025-11-23 01:00:03,011 42 ERROR {DB} odoo.modules.loading: At least one test failed when loading the modules.
    2025-11-23 01:00:03,012 42 ERROR {DB} odoo.tests.result: 1 failed, 1 error(s) of 7 tests when loading database '{DB}'
    """).splitlines(keepends=True)


def test_parse_odoo_log_counts():
    res = run_tests.parse_odoo_log(SAMPLE, MODULES, DB)
    assert res.found
    assert (res.run, res.failed, res.errors) == (7, 1, 1)
    assert len(res.skipped) == 1 and "not yet" in res.skipped[0]
    assert len(res.browser_skipped) == 1
    assert res.bad == 3  # F + E + the browser test that did not run
    assert res.passed == 7 - 1 - 1 - 1 - 1


def test_parse_odoo_log_checklog():
    res = run_tests.parse_odoo_log(SAMPLE, MODULES, DB)
    assert len(res.offending) == 2, res.offending
    assert "have no access rules" in res.offending[0]
    assert "something odd" in res.offending[1]


def test_checklog_ignore_list():
    import re

    res = run_tests.parse_odoo_log(SAMPLE, MODULES, DB, [re.compile(r"something odd")])
    assert len(res.offending) == 1


def test_parse_odoo_log_without_result_line():
    res = run_tests.parse_odoo_log(SAMPLE[:3], MODULES, DB)
    assert not res.found and res.run == 0


def test_colored_log_lines():
    line = f"2025-11-23 01:00:02,009 42 \x1b[1;33mWARNING\x1b[0m {DB} odoo.addons.woonkans_case.x: hm\n"
    assert len(run_tests.parse_odoo_log([line], MODULES, DB).offending) == 1


def test_summary_line():
    assert run_tests.summary_line(3, 0) == "3 passed, 0 failed"
    assert run_tests.summary_line(3, 1, 2) == "3 passed, 1 failed, 2 skipped"


def test_parse_junit(tmp_path):
    xml = tmp_path / "j.xml"
    xml.write_text('<testsuites><testsuite name="pytest" errors="1" failures="2" skipped="1" tests="10"/></testsuites>')
    res = run_tests.parse_junit(xml)
    assert (res.passed, res.failed, res.skipped) == (6, 3, 1)
    assert run_tests.parse_junit(tmp_path / "missing.xml") is None


def _module(tmp_path, po_text):
    mod = tmp_path / "woonkans_x"
    (mod / "i18n").mkdir(parents=True)
    (mod / "__manifest__.py").write_text("{'name': 'x'}")
    if po_text is not None:
        (mod / "i18n" / "nl.po").write_text(po_text)
    return mod


def _check_po(mod):
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_po.py"), str(mod)], capture_output=True, text=True
    )


PO_HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_check_po_complete(tmp_path):
    r = _check_po(_module(tmp_path, PO_HEAD + 'msgid "Case"\nmsgstr "Dossier"\n'))
    assert r.returncode == 0, r.stdout


def test_check_po_untranslated_and_fuzzy(tmp_path):
    text = PO_HEAD + 'msgid "Case"\nmsgstr ""\n\n#, fuzzy\nmsgid "Tree"\nmsgstr "Boom"\n'
    r = _check_po(_module(tmp_path, text))
    assert r.returncode == 1
    assert "1 untranslated and 1 fuzzy" in r.stdout


def test_check_po_missing(tmp_path):
    r = _check_po(_module(tmp_path, None))
    assert r.returncode == 1 and "no i18n/nl.po" in r.stdout


def test_demo_logins_file():
    users = read_demo_logins()
    logins = {u["login"] for u in users}
    assert {"admin", "medewerker", "coordinator", "corporatie", "wijteam"} <= logins
    assert len([u for u in users if u["role"] == "portal"]) == 2


def test_readme_access_table_is_generated_from_the_matrices():
    """README.md's security table is the access matrices' README lines (tools/gen_readme.py writes it)."""
    import gen_readme

    text = (ROOT / "README.md").read_text()
    table = gen_readme.render_access_table()
    assert gen_readme.readme_with_table(text, table) == text, "README.md is out of date: run tools/gen_readme.py"
    assert len(table.splitlines()) >= 12, table


def test_readme_access_table_follows_a_matrix_change(tmp_path):
    """A changed cell in a matrix file changes the README table (the generator reads the files)."""
    import gen_readme

    source = ROOT / "woonkans_case" / "security" / "access_matrix.csv"
    changed = tmp_path / "access_matrix.csv"
    changed.write_text(source.read_text().replace(",R org_sent,", ",-,", 1))
    table = gen_readme.render_access_table([changed])
    assert "| Referrals (`woonkans.referral`) | — | — | RWC team |" in table
    assert "| Referrals (`woonkans.referral`) | — | R own referrals | RWC team |" in gen_readme.render_access_table()
