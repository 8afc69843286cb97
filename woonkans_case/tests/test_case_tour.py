from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

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
            (case.consent_ids.partner_id, case.consent_ids.state, case.consent_ids.user_id.login),
            (self.corporation, "active", "wk_caseworker"),
        )
        self.assertEqual(
            set(case.condition_line_ids.filtered(lambda line: line.status == "met").mapped("code")),
            {"consent", "woningnet_registered", "payment_arrangement", "guidance_accepted"},
        )

    def test_caseworker_stage_gate_error_and_back(self):
        """A gate error leaves the case where it was, with a clean form; moving back works."""
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        self._give_consent(case)
        case.stage_id = self.stage["intake"]
        with mute_logger("odoo.http"):  # the refused move is logged as a warning
            self.start_tour(
                f"/odoo/action-woonkans_case.woonkans_case_action/{case.id}",
                "woonkans_case_stage_gate",
                login="wk_caseworker",
            )
        self.assertEqual(case.stage_id, self.stage["referral"])
        self.assertFalse(case.message_ids.filtered(lambda m: "overridden" in (m.body or "")))
