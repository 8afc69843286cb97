from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    woonkans_protect_case_exports = fields.Boolean(
        string="Password-protect case exports",
        config_parameter="woonkans_reports.protect_case_exports",
        help="Excel exports of cases are only handed out as a ZIP file encrypted with AES-256 "
        "and a password the user chooses.",
    )
