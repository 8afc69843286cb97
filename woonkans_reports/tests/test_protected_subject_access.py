import base64
import io
import json
import subprocess

import pypdf
import pyzipper

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WoonkansReportsCommon

PARAM = "woonkans_reports.protect_case_exports"
PASSWORD = "Herfst-2026-zeven"


@tagged("post_install", "-at_install")
class TestProtectedSubjectAccess(WoonkansReportsCommon, TransactionCase):
    """With the protection setting on, a subject-access export leaves only encrypted: the PDF
    with AES-256, the JSON file in an AES-256 ZIP, both with the coordinator's password.

    A TransactionCase, as TestSubjectAccess: wkhtmltopdf reaches no report URL, so the
    PDF uses system fonts, whose text pdftotext reads back.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")

    def _wizard(self, **vals):
        return (
            self.env["woonkans.subject.access"]
            .with_user(self.coordinator)
            .with_context(force_report_rendering=True)  # a real PDF, as outside the tests
            .create({"partner_id": self.client.id, **vals})
        )

    def test_with_the_setting_on_both_files_are_encrypted(self):
        self.env["ir.config_parameter"].set_param(PARAM, "True")
        wizard = self._wizard()
        self.assertTrue(wizard.password_required)
        with self.assertRaisesRegex(UserError, "at least"):
            wizard.action_generate()
        wizard.write({"password": PASSWORD, "password_confirm": PASSWORD + "x"})
        with self.assertRaisesRegex(UserError, "differ"):
            wizard.action_generate()
        self.assertFalse(wizard.json_file, "nothing was made")
        wizard.write({"password_confirm": PASSWORD})
        wizard.action_generate()
        self.assertFalse(wizard.password, "the password is not kept")
        pdf = base64.b64decode(wizard.pdf_file)
        self.assertTrue(pypdf.PdfReader(io.BytesIO(pdf)).is_encrypted)
        locked = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, timeout=60)
        self.assertNotEqual(locked.returncode, 0, "the PDF does not open without the password")
        text = subprocess.run(
            ["pdftotext", "-upw", PASSWORD, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, timeout=60
        ).stdout.decode()
        self.assertIn(self.client.name, text)
        self.assertTrue(wizard.json_filename.endswith(".zip"))
        with pyzipper.AESZipFile(io.BytesIO(base64.b64decode(wizard.json_file))) as archive:
            name = archive.namelist()[0]
            with self.assertRaises(RuntimeError):
                archive.read(name)  # no password
            archive.setpassword(PASSWORD.encode())
            data = json.loads(archive.read(name))
        self.assertEqual(data["subject"]["name"], self.client.name)
        self.assertIn("consents", {section["key"] for section in data["sections"]})

    def test_with_the_setting_off_the_files_are_plain(self):
        self.env["ir.config_parameter"].set_param(PARAM, "False")
        wizard = self._wizard()
        self.assertFalse(wizard.password_required)
        wizard.action_generate()
        self.assertFalse(pypdf.PdfReader(io.BytesIO(base64.b64decode(wizard.pdf_file))).is_encrypted)
        self.assertEqual(json.loads(base64.b64decode(wizard.json_file))["subject"]["name"], self.client.name)
