import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.ir_actions_report import PASSWORD_KEY


class WoonkansCaseProtectedExport(models.TransientModel):
    """The Excel list of cases in a ZIP file encrypted with AES-256 (WinZip AE-2).

    It protects the file on the way (e-mail, USB stick, a download folder): without the
    password its contents cannot be read. File names inside a ZIP are not encrypted, so
    the name inside is neutral. Once opened, the spreadsheet is unprotected again.
    The password is cleared from the wizard as soon as the file is made.
    """

    _name = "woonkans.case.protected.export"
    _inherit = ["woonkans.export.password.mixin", "woonkans.portal.readable.mixin"]
    _description = "Password-protected case export"

    case_ids = fields.Many2many("woonkans.case", string="Cases", default=lambda self: self._default_case_ids())
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def _default_case_ids(self):
        if self.env.context.get("active_model") == "woonkans.case":
            return [fields.Command.set(self.env.context.get("active_ids") or [])]
        return False

    def action_export(self):
        self.ensure_one()
        password = self._woonkans_checked_password()
        if not self.case_ids:
            raise UserError(self.env._("Select the cases to export."))
        content, _type = (
            self.env["ir.actions.report"]
            .with_context(**{PASSWORD_KEY: password})
            ._render_xlsx("woonkans_reports.case_xlsx", self.case_ids.ids, data={})
        )
        self.write(
            {
                "file": base64.b64encode(content),
                "filename": f"woonkans-export-{fields.Date.context_today(self)}.zip",
                "password": False,
                "password_confirm": False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
