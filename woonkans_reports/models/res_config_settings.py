from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    woonkans_protect_case_exports = fields.Boolean(
        string="Password-protect case exports",
        config_parameter="woonkans_reports.protect_case_exports",
        help="Files of case data leave only encrypted with a password the user chooses: PDF reports "
        "encrypted with AES-256, Excel reports as a ZIP file encrypted with AES-256. Odoo's standard "
        "export (list view > Export) of case data is refused, as it cannot protect its file.",
    )
