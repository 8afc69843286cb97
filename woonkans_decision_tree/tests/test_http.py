import re

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import default_walks


@tagged("post_install", "-at_install")
class TestWoonkansboomHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tree = cls.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        cls.org_a = cls.env["res.partner"].create({"name": "Corporatie Aalwijk", "is_company": True})
        cls.org_b = cls.env["res.partner"].create({"name": "Wijkteam Beekdal", "is_company": True})
        cls.portal_a = new_test_user(
            cls.env,
            login="wk_dt_portal_a",
            password="wk_dt_portal_a",
            groups="base.group_portal",
            parent_id=cls.org_a.id,
        )
        cls.portal_b = new_test_user(
            cls.env,
            login="wk_dt_portal_b",
            password="wk_dt_portal_b",
            groups="base.group_portal",
            parent_id=cls.org_b.id,
        )
        cls.caseworker = new_test_user(
            cls.env, login="wk_dt_cw_http", password="wk_dt_cw_http", groups="woonkans_case.group_woonkans_user"
        )
        Run = cls.env["woonkans.decision.run"]
        cls.run_a = Run.with_user(cls.portal_a).sudo()._start(cls.tree, "portal", cls.org_a)
        cls.run_b = Run.with_user(cls.portal_b).sudo()._start(cls.tree, "portal", cls.org_b)

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_evaluate_over_json_rpc(self):
        self.authenticate("wk_dt_cw_http", "wk_dt_cw_http")
        answers = default_walks(self.env)["out_aftercare"][0]
        result = self._rpc("woonkans.decision.tree", "evaluate", [[self.tree.id], answers])
        self.assertEqual(result["outcome"]["code"], "out_aftercare")
        self.assertEqual(result["outcome"]["trajectory"], "aftercare")
        self.assertEqual({m["code"] for m in result["missing"]}, {"tenant_informed", "consent"})
        result = self._rpc("woonkans.decision.tree", "evaluate", [[self.tree.id], {"situation": "sitting"}])
        self.assertEqual(result["question"]["code"], "st_problem")
        self.assertEqual(result["question"]["type"], "multi")

    def test_portal_user_cannot_evaluate_or_edit_over_rpc(self):
        self.authenticate("wk_dt_portal_a", "wk_dt_portal_a")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._rpc("woonkans.decision.tree", "evaluate", [[self.tree.id], {}])

    def test_portal_runs_are_isolated_per_organisation(self):
        self.authenticate("wk_dt_portal_a", "wk_dt_portal_a")
        rows = self._rpc("woonkans.decision.run", "search_read", [[]], {"fields": ["id", "organisation_id"]})
        ids = {row["id"] for row in rows}
        self.assertIn(self.run_a.id, ids)
        self.assertNotIn(self.run_b.id, ids)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._rpc("woonkans.decision.run", "read", [[self.run_b.id], ["answers"]])
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._rpc("woonkans.decision.run", "write", [[self.run_a.id], {"override_reason": "x"}])
        # nor can they open the other organisation's walk by its token
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/woonkansboom/run/{self.run_b.access_token}")
        self.assertEqual(response.status_code, 404)

    def test_portal_walk_by_http(self):
        self.authenticate("wk_dt_portal_a", "wk_dt_portal_a")
        home = self.url_open("/my/woonkansboom")
        self.assertEqual(home.status_code, 200)
        self.assertIn("Woonkansboom", home.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
        response = self.url_open("/my/woonkansboom/start", data={"csrf_token": token, "tree_id": self.tree.id})
        self.assertEqual(response.status_code, 200)
        run = (
            self.env["woonkans.decision.run"]
            .sudo()
            .search([("create_uid", "=", self.portal_a.id)], order="id desc", limit=1)
        )
        self.assertEqual(run.organisation_id, self.org_a)
        self.assertEqual(run.channel, "portal")
        base = f"/my/woonkansboom/run/{run.access_token}"
        self.assertIn("<legend", response.text)
        self.assertIn('for="wk_opt_evicted"', response.text)
        # a bad answer re-renders the question with an error, keyboard- and screen-reader-friendly
        with mute_logger("odoo.http"):
            bad = self.url_open(f"{base}/answer", data={"csrf_token": token, "node": "situation", "answer": "<script>"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn('aria-live="assertive"', bad.text)
        self.assertNotIn("<script>", bad.text)
        answers = {"situation": "eviction_final", "af_network": "yes", "af_children": "no", "af_alternative": "no"}
        for node, answer in answers.items():
            response = self.url_open(f"{base}/answer", data={"csrf_token": token, "node": node, "answer": answer})
            self.assertEqual(response.status_code, 200)
        self.assertIn("Check your answers", response.text)
        response = self.url_open(f"{base}/finish", data={"csrf_token": token})
        self.assertIn("Aftercare after eviction: register with the shelter in time", response.text)
        self.assertIn(f"/my/woonkans/new?run={run.access_token}", response.text)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.outcome_node_id.code, "out_aftercare_shelter")
        self.assertEqual(run._from_portal_token(run.access_token, self.portal_a), run)
        self.assertFalse(run._from_portal_token(run.access_token, self.portal_b))
        self.assertEqual(run._referral_prefill()["target_group"], "evicted")

    def test_public_page_on_and_off(self):
        self.tree.public_enabled = False
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open("/woonkansboom").status_code, 404)
        self.tree.public_enabled = True
        page = self.url_open("/woonkansboom")
        self.assertEqual(page.status_code, 200)
        self.assertIn("stores no personal data", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open("/woonkansboom/start", data={"csrf_token": token, "tree_id": self.tree.id})
        run = self.env["woonkans.decision.run"].sudo().search([("channel", "=", "public")], order="id desc", limit=1)
        self.assertTrue(response.url.endswith(run.access_token))
        self.assertFalse(run.organisation_id)
        base = f"/woonkansboom/run/{run.access_token}"
        self.url_open(f"{base}/answer", data={"csrf_token": token, "node": "situation", "answer": "evicted"})
        response = self.url_open(f"{base}/answer", data={"csrf_token": token, "node": "ev_date", "unknown": "1"})
        self.assertIn("Why was the household evicted?", response.text)
        self.assertEqual(run.answers, {"situation": "evicted", "ev_date": "unknown"})
        # back shows the earlier answer checked
        back = self.url_open(f"{base}?q=situation")
        self.assertRegex(back.text, r'value="evicted"\s+checked="checked"')
        # switching off the page stops runs in progress too
        self.tree.public_enabled = False
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(base).status_code, 404)
            self.assertEqual(self.url_open("/woonkansboom/run/not-a-token").status_code, 404)
