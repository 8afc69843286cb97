"""Server time and query count of one Woonkansboom ``evaluate`` call.

Measures ``woonkans.decision.tree.evaluate`` on the default tree and on a
generated tree ten times larger (ten copies of the default tree behind one extra
question), both for a complete walk (outcome) and for a partial one (next
question). Prints the median over N calls and the queries per call.

Run with the project's venv against a database that has woonkans_decision_tree
installed (``make bench`` prepares one)::

    WOONKANS_BENCH_DB=woonkans_bench [WOONKANS_ODOO_CONF=odoo.conf] [N=200] \
        .venv/bin/python bench/decision_tree_evaluate.py

Without WOONKANS_ODOO_CONF the addons path is the Odoo source in
~/.cache/woonkans/odoo-19.0 plus this repository. Nothing is committed: the
generated tree is rolled back.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import odoo
from odoo import Command
from odoo.modules.registry import Registry
from odoo.tools import config

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("N", "200"))
COPIES = 10


def setup_config(db):
    conf = os.environ.get("WOONKANS_ODOO_CONF")
    if conf:
        config.parse_config(["-c", conf, "-d", db])
    else:
        odoo_src = Path(os.environ.get("ODOO_SRC", Path.home() / ".cache/woonkans/odoo-19.0"))
        config.parse_config(["-d", db, f"--addons-path={odoo_src / 'addons'},{ROOT}"])


def walk_answers(env):
    date = (odoo.fields.Date.context_today(env["res.users"]).replace(day=1)).isoformat()
    return {
        "situation": "evicted",
        "ev_date": date,
        "ev_reason": "arrears",
        "ev_woningnet": "yes",
        "ev_debt": "yes",
        "ev_arrangement": "kept",
        "ev_guidance": "yes",
        "ev_care": "no",
    }


def build_large_tree(env, source):
    """COPIES copies of ``source``'s nodes behind one routing question."""
    tree = env["woonkans.decision.tree"].create(
        {
            "name": f"Bench tree x{COPIES}",
            "code": f"bench_x{COPIES}",
            "parameter_ids": [
                Command.create(
                    {"code": p.code, "name": p.name, "value": p.value, "config_parameter": p.config_parameter}
                )
                for p in source.tree_id.parameter_ids
            ],
        }
    )
    version = env["woonkans.decision.tree.version"].create({"tree_id": tree.id, "note": "Bench tree."})
    Node, Option = env["woonkans.decision.node"], env["woonkans.decision.option"]
    root = Node.create(
        {"version_id": version.id, "code": "copy", "kind": "question", "question_type": "single", "text": "Which copy?"}
    )
    starts = []
    for index in range(COPIES):
        mapping = {}
        for node in source.node_ids:
            mapping[node] = node.copy({"version_id": version.id, "code": f"c{index}_{node.code}"})
        vals = []
        for node, new in mapping.items():
            for option in node.option_ids:
                data = option.copy_data({"node_id": new.id})[0]
                data["next_node_id"] = mapping[option.next_node_id].id
                vals.append(data)
        Option.create(vals)
        starts.append(mapping[source.start_node_id])
    Option.create(
        [
            {"node_id": root.id, "code": f"c{i}", "label": f"Copy {i}", "sequence": i, "next_node_id": start.id}
            for i, start in enumerate(starts)
        ]
        + [
            {
                "node_id": root.id,
                "code": "unknown",
                "label": "Unknown",
                "sequence": 99,
                "is_unknown": True,
                "next_node_id": starts[0].id,
            }
        ]
    )
    version.start_node_id = root
    version.action_publish()
    return tree


def measure(env, tree, answers):
    tree._evaluate(answers, log=False)  # warm the compiled-version cache
    cr = env.cr
    times, queries = [], []
    for _i in range(N):
        env.invalidate_all()
        before = cr.sql_log_count
        start = time.perf_counter()
        result = tree._evaluate(answers, log=False)
        times.append((time.perf_counter() - start) * 1000.0)
        queries.append(cr.sql_log_count - before)
    return statistics.median(times), max(queries), result


def main():
    db = os.environ.get("WOONKANS_BENCH_DB")
    if not db:
        sys.exit("Set WOONKANS_BENCH_DB to a database with woonkans_decision_tree installed.")
    setup_config(db)
    registry = Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        tree = env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        version = tree.published_version_id
        answers = walk_answers(env)
        large = build_large_tree(env, version)
        large_answers = {f"c{COPIES - 1}_{k}": v for k, v in answers.items()}
        large_answers["copy"] = f"c{COPIES - 1}"
        rows = [
            (f"default tree ({len(version.node_ids)} nodes), outcome", tree, answers),
            (f"default tree ({len(version.node_ids)} nodes), next question", tree, {"situation": "sitting"}),
            (f"generated tree ({len(large.published_version_id.node_ids)} nodes), outcome", large, large_answers),
            (
                f"generated tree ({len(large.published_version_id.node_ids)} nodes), next question",
                large,
                {"copy": f"c{COPIES - 1}", f"c{COPIES - 1}_situation": "sitting"},
            ),
        ]
        print(f"woonkans.decision.tree.evaluate, median of {N} calls (server side, warm cache, no run logging)")
        for label, subject, walk in rows:
            median, queries, result = measure(env, subject, walk)
            assert "error" not in result, result
            print(f"  {label:<48} {median:7.3f} ms  {queries:2d} queries/call")
        # a cold cache: the version is compiled once (a few queries), then cached
        for label, subject, walk in rows[::2]:
            registry.clear_cache()
            env.invalidate_all()
            before = cr.sql_log_count
            start = time.perf_counter()
            subject._evaluate(walk, log=False)
            name = label.split(",")[0] + ", cold cache (compiles)"
            elapsed = (time.perf_counter() - start) * 1000
            print(f"  {name:<48} {elapsed:7.3f} ms  {cr.sql_log_count - before:2d} queries (single call)")
        # the logged variant (a complete API walk inserts one run)
        before = cr.sql_log_count
        start = time.perf_counter()
        tree.evaluate(answers)
        print(
            f"  {'default tree, outcome, with run logging':<48} {(time.perf_counter() - start) * 1000:7.3f} ms"
            f"  {cr.sql_log_count - before:2d} queries (single call)"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
