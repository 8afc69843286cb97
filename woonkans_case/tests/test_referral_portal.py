import re
import uuid
from datetime import date, timedelta

from odoo import Command
from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common_portal import WoonkansPortalCommon


@tagged("post_install", "-at_install")
class TestReferralPortal(WoonkansPortalCommon):
    """A referral's journey on the portal, and referrals kept to their own organisation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intake = new_test_user(
            cls.env, login="wkp_intake", groups="woonkans_case.group_woonkans_user", name="Ina Take"
        )
        cls.team = cls.env["woonkans.team"].create({"name": "Intake", "member_ids": [Command.link(cls.intake.id)]})
        cls.env["ir.config_parameter"].set_param("woonkans_case.referral_team_id", str(cls.team.id))

    def _csrf(self, url="/my/woonkans/new"):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _refer(self, name="Lieke Mulder", birthdate="1988-03-14"):
        key = uuid.uuid4().hex
        data = {
            "client_name": name,
            "client_birthdate": birthdate,
            "client_street": "Kerkstraat 12",
            "client_zip": "9712ab",
            "client_city": "Groningen",
            "client_phone": "050 123 4567",
            "target_group": "sitting_tenant",
            "referral_reason": "arrears",
            "consent": "on",
            "submission_key": key,
            "csrf_token": self._csrf(),
        }
        response = self.url_open("/my/woonkans/new", data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:300])
        referral = self.env["woonkans.referral"].search([("submission_key", "=", key)])
        self.assertEqual(len(referral), 1)
        return referral

    def _counts(self):
        self.env.invalidate_all()
        return (
            self.env["woonkans.case"].search_count([]),
            self.env["res.partner"].search_count([("woonkans_is_client", "=", True)]),
        )

    def _row(self, referral):
        page = self.url_open("/my/woonkans")
        self.assertEqual(page.status_code, 200)
        match = re.search(rf'<tr id="referral-{referral.id}".*?</tr>', page.text, re.S)
        self.assertTrue(match, "the referral is not on the portal list")
        return match.group(0)

    def test_accept_journey(self):
        self.login(self.user_a1)
        referral = self._refer()
        self.assertIn("Submitted", self._row(referral))
        # the intake worker sees the known client with why it matched, links it and accepts
        known = self.env["res.partner"].create(
            {"name": "lieke mulder", "woonkans_is_client": True, "woonkans_birthdate": date(1988, 3, 14)}
        )
        referral._woonkans_find_matches()
        match = referral.with_user(self.intake).match_ids
        self.assertEqual(match.partner_id, known)
        self.assertIn("date of birth", match.reasons)
        match.action_link()
        case = self.env["woonkans.case"].browse(referral.with_user(self.intake).action_accept()["res_id"])
        self.assertEqual(case.client_id, known)
        self.assertEqual(case.referrer_id, self.org_a)
        row = self._row(referral)
        self.assertIn("Accepted", row)
        self.assertIn(f'href="/my/woonkans/{case.id}"', row)
        self.assertEqual(self.url_open(f"/my/woonkans/{case.id}").status_code, 200)

    def test_decline_journey(self):
        self.login(self.user_a1)
        before = self._counts()
        referral = self._refer()
        reason = self.env.ref("woonkans_case.decline_reason_target_group")
        wizard = (
            self.env["woonkans.referral.decline"]
            .with_user(self.intake)
            .create({"referral_id": referral.id, "reason_id": reason.id, "message": "Not in our target groups."})
        )
        wizard.action_confirm()
        row = self._row(referral)
        self.assertIn("Declined", row)
        self.assertIn(reason.name, row)
        self.assertIn("Not in our target groups.", row)
        self.assertIn(reason.suggested_route.replace("'", "&#39;"), row)
        self.assertNotIn("withdraw", row)
        self.assertEqual(self._counts(), before)  # no client, no case

    def test_withdraw_journey(self):
        self.login(self.user_a1)
        before = self._counts()
        referral = self._refer()
        self.login(self.user_a2)  # a colleague of the same organisation may withdraw it
        row = self._row(referral)
        self.assertIn(f'action="/my/woonkans/referral/{referral.id}/withdraw"', row)
        response = self.url_open(
            f"/my/woonkans/referral/{referral.id}/withdraw",
            data={"csrf_token": self._csrf(), "reason": "Debt paid\x00 off"},
            allow_redirects=False,
        )
        self.assertIn("referral_error=invalid", response.headers["Location"])
        self.assertEqual(referral.state, "submitted")
        response = self.url_open(
            f"/my/woonkans/referral/{referral.id}/withdraw",
            data={"csrf_token": self._csrf(), "reason": "Debt paid off"},
            allow_redirects=False,
        )
        self.assertIn(f"withdrawn={referral.id}", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual((referral.state, referral.withdraw_reason), ("withdrawn", "Debt paid off"))
        self.assertIn("Withdrawn", self._row(referral))
        self.assertEqual(self._counts(), before)
        # withdrawing twice is refused politely
        response = self.url_open(
            f"/my/woonkans/referral/{referral.id}/withdraw",
            data={"csrf_token": self._csrf()},
            allow_redirects=False,
        )
        self.assertIn("referral_error=state", response.headers["Location"])

    def test_referrals_stay_in_their_organisation(self):
        """Every route and RPC path with another organisation's referral gives nothing."""
        self.login(self.user_b1)
        foreign = self._refer(name="Bram Geheim")
        key = foreign.sudo().submission_key
        checked = 0
        for user in (self.user_a1, self.user_c1):
            self.login(user)
            page = self.url_open("/my/woonkans")
            self.assertNotIn("Bram Geheim", page.text)
            self.assertNotIn(foreign.name, page.text)
            confirmation = self.url_open(f"/my/woonkans/new/confirmation/{key}", allow_redirects=False)
            self.assertEqual(confirmation.status_code, 303)
            csrf = self._csrf()
            withdraw = self.url_open(
                f"/my/woonkans/referral/{foreign.id}/withdraw", data={"csrf_token": csrf}, allow_redirects=False
            )
            self.assertTrue(withdraw.headers["Location"].endswith("/my"))
            self.assertEqual(foreign.state, "submitted")
            match_ids = foreign.sudo().match_ids.ids or [1]
            for model, ids, field, value in (
                ("woonkans.referral", foreign.ids, "client_name", "x"),
                ("woonkans.referral.match", match_ids, "reasons", "x"),
            ):
                for method, args in (
                    ("read", [ids, [field]]),
                    ("search_read", [[("id", "in", ids)], [field]]),
                    ("write", [ids, {field: value}]),
                ):
                    checked += 1
                    try:
                        with mute_logger("odoo.http"):
                            result = self.make_jsonrpc_request(
                                f"/web/dataset/call_kw/{model}/{method}",
                                {"model": model, "method": method, "args": args, "kwargs": {}},
                            )
                    except JsonRpcException as e:
                        self.assertIn(e.args[0], ("odoo.exceptions.AccessError", "odoo.exceptions.MissingError"))
                        continue
                    self.assertFalse(result, f"{user.login}: {model}.{method} leaks")
        self.assertEqual(foreign.state, "submitted")
        self._logger.info("referral isolation: %s RPC calls refused for 2 users", checked)
        # the referring organisation sees it, and never its matches
        self.login(self.user_b2)
        self.assertIn("Bram Geheim", self.url_open("/my/woonkans").text)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/woonkans.referral.match/search_read",
                {"model": "woonkans.referral.match", "method": "search_read", "args": [[]], "kwargs": {}},
            )

    def test_old_confirmation_by_id_and_unknown_keys(self):
        self.login(self.user_a1)
        referral = self._refer()
        for url in (
            f"/my/woonkans/new/confirmation/{referral.id}",
            "/my/woonkans/new/confirmation/" + "0" * 32,
            "/my/woonkans/new/confirmation/%00",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (303, 404), url)
        self.assertIn(
            referral.name, self.url_open(f"/my/woonkans/new/confirmation/{referral.sudo().submission_key}").text
        )

    def test_key_taken_by_a_concurrent_request_redirects_to_the_confirmation(self):
        """The unique key decides, not the look-up: when another request holds the key (here: a
        row this user did not create, which the look-up ignores just as a transaction cannot see a
        row committed after it started), the submit ends on the key's confirmation route, a new
        request, instead of an error; nothing is saved twice."""
        self.login(self.user_a1)
        key = uuid.uuid4().hex
        self.env["woonkans.referral"].with_user(self.intake).sudo()._woonkans_submit(
            {
                "client_name": "Eerste Verzending",
                "client_birthdate": date(1980, 1, 1),
                "client_street": "Straat 1",
                "client_zip": "9711 AA",
                "client_city": "Groningen",
                "client_phone": "050 000 0000",
                "client_email": False,
                "household_adults": 1,
                "household_children": [],
                "target_group": "evicted",
                "referral_reason": "arrears",
                "eviction_date": False,
                "court_date": False,
                "description": "",
                "consent": True,
            },
            self.org_a,
            self.user_a1.partner_id,
            key=key,
        )
        before = self.env["woonkans.referral"].search_count([])
        data = {
            "client_name": "Tweede Verzending",
            "client_birthdate": "1988-03-14",
            "client_street": "Kerkstraat 12",
            "client_zip": "9712ab",
            "client_city": "Groningen",
            "client_phone": "050 123 4567",
            "target_group": "sitting_tenant",
            "referral_reason": "arrears",
            "consent": "on",
            "submission_key": key,
            "csrf_token": self._csrf(),
        }
        with mute_logger("odoo.sql_db"):
            response = self.url_open("/my/woonkans/new", data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/woonkans/new/confirmation/{key}"))
        self.assertEqual(self.env["woonkans.referral"].search_count([]), before)

    def test_overdue_shows_on_the_portal(self):
        self.login(self.user_a1)
        referral = self._refer()
        referral.sudo().date_submitted = date.today() - timedelta(days=30)
        self.assertTrue(referral.is_overdue)
        self.assertIn("Overdue", self._row(referral))
