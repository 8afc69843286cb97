import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import osutil
from odoo.tools.safe_eval import safe_eval, time

from ..models.ir_actions_report import PASSWORD_KEY, PROTECTED_TYPES


class WoonkansProtectedReport(models.TransientModel):
    """A report of case data as a file that opens only with the password the user chooses.

    With the setting on, the Print menu and the print buttons open this dialog
    instead of downloading: a PDF comes out encrypted with AES-256, an Excel
    report as an AES-256 ZIP file. The user gives the password to the recipient
    by another way than the file. The password is cleared as soon as the file is
    made; the file itself stays encrypted.
    """

    _name = "woonkans.protected.report"
    _inherit = ["woonkans.export.password.mixin", "woonkans.portal.readable.mixin"]
    _description = "Password-protected report"

    report_id = fields.Many2one("ir.actions.report", string="Report", required=True, readonly=True, ondelete="cascade")
    res_ids = fields.Json(string="Records", readonly=True)
    data = fields.Json(readonly=True)
    record_count = fields.Integer(string="Number of records", compute="_compute_record_count")
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.depends("res_ids")
    def _compute_record_count(self):
        for wizard in self:
            wizard.record_count = len(wizard._woonkans_ids())

    @api.model
    def _woonkans_open_action(self, report, res_ids, data=None):
        """The dialog for ``report`` of ``res_ids``: what a print of protected case data opens."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Password-protected file"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_report_id": report.id, "default_res_ids": list(res_ids), "default_data": data},
        }

    def _woonkans_ids(self):
        ids = self.res_ids
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            return []
        return ids

    def _woonkans_filename(self, records):
        report = self.report_id.sudo()
        name = report.name
        if report.print_report_name and len(records) == 1:
            name = safe_eval(report.print_report_name, {"object": records, "time": time}) or name
        if report.report_type == "xlsx":
            # a ZIP's name travels unencrypted: the date, not the case
            return f"woonkans-{fields.Date.context_today(self)}.zip"
        return osutil.clean_filename(f"{name}.pdf")

    def action_download(self):
        self.ensure_one()
        password = self._woonkans_checked_password()
        report = self.report_id.sudo()
        if report.report_type not in PROTECTED_TYPES or report.model not in self.env:
            raise UserError(self.env._("%(report)s cannot be made as a protected file.", report=report.name))
        if report.group_ids and not (report.group_ids & self.env.user.all_group_ids):
            raise AccessError(self.env._("You are not allowed to print %(report)s.", report=report.name))
        ids = self._woonkans_ids()
        records = self.env[report.model].browse(ids)
        if not ids or len(records.exists()) != len(set(ids)):
            raise UserError(
                self.env._("The records to print no longer exist. Close this dialog and select them again.")
            )
        records.check_access("read")
        Report = self.env["ir.actions.report"].with_context(**{PASSWORD_KEY: password})
        if report.report_type == "qweb-pdf":
            content, kind = Report._render_qweb_pdf(report, ids, data=self.data or None)
            if kind != "pdf":
                raise UserError(self.env._("%(report)s could not be printed as a PDF.", report=report.name))
        else:
            content, _kind = Report._render_xlsx(report, ids, data=self.data or {})
        self.write(
            {
                "file": base64.b64encode(content),
                "filename": self._woonkans_filename(records),
                "password": False,
                "password_confirm": False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Password-protected file"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
