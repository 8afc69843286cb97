import base64
import io

import pyzipper

from odoo import api, fields, models
from odoo.exceptions import UserError

PROTECT_PARAM = "woonkans_reports.protect_case_exports"
MIN_PASSWORD_LENGTH = 10


class WoonkansCaseProtectedExport(models.TransientModel):
    """The Excel list of cases in a ZIP file encrypted with AES-256 (WinZip AE-2).

    Excel's own file encryption needs ``msoffcrypto-tool`` 5.3 or newer, which needs a
    newer ``cryptography`` than Odoo 19 pins; a ZIP with AES is what can be made here.
    It protects the file on the way (e-mail, USB stick, a download folder): without the
    password its contents cannot be read. File names inside a ZIP are not encrypted, so
    the name inside is neutral. Once opened, the spreadsheet is unprotected again.
    The password is cleared from the wizard as soon as the file is made.
    """

    _name = "woonkans.case.protected.export"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Password-protected case export"

    case_ids = fields.Many2many("woonkans.case", string="Cases", default=lambda self: self._default_case_ids())
    password = fields.Char()
    password_confirm = fields.Char(string="Repeat the password")
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def _default_case_ids(self):
        if self.env.context.get("active_model") == "woonkans.case":
            return [fields.Command.set(self.env.context.get("active_ids") or [])]
        return False

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_nul(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_no_nul(vals)
        return super().write(vals)

    def _check_no_nul(self, vals):
        # PostgreSQL refuses NUL in text: say so in Dutch instead of failing on the insert
        if any("\x00" in (vals.get(name) or "") for name in ("password", "password_confirm")):
            raise UserError(self.env._("A password cannot contain a NUL character."))

    @api.model
    def _protection_required(self):
        return self.env["ir.config_parameter"].sudo().get_param(PROTECT_PARAM) == "True"

    def action_export(self):
        self.ensure_one()
        password = self.password or ""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise UserError(
                self.env._("Choose a password of at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
            )
        if password != self.password_confirm:
            raise UserError(self.env._("The two passwords differ."))
        if not self.case_ids:
            raise UserError(self.env._("Select the cases to export."))
        content, _type = (
            self.env["ir.actions.report"]
            .with_context(woonkans_protected_export=True)
            ._render_xlsx("woonkans_reports.case_xlsx", self.case_ids.ids, data={})
        )
        buffer = io.BytesIO()
        with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as archive:
            archive.setpassword(password.encode())
            archive.setencryption(pyzipper.WZ_AES, nbits=256)
            archive.writestr("export.xlsx", content)
        self.write(
            {
                "file": base64.b64encode(buffer.getvalue()),
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
