from odoo import api, models
from odoo.exceptions import UserError

PROTECT_PARAM = "woonkans_reports.protect_case_exports"


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def _woonkans_export_protection_on(self):
        """The bureau's setting: files of case data leave only password-protected."""
        return self.env["ir.config_parameter"].sudo().get_param(PROTECT_PARAM) == "True"

    def _woonkans_protected_case_data(self):
        """The records of ``self`` that may leave the system only in a password-protected file.

        Case data as ``_woonkans_case_data`` defines it, when the setting is on; none
        when the system itself (sudo) reads them: its callers decide.
        """
        if self.env.su or not self or not self._woonkans_export_protection_on():
            return self.browse()
        return self._woonkans_case_data()

    def _woonkans_check_standard_export(self):
        """Refuse Odoo's standard export (list view > Export) of protected case data.

        The standard export hands out a plain Excel or CSV file of any fields the
        user picks; it cannot encrypt it. The bureau's own exports can.
        """
        if not self._woonkans_protected_case_data():
            return
        if self._name == "woonkans.case":
            raise UserError(
                self.env._(
                    "Exports of case data must be password-protected, and the standard export cannot protect its "
                    "file. Use Action > Password-protected Excel export on the selected cases instead."
                )
            )
        raise UserError(
            self.env._(
                "%(data)s: these are case data. Exports of case data must be password-protected, and the standard "
                "export cannot protect its file. For a list of cases, use Action > Password-protected Excel export "
                "on the cases; reports in the Print menu ask for a password.",
                data=self.env["ir.model"]._get(self._name).name or self._name,
            )
        )

    def export_data(self, fields_to_export):
        self._woonkans_check_standard_export()
        return super().export_data(fields_to_export)
