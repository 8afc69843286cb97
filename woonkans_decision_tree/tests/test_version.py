from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import WoonkansDecisionCase


@tagged("post_install", "-at_install")
class TestVersion(WoonkansDecisionCase):
    def _problems(self, version):
        return "\n".join(version._validation_problems())

    def test_publish_validation_rules(self):
        tree, version = self._small_tree(code="invalid", publish=False)
        self.assertEqual(version._validation_problems(), [])
        nodes = {n.code: n for n in version.node_ids}
        node = self.env["woonkans.decision.node"]
        # unreachable question and outcome
        orphan = node.create(
            {
                "version_id": version.id,
                "code": "q_orphan",
                "kind": "question",
                "question_type": "yesno",
                "text": "Orphan?",
            }
        )
        lost = node.create(
            {
                "version_id": version.id,
                "code": "out_lost",
                "kind": "outcome",
                "text": "Lost",
                "outcome_kind": "referral",
            }
        )
        problems = self._problems(version)
        self.assertIn("Question q_orphan (Orphan?) can never be reached.", problems)
        self.assertIn("Outcome out_lost (Lost) can never be reached.", problems)
        # ... and a question without answers, and so without an unknown route
        self.assertIn("q_orphan (Orphan?) has no answers.", problems)
        self.assertIn("q_orphan (Orphan?) has no 'unknown / still to check' answer.", problems)
        (orphan | lost).unlink()
        # dead end
        nodes["q_help"].option_ids.filtered(lambda o: o.code == "no").next_node_id = False
        self.assertIn("Dead end: answer no of q_help (Accepts help) leads nowhere.", self._problems(version))
        nodes["q_help"].option_ids.filtered(lambda o: o.code == "no").next_node_id = nodes["out_b"]
        # no unknown route
        nodes["q_help"].option_ids.filtered("is_unknown").is_unknown = False
        self.assertIn("q_help (Accepts help) has no 'unknown / still to check' answer.", self._problems(version))
        nodes["q_help"].option_ids.filtered(lambda o: o.code == "unknown").is_unknown = True
        # number question without a catch-all rule
        nodes["q_months"].option_ids.filtered(lambda o: o.code == "few").rule_operator = "lt"
        self.assertIn("needs an 'otherwise' answer", self._problems(version))
        nodes["q_months"].option_ids.filtered(lambda o: o.code == "few").rule_operator = "otherwise"
        # cycle
        nodes["q_help"].option_ids.filtered(lambda o: o.code == "no").next_node_id = nodes["q_months"]
        self.assertIn("Cycle: q_months → q_help → q_months.", self._problems(version))
        # all problems are reported at once, and publishing is blocked
        nodes["q_help"].option_ids.filtered(lambda o: o.code == "yes").next_node_id = False
        with self.assertRaises(ValidationError) as caught:
            version.action_publish()
        message = str(caught.exception)
        self.assertIn("Cycle", message)
        self.assertIn("Dead end", message)
        self.assertEqual(version.state, "draft")
        self.assertTrue(version.problem_html)

    def test_published_version_is_immutable(self):
        version = self.version
        node = version.node_ids[0]
        with self.assertRaises(UserError):
            node.text = "Changed"
        with self.assertRaises(UserError):
            node.option_ids[0].next_node_id = False
        with self.assertRaises(UserError):
            node.option_ids[0].unlink()
        with self.assertRaises(UserError):
            self.env["woonkans.decision.node"].create({"version_id": version.id, "code": "new", "text": "New"})
        with self.assertRaises(UserError):
            version.start_node_id = False
        with self.assertRaises(UserError):
            version.unlink()
        # a caseworker cannot edit trees at all
        with self.assertRaises(AccessError):
            self.tree.with_user(self.caseworker).name = "Mine"

    def test_new_draft_publish_and_diff(self):
        action = self.version.with_user(self.manager).action_new_draft()
        draft = self.env["woonkans.decision.tree.version"].browse(action["res_id"])
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.number, self.version.number + 1)
        self.assertEqual(len(draft.node_ids), len(self.version.node_ids))
        self.assertEqual(draft.start_node_id.code, "situation")
        self.assertEqual(draft._validation_problems(), [])
        self.assertEqual(self.version._diff(draft), {"added": [], "removed": [], "changed": []})
        # edit the copy: reword a question, drop an outcome route, add a question
        nodes = {n.code: n for n in draft.node_ids}
        nodes["ev_care"].text = "Is intensive care needed?"
        unknown = nodes["ev_reason"].option_ids.filtered(lambda o: o.code == "other")
        unknown.unlink()
        nodes["out_ev_other_reason"].unlink()
        self.assertTrue(all(o.next_node_id.version_id == draft for o in draft.node_ids.option_ids))
        diff = self.version._diff(draft)
        self.assertIn("out_ev_other_reason", [d["code"] for d in diff["removed"]])
        self.assertIn("ev_reason/other", [d["code"] for d in diff["removed"]])
        changed = {d["code"]: d for d in diff["changed"]}
        self.assertEqual(changed["ev_care"]["fields"], ["Text"])
        wizard = self.env["woonkans.decision.version.compare"].create(
            {"version_id": self.version.id, "other_version_id": draft.id}
        )
        self.assertIn("out_ev_other_reason", wizard.diff_html)
        # the review refuses the scenario that answers the removed reason; retired, the draft publishes
        draft.note = "Evictions for other reasons are no longer asked."
        draft.with_user(self.manager).action_submit_review()
        failing = draft.scenario_result_ids.filtered(lambda r: r.state == "fail")
        self.assertEqual(
            failing.scenario_id, self.env.ref("woonkans_decision_tree.decision_scenario_out_ev_other_reason")
        )
        with self.assertRaises(ValidationError):
            draft.with_user(self.manager).action_publish()
        failing.scenario_id.active = False
        draft.with_user(self.manager).action_rerun_scenarios()
        # publishing the draft archives the old version; only one is published
        draft.with_user(self.manager).action_publish()
        self.assertEqual(self.version.state, "archived")
        self.assertEqual(self.tree.published_version_id, draft)
        result = self.tree._evaluate({"situation": "evicted"}, log=False)
        self.assertEqual(result["version"], draft.number)
        self.assertNotIn(
            "other",
            [
                o["code"]
                for o in self.tree.evaluate({"situation": "evicted", "ev_date": "unknown"})["question"]["options"]
            ],
        )

    def test_map_and_tree_report(self):
        html = self.version.map_html
        self.assertIn("situation", html)
        self.assertIn("Less than 5 years ago", html)
        self.assertIn("out_aftercare_shelter", html)
        report = (
            self.env["ir.actions.report"]
            ._render_qweb_html("woonkans_decision_tree.woonkans_decision_tree_version_report_tree", self.version.ids)[0]
            .decode()
        )
        self.assertIn("What to tell the tenant", report)
        self.assertIn("Aftercare after eviction: register with the shelter in time", report)
