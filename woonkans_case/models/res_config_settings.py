from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    woonkans_bsn_enabled = fields.Boolean(
        string="Record BSN",
        config_parameter="woonkans_case.bsn_enabled",
        help="Only enable when your bureau has a legal basis to process the BSN "
        "(e.g. it works for a municipality in a statutory task).",
    )
    woonkans_second_chance_years = fields.Integer(
        string="Second-chance window (years)",
        config_parameter="woonkans_case.second_chance_years",
        default=5,
    )
    woonkans_referral_team_id = fields.Many2one(
        "woonkans.team",
        string="Team for portal referrals",
        config_parameter="woonkans_case.referral_team_id",
    )
    woonkans_referral_deadline_days = fields.Integer(
        string="Answer referrals within (working days)",
        config_parameter="woonkans_case.referral_deadline_days",
        default=5,
    )
    woonkans_consent_text = fields.Char(
        string="Consent text on referrals",
        config_parameter="woonkans_case.consent_text",
        help="Shown on the portal referral form; the referrer confirms the client agreed to it.",
    )
    woonkans_max_upload_mb = fields.Integer(
        string="Largest portal upload (MB)", config_parameter="woonkans_case.max_upload_mb", default=10
    )

    def set_values(self):
        previous = self.env["woonkans.case"]._second_chance_years()
        result = super().set_values()
        if self.env["woonkans.case"]._second_chance_years() != previous:
            cases = (
                self.env["woonkans.case"]
                .sudo()
                .with_context(active_test=False)
                .search([("eviction_date", "!=", False)])
            )
            cases.modified(["eviction_date"])
            cases.flush_recordset(["second_chance_until"])
        return result
