"""Timing of the case analysis (woonkans.case.report) with 10,000 cases.

Inserts 10,000 cases (with 6 condition lines each and some cards) by SQL in
one transaction, times the pivot-style read_group calls, the KPI helper and
the management workbook on the SQL view, prints the figures and rolls back:
the database is left as it was.

Run through `make bench`, or directly:
    WOONKANS_BENCH_DB=<db> WOONKANS_ODOO_CONF=<conf> .venv/bin/python bench/reports_case_analysis.py
or with only a database name (uses the default Odoo configuration):
    .venv/bin/python bench/reports_case_analysis.py <db>
"""

import os
import statistics
import sys
import time
from datetime import date

import odoo
from odoo.tools import config

CASES = 10_000
REPEAT = 5


def timed(label, func, results):
    runs = []
    value = None
    for _ in range(REPEAT):
        start = time.perf_counter()
        value = func()
        runs.append((time.perf_counter() - start) * 1000)
    results.append((label, statistics.median(runs), max(runs)))
    return value


def populate(env):
    cr = env.cr
    company = env.company
    client = env["res.partner"].create({"name": "Bench Client"})
    referrers = env["res.partner"].create([{"name": f"Bench Corporation {i}", "is_company": True} for i in range(12)])
    stages = env["woonkans.case.stage"].search([])
    trajectories = env["woonkans.trajectory.type"].search([])
    reasons = env["woonkans.closure.reason"].search([])
    users = env["res.users"].search([("share", "=", False)], limit=5)
    cr.execute(
        """
        INSERT INTO woonkans_case (
            name, company_id, client_id, stage_id, phase, target_group, source, priority, active,
            trajectory_type_id, user_id, referrer_id, intake_date, date_start, date_closed,
            closure_reason_id, outcome, yellow_card_count, red_card_count, date_referral, create_date, write_date
        )
        SELECT
            'BENCH-' || g,
            %(company)s,
            %(client)s,
            (%(stages)s::int[])[1 + g %% array_length(%(stages)s::int[], 1)],
            NULL,
            (ARRAY['evicted', 'sitting_tenant', 'vulnerable'])[1 + g %% 3],
            'staff', '0', TRUE,
            (%(trajectories)s::int[])[1 + g %% array_length(%(trajectories)s::int[], 1)],
            (%(users)s::int[])[1 + g %% array_length(%(users)s::int[], 1)],
            (%(referrers)s::int[])[1 + g %% array_length(%(referrers)s::int[], 1)],
            DATE '2021-01-01' + (g %% 1500) + 10,
            DATE '2021-01-01' + (g %% 1500) + 20,
            NULL, NULL, NULL,
            g %% 4, (g %% 7 = 0)::int,
            DATE '2021-01-01' + (g %% 1500),
            TIMESTAMP '2021-01-01' + ((g %% 1500) || ' days')::interval,
            now() at time zone 'UTC'
        FROM generate_series(1, %(n)s) g
        """,
        {
            "company": company.id,
            "client": client.id,
            "stages": stages.ids,
            "trajectories": trajectories.ids,
            "users": users.ids,
            "referrers": referrers.ids,
            "n": CASES,
        },
    )
    cr.execute(
        "UPDATE woonkans_case c SET phase = s.phase FROM woonkans_case_stage s WHERE s.id = c.stage_id "
        "AND c.name LIKE 'BENCH-%%'",
        {},
    )
    cr.execute(
        """
        UPDATE woonkans_case SET
            date_closed = date_start + (id %% 700) + 30,
            closure_reason_id = (%(reasons)s::int[])[1 + id %% array_length(%(reasons)s::int[], 1)]
        WHERE name LIKE 'BENCH-%%' AND phase = 'closed'
        """,
        {"reasons": reasons.ids},
    )
    cr.execute(
        "UPDATE woonkans_case c SET outcome = r.outcome FROM woonkans_closure_reason r "
        "WHERE r.id = c.closure_reason_id AND c.name LIKE 'BENCH-%%'",
        {},
    )
    cr.execute(
        """
        INSERT INTO woonkans_condition_line (case_id, company_id, name, status, kind, sequence, date_due)
        SELECT c.id, c.company_id, jsonb_build_object('en_US', 'Bench condition ' || k),
               (ARRAY['open', 'met', 'not_met', 'not_applicable', 'met', 'met'])[1 + (c.id + k) %% 6],
               'manual', k, c.date_start + k * 30
        FROM woonkans_case c, generate_series(1, 6) k
        WHERE c.name LIKE 'BENCH-%%'
        """,
        {},
    )
    cr.execute(
        """
        INSERT INTO woonkans_card_event (case_id, company_id, card, date, reason)
        SELECT id, company_id, CASE WHEN id %% 28 = 0 THEN 'red' ELSE 'yellow' END, date_start + 60, 'Bench'
        FROM woonkans_case WHERE name LIKE 'BENCH-%%' AND yellow_card_count > 0
        """,
        {},
    )
    # Fresh statistics, as autovacuum would have gathered them in production;
    # without them the planner assumes empty tables and nests loops.
    for table in ("woonkans_case", "woonkans_condition_line", "woonkans_card_event"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    cr.execute("SELECT count(*) FROM woonkans_case WHERE name LIKE 'BENCH-%%'", {})
    return cr.fetchone()[0]


def main():
    db = os.environ.get("WOONKANS_BENCH_DB") or (sys.argv[1] if len(sys.argv) > 1 else None)
    if not db:
        sys.exit("usage: reports_case_analysis.py <database> (or set WOONKANS_BENCH_DB)")
    args = ["-d", db]
    if os.environ.get("WOONKANS_ODOO_CONF"):
        args = ["-c", os.environ["WOONKANS_ODOO_CONF"], *args]
    else:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        odoo_src = os.environ.get("ODOO_SRC", os.path.expanduser("~/.cache/woonkans/odoo-19.0"))
        args = [f"--addons-path={odoo_src}/addons,{root}", *args]
    config.parse_config(args)
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        inserted = populate(env)
        populate_ms = (time.perf_counter() - start) * 1000
        coordinator = env["res.users"].search(
            [("all_group_ids", "in", env.ref("woonkans_case.group_woonkans_coordinator").id), ("share", "=", False)],
            limit=1,
        )
        Report = env["woonkans.case.report"].with_user(coordinator)
        results = []
        total = timed("search_count (all rows)", lambda: Report.search_count([]), results)
        timed(
            "read_group trajectory x phase (pivot default)",
            lambda: Report.formatted_read_group([], ["trajectory_type_id", "phase"], ["case_count:sum"]),
            results,
        )
        timed(
            "read_group trajectory x year closed, KPIs",
            lambda: Report.formatted_read_group(
                [("is_closed", "=", True)],
                ["trajectory_type_id", "date_closed:year"],
                ["closed_count:sum", "positive_rate:avg", "duration_days:avg", "red_card_count:sum"],
            ),
            results,
        )
        timed(
            "read_group referrer x referral month",
            lambda: Report.formatted_read_group([], ["referrer_id", "date_referral:month"], ["case_count:sum"]),
            results,
        )
        kpis = timed(
            "KPI helper per trajectory, 2023",
            lambda: Report._woonkans_kpis(
                groupby="trajectory_type_id", date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)
            ),
            results,
        )
        caseworker = env["res.users"].search(
            [
                ("all_group_ids", "in", env.ref("woonkans_case.group_woonkans_user").id),
                ("all_group_ids", "not in", env.ref("woonkans_case.group_woonkans_coordinator").id),
                ("share", "=", False),
            ],
            limit=1,
        )
        if caseworker:
            timed(
                "read_group as a caseworker (record rules)",
                lambda: env["woonkans.case.report"]
                .with_user(caseworker)
                .formatted_read_group([], ["trajectory_type_id"], ["case_count:sum"]),
                results,
            )
        wizard = (
            env["woonkans.case.report.period"]
            .with_user(coordinator)
            .create({"date_from": date(2021, 1, 1), "date_to": date(2025, 12, 31)})
        )
        workbook = timed(
            "management workbook (6 sheets, 5 years)",
            lambda: env["ir.actions.report"]
            .with_user(coordinator)
            ._render_xlsx("woonkans_reports.management_xlsx", wizard.ids, data={})[0],
            results,
        )
        print(
            f"woonkans.case.report benchmark on {db}: inserted {inserted} cases in {populate_ms:.0f} ms; "
            f"view rows visible to the coordinator: {total}"
        )
        print(f"{'operation':<48} {'median ms':>10} {'max ms':>10}   (n={REPEAT})")
        for label, median, worst in results:
            print(f"{label:<48} {median:>10.1f} {worst:>10.1f}")
        closed = sum(k["closed"] for k in kpis)
        print(f"KPI check: {len(kpis)} trajectory groups, {closed} closures in 2023; workbook {len(workbook)} bytes")
        cr.rollback()


if __name__ == "__main__":
    main()
