import base64
import json
import logging
import shutil
import subprocess
import tempfile
import unittest

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import WoonkansCaseCommon

_logger = logging.getLogger(__name__)


EXPECTED_KINDS = {
    "client",
    "household_children",
    "referrals",
    "cases",
    "parties",
    "conditions",
    "payment_arrangements",
    "payment_records",
    "cards",
    "tenancy_agreements",
    "assessments",
    "assessment_scores",
    "plan_tasks",
    "messages",
    "documents",
    "read_log",
}


@tagged("post_install", "-at_install")
class TestSubjectAccess(WoonkansCaseCommon):
    """The AVG art. 15 export of a demo client: a readable Dutch PDF and a JSON file with every record kind.

    A TransactionCase: wkhtmltopdf is pointed at an unreachable report URL (base logs a warning),
    so the PDF uses system fonts, whose text pdftotext can read back.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subject = cls.env.ref("woonkans_case.res_partner_client_esther_mulder_demo")
        cls.subject_cases = cls.env["woonkans.case"].search([("client_id", "=", cls.subject.id)])
        case = cls.subject_cases[0]
        # what the demo lacks, so every kind holds at least one record
        cls.env["woonkans.card.event"].create({"case_id": case.id, "reason": "Afspraak gemist"})
        case.message_post(body="Huisbezoek afgesproken", message_type="comment", subtype_xmlid="mail.mt_note")
        cls.env["ir.attachment"].create(
            {"name": "budgetplan.txt", "raw": b"budget", "res_model": "woonkans.case", "res_id": case.id}
        )
        if not case.project_id:
            case.action_create_plan()
        cls.env["project.task"].create({"name": "Budgetcoach zoeken", "project_id": case.project_id.id})
        if not cls.env["woonkans.referral"].search_count([("client_id", "=", cls.subject.id)]):
            cls.env["woonkans.referral"].sudo().create(
                {
                    "referrer_id": case.referrer_id.id or cls.corporation.id,
                    "client_name": cls.subject.name,
                    "target_group": case.target_group,
                    "state": "accepted",
                    "client_id": cls.subject.id,
                    "case_id": case.id,
                }
            )
        case.with_user(cls.env.ref("base.user_admin")).read(["note_internal"])
        # wkhtmltopdf must not call back into this (blocked) test server for the stylesheets:
        # with an unreachable report URL it renders with system fonts, whose text pdftotext reads
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        # Dutch, as at the bureau (the test database may have English only)
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env.ref("base.module_woonkans_case")._update_translations("nl_NL")
        cls.coordinator.lang = "nl_NL"

    def _export(self, user):
        wizard = (
            self.env["woonkans.subject.access"]
            .with_user(user)
            .with_context(
                force_report_rendering=True, lang="nl_NL", active_model="res.partner", active_id=self.subject.id
            )
            .create({})
        )
        wizard.action_generate()
        return wizard

    def test_json_holds_every_record_kind(self):
        wizard = self._export(self.coordinator)
        self.assertEqual(wizard.partner_id, self.subject)
        data = json.loads(base64.b64decode(wizard.json_file))
        sections = {section["key"]: section for section in data["sections"]}
        self.assertLessEqual(EXPECTED_KINDS, set(sections))
        for kind in sorted(EXPECTED_KINDS):
            with self.subTest(kind=kind):
                self.assertTrue(sections[kind]["records"], f"no {kind} in the export")
                self.assertTrue(sections[kind]["fields"])
        client = sections["client"]["records"][0]
        self.assertEqual(client["name"], "Esther Mulder")
        self.assertEqual(client["woonkans_birthdate"], "1989-06-14")
        self.assertEqual({row["id"] for row in sections["cases"]["records"]}, set(self.subject_cases.ids))
        self.assertIn("Huisbezoek afgesproken", json.dumps(sections["messages"]))
        self.assertEqual(sections["documents"]["records"][0]["name"], "budgetplan.txt")
        self.assertNotIn("datas", sections["documents"]["fields"], "the document list holds no file contents")
        total = sum(len(section["records"]) for section in sections.values())
        _logger.info(f"TestSubjectAccess: {len(sections)} record kinds, {total} records")

    def test_export_is_logged(self):
        self._export(self.coordinator)
        Log = self.env["woonkans.access.log"]
        entry = Log.search([("route", "=", "subject_access"), ("res_model", "=", "res.partner")])
        self.assertEqual(
            (entry.user_id, entry.res_id, entry.client_id), (self.coordinator, self.subject.id, self.subject)
        )
        logged_cases = Log.search([("route", "=", "subject_access"), ("res_model", "=", "woonkans.case")]).case_id
        self.assertEqual(logged_cases, self.subject_cases)

    @unittest.skipUnless(shutil.which("wkhtmltopdf") and shutil.which("pdftotext"), "needs wkhtmltopdf and pdftotext")
    def test_pdf_renders_in_dutch(self):
        wizard = self._export(self.coordinator)
        pdf = base64.b64decode(wizard.pdf_file)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(wizard.pdf_filename.endswith(".pdf"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True, text=True).stdout
        self.assertIn("Esther Mulder", text)
        self.assertIn("Inzage", text)
        self.assertIn("Scores per leefgebied", " ".join(text.split()))
        self.assertIn("Vlasakker 23", text)
        self.assertNotIn("Subject access", text)

    def test_caseworker_cannot_export(self):
        with self.assertRaises(AccessError):
            self._export(self.caseworker)

    def test_coordinator_without_special_category_group_cannot_export(self):
        plain = new_test_user(
            self.env, login="wk_coordinator_sar_plain", groups="woonkans_case.group_woonkans_coordinator"
        )
        with self.assertRaises(AccessError):
            self._export(plain)
