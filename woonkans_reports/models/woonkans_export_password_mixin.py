from odoo import api, fields, models
from odoo.exceptions import UserError

MIN_PASSWORD_LENGTH = 10


class WoonkansExportPasswordMixin(models.AbstractModel):
    """The password a user chooses for a protected file: asked twice, checked, never kept.

    The dialog's record holds it only until the file is made (the web client
    saves the dialog before it calls the button); then it is cleared.
    """

    _name = "woonkans.export.password.mixin"
    _description = "Password of a protected file"

    password = fields.Char()
    password_confirm = fields.Char(string="Repeat the password")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._woonkans_check_no_nul(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._woonkans_check_no_nul(vals)
        return super().write(vals)

    def _woonkans_check_no_nul(self, vals):
        # PostgreSQL refuses NUL in text: say so in Dutch instead of failing on the insert
        if any("\x00" in (vals.get(name) or "") for name in ("password", "password_confirm")):
            raise UserError(self.env._("A password cannot contain a NUL character."))

    def _woonkans_checked_password(self):
        """The chosen password, once it is long enough and typed twice the same."""
        self.ensure_one()
        password = self.password or ""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise UserError(
                self.env._("Choose a password of at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
            )
        if password != self.password_confirm:
            raise UserError(self.env._("The two passwords differ."))
        return password
