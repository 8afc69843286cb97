import json

from odoo.tests import tagged

from .common import WoonkansDecisionCase, default_walks, years_ago


@tagged("post_install", "-at_install")
class TestEvaluate(WoonkansDecisionCase):
    def test_default_tree_is_published_and_valid(self):
        self.assertEqual(self.version.state, "published")
        self.assertEqual(self.version.tree_id, self.tree)
        outcomes = self.version.node_ids.filtered(lambda n: n.kind == "outcome")
        walks = default_walks(self.env)
        self.assertEqual(set(outcomes.mapped("code")), set(walks), "every outcome has a walk in the tests")
        # the shipped outcomes point to woonkans_case trajectories by xml id
        self.assertEqual(
            self.version.node_ids.filtered(lambda n: n.code == "out_second_chance").trajectory_type_id,
            self.env.ref("woonkans_case.trajectory_type_second_chance"),
        )

    def test_first_question(self):
        result = self.tree.evaluate({})
        self.assertFalse(result["complete"])
        question = result["question"]
        self.assertEqual(question["code"], "situation")
        self.assertEqual(question["type"], "single")
        codes = [o["code"] for o in question["options"]]
        self.assertEqual(codes, ["evicted", "sitting", "eviction_final", "vulnerable", "unknown"])
        self.assertTrue(question["options"][-1]["is_unknown"])
        self.assertEqual(result["progress"], 0)
        json.dumps(result)  # JSON-serialisable

    def test_every_outcome(self):
        for code, (answers, trajectory, missing, line) in default_walks(self.env).items():
            with self.subTest(outcome=code):
                result = self.tree._evaluate(answers, log=False)
                json.dumps(result)
                self.assertTrue(result["complete"], result.get("question") or result.get("error"))
                self.assertEqual(result["outcome"]["code"], code)
                self.assertEqual(result["outcome"]["trajectory"], trajectory)
                self.assertIn(result["outcome"]["kind"], ("eligible", "provisional", "not_eligible", "referral"))
                self.assertIn(line, result["explanation"])
                self.assertEqual(len(result["explanation"]), len(answers))
                self.assertEqual({m["code"] for m in result["missing"]}, missing)
                self.assertNotIn("error", result)
                self.assertEqual(result["ignored"], [])
                # one "why not" line for every other trajectory of the tree
                why_not = {w["trajectory"] for w in result["why_not"]}
                self.assertNotIn(trajectory, why_not)
                self.assertEqual(len(why_not), 8 - (1 if trajectory else 0))
                self.assertTrue(all(w["reason"] for w in result["why_not"]))

    def test_why_not_names_the_excluding_answer(self):
        answers = default_walks(self.env)["out_second_chance"][0]
        result = self.tree._evaluate(answers, log=False)
        why_not = {w["trajectory"]: w["reason"] for w in result["why_not"]}
        self.assertIn("Intensive care needed → No", why_not["conditional_tenancy"])
        self.assertIn("Situation → The household has already been evicted", why_not["supported_living"])

    def test_unknown_route_of_every_question(self):
        """Answering unknown anywhere goes on along that question's provisional route."""
        walks = default_walks(self.env)
        questions = self.version.node_ids.filtered(lambda n: n.kind == "question")
        for question in questions:
            answers = next(a for a, *_rest in walks.values() if question.code in a)
            unknown = question.option_ids.filtered("is_unknown")
            self.assertEqual(len(unknown), 1)
            answers = dict(answers)
            answers[question.code] = ["unknown"] if question.question_type == "multi" else "unknown"
            with self.subTest(question=question.code):
                result = self.tree._evaluate(answers, log=False)
                self.assertNotIn("error", result)
                self.assertIn(question.code, [c["question"] for c in result["to_check"]])
                path = list(result["answers"])
                index = path.index(question.code)
                following = (
                    path[index + 1]
                    if index + 1 < len(path)
                    else (result["outcome"]["code"] if result["complete"] else result["question"]["code"])
                )
                self.assertEqual(following, unknown.next_node_id.code)

    def test_to_check_on_outcome(self):
        answers = dict(default_walks(self.env)["out_second_chance"][0], ev_date="unknown", ev_care="unknown")
        result = self.tree._evaluate(answers, log=False)
        self.assertEqual(result["outcome"]["code"], "out_second_chance")
        self.assertEqual([c["question"] for c in result["to_check"]], ["ev_date", "ev_care"])
        self.assertEqual(result["to_check"][0]["text"], "The eviction date")

    def test_invalid_answers_never_crash(self):
        tree = self.tree
        cases = [
            ({"situation": "maybe"}, "situation"),
            ({"situation": ["evicted"]}, "situation"),
            ({"situation": "evicted", "ev_date": "5 years ago"}, "ev_date"),
            ({"situation": "sitting", "st_problem": []}, "st_problem"),
            ({"situation": "sitting", "st_problem": ["arrears", "bogus"]}, "st_problem"),
        ]
        for answers, question in cases:
            with self.subTest(answers=answers):
                result = tree._evaluate(answers, log=False)
                self.assertFalse(result["complete"])
                self.assertEqual(result["error"]["question"], question)
                self.assertEqual(result["question"]["code"], question)
                self.assertTrue(result["error"]["message"])
        # answers to questions that are not on the path are ignored, not guessed
        result = tree._evaluate({"situation": "vulnerable", "ev_date": "2024-01-01", "nonsense": 1}, log=False)
        self.assertEqual(result["ignored"], ["ev_date", "nonsense"])
        self.assertEqual(result["question"]["code"], "vu_domains")

    def test_future_eviction_goes_to_aftercare(self):
        result = self.tree._evaluate({"situation": "evicted", "ev_date": years_ago(self.env, -1)}, log=False)
        self.assertEqual(result["question"]["code"], "af_network")

    def test_window_follows_the_setting(self):
        answers = {"situation": "evicted", "ev_date": years_ago(self.env, 3)}
        tree = self.tree
        self.assertEqual(tree._evaluate(answers, log=False)["question"]["code"], "ev_reason")
        self.env["ir.config_parameter"].sudo().set_param("woonkans_case.second_chance_years", "2")
        result = tree._evaluate(answers, log=False)
        self.assertEqual(result["outcome"]["code"], "out_ev_outside_window")
        self.assertIn("Evicted more than 2 years ago", result["explanation"])

    def test_multiple_choice_routes_by_sequence(self):
        tree = self.tree
        # nuisance comes first in sequence, whatever the order given
        result = tree._evaluate({"situation": "sitting", "st_problem": ["neglect", "nuisance"]}, log=False)
        self.assertEqual(result["question"]["code"], "st_nuisance")
        result = tree._evaluate({"situation": "sitting", "st_problem": "neglect"}, log=False)
        self.assertEqual(result["question"]["code"], "st_own_attempt")

    def test_number_rules_and_parameters(self):
        tree, _version = self._small_tree()
        self.assertEqual(tree._evaluate({"q_months": 3}, log=False)["question"]["code"], "q_help")
        self.assertEqual(tree._evaluate({"q_months": "2"}, log=False)["question"]["code"], "q_help")
        result = tree._evaluate({"q_months": 1.5}, log=False)
        self.assertEqual(result["outcome"]["code"], "out_b")
        self.assertEqual(result["explanation"], ["Months of arrears → 1.5 (Fewer)"])
        self.assertIn("error", tree._evaluate({"q_months": "many"}, log=False))
        self.assertIn("error", tree._evaluate({"q_months": True}, log=False))
        tree.parameter_ids.value = 4
        self.assertEqual(tree._evaluate({"q_months": 3}, log=False)["outcome"]["code"], "out_b")
        result = tree._evaluate({"q_months": 5, "q_help": "yes"}, log=False)
        self.assertEqual(result["outcome"]["code"], "out_a")
        self.assertIn("Months of arrears → 5 (4 months or more)", result["explanation"])
        self.assertNotIn("first_contact", {m["code"] for m in result["missing"]})

    def test_api_runs_are_logged_without_person(self):
        answers = default_walks(self.env)["out_rehousing"][0]
        runs = self.env["woonkans.decision.run"].sudo()
        before = runs.search_count([("channel", "=", "api")])
        self.tree.with_user(self.caseworker).evaluate(answers)
        run = runs.search([("channel", "=", "api")], order="id desc", limit=1)
        self.assertEqual(runs.search_count([("channel", "=", "api")]), before + 1)
        self.assertEqual(run.outcome_node_id.code, "out_rehousing")
        self.assertEqual(run.advised_trajectory_id.code, "rehousing_sitting_tenant")
        self.assertFalse(run.organisation_id, "a person is never stored as the organisation")
        # partial walks are not logged
        self.tree.with_user(self.caseworker).evaluate({"situation": "sitting"})
        self.assertEqual(runs.search_count([("channel", "=", "api")]), before + 1)

    def test_query_count_does_not_grow_with_tree_size(self):
        answers = default_walks(self.env)["out_second_chance"][0]
        tree = self.tree
        tree._evaluate(answers, log=False)  # warm the compiled-version cache
        self.env.invalidate_all()
        with self.assertQueryCount(0):
            tree._evaluate(answers, log=False)
        large, _version = self._small_tree(code="other")
        large._evaluate({"q_months": 3, "q_help": "yes"}, log=False)
        self.env.invalidate_all()
        with self.assertQueryCount(0):
            large._evaluate({"q_months": 3, "q_help": "yes"}, log=False)
        # a changed parameter is seen at once
        large.parameter_ids.value = 5
        self.assertEqual(large._evaluate({"q_months": 3}, log=False)["outcome"]["code"], "out_b")
