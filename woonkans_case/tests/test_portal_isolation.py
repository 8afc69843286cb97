import uuid

from odoo import Command
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common_portal import PDF, WoonkansPortalCommon

# models a partner may read on their own cases (rules decide which rows)
PORTAL_READABLE = {"woonkans.case.party", "woonkans.condition.line", "project.task", "project.project", "mail.message"}
# models that never reach the portal, not even for the case's own parties
SENSITIVE = {
    "woonkans.payment.arrangement",
    "woonkans.payment.record",
    "woonkans.assessment",
    "woonkans.assessment.score",
    "woonkans.card.event",
    "woonkans.tenancy.agreement",
    "ir.attachment",
}


@tagged("post_install", "-at_install")
class TestPortalIsolation(WoonkansPortalCommon):
    """Organisation A must never read or change anything of a case it has no part in."""

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _rpc_or_denied(self, model, method, *args, **kwargs):
        """The RPC result, or None when the server refused it with an access error."""
        try:
            with mute_logger("odoo.http"):
                return self.rpc(model, method, *args, **kwargs)
        except JsonRpcException as e:
            self.assertIn(
                e.args[0], ("odoo.exceptions.AccessError", "odoo.exceptions.MissingError"), f"{model}.{method}"
            )
            return None

    def _assert_nothing_of(self, records, label):
        """Every RPC read/write path yields nothing of ``records`` for the logged-in user."""
        model, ids = records._name, records.ids
        self.assertTrue(ids, f"fixture for {model} is empty")
        domain = [("id", "in", ids)]
        with self.subTest(model=model, who=label):
            found = self._rpc_or_denied(model, "search_read", domain, ["display_name"])
            self.assertFalse(found, f"{label}: search_read leaks {model}")
            self.assertIsNone(self._rpc_or_denied(model, "read", ids, ["display_name"]), f"{label}: read leaks {model}")
            found = self._rpc_or_denied(model, "web_search_read", domain, {"display_name": {}})
            self.assertFalse(found and found["records"], f"{label}: web_search_read leaks {model}")
            found = self._rpc_or_denied(model, "name_search", "", domain, "ilike", 100)
            self.assertFalse(found and {r[0] for r in found} & set(ids), f"{label}: name_search leaks {model}")
            groups = self._rpc_or_denied(model, "formatted_read_group", domain, [], ["__count"])
            self.assertFalse(groups and groups[0]["__count"], f"{label}: read_group counts {model}")
            if model not in ("mail.message", "ir.attachment"):
                self.assertIsNone(self._rpc_or_denied(model, "write", ids, {}), f"{label}: write allowed on {model}")
            if model == "ir.attachment":
                self.assertIsNone(self._rpc_or_denied(model, "write", ids, {"name": "x"}))
            if model == "woonkans.condition.line":
                before = records.sudo().status
                other = "not_met" if before == "met" else "met"
                self.assertIsNone(self._rpc_or_denied(model, "write", ids, {"status": other}))
                self.assertEqual(records.sudo().status, before)

    def _foreign_records(self, case):
        records = dict(self.children[case])
        records.pop("internal")
        records["woonkans.case"] = case
        return records

    # ------------------------------------------------------------------
    # portal pages
    # ------------------------------------------------------------------

    def test_portal_pages_per_user(self):
        visible = {
            self.user_a1: self.case_a,
            self.user_a2: self.case_a,
            self.user_b1: self.case_b,
            self.user_b2: self.case_b,
            self.user_c1: self.env["woonkans.case"],
        }
        all_cases = self.case_a | self.case_b | self.case_a_no_consent
        for user, own in visible.items():
            with self.subTest(user=user.login):
                self.login(user)
                page = self.url_open("/my/woonkans")
                self.assertEqual(page.status_code, 200)
                for case in all_cases:
                    if case in own:
                        self.assertIn(case.name, page.text)
                        self.assertIn(case.client_id.name, page.text)
                    else:
                        self.assertNotIn(case.name, page.text)
                        detail = self.url_open(f"/my/woonkans/{case.id}", allow_redirects=False)
                        self.assertEqual(detail.status_code, 303)
                        self.assertTrue(detail.headers["Location"].endswith("/my"))
                        # a token in the URL does not open the door either
                        token = uuid.uuid4().hex
                        detail = self.url_open(f"/my/woonkans/{case.id}?access_token={token}", allow_redirects=False)
                        self.assertEqual(detail.status_code, 303)
                counters = self.make_jsonrpc_request("/my/counters", {"counters": ["woonkans_count"]})
                self.assertEqual(counters["woonkans_count"], len(own))

    def test_case_page_shows_own_org_items_and_no_sensitive_data(self):
        self.login(self.user_a1)
        page = self.url_open(f"/my/woonkans/{self.case_a.id}")
        self.assertEqual(page.status_code, 200)
        own = self.children[self.case_a]
        internal = own["internal"]
        html = page.text
        self.assertIn(own["woonkans.condition.line"].name, html)
        self.assertIn(own["project.task"].name, html)
        self.assertIn(f"letter-{self.case_a.id}.pdf", html)
        self.assertIn(f"evidence-{self.case_a.id}.png", html)
        for secret in (
            "SECRET-INTERNAL-A",
            "SECRET-NOTE",
            f"internal-{self.case_a.id}.pdf",
            internal["task"].name,
            "1,200",
            "Rent not paid",
            "three_party",
        ):
            self.assertNotIn(secret, html)
        if internal["unassigned_line"]:
            self.assertNotIn(f'id="condition-{internal["unassigned_line"].id}"', html)
        # no access token of the case is handed out (a revoked contact could keep it)
        self.assert_no_token_links(html, "case page")

    def test_revoked_contact_loses_access_with_an_open_session(self):
        self.login(self.user_a2)
        self.assertEqual(self.url_open(f"/my/woonkans/{self.case_a.id}", allow_redirects=False).status_code, 200)
        # revoke as the portal wizard does: out of the portal group, archived
        self.user_a2.write(
            {
                "group_ids": [
                    Command.unlink(self.env.ref("base.group_portal").id),
                    Command.link(self.env.ref("base.group_public").id),
                ],
                "active": False,
            }
        )
        self.env.flush_all()
        response = self.url_open(f"/my/woonkans/{self.case_a.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(self.case_a.name, response.text)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.rpc("woonkans.case", "search_read", [], ["name"])
        # the archived user cannot log in again
        with mute_logger("odoo.http", "odoo.addons.base.models.res_users"):
            response = self.url_open(
                "/web/session/authenticate",
                json={
                    "params": {
                        "db": self.env.cr.dbname,
                        "login": self.user_former.login,
                        "password": self.user_former.login,
                    }
                },
            )
        self.assertIn("error", response.json())

    # ------------------------------------------------------------------
    # RPC on the case and every child model
    # ------------------------------------------------------------------

    def test_rpc_other_organisation(self):
        for user, foreign in ((self.user_a1, self.case_b), (self.user_b2, self.case_a), (self.user_c1, self.case_a)):
            self.login(user)
            for records in self._foreign_records(foreign).values():
                self._assert_nothing_of(records, user.login)
            self._assert_nothing_of(self.case_a_no_consent, user.login)
            found = self._rpc_or_denied(
                "mail.message", "search_read", [("model", "=", "woonkans.case"), ("res_id", "=", foreign.id)], ["body"]
            )
            self.assertFalse(found)

    def test_rpc_own_case_hides_sensitive_models(self):
        self.login(self.user_a1)
        own = self.children[self.case_a]
        self.assertEqual(self.rpc("woonkans.case", "search", []), self.case_a.ids)
        org_lines = self.case_a.condition_line_ids.filtered(lambda line: line.responsible_partner_id == self.org_a)
        self.assertEqual(set(self.rpc("woonkans.condition.line", "search", [])), set(org_lines.ids))
        self.assertEqual(
            self.rpc("project.task", "search", [("woonkans_case_id", "!=", False)]), own["project.task"].ids
        )
        for model in SENSITIVE:
            self._assert_nothing_of(own[model], "own case")
        self._assert_nothing_of(own["internal"]["task"], "own internal task")
        self._assert_nothing_of(own["internal"]["note"], "own internal note")
        # sensitive fields of the case itself are not readable
        self.assertIsNone(self._rpc_or_denied("woonkans.case", "read", self.case_a.ids, ["note_internal"]))
        self.assertIsNone(self._rpc_or_denied("woonkans.case", "read", self.case_a.ids, ["assessment_ids"]))
        self.assertIsNone(self._rpc_or_denied("woonkans.case", "read", self.case_a.ids, ["payment_arrangement_ids"]))
        # portal users write nothing on the case
        self.assertIsNone(self._rpc_or_denied("woonkans.case", "write", self.case_a.ids, {"priority": "2"}))
        # and only the whitelisted fields on their own condition line
        line = own["woonkans.condition.line"]
        self.assertIsNone(
            self._rpc_or_denied("woonkans.condition.line", "write", line.ids, {"responsible_partner_id": self.org_b.id})
        )
        self.assertIsNone(
            self._rpc_or_denied("woonkans.condition.line", "write", line.ids, {"status": "not_applicable"})
        )

    # ------------------------------------------------------------------
    # /mail routes
    # ------------------------------------------------------------------

    def _thread_messages(self, case):
        try:
            with mute_logger("odoo.http"):
                return self.make_jsonrpc_request(
                    "/mail/thread/messages", {"thread_model": "woonkans.case", "thread_id": case.id}
                )
        except JsonRpcException:
            return None

    def _post(self, case, body):
        with mute_logger("odoo.http"):
            return self.url_open(
                "/mail/message/post",
                json={
                    "params": {
                        "thread_model": "woonkans.case",
                        "thread_id": case.id,
                        "post_data": {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
                    }
                },
            )

    def _case_message_ids(self, case):
        return set(self.env["mail.message"].search([("model", "=", "woonkans.case"), ("res_id", "=", case.id)]).ids)

    def test_mail_routes(self):
        self.login(self.user_a1)
        own = self._thread_messages(self.case_a)
        self.assertIn(f"PUBLIC-MESSAGE-{self.case_a.id}", str(own))
        self.assertNotIn("SECRET-NOTE", str(own))
        response = self._post(self.case_a, "Reply from the corporation")
        self.assertNotIn("error", response.json())
        self.assertTrue(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "woonkans.case"),
                    ("res_id", "=", self.case_a.id),
                    ("body", "ilike", "Reply from the corporation"),
                ]
            )
        )
        for user, foreign in (
            (self.user_a1, self.case_b),
            (self.user_b1, self.case_a),
            (self.user_c1, self.case_a),
            (self.user_a1, self.case_a_no_consent),
        ):
            self.login(user)
            result = self._thread_messages(foreign)
            self.assertFalse(set((result or {}).get("messages", [])) & self._case_message_ids(foreign), user.login)
            self.assertNotIn(f"PUBLIC-MESSAGE-{foreign.id}", str(result))
            response = self._post(foreign, f"Intrusion by {user.login}")
            self.assertTrue(response.status_code == 404 or "error" in response.json())
            self.assertFalse(
                self.env["mail.message"].search_count([("body", "ilike", f"Intrusion by {user.login}")]), user.login
            )

    # ------------------------------------------------------------------
    # downloads
    # ------------------------------------------------------------------

    def test_attachment_downloads(self):
        self.login(self.user_a1)
        own = self.children[self.case_a]
        document, evidence = own["ir.attachment"]
        response = self.url_open(f"/my/woonkans/{self.case_a.id}/document/{document.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        response = self.url_open(f"/my/woonkans/{self.case_a.id}/document/{evidence.id}")
        self.assertEqual(response.status_code, 200)
        # the attachment of an internal note is not a document for partners
        note_attachment = own["internal"]["note_attachment"]
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/woonkans/{self.case_a.id}/document/{note_attachment.id}")
        self.assertEqual(response.status_code, 404)
        foreign = (
            self.children[self.case_b]["ir.attachment"] | self.children[self.case_b]["internal"]["note_attachment"]
        )
        for user in (self.user_a1, self.user_c1):
            self.login(user)
            for attachment in foreign:
                for url in (
                    f"/my/woonkans/{self.case_b.id}/document/{attachment.id}",
                    f"/my/woonkans/{self.case_a.id}/document/{attachment.id}",
                    f"/web/content/{attachment.id}?download=true",
                    f"/web/content/{attachment.id}?access_token=guessed-token",
                    f"/web/content/ir.attachment/{attachment.id}/raw",
                    f"/web/image/{attachment.id}",
                ):
                    with mute_logger("odoo.http"):
                        response = self.url_open(url)
                    self.assertNotEqual(response.content, attachment.sudo().raw, f"{user.login}: {url}")
                    if not url.startswith("/web/image"):  # that one answers with a placeholder
                        self.assertNotEqual(response.status_code, 200, f"{user.login}: {url}")

    def test_report_downloads(self):
        reports = self.env["ir.actions.report"].search([("model", "=", "woonkans.case")])
        for user in (self.user_a1, self.user_c1):
            self.login(user)
            for report in reports:
                kind = "xlsx" if report.report_type == "xlsx" else "pdf"
                for url in (
                    f"/report/{kind}/{report.report_name}/{self.case_b.id}",
                    f"/report/html/{report.report_name}/{self.case_b.id}",
                ):
                    with mute_logger("odoo.http"):
                        response = self.url_open(url)
                    if not url.startswith("/web/image"):  # that one answers with a placeholder
                        self.assertNotEqual(response.status_code, 200, f"{user.login}: {url}")
                    self.assertNotIn(self.case_b.client_id.name, response.text)
            # a report template called on the case id directly renders no case data
            with mute_logger("odoo.http"):
                response = self.url_open(f"/report/html/woonkans_case.portal_my_woonkans_case/{self.case_b.id}")
            self.assertNotIn(self.case_b.client_id.name, response.text)
            self.assertNotIn(self.case_b.name, response.text)
