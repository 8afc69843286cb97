import base64

from odoo import api, fields, models


class WoonkansSubjectAccess(models.TransientModel):
    """The subject-access export follows the bureau's protection setting: with it on, the
    PDF comes out AES-256 encrypted and the JSON file in an AES-256 ZIP, with a password
    the coordinator chooses (and passes on to the client by another way than the files)."""

    _name = "woonkans.subject.access"
    _inherit = ["woonkans.subject.access", "woonkans.export.password.mixin"]

    password_required = fields.Boolean(compute="_compute_password_required")

    @api.depends_context("uid")
    def _compute_password_required(self):
        required = self.env["base"]._woonkans_export_protection_on()
        for wizard in self:
            wizard.password_required = required

    def action_generate(self):
        self.ensure_one()
        password = self._woonkans_checked_password() if self.password_required else None
        action = super().action_generate()
        if password:
            Report = self.env["ir.actions.report"]
            json_name = self.json_filename
            self.write(
                {
                    "pdf_file": base64.b64encode(
                        Report._woonkans_encrypt_pdf(base64.b64decode(self.pdf_file), password)
                    ),
                    "json_file": base64.b64encode(
                        Report._woonkans_encrypt_zip(base64.b64decode(self.json_file), password, entry=json_name)
                    ),
                    "json_filename": json_name.removesuffix(".json") + ".zip",
                }
            )
        self.write({"password": False, "password_confirm": False})
        return action
