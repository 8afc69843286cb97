"""Production mode: Odoo with HTTP workers and the websocket (gevent) process.

`docker/odoo.conf` and every production install run `--workers`; the rest of
the suite runs Odoo threaded (`--workers=0`), which never starts the gevent
process. This test starts the server on the test database the way production
does, opens the websocket on the gevent port, receives a bus notification
through it, stops the server and checks the log.
"""

import json
import random
import re
import time

import pytest
import requests
import websocket
from conftest import ROOT, running_odoo

pytestmark = pytest.mark.e2e

WORKERS = 2
# Lines that must not appear in the server's log: a traceback anywhere, or a
# log line of level ERROR/CRITICAL (the gevent process crash-looping on
# `DistributionNotFound: The 'zope.interface' distribution was not found`
# printed both).
BAD_LINE = re.compile(r"^Traceback \(most recent call last\)|^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def _wait_for(url: str, deadline: float) -> None:
    while True:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.time() > deadline:
            raise AssertionError(f"{url} did not answer")
        time.sleep(0.3)


def _login(url: str, db: str, login: str, password: str) -> tuple[requests.Session, int]:
    http = requests.Session()

    def call(path, params):
        r = http.post(f"{url}{path}", json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=60)
        body = r.json()
        assert "error" not in body, body["error"]
        return body["result"]

    uid = call("/web/session/authenticate", {"db": db, "login": login, "password": password})["uid"]
    http.call = lambda model, method, *args, **kw: call(  # type: ignore[attr-defined]
        f"/web/dataset/call_kw/{model}/{method}", {"model": model, "method": method, "args": list(args), "kwargs": kw}
    )
    return http, uid


def _check_rate_limit_across_workers(url: str, http: requests.Session) -> None:
    """The Woonkansboom's rate limit counts in the database: requests served by
    different worker processes add up, and requests that fail (404) count too."""
    params = {"woonkans_decision_tree.rate_limit_page": "3"}
    # a window length of its own: no counter of an earlier run or test shares its window
    params["woonkans_decision_tree.rate_limit_page_window"] = str(random.randint(4000, 80000))
    previous = {key: http.call("ir.config_parameter", "get_param", key) for key in params}
    for key, value in params.items():
        http.call("ir.config_parameter", "set_param", key, value)
    try:
        statuses = [
            requests.get(f"{url}/woonkansboom/run/{'0' * 32}", timeout=30, allow_redirects=False).status_code
            for _i in range(2 * WORKERS + 1)
        ]
    finally:
        for key, value in previous.items():
            http.call("ir.config_parameter", "set_param", key, value)
    assert statuses == [404] * 3 + [429] * (2 * WORKERS - 2), statuses


def test_workers_start_and_serve_the_websocket(test_db, odoo_data_dir, demo_logins):
    admin = next(u for u in demo_logins if u["role"] == "admin")
    log_path = ROOT / "logs" / f"pytest-workers-{test_db}.log"
    started = time.time()
    with running_odoo(test_db, odoo_data_dir, log_path, workers=WORKERS, timeout=60) as (proc, url, gevent_port):
        gevent_url = f"http://127.0.0.1:{gevent_port}"
        try:
            _wait_for(f"{gevent_url}/websocket/health", time.time() + 30)
        except AssertionError:
            pytest.fail(f"the websocket (gevent) process does not answer on port {gevent_port}: see {log_path}")

        # Log in through an HTTP worker; the session is shared with the gevent process.
        http, uid = _login(url, test_db, admin["login"], admin["password"])
        settings_id = http.call("res.users", "read", [uid], ["res_users_settings_id"])[0]["res_users_settings_id"]
        if settings_id:
            settings_id = settings_id[0]
        else:
            settings_id = http.call("res.users.settings", "create", {"user_id": uid})

        ws = websocket.create_connection(
            f"ws://127.0.0.1:{gevent_port}/websocket",
            origin=gevent_url,
            cookie="; ".join(f"{k}={v}" for k, v in http.cookies.items()),
            timeout=20,
        )
        try:
            # websocket-client has checked Sec-WebSocket-Accept against the key it sent.
            assert ws.getstatus() == 101
            ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
            ws.ping(b"woonkans")
            # (notifications already on the bus may come first)
            opcode, payload = ws.recv_data(control_frame=True)
            while opcode != websocket.ABNF.OPCODE_PONG:
                opcode, payload = ws.recv_data(control_frame=True)
            assert payload == b"woonkans"

            # A change of the user's settings is sent to the user's partner channel
            # by an HTTP worker (PostgreSQL NOTIFY) and reaches this websocket.
            duration = random.randint(1000, 999999)
            http.call(
                "res.users.settings", "set_res_users_settings", [settings_id], {"voice_active_duration": duration}
            )
            seen = []
            deadline = time.time() + 20
            while time.time() < deadline:
                messages = [n["message"] for n in json.loads(ws.recv())]
                seen += [m["type"] for m in messages]
                if any(
                    m["type"] == "res.users.settings" and m["payload"].get("voice_active_duration") == duration
                    for m in messages
                ):
                    break
            else:
                raise AssertionError(f"the settings change did not reach the websocket; it got {seen}")
        finally:
            ws.close()
        _check_rate_limit_across_workers(url, http)
        assert proc.poll() is None, "the server stopped while serving"

    elapsed = time.time() - started
    print(f"odoo --workers={WORKERS}: started, websocket served and stopped in {elapsed:.1f} s")
    log = log_path.read_text(errors="replace")
    bad = [line for line in log.splitlines() if BAD_LINE.search(line)]
    assert not bad, f"the server logged errors (see {log_path}):\n" + "\n".join(bad[:20])
    # One websocket process for the whole run: a second start means it crashed.
    assert log.count("Evented Service (longpolling) running") == 1, f"the gevent process restarted: see {log_path}"
    assert log.count("HTTP service (werkzeug) running") == 1
    assert elapsed < 60
