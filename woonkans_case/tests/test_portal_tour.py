from odoo.tests import tagged

from .common_portal import WoonkansPortalCommon


@tagged("post_install", "-at_install")
class TestPortalReferralTour(WoonkansPortalCommon):
    def test_referral_tour(self):
        before = self.env["woonkans.case"].search_count([])
        self.start_tour("/my/woonkans/new", "woonkans_portal_referral_tour", login=self.user_a1.login)
        case = self.env["woonkans.case"].search([("source", "=", "portal")], order="id desc", limit=1)
        self.assertEqual(self.env["woonkans.case"].search_count([]), before + 1)
        self.assertEqual(case.client_id.name, "Noor Visser")
        self.assertEqual(case.client_id.zip, "9712 CX")
        self.assertEqual(case.referral_reason, "nuisance")
        self.assertEqual(case.referrer_contact_id, self.user_a1.partner_id)
