import re
import uuid
from datetime import date, timedelta

import psycopg2
from lxml import html

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_portal import WoonkansPortalCommon


@tagged("post_install", "-at_install")
class TestPortalUx(WoonkansPortalCommon):
    """What a partner sees before sending: the required fields, the reasons, the counts on /my;
    and that the bureau cannot decline a referral without a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intake = new_test_user(
            cls.env, login="wkp_ux_intake", groups="woonkans_case.group_woonkans_user", name="Isa Intake"
        )
        team = cls.env["woonkans.team"].create({"name": "Intake UX", "member_ids": [Command.link(cls.intake.id)]})
        cls.env["ir.config_parameter"].set_param("woonkans_case.referral_team_id", str(team.id))

    def _form_page(self):
        self.login(self.user_a1)
        response = self.url_open("/my/woonkans/new")
        self.assertEqual(response.status_code, 200)
        return response, html.fromstring(response.content)

    def _server_required(self):
        forms = self.env["woonkans.referral"]._woonkans_forms()["referral"]
        return {name for name, spec in forms.items() if spec.required}

    # ------------------------------------------------------------------
    # the form
    # ------------------------------------------------------------------

    def test_required_fields_marked_as_the_server_requires(self):
        __, page = self._form_page()
        form = page.xpath("//form[hasclass('o_woonkans_referral_form')]")[0]
        declared = set(self.env["woonkans.referral"]._woonkans_forms()["referral"])
        fields = {
            el.get("name"): el for el in form.xpath(".//input|.//select|.//textarea") if el.get("name") in declared
        }
        required = self._server_required()
        self.assertIn("client_name", required)
        self.assertIn("consent", required)
        self.assertEqual(required - set(fields), set(), "a field the server requires is missing from the form")
        for name, element in fields.items():
            label = form.xpath(f".//label[@for='{element.get('id')}']")
            self.assertEqual(len(label), 1, name)
            marked = bool(label[0].xpath(".//*[hasclass('o_woonkans_required')]"))
            if name in required:
                self.assertEqual(element.get("required"), "required", f"{name}: no required attribute")
                self.assertTrue(marked, f"{name}: the label has no *")
                self.assertEqual(label[0].xpath(".//*[hasclass('o_woonkans_required')]")[0].text, "*")
            else:
                self.assertIsNone(element.get("required"), f"{name} is optional on the server but required here")
                self.assertFalse(marked, f"{name} is optional on the server but marked with *")
        self.assertIn("Fields marked * are required.", form.text_content())

    def test_phone_or_email_rule_shown_before_sending(self):
        response, page = self._form_page()
        help_ = page.xpath("//*[@id='client_contact_help']")
        self.assertEqual(len(help_), 1)
        self.assertIn("at least one of the two", help_[0].text_content())
        for name in ("client_phone", "client_email"):
            field = page.xpath(f"//input[@name='{name}']")[0]
            self.assertIn("client_contact_help", (field.get("aria-describedby") or "").split(), name)
            self.assertIsNone(field.get("required"), f"{name} alone is not required")
        # the help comes before the fields it explains, not after a failed send
        self.assertLess(response.text.index('id="client_contact_help"'), response.text.index('name="client_phone"'))
        hint = page.xpath("//*[@id='eviction_dates_help']")[0]
        self.assertIn("eviction date or the court date", hint.text_content())

    def test_reasons_are_the_backend_selection(self):
        __, page = self._form_page()
        options = [
            (o.get("value"), o.text_content().strip()) for o in page.xpath("//select[@name='referral_reason']/option")
        ]
        self.assertEqual(options[0][0], "")
        field = self.env["woonkans.referral"]._fields["referral_reason"]
        backend = [(code, label) for code, label in field._description_selection(self.env)]
        self.assertEqual(options[1:], backend)
        self.assertIn("independent_living", dict(options))
        # and the case has the same list: one source for the back office and the portal
        self.assertEqual(
            self.env["woonkans.case"]._fields["referral_reason"].get_values(self.env), field.get_values(self.env)
        )

    def test_every_reason_can_be_sent(self):
        self.login(self.user_a1)
        for code in self.env["woonkans.referral"]._fields["referral_reason"].get_values(self.env):
            page = self.url_open("/my/woonkans/new")
            key = uuid.uuid4().hex
            data = {
                "client_name": f"Sanne Zelfstandig {code}",
                "client_birthdate": "1999-05-01",
                "client_street": "Kerkstraat 12",
                "client_zip": "9712ab",
                "client_city": "Groningen",
                "client_email": "sanne@example.com",
                "target_group": "vulnerable",
                "referral_reason": code,
                "court_date": (date.today() + timedelta(days=30)).isoformat() if code == "eviction" else "",
                "consent": "on",
                "submission_key": key,
                "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),
            }
            response = self.url_open("/my/woonkans/new", data=data, allow_redirects=False)
            self.assertEqual(response.status_code, 303, f"{code}: {response.text[:300]}")
            referral = self.env["woonkans.referral"].sudo().search([("submission_key", "=", key)])
            self.assertEqual(referral.referral_reason, code)

    # ------------------------------------------------------------------
    # /my
    # ------------------------------------------------------------------

    def test_home_counts_the_cases_of_the_organisation(self):
        users = self.demo_portal_users() | self.user_a1 | self.user_b1 | self.user_c1
        self.assertGreaterEqual(len(users), 4)
        cases = self.env["woonkans.case"].sudo().search([])
        seen = {}
        for user in users:
            # independently of the counter: each case the user may open, and the rows of their list
            expected = len(cases.filtered(lambda case, user=user: case.with_user(user).has_access("read")))
            self.login_as(user)
            home = self.url_open("/my")
            self.assertEqual(home.status_code, 200)
            tile = html.fromstring(home.content).xpath("//*[@data-placeholder_count='woonkans_count']")
            self.assertEqual(len(tile), 1, f"{user.login}: no counter on the Woonkans tile")
            counters = self.make_jsonrpc_request("/my/counters", {"counters": ["woonkans_count"]})
            self.assertEqual(counters["woonkans_count"], expected, user.login)
            rows = html.fromstring(self.url_open("/my/woonkans").content).xpath(
                "//tr[hasclass('o_woonkans_portal_row')]"
            )
            self.assertEqual(len(rows), expected, f"{user.login}: the list and the counter disagree")
            seen[user.login] = expected
        self.assertLess(max(seen.values()), len(cases), "a counter counts cases of other organisations")
        self.assertGreater(seen["wkp_a1"], 0)
        self.assertEqual(seen["wkp_c1"], 0)  # an organisation whose party line ended
        self.assertTrue(all(seen[login] > 0 for login in ("corporatie", "wijteam")), seen)

    def test_home_tile_shows_without_cases(self):
        """An organisation without cases still finds the tile, to refer its first client."""
        self.login(self.user_c1)
        page = html.fromstring(self.url_open("/my").content)
        card = page.xpath(
            "//*[@data-placeholder_count='woonkans_count']/ancestor::div[hasclass('o_portal_index_card')]"
        )
        self.assertEqual(len(card), 1)
        self.assertNotIn("d-none", card[0].get("class").split())
        self.assertEqual(card[0].xpath(".//a/@href"), ["/my/woonkans"])

    # ------------------------------------------------------------------
    # declining a referral
    # ------------------------------------------------------------------

    def _referral(self):
        Referral = self.env["woonkans.referral"]
        clean, errors = Referral._woonkans_validate_referral(
            {
                "client_name": "Joost Afwachten",
                "client_birthdate": "1980-02-02",
                "client_street": "Kerkstraat 3",
                "client_zip": "9712ab",
                "client_city": "Groningen",
                "client_phone": "050 123 4567",
                "target_group": "sitting_tenant",
                "referral_reason": "arrears",
                "consent": "on",
            }
        )
        self.assertFalse(errors)
        return Referral.sudo()._woonkans_submit(clean, self.org_a, self.user_a1.partner_id)

    def test_decline_needs_a_reason_on_every_path(self):
        referral = self._referral().with_user(self.intake)
        reason = self.env.ref("woonkans_case.decline_reason_municipality")
        # the model: no reason, no message, or a state written directly
        with self.assertRaises(UserError):
            referral._woonkans_decline(self.env["woonkans.referral.decline.reason"], "Not ours.")
        with self.assertRaises(UserError):
            referral._woonkans_decline(reason, " ")
        with self.assertRaises(AccessError):
            referral.write({"state": "declined"})
        # the dialog cannot be saved without a reason
        Wizard = self.env["woonkans.referral.decline"].with_user(self.intake)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            Wizard.create({"referral_id": referral.id, "message": "Not ours."}).action_confirm()
        self.assertEqual(referral.state, "submitted")
        # over RPC, as the intake worker: the same
        self.login(self.intake)
        self.assert_rpc_denied("woonkans.referral", "write", [referral.id], {"state": "declined"})
        with mute_logger("odoo.sql_db"):
            refused = self.jsonrpc_or_none(
                "/web/dataset/call_kw/woonkans.referral.decline/create",
                {
                    "model": "woonkans.referral.decline",
                    "method": "create",
                    "args": [{"referral_id": referral.id, "message": "Not ours."}],
                    "kwargs": {},
                },
            )
        self.assertIsNone(refused)
        self.env.invalidate_all()
        self.assertEqual(referral.state, "submitted")
        # the dialog with a reason declines
        action = referral.action_open_decline()
        self.assertEqual((action["res_model"], action["target"]), ("woonkans.referral.decline", "new"))
        Wizard.with_context(**action["context"]).create(
            {"reason_id": reason.id, "message": "Not ours."}
        ).action_confirm()
        self.assertEqual((referral.state, referral.decline_reason_id), ("declined", reason))

    def test_decline_buttons_open_the_reason_dialog(self):
        """Every view of a referral: the one Decline button opens the dialog, and no card is dragged into Declined."""
        views = (
            self.env["woonkans.referral"]
            .with_user(self.intake)
            .get_views([(False, "form"), (False, "list"), (False, "kanban")])["views"]
        )
        declining = []
        for view_type, view in views.items():
            arch = html.fromstring(view["arch"])
            for button in arch.xpath("//button"):
                words = f"{button.get('name')} {button.get('string')}".lower()
                if "declin" in words or "reject" in words:
                    declining.append((view_type, button.get("name")))
            if view_type == "kanban":
                self.assertEqual(arch.get("records_draggable"), "false")
        self.assertEqual(declining, [("form", "action_open_decline")])
        wizard_form = self.env["woonkans.referral.decline"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="reason_id"', wizard_form)
        fields = self.env["woonkans.referral.decline"]._fields
        self.assertTrue(fields["reason_id"].required and fields["message"].required)
