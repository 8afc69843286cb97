import re

from odoo.tests import tagged

from .common_portal import WoonkansPortalCommon


@tagged("post_install", "-at_install")
class TestPortalConsentToClose(WoonkansPortalCommon):
    """A partner organisation records its consent to close on the portal."""

    def setUp(self):
        super().setUp()
        self.case_a.with_context(woonkans_gate_override="evaluation for the test").stage_id = self.env.ref(
            "woonkans_case.case_stage_evaluation"
        )
        self.party_a = self.case_a.party_ids.filtered(lambda p: p.partner_id == self.org_a)
        self.url = f"/my/woonkans/{self.case_a.id}"

    def _post(self, case, agree, csrf=True):
        data = {"agree": agree}
        if csrf:
            page = self.url_open(f"/my/woonkans/{case.id}")
            data["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(f"/my/woonkans/{case.id}/consent_to_close", data=data, allow_redirects=False)

    def test_party_agrees_and_withdraws(self):
        self.authenticate("wkp_a1", "wkp_a1")
        page = self.url_open(self.url)
        self.assertIn("My organisation agrees to close", page.text)
        response = self._post(self.case_a, "1")
        self.assertEqual(response.status_code, 303)
        self.assertIn("consent=1", response.headers["Location"])
        self.assertTrue(self.party_a.consent_to_close)
        self.assertEqual(self.party_a.consent_user_id, self.user_a1)
        self.assertIn("Woonstichting Noorderzon agrees to close the case", self.case_a.message_ids[0].body)
        self.assertIn("Withdraw consent to close", self.url_open(self.url).text)
        self._post(self.case_a, "0")
        self.assertFalse(self.party_a.consent_to_close)

    def test_other_organisation_and_ended_party_cannot_answer(self):
        for login in ("wkp_b1", "wkp_c1"):
            self.authenticate(login, login)
            response = self.url_open(f"{self.url}/consent_to_close", data={"agree": "1"}, allow_redirects=False)
            self.assertEqual(response.headers["Location"].split("?")[0].rstrip("/")[-3:], "/my", login)
        self.assertFalse(self.case_a.party_ids.filtered("consent_to_close"))

    def test_without_csrf_or_outside_evaluation_nothing_changes(self):
        self.authenticate("wkp_a1", "wkp_a1")
        response = self._post(self.case_a, "1", csrf=False)
        self.assertIn("error=session", response.headers["Location"])
        self.assertFalse(self.party_a.consent_to_close)
        self.case_a.stage_id = self.env.ref("woonkans_case.case_stage_plan")
        self.assertNotIn("My organisation agrees to close", self.url_open(self.url).text)
        response = self._post(self.case_a, "1")
        self.assertIn("error=invalid", response.headers["Location"])
        self.assertFalse(self.party_a.consent_to_close)
