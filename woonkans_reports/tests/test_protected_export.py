import base64
import io
import zipfile

import pyzipper

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WoonkansReportsCommon


@tagged("post_install", "-at_install")
class TestProtectedExport(WoonkansReportsCommon):
    """With the setting on, case data leaves only as an AES-256 ZIP that opens with the chosen password."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("woonkans_reports.protect_case_exports", "True")

    def _wizard(self, password, confirm=None):
        return (
            self.env["woonkans.case.protected.export"]
            .with_user(self.coordinator)
            .with_context(active_model="woonkans.case", active_ids=(self.case_positive | self.case_open).ids)
            .create({"password": password, "password_confirm": password if confirm is None else confirm})
        )

    def test_plain_case_export_is_refused(self):
        Report = self.env["ir.actions.report"].with_user(self.coordinator)
        for report in ("woonkans_reports.case_xlsx", "woonkans_reports.retention_xlsx"):
            with self.subTest(report=report), self.assertRaises(UserError):
                Report._render_xlsx(report, self.case_positive.ids, data={})
        self.env["ir.config_parameter"].set_param("woonkans_reports.protect_case_exports", "False")
        Report._render_xlsx("woonkans_reports.case_xlsx", self.case_positive.ids, data={})

    def test_export_opens_only_with_the_password(self):
        wizard = self._wizard("lang-genoeg-wachtwoord")
        wizard.action_export()
        self.assertFalse(wizard.password or wizard.password_confirm, "the password is not kept")
        data = base64.b64decode(wizard.file)
        self.assertTrue(wizard.filename.endswith(".zip"))
        with zipfile.ZipFile(io.BytesIO(data)) as plain:
            info = plain.infolist()[0]
            self.assertTrue(info.flag_bits & 0x1, "the entry is encrypted")
            self.assertEqual(info.compress_type, 99, "WinZip AES")
            with self.assertRaises(RuntimeError):  # "encrypted, password required"
                plain.read(info.filename)
        with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
            archive.setpassword(b"wrong password!")
            with self.assertRaises(RuntimeError):
                archive.read("export.xlsx")
            archive.setpassword(b"lang-genoeg-wachtwoord")
            book = self._read_xlsx(archive.read("export.xlsx"))
        _row, _headers, rows = self._table(book["Cases"], "Reference")
        self.assertEqual({row["Reference"] for row in rows}, {self.case_positive.name, self.case_open.name})
        self.assertNotIn(self.client.name.encode(), data, "nothing readable in the ZIP")

    def test_weak_or_mismatched_passwords_are_refused(self):
        for password, confirm in (
            ("kort", None),
            ("lang-genoeg-wachtwoord", "iets-anders-123"),
            ("lang\x00genoeg-ww", None),
        ):
            with self.subTest(password=password), self.assertRaises(UserError):
                self._wizard(password, confirm).action_export()
