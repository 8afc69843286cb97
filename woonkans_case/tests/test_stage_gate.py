from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestStageGate(WoonkansCaseCommon):
    def setUp(self):
        super().setUp()
        self.case = self._create_case(trajectory_type_id=self.second_chance.id).with_user(self.caseworker)

    def test_gate_lists_exactly_what_is_missing(self):
        with self.assertRaises(UserError) as caught:
            self.case.stage_id = self.stage["intake"]
        message = str(caught.exception)
        self.assertIn("Consent for information sharing given", message)
        self.assertNotIn("Registered again with WoningNet", message, "that condition gates a later stage")
        self.assertEqual(self.case.stage_id, self.stage["referral"])

    def test_gate_opens_when_met_and_backwards_is_free(self):
        self._give_consent(self.case)
        self.case.stage_id = self.stage["intake"]
        self.assertEqual(self.case.stage_id, self.stage["intake"])
        with self.assertRaises(UserError) as caught:
            self.case.stage_id = self.stage["plan"]
        for name in (
            "Registered again with WoningNet",
            "Payment arrangement with the evicting corporation",
            "Guidance accepted",
        ):
            self.assertIn(name, str(caught.exception))
        for code in ("woningnet_registered", "payment_arrangement", "guidance_accepted"):
            self._line(self.case, code).status = "met"
        self.case.stage_id = self.stage["plan"]
        self.case.stage_id = self.stage["referral"]
        self.assertEqual(self.case.stage_id, self.stage["referral"], "moving back is never blocked")

    def test_not_applicable_does_not_block(self):
        self._line(self.case, "consent").status = "not_applicable"
        self.case.stage_id = self.stage["intake"]
        self.assertEqual(self.case.phase, "intake")

    def test_caseworker_cannot_override(self):
        with self.assertRaises(AccessError):
            self.case.with_context(woonkans_gate_override="urgent").stage_id = self.stage["intake"]
        self.assertEqual(self.case.stage_id, self.stage["referral"])

    def test_coordinator_override_is_logged(self):
        case = self.case.with_user(self.coordinator)
        wizard = Form(
            self.env["woonkans.case.gate.override"].with_user(self.coordinator).with_context(default_case_id=case.id)
        )
        wizard.stage_id = self.stage["plan"]
        wizard.reason = "Eviction next week; conditions follow within a month"
        record = wizard.save()
        self.assertEqual(len(record.blocking_line_ids), 4)
        record.action_override()
        self.assertEqual(case.stage_id, self.stage["plan"])
        note = case.message_ids.filtered(lambda m: "overridden" in (m.body or ""))[:1]
        self.assertTrue(note)
        self.assertIn("Eviction next week", note.body)
        self.assertIn("Guidance accepted", note.body)

    def test_override_needs_a_reason(self):
        wizard = (
            self.env["woonkans.case.gate.override"]
            .with_user(self.coordinator)
            .create({"case_id": self.case.id, "stage_id": self.stage["intake"].id, "reason": "   "})
        )
        with self.assertRaises(UserError):
            wizard.action_override()
