from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import default_walks


@tagged("post_install", "-at_install")
class TestWoonkansboomRpc(HttpCase):
    """Calls a staff member makes over JSON-RPC answer clearly, never with a traceback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tree = cls.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        cls.version = cls.tree.published_version_id
        cls.caseworker = new_test_user(
            cls.env, login="wk_dt_rpc_cw", password="wk_dt_rpc_cw", groups="woonkans_case.group_woonkans_user"
        )
        new_test_user(
            cls.env,
            login="wk_dt_rpc_coord",
            password="wk_dt_rpc_coord",
            groups="woonkans_case.group_woonkans_coordinator",
        )
        cls.client = cls.env["res.partner"].create({"name": "Rianne Rpcklant", "woonkans_is_client": True})

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _rpc_error(self, model, method, args, kwargs=None):
        """The error a call answers with: 'exception name: message' (a 200 response, not a 500)."""
        with mute_logger("odoo.http"):
            response = self.opener.post(
                f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
                json={
                    "id": 0,
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
                },
                timeout=12,
            )
        self.assertEqual(response.status_code, 200)
        error = response.json().get("error")
        self.assertTrue(error, f"{model}.{method} did not fail")
        return f"{error['data']['name']}: {error['data']['message']}"

    def test_name_search_on_versions_and_runs(self):
        """The version picker of the compare wizard and the run pickers search by name."""
        self.authenticate("wk_dt_rpc_coord", "wk_dt_rpc_coord")
        run = self.env["woonkans.decision.run"].create(
            {"tree_id": self.tree.id, "version_id": self.version.id, "channel": "backend"}
        )
        cases = [
            ("woonkans.decision.tree.version", "Woonkansboom", self.version.id),
            ("woonkans.decision.tree.version", f"v{self.version.number}", self.version.id),
            ("woonkans.decision.tree.version", "", self.version.id),
            ("woonkans.decision.run", "Woonkansboom", run.id),
            ("woonkans.decision.run", str(run.id), run.id),
            ("woonkans.decision.run", "", run.id),
        ]
        for model, name, expected in cases:
            with self.subTest(model=model, name=name):
                found = self._rpc(model, "name_search", [], {"name": name, "limit": 1000})
                self.assertIn(expected, [row[0] for row in found])
        nothing = self._rpc("woonkans.decision.tree.version", "name_search", [], {"name": "no such tree"})
        self.assertEqual(nothing, [])
        # the compare wizard's version field searches the same way
        found = self._rpc(
            "woonkans.decision.tree.version",
            "web_name_search",
            [],
            {"name": "Woonk", "specification": {"display_name": {}}, "domain": [["tree_id", "=", self.tree.id]]},
        )
        self.assertIn(self.version.id, [row["id"] for row in found])
        self._logger.info("name_search over RPC: %s cases", len(cases) + 2)

    def test_evaluate_needs_exactly_one_tree(self):
        self.authenticate("wk_dt_rpc_cw", "wk_dt_rpc_cw")
        answers = default_walks(self.env)["out_aftercare"][0]
        for ids in ([], [self.tree.id, self.tree.id]):
            with self.subTest(ids=ids):
                error = self._rpc_error("woonkans.decision.tree", "evaluate", [ids, answers])
                self.assertIn("odoo.exceptions.UserError", str(error))
                self.assertIn("Evaluate one decision tree at a time", str(error))
        result = self._rpc(
            "woonkans.decision.tree", "evaluate", [[self.tree.id], answers], {"context": {"lang": "nl_NL"}}
        )
        self.assertEqual(result["outcome"]["code"], "out_aftercare")

    def test_evaluate_error_is_dutch(self):
        self.authenticate("wk_dt_rpc_cw", "wk_dt_rpc_cw")
        self.env["res.lang"]._activate_lang("nl_NL")
        error = self._rpc_error("woonkans.decision.tree", "evaluate", [[], {}], {"context": {"lang": "nl_NL"}})
        self.assertIn("Evalueer één beslisboom tegelijk", str(error))

    def test_attach_and_create_case_over_rpc(self):
        self.authenticate("wk_dt_rpc_cw", "wk_dt_rpc_cw")
        caseworker = self.caseworker
        case = self.env["woonkans.case"].create(
            {"client_id": self.client.id, "target_group": "vulnerable", "user_id": caseworker.id}
        )
        Run = self.env["woonkans.decision.run"].with_user(caseworker)
        run = Run._start(self.tree, "backend")
        answers = default_walks(self.env)["out_supported_living"][0]
        run.write({"answers": answers})
        run._finish()
        attached = self._rpc("woonkans.decision.run", "action_attach_case", [[run.id], case.id])
        self.assertEqual(attached, [case.id])
        run.invalidate_recordset()
        self.assertEqual(run.case_id, case)
        self.assertEqual(case.trajectory_type_id.code, "supported_living")
        # bad ids get a clear error, not an AttributeError
        run2 = Run._start(self.tree, "backend")
        run2.write({"answers": answers})
        run2._finish()
        for bad, message in ((999999999, "does not exist"), ("x", "Give one"), (None, "Choose the case")):
            with self.subTest(case=bad):
                error = self._rpc_error("woonkans.decision.run", "action_attach_case", [[run2.id], bad])
                self.assertIn("odoo.exceptions.UserError", str(error))
                self.assertIn(message, str(error))
        created = self._rpc(
            "woonkans.decision.run",
            "action_create_case",
            [[run2.id], self.client.id],
            {"trajectory": self.env.ref("woonkans_case.trajectory_type_supported_living").id},
        )
        self.assertEqual(self.env["woonkans.case"].browse(created[0]).client_id, self.client)
