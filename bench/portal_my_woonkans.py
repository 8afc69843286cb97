"""Server time of the partner portal's case list beside Odoo's own task list.

One portal user of one organisation; the organisation is a current party with
consent on 10,000 cases, and the same user follows a portal-visible project
with 10,000 tasks. Both pages are requested alternately, in one process,
through Odoo's WSGI application (the full request: routing, session, rules,
rendering), and the median and percentiles of N requests are printed.

    WOONKANS_BENCH_DB=wk_bench_portal .venv/bin/python bench/portal_my_woonkans.py

Environment: WOONKANS_BENCH_DB (database, created and filled on first run),
WOONKANS_ODOO_CONF (optional Odoo config file), BENCH_CASES (10000),
BENCH_REQUESTS (30), ODOO_ADDONS_PATH (defaults to the Odoo source of
tools/setup plus this repository).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("WOONKANS_BENCH_DB", "wk_bench_portal")
N_RECORDS = int(os.environ.get("BENCH_CASES", "10000"))
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
ODOO_SRC = Path(os.environ.get("ODOO_SRC", Path.home() / ".cache/woonkans/odoo-19.0"))
ADDONS_PATH = os.environ.get("ODOO_ADDONS_PATH", f"{ODOO_SRC}/addons,{ROOT}")
LOGIN = "bench_portal"
ORG_NAME = "Bench Woningcorporatie"


def odoo_args():
    if os.environ.get("WOONKANS_ODOO_CONF"):
        return ["-c", os.environ["WOONKANS_ODOO_CONF"], "-d", DB]
    return ["-d", DB, f"--addons-path={ADDONS_PATH}"]


def ensure_database():
    check = subprocess.run(
        ["psql", "-d", DB, "-Atc", "SELECT state FROM ir_module_module WHERE name='woonkans_case'"],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode == 0 and check.stdout.strip() == "installed":
        return
    print(f"installing woonkans_case in {DB} ...", flush=True)
    subprocess.run(["createdb", DB], check=False, capture_output=True)
    odoo_bin = Path(sys.executable).parent / "odoo"
    subprocess.run(
        [str(odoo_bin), *odoo_args(), "-i", "woonkans_case", "--stop-after-init", "--no-http", "--log-level=warn"],
        check=True,
    )


def share_project(env):
    """The portal user sees every task of the project: Odoo's project sharing (collaborator)."""
    project = env["project.project"].search([("name", "=", "Bench project")], limit=1)
    contact = env["res.users"].search([("login", "=", LOGIN)]).partner_id
    if project and contact not in project.collaborator_ids.partner_id:
        env["project.collaborator"].create({"project_id": project.id, "partner_id": contact.id})


def fill(env):
    """Create the organisation, the portal user, the cases and the tasks once."""
    from odoo import Command

    org = env["res.partner"].search([("name", "=", ORG_NAME), ("is_company", "=", True)], limit=1)
    if org:
        share_project(env)
        return
    started = time.perf_counter()
    quiet = dict(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True)
    env = env(context=dict(env.context, **quiet))
    org = env["res.partner"].create({"name": ORG_NAME, "is_company": True})
    contact = env["res.partner"].create({"name": "Bea Bench", "parent_id": org.id, "email": "bea@example.com"})
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "login": LOGIN,
            "password": LOGIN,
            "partner_id": contact.id,
            "group_ids": [Command.set([env.ref("base.group_portal").id])],
        }
    )
    stages = env["woonkans.case.stage"].search([("phase", "!=", "closed")])
    trajectories = env["woonkans.trajectory.type"].search([])
    role = env.ref("woonkans_case.party_role_referrer")
    batch = 1000
    for start in range(0, N_RECORDS, batch):
        size = min(batch, N_RECORDS - start)
        clients = env["res.partner"].create(
            [{"name": f"Client {start + i:05d}", "woonkans_is_client": True} for i in range(size)]
        )
        cases = env["woonkans.case"].create(
            [
                {
                    "client_id": client.id,
                    "target_group": ("evicted", "sitting_tenant", "vulnerable")[i % 3],
                    "consent_ids": [Command.create({"partner_id": org.id, "consent_text": "Toestemming (bench)."})],
                    "stage_id": stages[i % len(stages)].id,
                    "party_ids": [Command.create({"partner_id": org.id, "role_id": role.id})],
                }
                for i, client in enumerate(clients)
            ]
        )
        # trajectory without instantiating the checklist: this measures the list
        env.cr.execute(
            "UPDATE woonkans_case SET trajectory_type_id = %s WHERE id = ANY(%s) AND id %% 2 = 0",
            [trajectories[:1].id, cases.ids],
        )
        env.cr.commit()
    project = env["project.project"].create({"name": "Bench project", "privacy_visibility": "portal"})
    project.message_subscribe(partner_ids=contact.ids)
    share_project(env)
    for start in range(0, N_RECORDS, batch):
        size = min(batch, N_RECORDS - start)
        env["project.task"].create([{"name": f"Task {start + i:05d}", "project_id": project.id} for i in range(size)])
        env.cr.commit()
    env.invalidate_all()
    print(f"created {N_RECORDS} cases and {N_RECORDS} tasks in {time.perf_counter() - started:.0f}s", flush=True)


def main():
    ensure_database()
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config([*odoo_args(), "--log-level=warn", "--http-interface=127.0.0.1"])
    config["dbfilter"] = f"^{DB}$"
    registry = Registry(DB)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        fill(env)
        cr.commit()
        Case = env["woonkans.case"]
        user = env["res.users"].search([("login", "=", LOGIN)])
        counts = (
            Case.with_user(user).search_count([]),
            env["project.task"].with_user(user).search_count([("project_id", "!=", False)]),
        )
    print(f"portal user {LOGIN}: {counts[0]} cases, {counts[1]} tasks visible", flush=True)

    from werkzeug.test import Client

    from odoo import sql_db

    client = Client(odoo.http.root)
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    response = client.post(
        "/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": DB, "login": LOGIN, "password": LOGIN}},
        environ_base=environ,
    )
    assert "error" not in response.get_json(), response.get_json()

    urls = {"/my/woonkans": [], "/my/tasks": []}
    queries = {url: [] for url in urls}
    for url in urls:  # warm-up: templates, assets, caches
        for __ in range(3):
            assert client.get(url, environ_base=environ).status_code == 200
    for __ in range(N_REQUESTS):
        for url, timings in urls.items():
            before = sql_db.sql_counter
            started = time.perf_counter()
            response = client.get(url, environ_base=environ)
            timings.append((time.perf_counter() - started) * 1000)
            queries[url].append(sql_db.sql_counter - before)
            assert response.status_code == 200, (url, response.status_code)

    def pct(values, p):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    print(f"\n{N_REQUESTS} requests each, alternating, {N_RECORDS} records visible, page size 80")
    print(f"{'route':<14}{'median':>9}{'p90':>9}{'p95':>9}{'max':>9}{'queries':>9}")
    for url, timings in urls.items():
        print(
            f"{url:<14}{statistics.median(timings):>7.1f}ms{pct(timings, 90):>7.1f}ms"
            f"{pct(timings, 95):>7.1f}ms{max(timings):>7.1f}ms{statistics.median(queries[url]):>9.0f}"
        )


if __name__ == "__main__":
    main()
