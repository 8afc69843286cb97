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
