import importlib.util
import logging
import os
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CONSENT_TEXT
from .common_portal import WoonkansPortalCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestConsentRecords(WoonkansPortalCommon):
    """Consent records are the one source of what an organisation sees of a case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.caseworker = cls.env["res.users"].create(
            {
                "name": "Wendy Wolters",
                "login": "wkp_consent_cw",
                "password": "wkp_consent_cw",
                "group_ids": [Command.set(cls.env.ref("woonkans_case.group_woonkans_user").ids)],
            }
        )
        cls.case_a.user_id = cls.caseworker
        cls.children_a = cls.children[cls.case_a]
        cls.consent_a = cls.case_a.consent_ids.filtered(lambda c: c.partner_id == cls.org_a)
        cls.categories = {c.code: c for c in cls.env["woonkans.consent.category"].search([])}

    # ------------------------------------------------------------------
    # what org A reaches of case A, by route
    # ------------------------------------------------------------------

    def _reach(self):
        """{route: whether org A's contact reaches case A's data there}, each from a real request."""
        self.login_as(self.user_a1)
        case, children = self.case_a, self.children_a
        document = children["ir.attachment"].filtered(lambda a: a.res_model == "woonkans.case")
        evidence = children["ir.attachment"] - document
        line, task, message = children["woonkans.condition.line"], children["project.task"], children["mail.message"]
        reach = {}
        page = self.url_open(f"/my/woonkans/{case.id}", allow_redirects=False)
        reach["page"] = page.status_code == 200 and case.name in page.text
        listing = self.url_open("/my/woonkans")
        reach["list"] = case.name in listing.text
        for model, record in (
            ("woonkans.case", case),
            ("woonkans.condition.line", line),
            ("woonkans.case.party", children["woonkans.case.party"]),
            ("project.task", task),
            ("mail.message", message),
        ):
            found = self.jsonrpc_or_none(
                "/web/dataset/call_kw",
                {
                    "model": model,
                    "method": "search_read",
                    "args": [[("id", "=", record.id)], ["display_name"]],
                    "kwargs": {},
                },
            )
            reach[f"rpc {model}"] = bool(found)
        messages = self.jsonrpc_or_none(
            "/mail/thread/messages", {"thread_model": "woonkans.case", "thread_id": case.id, "fetch_params": {}}
        )
        reach["/mail/thread/messages"] = f"PUBLIC-MESSAGE-{case.id}" in str(messages)
        for label, attachment in (("document", document), ("evidence", evidence)):
            response = self.url_open(f"/my/woonkans/{case.id}/document/{attachment.id}", allow_redirects=False)
            reach[f"portal {label}"] = response.status_code == 200 and response.content == attachment.raw
            response = self.url_open(f"/web/content/{attachment.id}?download=true", allow_redirects=False)
            reach[f"/web/content {label}"] = response.status_code == 200 and response.content == attachment.raw
        for report in self.env["ir.actions.report"].search([("model", "=", "woonkans.case")]):
            kind = "pdf" if report.report_type == "qweb-pdf" else report.report_type.replace("qweb-", "")
            if kind not in ("pdf", "html", "xlsx"):
                continue
            response = self.url_open(f"/report/{kind}/{report.report_name}/{case.id}", allow_redirects=False)
            reach[f"report {report.report_name}"] = response.status_code == 200 and (
                case.name.encode() in response.content or kind != "html"
            )
        return reach

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.models", "odoo.addons.web.controllers.report")
    def test_withdrawal_takes_access_away_on_every_route(self):
        before = self._reach()
        for route in ("page", "list", "rpc woonkans.case", "rpc woonkans.condition.line", "rpc project.task"):
            self.assertTrue(before[route], f"with consent, org A reaches case A through {route}")
        for route in ("rpc mail.message", "/mail/thread/messages", "portal document", "portal evidence"):
            self.assertTrue(before[route], f"with consent, org A reaches case A through {route}")
        # partners download case documents through the portal route only, never /web/content
        self.assertFalse(before["/web/content document"])
        self.consent_a.with_user(self.caseworker).action_withdraw(note="De cliënt trok de toestemming in.")
        self.assertEqual(self.consent_a.state, "withdrawn")
        self.assertEqual(self.consent_a.withdrawn_by_id, self.caseworker)
        after = self._reach()
        reached = sorted(route for route, ok in after.items() if ok)
        self.assertFalse(reached, f"after the withdrawal org A still reaches case A through {reached}")
        _logger.info("consent withdrawal: %s routes reached before, none of %s after", sum(before.values()), len(after))
        # the other organisation's consent on its own case is untouched
        self.login_as(self.user_b1)
        self.assertIn(self.case_b.name, self.url_open(f"/my/woonkans/{self.case_b.id}").text)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.models", "odoo.addons.web.controllers.report")
    def test_categories_limit_what_is_seen(self):
        """A consent for the basics only: the case and the conversation, no conditions, plan or documents."""
        shared = self.env["ir.attachment"].create(
            {
                "name": "huurcontract-getekend.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "woonkans.case",
                "res_id": self.case_a.id,
            }
        )
        self.case_a.message_post(
            body="Het getekende huurcontract",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=shared.ids,
        )

        def conversation():
            return str(
                self.jsonrpc_or_none(
                    "/mail/thread/messages",
                    {"thread_model": "woonkans.case", "thread_id": self.case_a.id, "fetch_params": {}},
                )
            )

        self.login_as(self.user_a1)
        self.assertIn("huurcontract-getekend.pdf", conversation(), "with documents in the consent the name shows")
        self.consent_a.action_withdraw()
        self.case_a._woonkans_record_consent(
            self.org_a, consent_text=CONSENT_TEXT, category_ids=[Command.set(self.categories["basics"].ids)]
        )
        reach = self._reach()
        for route in ("page", "list", "rpc woonkans.case", "rpc mail.message", "/mail/thread/messages"):
            self.assertTrue(reach[route], f"the basics reach {route}")
        for route in (
            "rpc woonkans.condition.line",
            "rpc project.task",
            "portal document",
            "/web/content document",
            "portal evidence",
            "/web/content evidence",
        ):
            self.assertFalse(reach[route], f"the basics do not reach {route}")
        page = self.url_open(f"/my/woonkans/{self.case_a.id}").text
        self.assertNotIn(self.children_a["woonkans.condition.line"].name, page)
        self.assertNotIn(self.children_a["project.task"].name, page)
        self.assertNotIn(f"letter-{self.case_a.id}.pdf", page)
        self.assertIn("does not cover the documents", page)
        conversation_text = conversation()
        self.assertIn("Het getekende huurcontract", conversation_text, "the conversation is part of the basics")
        self.assertNotIn("huurcontract-getekend.pdf", conversation_text, "not even the name of a document")
        # documents added: they come back, the conditions stay away
        self.case_a._woonkans_record_consent(
            self.org_a,
            consent_text=CONSENT_TEXT,
            category_ids=[Command.set((self.categories["basics"] | self.categories["documents"]).ids)],
        )
        reach = self._reach()
        self.assertTrue(reach["portal document"], reach)
        self.assertFalse(reach["rpc woonkans.condition.line"])

    def test_consent_for_another_organisation_opens_nothing(self):
        """A party organisation without a record of its own sees nothing, whatever the others have."""
        party_b = self.env["woonkans.case.party"].create({"case_id": self.case_a.id, "partner_id": self.org_b.id})
        self.assertTrue(party_b.shared_with_parties)
        Case = self.env["woonkans.case"].with_user(self.user_b1)
        self.assertFalse(Case.search([("id", "=", self.case_a.id)]))
        self.case_a._woonkans_record_consent(self.org_b, consent_text=CONSENT_TEXT)
        self.assertEqual(Case.search([("id", "=", self.case_a.id)]), self.case_a)

    def test_expired_consent_closes_access(self):
        self.consent_a.with_user(self.caseworker).date_end = date.today()
        Case = self.env["woonkans.case"].with_user(self.user_a1)
        self.assertTrue(Case.search([("id", "=", self.case_a.id)]))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE woonkans_consent SET date_end = %s WHERE id = %s",
            [date.today() - timedelta(days=1), self.consent_a.id],
        )
        self.env.invalidate_all()
        self.env["woonkans.consent"]._cron_update_state()
        self.assertEqual(self.consent_a.state, "expired")
        self.assertFalse(Case.search([("id", "=", self.case_a.id)]))

    # ------------------------------------------------------------------
    # the record as evidence
    # ------------------------------------------------------------------

    def test_a_consent_is_evidence(self):
        consent = self.consent_a.with_user(self.caseworker)
        for vals in (
            {"partner_id": self.org_b.id},
            {"category_ids": [Command.set(self.categories["basics"].ids)]},
            {"consent_text": "Iets anders"},
            {"date_given": date.today() - timedelta(days=400)},
            {"date_withdrawn": "2020-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                consent.write(vals)
        with self.assertRaises(AccessError):
            consent.unlink()  # no role deletes consents; the destruction after retention removes them with the case
        consent.action_withdraw()
        with self.assertRaises(UserError):
            consent.action_withdraw()
        with self.assertRaises(UserError):
            consent.date_end = date.today()
        self.assertTrue(self.consent_a.exists())

    def test_checks_on_a_new_consent(self):
        Consent = self.env["woonkans.consent"].with_user(self.caseworker)
        base = {"case_id": self.case_a.id, "partner_id": self.org_b.id, "consent_text": CONSENT_TEXT}
        other_basis = self.env.ref("woonkans_case.legal_basis_vital_interest")
        cases = [
            ({"category_ids": [Command.set(self.categories["documents"].ids)]}, "basic data"),
            ({"consent_text": False}, "text the client agreed to"),
            ({"consent_text": "   "}, "text the client agreed to"),
            ({"legal_basis_id": other_basis.id}, "Explain why"),
            ({"date_given": date.today() + timedelta(days=1)}, "future"),
            ({"date_end": date.today() - timedelta(days=1), "date_given": date.today()}, "end before"),
            ({"partner_id": self.user_a1.partner_id.id}, "organisation, not for a person"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message):
                Consent.create({**base, **vals})
        consent = Consent.create({**base, "legal_basis_id": other_basis.id, "justification": "Acute dakloosheid."})
        self.assertEqual((consent.state, consent.user_id), ("active", self.caseworker))
        self.assertEqual(set(consent.category_ids.mapped("code")), {"basics", "conditions", "plan", "documents"})

    def test_caseworkers_reach_the_consents_of_their_cases_only(self):
        outsider = self.env["res.users"].create(
            {
                "name": "Otto Buiten",
                "login": "wkp_consent_outsider",
                "group_ids": [Command.set(self.env.ref("woonkans_case.group_woonkans_user").ids)],
            }
        )
        self.assertEqual(
            self.env["woonkans.consent"].with_user(self.caseworker).search([("case_id", "=", self.case_a.id)]),
            self.case_a.consent_ids,
        )
        self.assertFalse(self.env["woonkans.consent"].with_user(outsider).search([("case_id", "=", self.case_a.id)]))
        with self.assertRaises(AccessError):
            self.consent_a.with_user(outsider).action_withdraw()
        with self.assertRaises(AccessError):
            self.env["woonkans.consent"].with_user(self.user_a1).search([])

    # ------------------------------------------------------------------
    # the box and the condition follow the records
    # ------------------------------------------------------------------

    def test_box_and_condition_follow_the_records(self):
        case = self.case_a_no_consent
        case.trajectory_type_id = self.env.ref("woonkans_case.trajectory_type_second_chance")
        line = case.condition_line_ids.filtered(lambda line: line.code == "consent")
        self.assertEqual((case.consent_sharing, line.status), (False, "open"))
        with self.assertRaisesRegex(UserError, "Consents tab"):
            line.status = "met"
        with self.assertRaisesRegex(UserError, "consent records"):
            case.consent_sharing = True
        consent = case._woonkans_record_consent(self.org_a, consent_text=CONSENT_TEXT)
        self.assertEqual((case.consent_sharing, case.consent_date, line.status), (True, date.today(), "met"))
        notes = lambda text: case.message_ids.filtered(lambda m: text in str(m.body))  # noqa: E731
        self.assertTrue(notes("Consent recorded for Woonstichting Noorderzon"))
        with self.assertRaisesRegex(UserError, "Withdraw the consent"):
            line.status = "open"
        consent.action_withdraw()
        self.assertEqual((case.consent_sharing, line.status), (False, "open"))
        self.assertTrue(notes("Consent for Woonstichting Noorderzon withdrawn by"))

    def test_subject_access_lists_the_consents(self):
        wizard = self.env["woonkans.subject.access"].create({"partner_id": self.client_a.id})
        section = next(s for s in wizard._subject_data()["sections"] if s["key"] == "consents")
        self.assertEqual(len(section["records"]), len(self.client_a.woonkans_case_ids.consent_ids))
        self.assertIn("Woonstichting Noorderzon", str(section["records"]))
        self.assertIn(CONSENT_TEXT, str(section["records"]))

    def test_migration_turns_the_box_into_records(self):
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "19.0.1.3.0", "post-migration.py")
        spec = importlib.util.spec_from_file_location("woonkans_case_post_migration_19_0_1_3_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        case = self.case_a_no_consent
        self.env["woonkans.case.party"].create(
            {"case_id": case.id, "partner_id": self.org_b.id, "share_on_portal": False}
        )
        # a box ticked before 19.0.1.3.0
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE woonkans_case SET consent_sharing = true, consent_date = %s WHERE id = %s",
            [date(2025, 3, 1), case.id],
        )
        self.env.invalidate_all()
        migration.migrate(self.env.cr, "19.0.1.2.0")
        consent = case.consent_ids
        self.assertEqual(consent.partner_id, self.org_a, "one record for each organisation that could see the case")
        self.assertEqual((consent.date_given, consent.state), (date(2025, 3, 1), "active"))
        self.assertTrue(case.consent_sharing)
        self.assertEqual(self.env["woonkans.case"].with_user(self.user_a1).search([("id", "=", case.id)]), case)
        migration.migrate(self.env.cr, "19.0.1.2.0")
        self.assertEqual(len(case.consent_ids), 1, "running it again makes no second record")
