"""Shared helpers for the make targets: where Odoo is, how to call it, databases.

Run with the project's venv python inside ``tools/pg.sh`` (which exports the
PG* variables of a usable PostgreSQL server). Also a tiny CLI::

    python tools/odoo_env.py state DB      # prints: missing | empty | installed
    python tools/odoo_env.py drop DB [DATA_DIR]
    python tools/odoo_env.py odoo-args     # prints the common Odoo arguments
    python tools/odoo_env.py write-conf PATH [DATA_DIR]
    python tools/odoo_env.py module-dir MODULE
"""

import os
import shutil
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
DEFAULT_ADDONS = "woonkans_case,woonkans_decision_tree,woonkans_reports"
RUN_DATA_DIR = ROOT / ".odoo-data"


def addons() -> list[str]:
    """The add-ons under test/run: $ADDONS or the project's three."""
    value = os.environ.get("ADDONS") or DEFAULT_ADDONS
    return [a.strip() for a in value.split(",") if a.strip()]


def odoo_tree() -> Path:
    """The Odoo 19 source tree the venv was built from."""
    stamp = VENV / ".odoo-src"
    if os.environ.get("ODOO_SRC"):
        return Path(os.environ["ODOO_SRC"]).resolve()
    if stamp.is_file():
        return Path(stamp.read_text().strip())
    import odoo  # noqa: PLC0415

    return Path(odoo.__file__).resolve().parent.parent


def odoo_bin() -> list[str]:
    exe = VENV / "bin" / "odoo"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "odoo"]


def addons_path() -> str:
    """Odoo's addons + the repo root + $ADDONS_PATH_EXTRA (comma separated).

    Odoo also finds add-ons pip-installed into the venv (odoo/addons namespace,
    e.g. report_xlsx) by itself.
    """
    paths = [str(odoo_tree() / "addons"), str(ROOT)]
    extra = os.environ.get("ADDONS_PATH_EXTRA", "")
    paths += [p for p in extra.split(",") if p.strip()]
    return ",".join(paths)


def db_args() -> list[str]:
    """--db_host/--db_port/--db_user/--db_password from the PG* variables."""
    args = []
    for var, opt in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
        ("PGPASSWORD", "--db_password"),
    ):
        if os.environ.get(var):
            args.append(f"{opt}={os.environ[var]}")
    return args


def common_args(data_dir: Path | str | None = None) -> list[str]:
    args = [f"--addons-path={addons_path()}", *db_args()]
    if data_dir:
        args.append(f"--data-dir={data_dir}")
    return args


def module_dir(module: str) -> Path | None:
    """The folder of an add-on in the repo root or $ADDONS_PATH_EXTRA."""
    roots = [ROOT] + [Path(p) for p in os.environ.get("ADDONS_PATH_EXTRA", "").split(",") if p.strip()]
    for r in roots:
        if (r / module / "__manifest__.py").is_file():
            return r / module
    return None


def write_conf(path: Path | str, data_dir: Path | str | None = None) -> None:
    """An Odoo config file with the addons path and DB connection (for
    `odoo i18n`, which reads the connection only from a config file, and for
    scripts that use Odoo as a library: `odoo.tools.config.parse_config(['-c', path])`)."""
    lines = ["[options]", f"addons_path = {addons_path()}"]
    for var, key in (
        ("PGHOST", "db_host"),
        ("PGPORT", "db_port"),
        ("PGUSER", "db_user"),
        ("PGPASSWORD", "db_password"),
    ):
        if os.environ.get(var):
            lines.append(f"{key} = {os.environ[var]}")
    if data_dir:
        lines.append(f"data_dir = {data_dir}")
    Path(path).write_text("\n".join(lines) + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _connect(dbname="postgres"):
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=dbname, connect_timeout=5)
    conn.autocommit = True
    return conn


def db_state(db: str, modules: list[str] | None = None) -> str:
    """'missing', 'empty' (exists, modules not all installed) or 'installed'."""
    modules = modules or addons()
    conn = _connect()
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
            if not cr.fetchone():
                return "missing"
    finally:
        conn.close()
    conn = _connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if not cr.fetchone()[0]:
                return "empty"
            cr.execute(
                "SELECT count(*) FROM ir_module_module WHERE name = ANY(%s) AND state = 'installed'",
                [modules],
            )
            return "installed" if cr.fetchone()[0] == len(modules) else "empty"
    finally:
        conn.close()


def drop_db(db: str, data_dir: Path | str | None = None) -> None:
    """Drop the database (closing its connections) and its filestore."""
    from psycopg2 import sql  # noqa: PLC0415

    conn = _connect()
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [db],
            )
            cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db)))
    finally:
        conn.close()
    if data_dir:
        shutil.rmtree(Path(data_dir) / "filestore" / db, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "state":
        print(db_state(rest[0]))
    elif cmd == "drop":
        drop_db(rest[0], rest[1] if len(rest) > 1 else None)
    elif cmd == "odoo-args":
        print("\n".join(odoo_bin() + common_args()))
    elif cmd == "write-conf":
        write_conf(rest[0], rest[1] if len(rest) > 1 else None)
    elif cmd == "module-dir":
        d = module_dir(rest[0])
        if not d:
            return 1
        print(d)
    elif cmd == "addons-path":
        print(addons_path())
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
