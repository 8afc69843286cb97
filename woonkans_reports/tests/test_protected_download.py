import base64
import io
import json
import subprocess
from unittest.mock import patch

import pypdf
import pyzipper

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.woonkans_case.tests.common_pdf import WoonkansPdfMixin

from .common import WoonkansReportsCommon

PARAM = "woonkans_reports.protect_case_exports"
SHARED = "woonkans_reports.report_case_summary"
PASSWORD = "Zomer-2025-vijf"


@tagged("post_install", "-at_install")
class TestProtectedDownload(WoonkansPdfMixin, WoonkansReportsCommon, HttpCase):
    """With the setting on, no file of case data leaves unprotected: Odoo's standard export
    is refused, PDFs come out AES-256 encrypted with the user's password; with it off,
    everything goes as in Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._wk_prepare_pdf(["woonkans_case", "woonkans_reports"])
        cls.coordinator.group_ids += cls.env.ref("base.group_allow_export")
        cls.referral = cls.env["woonkans.referral"].create(
            {
                "client_name": cls.client.name,
                "target_group": "evicted",
                "referrer_id": cls.corp_a.id,
                "description": "Schulden en verslaving",
                "case_id": cls.case_positive.id,
            }
        )

    def _protect(self, on):
        self.env["ir.config_parameter"].set_param(PARAM, "True" if on else "False")

    def _log(self, route, records):
        return self.env["woonkans.access.log"].search(
            [
                ("user_id", "=", self.coordinator.id),
                ("route", "=", route),
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
            ]
        )

    def _export(self, fmt, records, fields=("name",)):
        data = {
            "model": records._name,
            "fields": [{"name": name, "label": records._fields[name].string} for name in fields],
            "ids": records.ids,
            "domain": [],
            "import_compat": False,
        }
        return self.url_open(
            f"/web/export/{fmt}", data={"data": json.dumps(data), "csrf_token": http.Request.csrf_token(self)}
        )

    # ------------------------------------------------------------------
    # Odoo's standard export
    # ------------------------------------------------------------------

    def test_standard_export_of_case_data_is_refused(self):
        self._protect(True)
        self.authenticate("wk_coordinator", "wk_coordinator")
        cases = self.case_positive | self.case_open
        for fmt in ("xlsx", "csv"):
            for records, fields in ((cases, ("name", "description")), (self.referral, ("name", "description"))):
                with self.subTest(fmt=fmt, model=records._name):
                    response = self._export(fmt, records, fields)
                    self.assertEqual(response.status_code, 403)
                    self.assertFalse(response.content.startswith(b"PK"), "no Excel file")
                    for secret in (self.client.name, self.case_positive.name, "Schulden"):
                        self.assertNotIn(secret.encode(), response.content)
                    error = response.json()["data"]
                    self.assertEqual(error["name"], "odoo.exceptions.UserError")
                    self.assertIn("password-protected", error["message"])
        self.assertIn("Password-protected Excel export", self._export("xlsx", cases).json()["data"]["message"])
        # the same rule holds for the ORM's export, whoever calls it
        with self.assertRaises(UserError):
            cases.with_user(self.coordinator).export_data(["name"])
        self.assertFalse(self._log("export", cases) | self._log("export", self.referral), "nothing was exported")
        # data that is no case data still exports
        response = self._export("xlsx", self.corp_a | self.corp_b)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))

    def test_standard_export_as_before_when_off(self):
        self._protect(False)
        self.authenticate("wk_coordinator", "wk_coordinator")
        response = self._export("xlsx", self.case_positive | self.case_open)
        self.assertEqual(response.status_code, 200)
        sheet = self._read_xlsx(response.content).active
        self.assertEqual(
            {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)},
            {
                self.case_positive.name,
                self.case_open.name,
            },
        )
        response = self._export("csv", self.referral, ("name", "description"))
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Schulden en verslaving", response.content)
        entry = self._log("export", self.referral)
        self.assertEqual((len(entry), entry.field_names, entry.res_ref), (1, "description,name", self.referral.name))
        self.assertEqual(len(self._log("export", self.case_positive | self.case_open)), 2)

    def test_bad_export_request_is_a_message(self):
        self.authenticate("wk_coordinator", "wk_coordinator")
        for data in ("not json", json.dumps({"model": "no.such.model", "fields": []}), json.dumps([1])):
            with self.subTest(data=data):
                response = self.url_open(
                    "/web/export/xlsx", data={"data": data, "csrf_token": http.Request.csrf_token(self)}
                )
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["data"]["message"], "This export request is not valid.")

    # ------------------------------------------------------------------
    # PDF reports
    # ------------------------------------------------------------------

    def _dialog(self, report_xmlid, records, password=PASSWORD, confirm=None):
        """What the Print menu or a print button opens, filled in and confirmed as the coordinator."""
        report = self.env.ref(report_xmlid).with_user(self.coordinator)
        action = report.report_action(records)
        self.assertEqual(action["res_model"], "woonkans.protected.report", "the password dialog opens")
        wizard = (
            self.env["woonkans.protected.report"]
            .with_user(self.coordinator)
            .with_context(action["context"], force_report_rendering=True)
            .create({"password": password, "password_confirm": password if confirm is None else confirm})
        )
        wizard.action_download()
        return wizard

    def test_case_pdf_is_encrypted_with_the_users_password(self):
        self._protect(True)
        Report = self.env["ir.actions.report"].with_user(self.coordinator).with_context(force_report_rendering=True)
        with self.assertRaises(UserError):
            Report._render_qweb_pdf(SHARED, self.case_positive.ids)
        with self.assertRaisesRegex(UserError, "bestanden met casusgegevens gaan alleen met een wachtwoord"):
            Report.with_context(lang="nl_NL")._render_qweb_pdf(SHARED, self.case_positive.ids)
        before = len(self._log("report", self.case_positive))
        wizard = self._dialog("woonkans_reports.action_report_case_summary", self.case_positive)
        self.assertFalse(wizard.password or wizard.password_confirm, "the password is not kept")
        self.assertEqual(wizard.filename, f"{self.case_positive.name} - overview.pdf")
        pdf = base64.b64decode(wizard.file)
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertNotIn(self.client.name.encode(), pdf)
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        self.assertTrue(reader.is_encrypted)
        encrypt = reader.trailer["/Encrypt"]
        self.assertEqual((encrypt["/V"], encrypt["/R"]), (5, 6), "AES-256")
        self.assertEqual(reader.decrypt("een-ander-wachtwoord"), pypdf.PasswordType.NOT_DECRYPTED)
        self.assertNotEqual(reader.decrypt(PASSWORD), pypdf.PasswordType.NOT_DECRYPTED)
        locked = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, timeout=60)
        self.assertNotEqual(locked.returncode, 0, "pdftotext cannot read it without the password")
        self.assertNotIn(self.case_positive.name, locked.stdout.decode(errors="replace"))
        # opened with the password, it is the dossier overview of the case
        opened = subprocess.run(
            ["pdftotext", "-upw", PASSWORD, "-enc", "UTF-8", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
            timeout=60,
        )
        text = " ".join(opened.stdout.decode().split())
        for expected in ("Dossier overview", self.case_positive.name, self.client.name):
            self.assertIn(expected, text)
        self.assertEqual(len(self._log("report", self.case_positive)), before + 1, "the print is in the read log")

    def test_print_menu_opens_the_password_dialog(self):
        """The web client's report handler opens the dialog for a report whose action says so."""
        report = self.env.ref("woonkans_reports.action_report_case_summary")
        advice = self.env.ref("woonkans_decision_tree.woonkans_decision_run_report_advice")
        self.authenticate("wk_coordinator", "wk_coordinator")
        for on in (True, False):
            self._protect(on)
            for action in (report, advice, self.env.ref("woonkans_reports.action_report_case_xlsx")):
                with self.subTest(on=on, report=action.report_name):
                    loaded = self.make_jsonrpc_request("/web/action/load", {"action_id": action.id})
                    self.assertIs(loaded["woonkans_password_required"], on)
        self._protect(True)
        self.assertEqual(
            report.with_user(self.coordinator).report_action(self.case_positive)["context"]["default_res_ids"],
            self.case_positive.ids,
        )
        # the direct download of the web client (and any other route) is refused, as a message
        with mute_logger("odoo.http"):
            response = self.url_open(f"/report/pdf/{SHARED}/{self.case_positive.id}")
        self.assertFalse(response.content.startswith(b"%PDF"))
        self.assertIn(response.status_code, (400, 403, 422))
        self.assertIn(b"password-protected", response.content)
        self.assertNotIn(self.client.name.encode(), response.content)

    def test_print_menu_tour(self):
        """In the browser: Print > Dossier overview opens the dialog and hands out the encrypted PDF."""
        self._protect(True)
        Report = type(self.env["ir.actions.report"])
        render = Report._pre_render_qweb_pdf

        def real_pdf(report, report_ref, res_ids=None, data=None):
            # under test Odoo renders HTML; the tour needs the real PDF
            return render(report.with_context(force_report_rendering=True), report_ref, res_ids=res_ids, data=data)

        with patch.object(Report, "_pre_render_qweb_pdf", real_pdf):
            self.start_tour(
                f"/odoo/action-woonkans_case.woonkans_case_action/{self.case_positive.id}",
                "woonkans_protected_print",
                login="wk_coordinator",
            )
        wizard = self.env["woonkans.protected.report"].search([("create_uid", "=", self.coordinator.id)])
        self.assertEqual(len(wizard), 1)
        self.assertEqual(
            (wizard.report_id, wizard.res_ids),
            (self.env.ref("woonkans_reports.action_report_case_summary"), self.case_positive.ids),
        )
        self.assertFalse(wizard.password or wizard.password_confirm)
        reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(wizard.file)))
        self.assertTrue(reader.is_encrypted)
        self.assertNotEqual(reader.decrypt(PASSWORD), pypdf.PasswordType.NOT_DECRYPTED)

    def test_pdf_as_before_when_off(self):
        self._protect(False)
        report = self.env.ref("woonkans_reports.action_report_case_summary").with_user(self.coordinator)
        self.assertEqual(report.report_action(self.case_positive)["type"], "ir.actions.report")
        pdf = self._wk_pdf(SHARED, self.case_positive, user=self.coordinator)
        self.assertFalse(pypdf.PdfReader(io.BytesIO(pdf)).is_encrypted)
        self.assertIn(self.case_positive.name, self._wk_pdf_text(pdf))

    def test_excel_report_through_the_dialog_is_an_aes_zip(self):
        self._protect(True)
        with self.assertRaises(UserError):
            self.env["ir.actions.report"].with_user(self.coordinator)._render_xlsx(
                "woonkans_reports.case_xlsx", self.case_positive.ids, data={}
            )
        wizard = self._dialog("woonkans_reports.action_report_case_xlsx", self.case_positive | self.case_open)
        self.assertTrue(wizard.filename.endswith(".zip"))
        self.assertNotIn(self.case_positive.name, wizard.filename)
        with pyzipper.AESZipFile(io.BytesIO(base64.b64decode(wizard.file))) as archive:
            archive.setpassword(PASSWORD.encode())
            book = self._read_xlsx(archive.read("export.xlsx"))
        _row, _headers, rows = self._table(book["Cases"], "Reference")
        self.assertEqual({row["Reference"] for row in rows}, {self.case_positive.name, self.case_open.name})

    def test_dialog_refuses_weak_passwords_and_hidden_records(self):
        self._protect(True)
        for password, confirm in (("kort", None), (PASSWORD, "iets-anders-123")):
            with self.subTest(password=password), self.assertRaises(UserError):
                self._dialog("woonkans_reports.action_report_case_summary", self.case_positive, password, confirm)
        # a caseworker of another team cannot print a case they cannot read, password or not
        wizard = (
            self.env["woonkans.protected.report"]
            .with_user(self.caseworker_2)
            .create(
                {
                    "report_id": self.env.ref("woonkans_reports.action_report_case_summary").id,
                    "res_ids": self.case_positive.ids,
                    "password": PASSWORD,
                    "password_confirm": PASSWORD,
                }
            )
        )
        with self.assertRaises(UserError):  # AccessError is a UserError
            wizard.action_download()
        self.assertFalse(wizard.file)

    def test_portal_user_gets_no_case_pdf(self):
        """A partner's contact may print the shared overview at /report/pdf/...; with the setting on,
        there is no password dialog for them, so the route refuses it with a message."""
        self._protect(True)
        self.authenticate("wkr_portal_a", "wkr_portal_a")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/report/pdf/{SHARED}/{self.case_positive.id}")
        self.assertFalse(response.content.startswith(b"%PDF"))
        self.assertNotIn(self.client.name.encode(), response.content)
        self.assertIn(b"Ask the bureau to send you this document", response.content)
        # with the setting off, the organisation's contact prints it as before
        self._protect(False)
        response = self.url_open(f"/report/pdf/{SHARED}/{self.case_positive.id}")
        self.assertEqual(response.status_code, 200)
