"""pytest fixtures for the top-level tests.

`make test` (tools/run_tests.py) installs the add-ons on a throwaway database
and runs pytest with WOONKANS_TEST_DB (and WOONKANS_DATA_DIR) set, inside
tools/pg.sh, which exports the PG* variables of the PostgreSQL server.
The end-to-end tests start the Odoo server on that database on a free port.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import odoo_env  # noqa: E402

DEMO_LOGINS = ROOT / "tools" / "demo_logins.txt"


def read_demo_logins(path: Path = DEMO_LOGINS) -> list[dict]:
    users = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        role, login, password, *desc = line.split()
        users.append({"role": role, "login": login, "password": password, "description": " ".join(desc)})
    return users


@pytest.fixture(scope="session")
def demo_logins() -> list[dict]:
    return read_demo_logins()


@pytest.fixture(scope="session")
def test_db() -> str:
    db = os.environ.get("WOONKANS_TEST_DB")
    if not db:
        pytest.skip("end-to-end test: run it through `make test` (WOONKANS_TEST_DB is not set)")
    return db


def odoo_command(db: str, data_dir: str, http_port: int, gevent_port: int, workers: int = 0) -> list[str]:
    """The command line that starts the Odoo server on ``db`` (no cron, no database list)."""
    return [
        *odoo_env.odoo_bin(),
        *odoo_env.common_args(data_dir),
        f"--database={db}",
        f"--db-filter=^{db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={http_port}",
        f"--gevent-port={gevent_port}",
        "--max-cron-threads=0",
        f"--workers={workers}",
        "--no-database-list",
    ]


@contextlib.contextmanager
def running_odoo(db: str, data_dir: str, log_path: Path, workers: int = 0, timeout: float = 120):
    """Starts Odoo on ``db``, waits for /web/health, yields (process, http URL, gevent port), stops it.

    The server runs in its own process group, so that stopping it also ends
    the HTTP workers and the websocket (gevent) process of ``workers > 0``.
    """
    port, gevent_port = odoo_env.free_port(), odoo_env.free_port()
    url = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            odoo_command(db, data_dir, port, gevent_port, workers),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.time() + timeout
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"odoo exited with code {proc.returncode} at start: see {log_path}")
                try:
                    if requests.get(f"{url}/web/health", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.time() > deadline:
                    pytest.fail(f"odoo did not answer on {url} within {timeout:.0f} s: see {log_path}")
                time.sleep(0.3)
            yield proc, url, gevent_port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever the server left behind


@pytest.fixture(scope="session")
def odoo_data_dir(tmp_path_factory) -> str:
    return os.environ.get("WOONKANS_DATA_DIR") or str(tmp_path_factory.mktemp("odoo-data"))


@pytest.fixture(scope="session")
def odoo_url(test_db, odoo_data_dir):
    """Starts `odoo` on the test database on a free port; yields its base URL."""
    log_path = ROOT / "logs" / f"pytest-server-{test_db}.log"
    with running_odoo(test_db, odoo_data_dir, log_path) as (_proc, url, _gevent_port):
        yield url


class RpcError(Exception):
    def __init__(self, error: dict):
        self.error = error
        data = error.get("data") or {}
        self.name = data.get("name", "")
        super().__init__(f"{self.name}: {data.get('message') or error.get('message')}")


class OdooSession:
    """A browser-like session talking Odoo's JSON-RPC (web client routes)."""

    def __init__(self, url: str, db: str):
        self.url, self.db = url, db
        self.http = requests.Session()
        self.uid = None

    def _jsonrpc(self, path: str, params: dict):
        r = self.http.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=60,
        )
        r.raise_for_status()
        body = r.json()
        if "error" in body:
            raise RpcError(body["error"])
        return body["result"]

    def authenticate(self, login: str, password: str) -> int:
        result = self._jsonrpc("/web/session/authenticate", {"db": self.db, "login": login, "password": password})
        self.uid = result.get("uid")
        if not self.uid:
            raise AssertionError(f"login {login!r} failed: {result}")
        return self.uid

    def call(self, model: str, method: str, *args, **kwargs):
        return self._jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


@pytest.fixture(scope="session")
def session_factory(odoo_url, test_db):
    def make(login: str | None = None, password: str | None = None) -> OdooSession:
        s = OdooSession(odoo_url, test_db)
        if login:
            s.authenticate(login, password)
        return s

    return make
