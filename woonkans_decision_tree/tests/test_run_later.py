import logging

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import WoonkansDecisionCase, default_walks

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestRunUsedLater(WoonkansDecisionCase):
    """A finished backend run starts or joins a case later, from the run form; the run list shows its client."""

    def _finished_run(self, outcome="out_second_chance", user=None):
        Walk = self.env["woonkans.decision.walk"].with_user(user or self.caseworker)
        wizard = Walk.browse(Walk._start(self.tree.with_user(user or self.caseworker))["res_id"])
        answers = default_walks(self.env)[outcome][0]
        while wizard.step == "question":
            node = wizard.node_id
            options = {o.code: o for o in node.option_ids}
            answer = answers[wizard.screen]
            if node.question_type == "multi":
                wizard.option_ids = [Command.set([options[c].id for c in answer])]
            elif node.question_type == "date":
                wizard.value_date = answer
            else:
                wizard.option_id = options[answer]
            wizard.action_next()
        wizard.action_finish()
        return wizard.run_id

    def test_start_a_case_from_the_run_form(self):
        run = self._finished_run().with_user(self.caseworker)
        self.assertTrue(run.can_use_advice)
        self.assertFalse(run.case_client_id)
        action = run.action_start_case()
        wizard = self.env["woonkans.decision.walk"].with_user(self.caseworker).browse(action["res_id"])
        self.assertEqual((wizard.step, wizard.action, wizard.run_id), ("result", "new", run))
        self.assertEqual(wizard.trajectory_type_id, run.advised_trajectory_id)
        wizard.client_id = self.client
        case = self.env["woonkans.case"].browse(wizard.action_apply()["res_id"])
        self.assertEqual(run.case_id, case)
        self.assertEqual(run.case_client_id, self.client)
        self.assertFalse(run.can_use_advice)
        with self.assertRaises(UserError):
            run.action_start_case()
        with self.assertRaises(UserError):
            run.action_attach_to_case()

    def test_attach_to_a_case_from_the_run_form(self):
        case = self.env["woonkans.case"].create(
            {"client_id": self.client.id, "target_group": "vulnerable", "user_id": self.caseworker.id}
        )
        run = self._finished_run("out_supported_living").with_user(self.caseworker)
        wizard = (
            self.env["woonkans.decision.walk"].with_user(self.caseworker).browse(run.action_attach_to_case()["res_id"])
        )
        self.assertEqual((wizard.step, wizard.action), ("result", "attach"))
        wizard.target_case_id = case
        wizard.action_apply()
        self.assertEqual(run.case_id, case)
        self.assertEqual(case.trajectory_type_id.code, "supported_living")

    def test_only_finished_staff_runs_without_case_offer_it(self):
        Run = self.env["woonkans.decision.run"]
        in_progress = Run._start(self.tree, "backend")
        portal = Run._start(self.tree, "portal")
        done = self._finished_run()
        cases = [(in_progress, False), (portal, False), (done, True)]
        for run, expected in cases:
            self.assertEqual(run.can_use_advice, expected, run.channel)
            if not expected:
                with self.assertRaises(UserError):
                    run.action_start_case()
        _logger.info(f"TestRunUsedLater: {len(cases)} runs checked")

    def test_client_column_only_for_readable_cases(self):
        other = new_test_user(self.env, login="wk_dt_cw_other", groups="woonkans_case.group_woonkans_user")
        case = self.env["woonkans.case"].create(
            {"client_id": self.client.id, "target_group": "evicted", "user_id": other.id}
        )
        run = self._finished_run()
        run.sudo().action_attach_case(case.id)
        self.assertEqual(run.with_user(other).case_client_id, self.client)
        # the walker still reads their own run, but not the other caseworker's case nor its client
        self.assertFalse(case.with_user(self.caseworker).has_access("read"))
        self.assertFalse(run.with_user(self.caseworker).case_client_id)
        views = self.env["woonkans.decision.run"].get_views([(False, "list"), (False, "form")])["views"]
        self.assertIn('name="case_client_id"', views["list"]["arch"])
        self.assertIn('name="action_start_case"', views["form"]["arch"])
        self.assertIn('name="action_attach_to_case"', views["form"]["arch"])
