from odoo.tests import HttpCase, tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestCaseTour(HttpCase, WoonkansCaseCommon):
    def test_caseworker_referral_intake_plan(self):
        """A caseworker registers a referral and takes it through intake to the plan."""
        self.start_tour(
            "/odoo/action-woonkans_case.woonkans_case_action",
            "woonkans_case_referral_intake_plan",
            login="wk_caseworker",
        )
        case = self.env["woonkans.case"].search([("client_id.name", "=", "Tourclient Jansen")])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.phase, "plan")
        self.assertEqual(case.trajectory_type_id, self.second_chance)
        self.assertTrue(case.project_id, "the plan was created")
        self.assertEqual(
            set(case.condition_line_ids.filtered(lambda line: line.status == "met").mapped("code")),
            {"consent", "woningnet_registered", "payment_arrangement", "guidance_accepted"},
        )
