from odoo import fields
from odoo.tests import tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestConsentSync(WoonkansCaseCommon):
    """The consent box on the case and the consent condition are one fact."""

    def setUp(self):
        super().setUp()
        self.case = self._create_case(trajectory_type_id=self.second_chance.id)
        self.line = self._line(self.case, "consent")
        self.assertEqual(len(self.line), 1)

    def test_condition_met_ticks_the_box(self):
        self.assertFalse(self.case.consent_sharing)
        self.line.with_user(self.caseworker).action_mark_met()
        self.assertTrue(self.case.consent_sharing)
        self.assertEqual(self.case.consent_date, fields.Date.context_today(self.case))
        self.line.with_user(self.caseworker).action_reset()
        self.assertFalse(self.case.consent_sharing)

    def test_box_ticked_meets_the_condition(self):
        self.case.with_user(self.caseworker).consent_sharing = True
        self.assertEqual(self.line.status, "met")
        self.assertTrue(self.case.consent_date)
        self.case.with_user(self.caseworker).consent_sharing = False
        self.assertEqual(self.line.status, "open")

    def test_new_case_with_consent_starts_with_the_condition_met(self):
        case = self._create_case(trajectory_type_id=self.restart.id, consent_sharing=True)
        self.assertEqual(self._line(case, "consent").status, "met")
        self.assertTrue(case.consent_sharing)

    def test_not_applicable_leaves_the_box_alone(self):
        self.case.consent_sharing = True
        self.line.action_mark_not_applicable()
        self.assertTrue(self.case.consent_sharing)
