from odoo import api, fields, models


class WoonkansReferralDecline(models.TransientModel):
    _name = "woonkans.referral.decline"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Decline a referral"

    referral_id = fields.Many2one("woonkans.referral", required=True, ondelete="cascade")
    reason_id = fields.Many2one("woonkans.referral.decline.reason", string="Reason", required=True)
    message = fields.Text(string="Message to the referrer", required=True)
    route = fields.Text(string="Suggested other route", compute="_compute_route", store=True, readonly=False)

    @api.depends("reason_id")
    def _compute_route(self):
        for wizard in self:
            wizard.route = wizard.reason_id.suggested_route or wizard.route

    def action_confirm(self):
        self.ensure_one()
        self.referral_id._woonkans_decline(self.reason_id, self.message, self.route)
        return {"type": "ir.actions.act_window_close"}
