from odoo.tests import tagged

from .common_portal import WoonkansPortalCommon


@tagged("post_install", "-at_install")
class TestPortalReferralTour(WoonkansPortalCommon):
    def test_referral_tour(self):
        before = self.env["woonkans.referral"].search_count([])
        self.start_tour("/my/woonkans/new", "woonkans_portal_referral_tour", login=self.user_a1.login)
        referral = self.env["woonkans.referral"].search([("source", "=", "portal")], order="id desc", limit=1)
        self.assertEqual(self.env["woonkans.referral"].search_count([]), before + 1)
        self.assertEqual(referral.client_name, "Noor Visser")
        self.assertEqual(referral.client_zip, "9712 CX")
        self.assertEqual(referral.referral_reason, "nuisance")
        self.assertEqual(referral.referrer_contact_id, self.user_a1.partner_id)
