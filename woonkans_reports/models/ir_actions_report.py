import io

import pypdf
import pyzipper

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Reports whose records are checked before anything is rendered, so a user who
# cannot read a case gets an access error even where wkhtmltopdf is missing.
CASE_REPORTS = {
    "woonkans_reports.report_case_summary",
    "woonkans_reports.report_case_summary_internal",
}
# The password a protected file is encrypted with, set by the password dialog
# (``woonkans.protected.report``, ``woonkans.case.protected.export``). Whoever sets
# it gets an encrypted file: it opens nothing, so a caller may pass it freely.
PASSWORD_KEY = "woonkans_export_password"
PROTECTED_TYPES = ("qweb-pdf", "xlsx")
# File names inside a ZIP are not encrypted: keep the one inside neutral
ZIP_ENTRY = "export.xlsx"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    woonkans_password_required = fields.Boolean(
        string="Asks for a password",
        compute="_compute_woonkans_password_required",
        help="Files of case data leave only password-protected (Settings > Woonkans): "
        "printing this report opens the password dialog.",
    )

    def _compute_woonkans_password_required(self):
        protection = self.env["base"]._woonkans_export_protection_on()
        for report in self:
            report.woonkans_password_required = bool(
                protection
                and report.report_type in PROTECTED_TYPES
                and report.model in self.env
                and self.env[report.model]._woonkans_case_data_domain() is not None
            )

    def _get_readable_fields(self):
        # the web client's report handler reads it to open the password dialog
        return super()._get_readable_fields() | {"woonkans_password_required"}

    # ------------------------------------------------------------------
    # the one check: may this file leave unprotected?
    # ------------------------------------------------------------------

    def _woonkans_protected_file(self, report_ref, res_ids):
        """True when this rendering holds case data that may leave only password-protected."""
        report = self._get_report(report_ref)
        if report.report_type not in PROTECTED_TYPES or not res_ids or report.model not in self.env:
            return False
        ids = [res_ids] if isinstance(res_ids, int) else list(res_ids)
        return bool(self.env[report.model].browse(ids)._woonkans_protected_case_data())

    def _woonkans_refuse_unprotected(self, report):
        if self.env.user.share:
            # partners have no password dialog: the portal shows them the case, the bureau
            # sends documents on request, protected
            raise UserError(
                self.env._(
                    "%(report)s holds case data, and files of case data leave the bureau only "
                    "password-protected. Ask the bureau to send you this document.",
                    report=report.name,
                )
            )
        raise UserError(
            self.env._(
                "%(report)s holds case data, and files of case data leave only password-protected. "
                "Choose it again in the Print menu: a dialog then asks for the password.",
                report=report.name,
            )
        )

    @api.model
    def _woonkans_encrypt_pdf(self, content, password):
        """The PDF encrypted with AES-256 (PDF 2.0, revision 6): it opens only with the password.

        Odoo's own PDF tools (``odoo.tools.pdf``) wrap PyPDF2 2.x where present,
        which only knows RC4; ``pypdf`` (the same library Odoo uses on Python 3.13)
        writes AES-256.
        """
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(content)))
        writer.encrypt(user_password=password, algorithm="AES-256")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    @api.model
    def _woonkans_encrypt_zip(self, content, password, entry=ZIP_ENTRY):
        """``content`` as the one entry of a ZIP file encrypted with AES-256 (WinZip AE-2).

        Excel's own file encryption needs ``msoffcrypto-tool`` 5.3 or newer, which needs
        a newer ``cryptography`` than Odoo 19 pins; a ZIP with AES is what can be made here.
        """
        buffer = io.BytesIO()
        with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as archive:
            archive.setpassword(password.encode())
            archive.setencryption(pyzipper.WZ_AES, nbits=256)
            archive.writestr(entry, content)
        return buffer.getvalue()

    # ------------------------------------------------------------------
    # rendering
    # ------------------------------------------------------------------

    def _woonkans_check_report_access(self, report_ref, res_ids):
        report = self._get_report(report_ref)
        if report.report_name not in CASE_REPORTS or self.env.su:
            return
        if report.group_ids and not (report.group_ids & self.env.user.all_group_ids):
            raise AccessError(self.env._("You are not allowed to print %(report)s.", report=report.name))
        if res_ids:
            ids = [res_ids] if isinstance(res_ids, int) else list(res_ids)
            self.env[report.model].browse(ids).check_access("read")

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        self._woonkans_check_report_access(report_ref, res_ids)
        password = self.env.context.get(PASSWORD_KEY)
        protected = self._woonkans_protected_file(report_ref, res_ids)
        if protected and not password:
            self._woonkans_refuse_unprotected(self._get_report(report_ref))
        report = self.with_context(**{PASSWORD_KEY: False})
        if protected or password:
            # Odoo's ``attachment`` option would keep (and hand out again) a plain copy
            report = report.with_context(report_pdf_no_attachment=True)
        content, kind = super(IrActionsReport, report)._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        if password and kind == "pdf":
            content = self._woonkans_encrypt_pdf(content, password)
        return content, kind

    def _render_qweb_html(self, report_ref, docids, data=None):
        self._woonkans_check_report_access(report_ref, docids)
        return super()._render_qweb_html(report_ref, docids, data=data)

    def _render_xlsx(self, report_ref, docids, data):
        """An Excel report; of protected case data only as an AES-256 ZIP with the given password."""
        password = self.env.context.get(PASSWORD_KEY)
        if self._woonkans_protected_file(report_ref, docids) and not password:
            self._woonkans_refuse_unprotected(self._get_report(report_ref))
        report = self._woonkans_log_report(report_ref, docids).with_context(**{PASSWORD_KEY: False})
        content, kind = super(IrActionsReport, report)._render_xlsx(report_ref, docids, data)
        if password:
            return self._woonkans_encrypt_zip(content, password), "zip"
        return content, kind

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def report_action(self, docids, data=None, config=True):
        """A report of protected case data opens the password dialog instead of downloading."""
        action = super().report_action(docids, data=data, config=config)
        if len(self) != 1:
            return action
        if isinstance(docids, models.BaseModel):
            ids = docids.ids
        else:
            ids = [docids] if isinstance(docids, int) else list(docids or [])
        if not self._woonkans_protected_file(self, ids):
            return action
        if action.get("type") == "ir.actions.report":
            return self.env["woonkans.protected.report"]._woonkans_open_action(self, ids, data)
        # the report layout configurator runs the report afterwards: let the web client's
        # report handler open the password dialog then
        report_action = (action.get("context") or {}).get("report_action")
        if isinstance(report_action, dict):
            report_action.update({"id": self.id, "woonkans_password_required": True})
        return action
