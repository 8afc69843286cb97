"""End-to-end checks over real HTTP against the database `make test` installed."""

import pytest
import requests

pytestmark = pytest.mark.e2e


def test_login_page(odoo_url):
    r = requests.get(f"{odoo_url}/web/login", timeout=30)
    assert r.status_code == 200
    assert "password" in r.text.lower()


def test_health(odoo_url):
    r = requests.get(f"{odoo_url}/web/health", timeout=10)
    assert r.status_code == 200
    assert r.json().get("status") == "pass"


def test_jsonrpc_admin_login_and_case_count(odoo_url, test_db, demo_logins):
    admin = next(u for u in demo_logins if u["role"] == "admin")

    def rpc(service, method, *args):
        r = requests.post(
            f"{odoo_url}/jsonrpc",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"service": service, "method": method, "args": list(args)},
            },
            timeout=60,
        )
        body = r.json()
        assert "error" not in body, body.get("error")
        return body["result"]

    uid = rpc("common", "login", test_db, admin["login"], admin["password"])
    assert isinstance(uid, int) and uid > 0, f"admin login failed: {uid!r}"
    count = rpc("object", "execute_kw", test_db, uid, admin["password"], "woonkans.case", "search_count", [[]])
    assert isinstance(count, int)


def test_web_session_authenticate_admin(session_factory, demo_logins):
    admin = next(u for u in demo_logins if u["role"] == "admin")
    s = session_factory(admin["login"], admin["password"])
    assert isinstance(s.call("woonkans.case", "search_count", []), int)
