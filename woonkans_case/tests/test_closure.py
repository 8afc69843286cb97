from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestClosure(WoonkansCaseCommon):
    def setUp(self):
        super().setUp()
        role = self.env.ref
        self.case = self._create_case(
            party_ids=[
                Command.create(
                    {"partner_id": self.corporation.id, "role_id": role("woonkans_case.party_role_landlord").id}
                ),
                (
                    0,
                    0,
                    {"partner_id": self.care_provider.id, "role_id": role("woonkans_case.party_role_care_provider").id},
                ),
            ]
        ).with_user(self.caseworker)
        self.reason = self.env.ref("woonkans_case.closure_reason_rehoused")

    def _wizard(self, user, **values):
        form = Form(self.env["woonkans.case.close"].with_user(user).with_context(default_case_id=self.case.id))
        form.closure_reason_id = self.reason
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_dragging_to_closed_needs_a_reason(self):
        with self.assertRaises(UserError):
            self.case.stage_id = self.stage["closed"]
        self.assertNotEqual(self.case.phase, "closed")

    def test_closing_needs_consent_of_all_current_parties(self):
        wizard = self._wizard(self.caseworker)
        self.assertEqual(wizard.missing_party_ids.partner_id, self.corporation | self.care_provider)
        with self.assertRaises(UserError) as caught:
            wizard.action_close()
        self.assertIn("Woonstede Test", str(caught.exception))
        self.case.party_ids.filtered(lambda p: p.partner_id == self.corporation).consent_to_close = True
        # a party whose line has ended no longer has a say
        self.case.party_ids.filtered(lambda p: p.partner_id == self.care_provider).write(
            {"date_from": "2020-01-01", "date_to": "2020-12-31"}
        )
        wizard = self._wizard(self.caseworker)
        self.assertFalse(wizard.missing_party_ids)
        wizard.action_close()
        self.assertEqual(self.case.phase, "closed")
        self.assertEqual(self.case.outcome, "positive")
        self.assertTrue(self.case.date_closed)
        consenting = self.case.party_ids.filtered("consent_to_close")
        self.assertEqual(consenting.consent_user_id, self.caseworker)
        self.assertTrue(consenting.consent_date)
        self.assertTrue(self.case.retention_until)

    def test_caseworker_cannot_force_closure(self):
        wizard = self._wizard(self.caseworker)
        wizard.override_reason = "Client moved abroad"
        with self.assertRaises(AccessError):
            wizard.action_close()
        with self.assertRaises(AccessError):
            self.case.write(
                {
                    "closure_override_reason": "forced",
                    "closure_reason_id": self.reason.id,
                    "stage_id": self.stage["closed"].id,
                }
            )
        self.assertNotEqual(self.case.phase, "closed")

    def test_coordinator_closes_without_full_consent_with_reason(self):
        case = self.case.with_user(self.coordinator)
        self.reason = self.env.ref("woonkans_case.closure_reason_dropped_out")
        wizard = self._wizard(self.coordinator)
        with self.assertRaises(UserError):
            wizard.action_close()
        wizard.override_reason = "Client broke contact; corporation does not answer"
        wizard.action_close()
        self.assertEqual(case.phase, "closed")
        self.assertEqual(case.outcome, "negative")
        self.assertEqual(case.closure_override_user_id, self.coordinator)
        self.assertIn("broke contact", case.message_ids[0].body)

    def test_reopen_is_for_coordinators(self):
        self.case.party_ids.consent_to_close = True
        self._wizard(self.caseworker).action_close()
        with self.assertRaises(AccessError):
            self.case.action_reopen()
        self.case.with_user(self.coordinator).action_reopen()
        self.assertEqual(self.case.phase, "evaluation")
        self.assertFalse(self.case.date_closed)
