from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWoonkansboomTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org = cls.env["res.partner"].create({"name": "Corporatie Tourdorp", "is_company": True})
        new_test_user(
            cls.env,
            login="wk_dt_tour_portal",
            password="wk_dt_tour_portal",
            groups="base.group_portal",
            parent_id=cls.org.id,
        )
        new_test_user(
            cls.env, login="wk_dt_tour_cw", password="wk_dt_tour_cw", groups="woonkans_case.group_woonkans_user"
        )
        cls.coordinator = new_test_user(
            cls.env,
            login="wk_dt_tour_coord",
            password="wk_dt_tour_coord",
            groups="woonkans_case.group_woonkans_coordinator",
            lang="en_US",
        )

    def test_backend_wizard_tour(self):
        self.start_tour(
            "/odoo/action-woonkans_decision_tree.woonkans_decision_tree_action_walk",
            "woonkans_decision_tree_backend",
            login="wk_dt_tour_cw",
        )
        run = self.env["woonkans.decision.run"].search([("create_uid.login", "=", "wk_dt_tour_cw")])
        self.assertEqual(run.state, "done")
        self.assertEqual(run.outcome_node_id.code, "out_vu_care_first")

    def test_portal_tour(self):
        self.start_tour("/my/woonkansboom", "woonkans_decision_tree_portal", login="wk_dt_tour_portal")
        run = self.env["woonkans.decision.run"].search([("create_uid.login", "=", "wk_dt_tour_portal")])
        self.assertEqual(run.state, "done")
        self.assertEqual(run.outcome_node_id.code, "out_vu_not_target")
        self.assertEqual(run.organisation_id, self.org)

    def test_coordinator_edit_review_publish_tour(self):
        tree = self.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        published = tree.published_version_id
        draft = published.with_user(self.coordinator)._copy_as_draft()
        self.start_tour(
            f"/odoo/action-woonkans_decision_tree.woonkans_decision_tree_version_action/{draft.id}",
            "woonkans_decision_tree_publish",
            login="wk_dt_tour_coord",
        )
        self.assertEqual(draft.state, "published")
        self.assertEqual(published.state, "archived")
        self.assertEqual(draft.note, "The first question now asks about today.")
        self.assertEqual(
            draft.node_ids.filtered(lambda n: n.code == "situation").with_context(lang=self.coordinator.lang).text,
            "Which situation fits the tenant best today?",
        )
        scenarios = self.env["woonkans.decision.scenario"].search_count([("tree_id", "=", tree.id)])
        self.assertEqual(len(draft.scenario_result_ids), scenarios)
        self.assertEqual(set(draft.scenario_result_ids.mapped("state")), {"pass"})
        self.assertEqual(draft.published_by_id, self.coordinator)
        # the history keeps the review and the publication with its change summary
        bodies = draft.message_ids.mapped("body")
        self.assertTrue(any("The first question now asks about today." in body for body in bodies))
        self.assertTrue(any(f" {scenarios} " in body for body in bodies))
