import logging
import re
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config, mute_logger

from .common import default_walks

_logger = logging.getLogger(__name__)

PAGE = "woonkans_decision_tree.rate_limit_page"
RUNS = "woonkans_decision_tree.rate_limit_runs"
# Every public route of the Woonkansboom, as (method, path) with {token} for a run's token
# and {tree_id} for a public tree.
PUBLIC_ROUTES = [
    ("GET", "/nl/woonkansboom"),
    ("POST", "/woonkansboom/start"),
    ("GET", "/nl/woonkansboom/run/{token}"),
    ("POST", "/woonkansboom/run/{token}/answer"),
    ("POST", "/woonkansboom/run/{token}/finish"),
    ("GET", "/nl/woonkansboom/run/{token}/advice.pdf"),
    ("GET", "/nl/woonkansboom/tree/{tree_id}/tree.pdf"),
]


@tagged("post_install", "-at_install")
class TestRateLimits(HttpCase):
    """Per client address, counted on woonkans.rate.limit; a Dutch 429 page past the limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(["woonkans_decision_tree"], ["nl_NL"], overwrite=True)
        cls.tree = cls.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        cls.tree.public_enabled = True
        cls.caseworker = new_test_user(
            cls.env,
            login="wk_dt_rate_cw",
            password="wk_dt_rate_cw",
            groups="woonkans_case.group_woonkans_user",
            lang="nl_NL",
        )
        cls.set_param = cls.env["ir.config_parameter"].sudo().set_param
        cls.address_count = 0

    def setUp(self):
        super().setUp()
        # Hold the clock in the middle of a window: a test whose requests straddled the
        # end of a fixed window would start a new count and flake.
        self.held = held = int(time.time()) // 86400 * 86400 + 30
        self.startPatcher(patch.object(type(self.env["woonkans.rate.limit"]), "_clock", lambda _self: held))

    def _address(self):
        """A fresh client address (reaches Odoo as the proxy's X-Forwarded-For under proxy_mode)."""
        type(self).address_count += 1
        return f"203.0.113.{self.address_count}"

    def _get(self, path, address=None):
        headers = {"X-Forwarded-For": address, "X-Forwarded-Host": "woonkans.example"} if address else None
        with patch.dict(config.options, {"proxy_mode": bool(address)}):
            return self.url_open(path, headers=headers)

    def _assert_429(self, response, window=60):
        self.assertEqual(response.status_code, 429)
        self.assertTrue(1 <= int(response.headers["Retry-After"]) <= window, response.headers["Retry-After"])
        self.assertIn("Even geduld", response.text)
        self.assertIn("Te veel verzoeken vanaf uw adres", response.text)
        self.assertIn("Terug naar de Woonkansboom", response.text)
        self.assertNotIn("One moment", response.text)

    def test_public_page_past_the_limit_is_429_in_dutch(self):
        for limit in (2, 5):
            self.set_param(PAGE, str(limit))
            address = self._address()
            for _i in range(limit):
                self.assertEqual(self._get("/nl/woonkansboom", address).status_code, 200)
            self._assert_429(self._get("/nl/woonkansboom", address))

    def test_every_public_route_is_listed(self):
        """PUBLIC_ROUTES is the routing map's list of public Woonkansboom routes, so none goes unlimited."""
        public = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if rule.rule.startswith("/woonkansboom") and rule.endpoint.routing["auth"] == "public":
                public.add(re.sub(r"<int:tree_id>", "{tree_id}", re.sub(r"<string:token>", "{token}", rule.rule)))
        listed = {re.sub(r"^/nl", "", path) for _method, path in PUBLIC_ROUTES}
        self.assertEqual(public, listed)

    def test_every_public_route_is_limited(self):
        # a run that can be answered, finished and printed: each route's first request succeeds (in test
        # mode a failed request also rolls its count back; tests/test_workers.py checks a real server)
        run = self.env["woonkans.decision.run"].sudo()._start(self.tree, "public")
        for code, answer in default_walks(self.env)["out_aftercare"][0].items():
            run._answer(code, answer)
        page = self._get("/nl/woonkansboom", self._address())
        data = {
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),
            "tree_id": self.tree.id,
            "node": "situation",
            "answer": "eviction_final",
        }
        self.set_param(PAGE, "1")
        for method, path in PUBLIC_ROUTES:
            with self.subTest(route=path):
                address = self._address()
                url = path.format(token=run.access_token, tree_id=self.tree.id)
                headers = {"X-Forwarded-For": address, "X-Forwarded-Host": "woonkans.example"}
                # a GET may be redirected to its language first (not counted), a POST answers itself
                kwargs = {"data": data, "allow_redirects": False} if method == "POST" else {}
                with patch.dict(config.options, {"proxy_mode": True}), mute_logger("odoo.http"):
                    first = self.url_open(url, headers=headers, method=method, **kwargs)
                    response = self.url_open(url, headers=headers, method=method, **kwargs)
                self.assertIn(first.status_code, (200, 303))
                self.assertEqual(response.status_code, 429)
                self.assertIn("Retry-After", response.headers)
        _logger.info("rate limit: %s public routes checked", len(PUBLIC_ROUTES))

    def test_addresses_are_counted_separately(self):
        self.set_param(PAGE, "2")
        first, second = self._address(), self._address()
        for _i in range(2):
            self.assertEqual(self._get("/nl/woonkansboom", first).status_code, 200)
        self._assert_429(self._get("/nl/woonkansboom", first))
        self.assertEqual(self._get("/nl/woonkansboom", second).status_code, 200)
        self._assert_429(self._get("/nl/woonkansboom", first))
        counters = self.env["woonkans.rate.limit"].search([("bucket", "=", "page"), ("address", "in", [first, second])])
        self.assertEqual(sorted(counters.mapped("hits")), [1, 4])
        window_start = fields.Datetime.to_datetime("1970-01-01") + timedelta(seconds=self.held - 30)
        self.assertEqual(set(counters.mapped("window_start")), {window_start}, "both counted in the held window")

    def test_forwarded_for_is_ignored_without_proxy_mode(self):
        """A client cannot pick its address: without proxy_mode X-Forwarded-For is not trusted."""
        self.set_param(PAGE, "2")
        with patch.dict(config.options, {"proxy_mode": False}):
            responses = [
                self.url_open("/nl/woonkansboom", headers={"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(3)
            ]
        self.assertEqual([r.status_code for r in responses], [200, 200, 429])

    def test_zero_switches_the_limit_off(self):
        self.set_param(PAGE, "0")
        address = self._address()
        self.assertEqual([self._get("/nl/woonkansboom", address).status_code for _i in range(4)], [200] * 4)
        self.assertFalse(self.env["woonkans.rate.limit"].search([("address", "=", address)]))

    def test_public_runs_are_limited(self):
        self.set_param(RUNS, "1")
        address = self._address()
        headers = {"X-Forwarded-For": address, "X-Forwarded-Host": "woonkans.example"}
        with patch.dict(config.options, {"proxy_mode": True}):
            page = self.url_open("/nl/woonkansboom", headers=headers)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            data = {"csrf_token": csrf, "tree_id": self.tree.id}
            started = self.url_open("/woonkansboom/start", data=data, headers=headers, allow_redirects=False)
            refused = self.url_open("/woonkansboom/start", data=data, headers=headers, allow_redirects=False)
        self.assertEqual(started.status_code, 303)
        self._assert_429(refused, window=3600)

    def _call_kw(self, method, args, kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/woonkans.decision.tree/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": "woonkans.decision.tree", "method": method, "args": args, "kwargs": kwargs},
            },
        )
        return response.json()

    def _rpc_evaluate(self, answers, context=None):
        return self._call_kw("evaluate", [[self.tree.id], answers], {"context": context or {}})

    def _api_runs(self):
        return self.env["woonkans.decision.run"].sudo().search_count([("channel", "=", "api")])

    def test_rpc_evaluate_always_logs_its_run(self):
        """No context key an external caller can send switches the run log off."""
        self.authenticate("wk_dt_rate_cw", "wk_dt_rate_cw")
        answers = default_walks(self.env)["out_second_chance"][0]
        contexts = [
            {},
            {"woonkans_decision_no_log": True},
            {"woonkans_decision_no_log": 1, "log": False, "no_log": True, "tracking_disable": True},
        ]
        for context in contexts:
            with self.subTest(context=context):
                before = self._api_runs()
                body = self._rpc_evaluate(answers, context)
                self.assertEqual(body["result"]["outcome"]["code"], "out_second_chance")
                self.assertEqual(self._api_runs(), before + 1)
        # nor over JSON-2 with an API key
        key = self.env["res.users.apikeys"].with_user(self.caseworker).sudo()._generate(None, "rate limit test", None)
        before = self._api_runs()
        response = self.url_open(
            "/json/2/woonkans.decision.tree/evaluate",
            json={"ids": [self.tree.id], "answers": answers, "context": {"woonkans_decision_no_log": True}},
            headers={"Authorization": f"Bearer {key}"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["outcome"]["code"], "out_second_chance")
        self.assertEqual(self._api_runs(), before + 1)
        # and the private method that may skip the log is not reachable over RPC
        with mute_logger("odoo.http"):
            body = self._call_kw("_evaluate", [[self.tree.id], answers], {"log": False})
        self.assertIn("error", body)

    def test_rpc_run_logging_is_limited(self):
        self.set_param(RUNS, "2")
        self.authenticate("wk_dt_rate_cw", "wk_dt_rate_cw")
        answers = default_walks(self.env)["out_aftercare"][0]
        before = self._api_runs()
        for _i in range(2):
            self.assertIn("result", self._rpc_evaluate(answers, {"lang": "nl_NL"}))
        with mute_logger("odoo.http"):
            body = self._rpc_evaluate(answers, {"lang": "nl_NL"})
        self.assertIn("Te veel verzoeken vanaf uw adres", body["error"]["data"]["message"])
        self.assertEqual(self._api_runs(), before + 2)
        # a question (no outcome yet) logs nothing and is not counted
        self.assertIn("result", self._rpc_evaluate({"situation": "evicted"}))

    def test_cleanup_cron_removes_past_windows(self):
        Counter = self.env["woonkans.rate.limit"]
        now = fields.Datetime.now()
        old = Counter.create({"bucket": "page", "address": "192.0.2.1", "window_start": now - timedelta(days=2)})
        recent = Counter.create({"bucket": "page", "address": "192.0.2.1", "window_start": now})
        self.env.ref("woonkans_decision_tree.ir_cron_rate_limit_cleanup").method_direct_trigger()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_settings_show_and_check_the_limits(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.woonkans_rate_limit_page, 120)
        self.assertEqual(settings.woonkans_rate_limit_runs_window, 3600)
        settings.woonkans_rate_limit_page = 7
        settings.execute()
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(PAGE), "7")
        for values in ({"woonkans_rate_limit_page": -1}, {"woonkans_rate_limit_runs_window": 0}):
            with self.subTest(values=values), self.assertRaises(UserError):
                self.env["res.config.settings"].create(values).execute()
        # a broken parameter falls back to the default rather than switching the limit off
        self.set_param(PAGE, "many")
        self.assertEqual(self.env["woonkans.rate.limit"]._settings("page"), (120, 60))
