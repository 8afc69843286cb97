import re
import uuid
from datetime import date, timedelta

from markupsafe import escape

from odoo.tests import tagged

from .common import consents
from .common_portal import PDF, PNG, WoonkansPortalCommon


@tagged("post_install", "-at_install")
class TestPortalReferral(WoonkansPortalCommon):
    """The referral form, the condition updates, and everything a partner can send wrong."""

    def setUp(self):
        super().setUp()
        self.login(self.user_a1)

    def _csrf(self, url="/my/woonkans/new"):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _form(self, **values):
        form = {
            "client_name": "Lieke Mulder",
            "client_birthdate": "1988-03-14",
            "client_street": "Kerkstraat 12",
            "client_zip": "9712ab",
            "client_city": "Groningen",
            "client_phone": "050 123 4567",
            "client_email": "",
            "household_adults": "1",
            "household_children": "2015, 2019",
            "target_group": "sitting_tenant",
            "referral_reason": "arrears",
            "eviction_date": "",
            "court_date": (date.today() + timedelta(days=10)).isoformat(),
            "description": "Three months of arrears.",
            "consent": "on",
            "submission_key": uuid.uuid4().hex,
        }
        form.update(values)
        return form

    def _counts(self):
        self.env.invalidate_all()
        return (
            self.env["woonkans.case"].search_count([]),
            self.env["woonkans.referral"].search_count([]),
            self.env["res.partner"].search_count([("woonkans_is_client", "=", True)]),
            self.env["ir.attachment"].search_count([("res_model", "in", ("woonkans.case", "woonkans.referral"))]),
        )

    def _post(self, form, files=None, csrf=True):
        data = dict(form)
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open("/my/woonkans/new", data=data, files=files, allow_redirects=False)

    def _assert_rejected(self, form, field, files=None, text=None):
        before = self._counts()
        response = self._post(form, files=files)
        self.assertEqual(response.status_code, 400, field)
        self.assertIn(f'id="{field}_error"', response.text)
        if text:
            self.assertIn(text, response.text)
        # what the user typed is still there
        self.assertIn(str(escape(form["client_name"])), response.text)
        self.assertEqual(self._counts(), before, f"{field}: something was saved")
        return response

    # ------------------------------------------------------------------

    def test_form_shows_consent_text_and_bsn_only_when_enabled(self):
        page = self.url_open("/my/woonkans/new")
        self.assertIn("withdraw this consent", page.text)
        self.assertIn(self.org_a.name, page.text)
        self.assertNotIn('name="client_bsn"', page.text)
        params = self.env["ir.config_parameter"]
        params.set_param("woonkans_case.bsn_enabled", "True")
        params.set_param("woonkans_case.consent_text", "Custom consent wording 42.")
        page = self.url_open("/my/woonkans/new")
        self.assertIn('name="client_bsn"', page.text)
        self.assertIn("Custom consent wording 42.", page.text)

    def test_referral_is_recorded_notifies_and_confirms(self):
        team = self.env["woonkans.team"].create({"name": "Instroom", "leader_id": self.coordinator.id})
        self.env["ir.config_parameter"].set_param("woonkans_case.referral_team_id", str(team.id))
        cases_before = self.env["woonkans.case"].search_count([])
        form = self._form(client_email="lieke@example.com")
        response = self._post(
            form,
            files=[
                ("attachments", ("brief.pdf", PDF, "application/pdf")),
                ("attachments", ("photo.png", PNG, "image/png")),
            ],
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.env.invalidate_all()
        referral = self.env["woonkans.referral"].search([("submission_key", "=", form["submission_key"])])
        self.assertEqual(len(referral), 1)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/woonkans/new/confirmation/{form['submission_key']}")
        )
        # nothing but the referral: the bureau decides on client and case
        self.assertEqual(self.env["woonkans.case"].search_count([]), cases_before)
        self.assertFalse(referral.client_id)
        self.assertEqual(referral.state, "submitted")
        self.assertEqual(referral.source, "portal")
        self.assertTrue(referral.consent_given)
        self.assertIn("withdraw this consent", referral.consent_text)
        self.assertEqual(referral.referrer_id, self.org_a)
        self.assertEqual(referral.referrer_contact_id, self.user_a1.partner_id)
        self.assertEqual(referral.team_id, team)
        self.assertEqual(referral.priority, "2")  # court date within two weeks
        self.assertEqual(referral.client_zip, "9712 AB")
        self.assertEqual(referral.client_birthdate, date(1988, 3, 14))
        self.assertEqual(referral.children_years, "2015, 2019")
        self.assertGreater(referral.date_deadline, date.today())
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "woonkans.referral"), ("res_id", "=", referral.id)]
        )
        self.assertEqual(sorted(attachments.mapped("name")), ["brief.pdf", "photo.png"])
        activity = referral.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("woonkans_case.mail_activity_type_new_referral"))
        self.assertEqual(activity.user_id, self.coordinator)
        referral_message = referral.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("woonkans_case.mt_referral_new")
        )
        self.assertEqual(len(referral_message), 1)
        self.assertIn(self.coordinator.partner_id, referral_message.partner_ids)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "woonkans.referral"),
                ("res_id", "=", referral.id),
                ("recipient_ids", "in", self.user_a1.partner_id.id),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(referral.name, mail.subject)
        self.assertNotIn("Lieke", mail.body_html)  # no client data in the e-mail
        # the confirmation page, and the referral on the portal list, for the whole organisation
        page = self.url_open(response.headers["Location"])
        self.assertIn(referral.name, page.text)
        self.assertIn(referral.name, self.url_open("/my/woonkans").text)
        self.login(self.user_a2)
        self.assertIn(referral.name, self.url_open("/my/woonkans").text)
        # another organisation sees neither
        self.login(self.user_b1)
        response = self.url_open(f"/my/woonkans/new/confirmation/{form['submission_key']}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(referral.name, self.url_open("/my/woonkans").text)

    def test_double_submit_creates_one_referral(self):
        form = self._form()
        first = self._post(form)
        self.assertEqual(first.status_code, 303)
        before = self._counts()
        second = self._post(form)
        self.assertEqual(second.status_code, 303)
        self.assertEqual(second.headers["Location"], first.headers["Location"])
        self.assertEqual(self._counts(), before)

    def test_form_without_csrf_token_is_refused_politely(self):
        before = self._counts()
        response = self._post(self._form(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn("session expired", response.text)
        self.assertIn("Lieke Mulder", response.text)
        response = self.url_open(
            "/my/woonkans/new", data={**self._form(), "csrf_token": "forged"}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._counts(), before)

    def test_bad_fields(self):
        future = (date.today() + timedelta(days=3)).isoformat()
        self._assert_rejected(self._form(client_zip="12345"), "client_zip", text="not a valid Dutch postcode")
        self._assert_rejected(self._form(client_birthdate=future), "client_birthdate", text="too far in the future")
        self._assert_rejected(self._form(client_birthdate="14-03-1988"), "client_birthdate")
        self._assert_rejected(self._form(client_birthdate="1850-01-01"), "client_birthdate")
        self._assert_rejected(self._form(eviction_date="2999-01-01"), "eviction_date", text="too far in the future")
        self._assert_rejected(self._form(client_name=""), "client_name")
        self._assert_rejected(self._form(client_phone="", client_email=""), "client_phone")
        self._assert_rejected(self._form(client_email="not-an-address"), "client_email")
        self._assert_rejected(self._form(target_group="staff"), "target_group")
        self._assert_rejected(self._form(referral_reason="second_chance"), "referral_reason")
        self._assert_rejected(self._form(household_children="2015, 2099"), "household_children")
        self._assert_rejected(self._form(household_adults="0"), "household_adults")
        self._assert_rejected(self._form(consent=""), "consent")
        self._assert_rejected(self._form(referral_reason="eviction", court_date="", eviction_date=""), "eviction_date")
        self._assert_rejected(self._form(description="x" * 6000), "description")

    def test_bsn_eleven_test_when_enabled(self):
        self.env["ir.config_parameter"].set_param("woonkans_case.bsn_enabled", "True")
        self._assert_rejected(self._form(client_bsn="123456789"), "client_bsn", text="eleven test")
        form = self._form(client_bsn="111222333")
        self.assertEqual(self._post(form).status_code, 303)
        referral = self.env["woonkans.referral"].search([("submission_key", "=", form["submission_key"])])
        self.assertEqual(referral.client_bsn, "111222333")

    def test_bsn_ignored_when_disabled(self):
        form = self._form(client_bsn="111222333")
        self.assertEqual(self._post(form).status_code, 303)
        referral = self.env["woonkans.referral"].search([("submission_key", "=", form["submission_key"])])
        self.assertTrue(referral)
        self.assertFalse(referral.client_bsn)

    def test_uploads_too_large_or_not_allowed(self):
        self.env["ir.config_parameter"].set_param("woonkans_case.max_upload_mb", "1")
        big = PDF + b"0" * (1024 * 1024)
        self._assert_rejected(
            self._form(), "attachments", files=[("attachments", ("big.pdf", big, "application/pdf"))], text="too large"
        )
        html = b"<html><script>alert(1)</script></html>"
        self._assert_rejected(
            self._form(),
            "attachments",
            files=[("attachments", ("cv.pdf", html, "application/pdf"))],
            text="not allowed",
        )
        self._assert_rejected(
            self._form(),
            "attachments",
            files=[("attachments", ("run.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf"))],
        )

    def test_html_is_stored_and_shown_as_text(self):
        script = "<script>alert('x')</script>"
        response = self._assert_rejected(self._form(client_name=f"Evil {script}", client_zip="nope"), "client_zip")
        self.assertNotIn(script, response.text)
        form = self._form(client_name=f"Evil {script}", description=f"<b>bold</b> {script}")
        self.assertEqual(self._post(form).status_code, 303)
        referral = self.env["woonkans.referral"].search([("submission_key", "=", form["submission_key"])])
        self.assertEqual(referral.client_name, f"Evil {script}")
        self.assertEqual(referral.description, f"<b>bold</b> {script}")  # plain text, never HTML
        page = self.url_open("/my/woonkans")
        self.assertNotIn(script, page.text)
        self.assertIn("Evil &lt;script&gt;", page.text)

    def test_contact_without_organisation_cannot_refer(self):
        self.user_a2.partner_id.parent_id = False
        self.login(self.user_a2)
        self.assertEqual(self.url_open("/my/woonkans/new", allow_redirects=False).status_code, 303)

    def test_unknown_prefill_parameters_are_ignored(self):
        response = self.url_open("/my/woonkans/new?run=does-not-exist&client_name=Injected")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn('name="run"', response.text)
        self.assertNotIn('value="Injected"', response.text)

    # ------------------------------------------------------------------
    # condition lines
    # ------------------------------------------------------------------

    def _update_line(self, line, csrf=True, files=None, **data):
        if csrf:
            data["csrf_token"] = self._csrf(f"/my/woonkans/{self.case_a.id}")
        return self.url_open(
            f"/my/woonkans/{line.case_id.id}/condition/{line.id}", data=data, files=files, allow_redirects=False
        )

    def test_condition_update(self):
        line = self.children[self.case_a]["woonkans.condition.line"]
        response = self._update_line(
            line, status="met", note="Signed on Monday", files=[("evidence", ("proof.pdf", PDF, "application/pdf"))]
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"updated={line.id}", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(line.status, "to_check", "a partner's met waits for the bureau")
        self.assertEqual(line.note, "Signed on Monday")
        self.assertEqual(line.checked_by_id, self.user_a1)
        self.assertIn("proof.pdf", line.evidence_ids.mapped("name"))
        logged = self.case_a.message_ids.mapped("body")
        self.assertTrue(any(line.name in body and "Met" in body for body in logged))
        self.assertTrue(any("proof.pdf" in body for body in logged))
        # the evidence can be downloaded by the organisation
        proof = line.evidence_ids.filtered(lambda a: a.name == "proof.pdf")
        self.assertEqual(self.url_open(f"/my/woonkans/{self.case_a.id}/document/{proof.id}").content, PDF)

    def test_condition_update_refused(self):
        own = self.children[self.case_a]["woonkans.condition.line"]
        foreign = self.children[self.case_b]["woonkans.condition.line"]
        unassigned = self.children[self.case_a]["internal"]["unassigned_line"]
        for line in (foreign, unassigned):
            if not line:
                continue
            response = self._update_line(line, status="met")
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
            self.env.invalidate_all()
            self.assertEqual(line.status, "open")
        # foreign line through the own case's URL
        response = self.url_open(
            f"/my/woonkans/{self.case_a.id}/condition/{foreign.id}",
            data={"status": "met", "csrf_token": self._csrf(f"/my/woonkans/{self.case_a.id}")},
            allow_redirects=False,
        )
        self.assertTrue(response.headers["Location"].endswith("/my"))
        for data, files, error in (
            ({"status": "not_applicable"}, None, "status"),
            ({"status": "met"}, [("evidence", ("x.pdf", b"<html></html>", "application/pdf"))], "upload_type"),
            ({"status": "met", "note": "n" * 3000}, None, "note"),
        ):
            response = self._update_line(own, files=files, **data)
            self.assertIn(f"error={error}", response.headers["Location"])
        response = self._update_line(own, csrf=False, status="met")
        self.assertIn("error=session", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(own.status, "open")
        self.assertEqual(len(own.evidence_ids), 1)
        self.assertIn("Choose whether", self.url_open(f"/my/woonkans/{self.case_a.id}?error=status").text)

    def test_list_search_filter_group_and_paging(self):
        # enough cases of org A for two pages (80 a page, Odoo's portal default)
        Case = self.env["woonkans.case"]
        Case.create(
            [
                {
                    "client_id": self.client_a.id,
                    "target_group": "vulnerable",
                    "referrer_id": self.org_a.id,
                    "consent_ids": consents(self.org_a),
                    "eviction_date": date.today() + timedelta(days=index % 60),
                }
                for index in range(81)
            ]
        )
        page1 = self.url_open("/my/woonkans")
        self.assertIn("/my/woonkans/page/2", page1.text)
        self.assertNotIn(self.case_b.name, page1.text)
        page2 = self.url_open("/my/woonkans/page/2")
        self.assertEqual(page2.status_code, 200)
        found = self.url_open(f"/my/woonkans?search={self.case_a.name}&search_in=name")
        self.assertEqual(found.text.count('class="o_woonkans_portal_row"'), 1)
        by_client = self.url_open(f"/my/woonkans?search={self.client_b.name}&search_in=client")
        self.assertEqual(by_client.text.count('class="o_woonkans_portal_row"'), 0)
        by_client = self.url_open(f"/my/woonkans?search={self.client_a.name}&search_in=client")
        self.assertGreater(by_client.text.count('class="o_woonkans_portal_row"'), 1)
        soon = self.url_open("/my/woonkans?filterby=eviction_soon")
        self.assertEqual(soon.text.count('class="o_woonkans_portal_row"'), 52)  # days 0-30 of 0-59, 60-80
        closed = self.url_open("/my/woonkans?filterby=closed")
        self.assertIn("There are no cases", closed.text)
        grouped = self.url_open("/my/woonkans?groupby=trajectory_type_id&sortby=eviction")
        self.assertIn('scope="rowgroup"', grouped.text)
        weird = self.url_open("/my/woonkans?groupby=client_id&sortby=;drop&filterby=x&search_in=bsn&search=a")
        self.assertEqual(weird.status_code, 200)
