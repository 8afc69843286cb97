from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import WoonkansDecisionCase, default_walks, years_ago


@tagged("post_install", "-at_install")
class TestRun(WoonkansDecisionCase):
    def _walk(self, answers, user=None):
        """Walk the backend wizard answer by answer, as a caseworker would."""
        Walk = self.env["woonkans.decision.walk"].with_user(user or self.caseworker)
        action = Walk._start(self.tree.with_user(user or self.caseworker))
        wizard = Walk.browse(action["res_id"])
        while wizard.step == "question":
            self._fill(wizard, answers[wizard.screen])
            wizard.action_next()
        return wizard

    def _fill(self, wizard, answer):
        node = wizard.node_id
        options = {o.code: o for o in node.option_ids}
        if node.question_type == "multi":
            wizard.option_ids = [Command.set([options[c].id for c in answer])]
        elif node.question_type == "date":
            wizard.value_date = answer
        else:
            wizard.option_id = options[answer]

    def test_wizard_back_drops_only_dependent_answers(self):
        answers = default_walks(self.env)["out_second_chance"][0]
        wizard = self._walk(dict(answers, ev_care="no"))
        self.assertEqual(wizard.step, "review")
        run = wizard.run_id
        self.assertEqual(len(run.answers), 8)
        self.assertIn("Evicted less than 5 years ago", wizard.review_html)
        # back to the first screen of the arrangement and change it: later answers stay
        wizard.jump_node_id = wizard.path_node_ids.filtered(lambda n: n.code == "ev_arrangement")
        wizard.action_jump()
        self.assertEqual(wizard.screen, "ev_arrangement")
        self.assertEqual(wizard.option_id.code, "kept", "the screen shows the earlier answer")
        self._fill(wizard, "recent")
        wizard.action_next()
        self.assertEqual(wizard.screen, "ev_guidance")
        self.assertEqual(wizard.option_id.code, "yes")
        self.assertEqual(run.answers["ev_care"], "no", "answers still on the path are kept")
        # now change the arrangement so the path ends early: later answers are dropped
        wizard.action_back()
        self.assertEqual(wizard.screen, "ev_arrangement")
        self._fill(wizard, "none")
        wizard.action_next()
        self.assertEqual(wizard.step, "review")
        self.assertNotIn("ev_guidance", run.answers)
        self.assertNotIn("ev_care", run.answers)
        self.assertEqual(run.answers["ev_woningnet"], "yes")
        self.assertEqual(run.answer_ids.mapped("node_id.code")[-1], "ev_arrangement")
        wizard.action_finish()
        self.assertEqual(wizard.step, "result")
        self.assertEqual(run.state, "done")
        self.assertEqual(run.outcome_node_id.code, "out_ev_not_yet")
        self.assertIn("first agree a payment arrangement", wizard.result_html)
        self.assertIn("What is missing", wizard.result_html)

    def test_case_from_advice_marks_conditions_met(self):
        answers = default_walks(self.env)["out_second_chance"][0]
        wizard = self._walk(dict(answers, ev_care="no"))
        wizard.action_finish()
        run = wizard.run_id
        self.assertEqual(wizard.trajectory_type_id, self.env.ref("woonkans_case.trajectory_type_second_chance"))
        self.assertEqual(wizard.target_group, "evicted")
        wizard.client_id = self.client
        action = wizard.action_apply()
        case = self.env["woonkans.case"].browse(action["res_id"])
        self.assertEqual(run.case_id, case)
        self.assertEqual(case.source, "decision_tree")
        self.assertEqual(case.target_group, "evicted")
        self.assertEqual(case.referral_reason, "arrears")
        self.assertEqual(fields.Date.to_string(case.eviction_date), answers["ev_date"])
        self.assertEqual(case.trajectory_type_id.code, "second_chance")
        status = {line.code: line.status for line in case.condition_line_ids}
        for code in ("woningnet_registered", "payment_arrangement", "payment_kept_3m", "guidance_accepted"):
            self.assertEqual(status[code], "met", code)
        self.assertEqual(status["consent"], "open")
        self.assertEqual(status["care_contract_signed"], "open")
        self.assertFalse(run.is_override)
        self.assertIn("Woonkansboom advice attached", case.message_ids[0].body)

    def test_override_requires_reason_and_is_logged(self):
        answers = default_walks(self.env)["out_rehousing"][0]
        wizard = self._walk(answers)
        wizard.action_finish()
        run = wizard.run_id
        other = self.env.ref("woonkans_case.trajectory_type_restart_own_home")
        with self.assertRaises(UserError):
            run.with_user(self.caseworker).action_create_case(self.client, other)
        with self.assertRaises(ValidationError):
            run.write({"chosen_trajectory_id": other.id, "override_reason": False})
        case = run.with_user(self.caseworker).action_create_case(
            self.client, other, "The corporation agreed to a restart after all."
        )
        self.assertTrue(run.is_override)
        self.assertEqual(run.chosen_trajectory_id, other)
        self.assertEqual(case.trajectory_type_id, other)
        self.assertEqual(run.override_reason, "The corporation agreed to a restart after all.")
        self.assertEqual(run.case_trajectory_id, other)

    def test_attach_to_existing_case(self):
        case = self.env["woonkans.case"].create(
            {"client_id": self.client.id, "target_group": "vulnerable", "user_id": self.caseworker.id}
        )
        wizard = self._walk(dict(default_walks(self.env)["out_supported_living"][0]))
        wizard.action_finish()
        wizard.write({"action": "attach", "target_case_id": case.id})
        wizard.action_apply()
        self.assertEqual(wizard.run_id.case_id, case)
        self.assertEqual(case.trajectory_type_id.code, "supported_living")
        status = {line.code: line.status for line in case.condition_line_ids}
        self.assertEqual(status["guidance_accepted"], "met")
        self.assertEqual(status["debt_help_assigned"], "not_applicable")

    def test_referral_prefill_and_advice_report(self):
        Run = self.env["woonkans.decision.run"]
        run = Run._start(self.tree, "portal")
        for code, answer in default_walks(self.env)["out_second_chance"][0].items():
            _result, error = run._answer(code, answer)
            self.assertFalse(error)
        run._answer("ev_care", "unknown")
        run._finish()
        prefill = run._referral_prefill()
        self.assertEqual(prefill["target_group"], "evicted")
        self.assertEqual(prefill["trajectory_code"], "second_chance")
        self.assertEqual(prefill["eviction_date"], years_ago(self.env, 2))
        self.assertEqual(prefill["referral_reason"], "arrears")
        self.assertIn("Still missing", prefill["reason"])
        self.assertIn("To check: Whether intensive care is needed", prefill["reason"])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("woonkans_decision_tree.woonkans_decision_run_report_advice", run.ids)[0]
            .decode()
        )
        self.assertIn("Second chance: rehousing under conditions", html)
        self.assertIn("Why not the other trajectories", html)
        self.assertIn("Still to check", html)

    def test_answer_off_the_path_is_refused(self):
        run = self.env["woonkans.decision.run"]._start(self.tree, "public")
        _result, error = run._answer("st_court", "none")
        self.assertTrue(error)
        self.assertFalse(run.answers)
        _result, error = run._answer("situation", "nonsense")
        self.assertTrue(error)
        with self.assertRaises(UserError):
            run._finish()

    def test_abandoned_runs(self):
        run = self.env["woonkans.decision.run"]._start(self.tree, "backend")
        run._answer("situation", "sitting")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE woonkans_decision_run SET write_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=2), run.id),
        )
        run.invalidate_recordset()
        self.env["woonkans.decision.run"]._cron_mark_abandoned()
        self.assertEqual(run.state, "abandoned")
        self.assertEqual(run.abandoned_node_id.code, "st_problem")
