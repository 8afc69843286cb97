#!/usr/bin/env python3
"""`make test`: the whole suite on a fresh throwaway database.

1. Installs the add-ons ($ADDONS, default the project's three) with demo data
   and Odoo's test runner (at_install and post_install tests of our add-ons
   only), logging to logs/test-<db>.log and to the terminal.
2. Runs the top-level tests/ with pytest against that database.
3. Checks the log for ERROR/WARNING/CRITICAL lines of our add-ons
   (tools/checklog-ignore.txt lists known-harmless ones) and the Dutch
   translations (tools/check_po.py); each check counts as one failure.
4. Drops the database and its filestore, also on failure or Ctrl-C.

Ends with one line ``N passed, M failed[, K skipped]`` and exits non-zero on
any failure. Run it through tools/pg.sh (the Makefile does).
"""

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import odoo_env  # noqa: E402

ROOT = odoo_env.ROOT
IGNORE_FILE = ROOT / "tools" / "checklog-ignore.txt"

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[\w.\-]+): (?P<msg>.*)$"
)
RESULT = re.compile(r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests when loading database")
SKIPPED = re.compile(r"\bskipped (?P<test>.+?) : (?P<reason>.*)$")
# A browser test skipped for lack of Chromium / websocket-client did not run:
# it counts as failed.
BROWSER_SKIP = re.compile(
    r"Chrome executable not found|websocket-client module is not installed|Cannot connect to chrome dev tools"
    r"|Failed to detect chrome devtools port|Error during Chrome",
    re.IGNORECASE,
)
BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}
# Lines the runner already counts elsewhere (a test's own FAIL/ERROR report,
# the result line, the browser-missing warnings).
HARNESS_LINES = [
    re.compile(r"\.tests(\.|$)[\w.]*: (FAIL|ERROR): "),
    re.compile(r"odoo\.tests\.result: "),
    re.compile(r"odoo\.modules\.loading: Module \S+: \d+ failures, \d+ errors of \d+ tests"),
    BROWSER_SKIP,
]


@dataclass
class OdooResult:
    found: bool = False
    run: int = 0
    failed: int = 0
    errors: int = 0
    skipped: list[str] = field(default_factory=list)
    browser_skipped: list[str] = field(default_factory=list)
    offending: list[str] = field(default_factory=list)

    @property
    def bad(self) -> int:
        return self.failed + self.errors + len(self.browser_skipped)

    @property
    def passed(self) -> int:
        return max(0, self.run - self.failed - self.errors - len(self.skipped) - len(self.browser_skipped))


def load_ignore(path: Path = IGNORE_FILE) -> list[re.Pattern]:
    patterns = []
    if path.is_file():
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if line and not line.startswith("#"):
                patterns.append(re.compile(line))
    return patterns


def is_ours(logger: str, msg: str, modules: list[str], db: str | None = None) -> bool:
    """A log line comes from our add-ons: their logger, or text naming them."""
    if logger.startswith("odoo.addons.woonkans_") or any(
        logger == f"odoo.addons.{m}" or logger.startswith(f"odoo.addons.{m}.") for m in modules
    ):
        return True
    text = msg.replace(db, "<db>") if db else msg
    text = text.lower()
    return "woonkans" in text or any(m.lower() in text for m in modules)


def parse_odoo_log(lines, modules: list[str], db: str | None = None, ignore=()) -> OdooResult:
    """Counts Odoo's test results and collects the log lines that fail the log check."""
    res = OdooResult()
    for raw in lines:
        line = ANSI.sub("", raw.rstrip("\n"))
        m = LOG_LINE.match(line)
        if not m:
            continue
        logger, msg, level = m["logger"], m["msg"], m["level"]
        if logger == "odoo.tests.result":
            r = RESULT.search(msg)
            if r:
                res.found = True
                res.run, res.failed, res.errors = int(r["run"]), int(r["failed"]), int(r["errors"])
        s = SKIPPED.match(msg)
        if s and level == "INFO":
            (res.browser_skipped if BROWSER_SKIP.search(s["reason"]) else res.skipped).append(
                f"{logger}: {s['test']} : {s['reason']}"
            )
        if level in BAD_LEVELS and is_ours(logger, msg, modules, db):
            if any(p.search(line) for p in HARNESS_LINES) or any(p.search(line) for p in ignore):
                continue
            res.offending.append(line)
    return res


@dataclass
class PytestResult:
    passed: int = 0
    failed: int = 0
    skipped: int = 0


def parse_junit(path: Path) -> PytestResult | None:
    if not path.is_file():
        return None
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    res = PytestResult()
    for s in suites:
        tests, fail = int(s.get("tests", 0)), int(s.get("failures", 0)) + int(s.get("errors", 0))
        skip = int(s.get("skipped", 0))
        res.failed += fail
        res.skipped += skip
        res.passed += max(0, tests - fail - skip)
    return res


def summary_line(passed: int, failed: int, skipped: int = 0) -> str:
    line = f"{passed} passed, {failed} failed"
    return f"{line}, {skipped} skipped" if skipped else line


def module_dirs(modules: list[str]) -> list[Path]:
    return [d for d in map(odoo_env.module_dir, modules) if d]


def say(msg: str) -> None:
    print(f"\033[1m[woonkans]\033[0m {msg}", file=sys.stderr, flush=True)


def run_odoo(db: str, modules: list[str], data_dir: str, log_path: Path) -> tuple[int, list[str]]:
    port = odoo_env.free_port()
    cmd = [
        *odoo_env.odoo_bin(),
        *odoo_env.common_args(data_dir),
        f"--database={db}",
        f"--db-filter=^{db}$",
        f"--init={','.join(modules)}",
        "--with-demo",
        "--test-enable",
        f"--test-tags={','.join('/' + m for m in modules)}",
        "--stop-after-init",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={odoo_env.free_port()}",
        "--max-cron-threads=0",
        "--workers=0",
        "--log-level=info",
    ]
    say(f"installing {','.join(modules)} with demo data and running their tests on database {db}")
    say(f"log: {log_path}")
    lines = []
    with log_path.open("w") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        try:
            for line in proc.stdout:
                sys.stdout.write(line)
                log.write(line)
                lines.append(line)
            rc = proc.wait()
        except BaseException:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            raise
    return rc, lines


def run_pytest(db: str, data_dir: str, junit: Path, extra: list[str]) -> int:
    env = dict(os.environ, WOONKANS_TEST_DB=db, WOONKANS_DATA_DIR=data_dir)
    cmd = [sys.executable, "-m", "pytest", str(ROOT / "tests"), "-q", "-rfEs", f"--junitxml={junit}", *extra]
    say("running the end-to-end and tooling tests in tests/ with pytest")
    return subprocess.call(cmd, env=env, cwd=ROOT)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--keep", action="store_true", help="keep the test database afterwards")
    p.add_argument("--no-pytest", action="store_true", help="skip the top-level tests/")
    p.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = p.parse_args(argv)

    modules = odoo_env.addons()
    db = f"wk_test_{secrets.token_hex(4)}"
    log_dir = ROOT / "logs"
    log_dir.mkdir(exist_ok=True)
    log_path = log_dir / f"test-{db}.log"
    junit = log_dir / f"pytest-{db}.xml"
    data_dir = tempfile.mkdtemp(prefix="woonkans-test-data-")

    # SIGTERM (CI cancel) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    passed = failed = skipped = 0
    problems = []
    try:
        rc, lines = run_odoo(db, modules, data_dir, log_path)
        res = parse_odoo_log(lines, modules, db, load_ignore())
        passed += res.passed
        failed += res.bad
        skipped += len(res.skipped)
        for s in res.browser_skipped:
            problems.append(f"browser test did not run (counted as failed): {s}")
        if not res.found:
            failed += 1
            problems.append(f"Odoo exited with code {rc} without its test result line: it crashed (see {log_path})")
        elif res.run == 0:
            failed += 1
            problems.append("Odoo ran 0 tests: the add-ons' tests were not found")
        elif rc != 0 and res.bad == 0:
            failed += 1
            problems.append(f"Odoo exited with code {rc} although its tests passed (see {log_path})")
        if res.offending:
            failed += 1
            problems.append(f"log check: {len(res.offending)} WARNING/ERROR line(s) from our add-ons:")
            problems += [f"    {line}" for line in res.offending]

        if res.found and not args.no_pytest:
            prc = run_pytest(db, data_dir, junit, args.pytest_args)
            pres = parse_junit(junit)
            if pres is None:
                failed += 1
                problems.append(f"pytest exited with code {prc} without a result file")
            else:
                passed += pres.passed
                failed += pres.failed
                skipped += pres.skipped
                if prc not in (0, 1) and pres.failed == 0:
                    failed += 1
                    problems.append(f"pytest exited with code {prc}")

        dirs = module_dirs(modules)
        say("checking the Dutch translations (tools/check_po.py)")
        if subprocess.call([sys.executable, str(ROOT / "tools" / "check_po.py"), *map(str, dirs)]) != 0:
            failed += 1
            problems.append("translation check: i18n/nl.po is incomplete (see above)")
    except KeyboardInterrupt:
        say("interrupted: cleaning up")
        return 130
    finally:
        if args.keep:
            say(f"kept database {db} (data dir {data_dir})")
        else:
            try:
                odoo_env.drop_db(db)
            except Exception as e:  # noqa: BLE001
                say(f"could not drop {db}: {e}")
            import shutil  # noqa: PLC0415

            shutil.rmtree(data_dir, ignore_errors=True)

    for line in problems:
        print(line)
    print(summary_line(passed, failed, skipped), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
