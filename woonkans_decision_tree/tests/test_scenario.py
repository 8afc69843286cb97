import logging

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import WoonkansDecisionCase, default_walks

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestScenario(WoonkansDecisionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator = new_test_user(
            cls.env, login="wk_dt_coordinator", groups="woonkans_case.group_woonkans_coordinator", name="Coby Coord"
        )
        cls.scenarios = cls.env["woonkans.decision.scenario"].search([("tree_id", "=", cls.tree.id)])

    def _draft(self):
        action = self.version.with_user(self.coordinator).action_new_draft()
        draft = self.env["woonkans.decision.tree.version"].with_user(self.coordinator).browse(action["res_id"])
        return draft, {n.code: n for n in draft.node_ids}

    def _option(self, node, code):
        return node.option_ids.filtered(lambda o: o.code == code)

    def test_default_scenarios_all_pass(self):
        """The default tree ships a scenario for every outcome and every question's unknown route."""
        outcomes = self.version.node_ids.filtered(lambda n: n.kind == "outcome")
        questions = self.version.node_ids.filtered(lambda n: n.kind == "question")
        for scenario in self.scenarios:
            with self.subTest(scenario=scenario.name):
                result = scenario._evaluate(self.version)
                self.assertEqual(scenario._failures(result), [])
                self.assertTrue(scenario.published_passes)
        self.assertEqual(set(self.scenarios.mapped("expected_outcome_code")), set(outcomes.mapped("code")))
        unknown_asked = {
            code
            for scenario in self.scenarios
            for code, answer in scenario.answers.items()
            if answer in ("unknown", ["unknown"])
        }
        self.assertEqual(unknown_asked, set(questions.mapped("code")))
        # they are real records a coordinator can see and edit
        scenario = self.scenarios[0].with_user(self.coordinator)
        scenario.description = "Edited by a coordinator"
        self.assertTrue(scenario.with_user(self.caseworker).name)
        _logger.info("default tree: %s scenarios, all pass", len(self.scenarios))

    def test_scenario_recorded_from_a_run(self):
        answers = default_walks(self.env)["out_ev_not_yet"][0]
        for channel in ("backend", "portal"):
            with self.subTest(channel=channel):
                run = self.env["woonkans.decision.run"]._start(self.tree, channel)
                run.write({"answers": answers})
                run._finish()
                action = run.with_user(self.coordinator).action_save_as_scenario()
                scenario = self.env["woonkans.decision.scenario"].browse(action["res_id"])
                self.assertEqual(scenario.tree_id, self.tree)
                self.assertEqual(scenario.source_run_id, run)
                self.assertEqual(scenario.expected_outcome_code, "out_ev_not_yet")
                # the eviction date is kept relative to the day of the check
                self.assertRegex(scenario.answers["ev_date"], r"^today-\d+d$")
                self.assertEqual(scenario.answers["ev_arrangement"], "none")
                self.assertIn("payment_arrangement", scenario.must_missing_codes.split(","))
                self.assertIn("Payment arrangement → No arrangement yet", scenario.description)
                self.assertTrue(scenario.published_passes, scenario.published_failure)
                self.assertIn("Recorded from", scenario.message_ids[0].body)
        unfinished = self.env["woonkans.decision.run"]._start(self.tree, "backend")
        with self.assertRaises(UserError):
            unfinished.with_user(self.coordinator).action_save_as_scenario()

    def test_scenario_saved_at_the_end_of_the_backend_walk(self):
        Walk = self.env["woonkans.decision.walk"].with_user(self.coordinator)
        wizard = Walk.browse(Walk._start(self.tree.with_user(self.coordinator))["res_id"])
        answers = default_walks(self.env)["out_vu_care_first"][0]
        while wizard.step == "question":
            options = {o.code: o for o in wizard.node_id.option_ids}
            answer = answers[wizard.screen]
            if wizard.node_id.question_type == "multi":
                wizard.option_ids = [Command.set([options[c].id for c in answer])]
            else:
                wizard.option_id = options[answer]
            wizard.action_next()
        wizard.action_finish()
        action = wizard.action_save_as_scenario()
        scenario = self.env["woonkans.decision.scenario"].browse(action["res_id"])
        self.assertEqual(scenario.expected_outcome_code, "out_vu_care_first")
        self.assertEqual(scenario.answers, {k: v for k, v in answers.items()})
        self.assertEqual(set(scenario.must_missing_codes.split(",")), {"guidance_accepted", "aid_org_assigned"})

    def test_changed_outcome_shows_exactly_that_scenario_and_blocks_publish(self):
        draft, nodes = self._draft()
        # one route changes: an unknown need for intensive care now advises the conditional tenancy
        self._option(nodes["ev_care"], "unknown").next_node_id = nodes["out_conditional_tenancy"]
        affected = self.scenarios.filtered(lambda s: s.answers.get("ev_care") == "unknown")
        self.assertEqual(len(affected), 1)
        draft.action_submit_review()
        self.assertEqual(draft.state, "review")
        self.assertEqual(len(draft.scenario_result_ids), len(self.scenarios))
        changed = draft.scenario_result_ids.filtered("changed")
        self.assertEqual(changed.scenario_id, affected)
        self.assertEqual(changed.published_outcome_code, "out_second_chance")
        self.assertEqual(changed.outcome_code, "out_conditional_tenancy")
        self.assertEqual(draft.scenario_result_ids.filtered(lambda r: r.state == "fail"), changed)
        self.assertIn(affected.name, draft.review_html)
        self.assertIn("ev_care/unknown", draft.review_html)  # the diff
        # a version in review cannot be edited, only its change summary
        with self.assertRaises(UserError):
            nodes["ev_care"].text = "Changed in review"
        # publish is blocked: no summary, and a failing scenario
        with self.assertRaises(ValidationError) as caught:
            draft.action_publish()
        self.assertIn("Write a change summary", str(caught.exception))
        self.assertIn(affected.name, str(caught.exception))
        draft.note = "An unknown need for care is advised as a conditional tenancy."
        with self.assertRaises(ValidationError):
            draft.action_publish()
        self.assertEqual(draft.state, "review")
        # the coordinator accepts the new result: the scenario is updated and it is logged
        changed.action_accept()
        self.assertEqual(changed.state, "accepted")
        self.assertEqual(affected.expected_outcome_code, "out_conditional_tenancy")
        self.assertIn("New result accepted", affected.message_ids[0].body)
        self.assertTrue(affected._failures(affected._evaluate(draft)) == [])
        draft.action_publish()
        self.assertEqual(draft.state, "published")
        self.assertEqual(self.version.state, "archived")
        # summary and results stay with the version and its history
        self.assertEqual(draft.scenario_result_ids.filtered(lambda r: r.state == "accepted"), changed)
        bodies = " ".join(draft.message_ids.mapped("body"))
        self.assertIn("Sent for review", bodies)
        self.assertIn("Published. Change summary: An unknown need for care", bodies)
        self.assertIn("1 new results accepted", bodies)

    def test_unexercised_question_is_listed(self):
        draft, nodes = self._draft()
        extra = (
            self.env["woonkans.decision.node"]
            .with_user(self.coordinator)
            .create(
                {
                    "version_id": draft.id,
                    "code": "vu_extra",
                    "kind": "question",
                    "question_type": "yesno",
                    "text": "Is there a budget coach?",
                }
            )
        )
        self.env["woonkans.decision.option"].with_user(self.coordinator).create(
            [
                {"node_id": extra.id, "code": "yes", "label": "Yes", "next_node_id": nodes["out_supported_living"].id},
                {"node_id": extra.id, "code": "no", "label": "No", "next_node_id": nodes["out_supported_living"].id},
                {
                    "node_id": extra.id,
                    "code": "unknown",
                    "label": "Unknown",
                    "is_unknown": True,
                    "next_node_id": nodes["out_supported_living"].id,
                },
            ]
        )
        self._option(nodes["vu_income"], "no").next_node_id = extra
        draft.action_submit_review()
        self.assertEqual(draft._unexercised_questions(), extra)
        self.assertIn("vu_extra", draft.review_html)
        self.assertEqual(draft.scenario_fail_count, 0)
        # a scenario through the new question exercises it
        self.env["woonkans.decision.scenario"].with_user(self.coordinator).create(
            {
                "tree_id": self.tree.id,
                "name": "Income too low, budget coach",
                "answers": dict(default_walks(self.env)["out_supported_living"][0], vu_income="no", vu_extra="yes"),
                "expected_outcome_code": "out_supported_living",
            }
        )
        draft.action_rerun_scenarios()
        self.assertFalse(draft._unexercised_questions())
        self.assertIn("Every question is asked by at least one scenario.", draft.review_html)

    def test_not_eligible_outcomes_list_their_blocking_conditions(self):
        walks = default_walks(self.env)
        not_eligible = self.version.node_ids.filtered(
            lambda n: n.kind == "outcome" and n.outcome_kind == "not_eligible"
        )
        self.assertGreaterEqual(len(not_eligible), 6)
        tree = self.tree.with_context(woonkans_decision_no_log=True)
        for outcome in not_eligible:
            with self.subTest(outcome=outcome.code):
                result = tree.evaluate(walks[outcome.code][0])
                self.assertEqual(result["outcome"]["code"], outcome.code)
                blocked = [m for m in result["missing"] if m.get("blocked_by")]
                self.assertTrue(blocked, "a not-eligible outcome lists the conditions whose absence led there")
                for item in blocked:
                    self.assertIn(item["blocked_by"], result["explanation"])
                    self.assertTrue(item["name"])
                    self.assertNotIn("{", item["name"])
        result = tree.evaluate(walks["out_ev_outside_window"][0])
        self.assertEqual(result["missing"][0]["name"], "Evicted less than 5 years ago")
        self.assertEqual(result["missing"][0]["blocked_by"], "Evicted more than 5 years ago")
        self.assertEqual(self.version._validation_warnings(), [])
        _logger.info("blocking conditions checked on %s not-eligible outcomes", len(not_eligible))

    def test_publish_check_warns_about_a_silent_not_eligible_outcome(self):
        draft, nodes = self._draft()
        self._option(nodes["ev_guidance"], "no").blocking_condition_ids = False
        warnings = draft._validation_warnings()
        self.assertEqual(len(warnings), 1)
        self.assertIn("out_ev_no_guidance", warnings[0])
        self.assertIn("answer no of ev_guidance", warnings[0])
        self.assertIn("out_ev_no_guidance", draft.warning_html)
        self.assertFalse(draft.problem_html)
        draft.note = "Drop the blocking condition"
        draft.action_submit_review()
        self.assertIn("out_ev_no_guidance", draft.review_html)
        # the changed missing list is a changed (and failing) scenario
        changed = draft.scenario_result_ids.filtered("changed")
        self.assertEqual(
            changed.scenario_id, self.env.ref("woonkans_decision_tree.decision_scenario_out_ev_no_guidance")
        )
        draft.action_back_to_draft()
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.scenario_result_ids)
