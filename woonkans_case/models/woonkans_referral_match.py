from odoo import fields, models


class WoonkansReferralMatch(models.Model):
    """A known client that may be the person of a referral, and why.

    Found by the referral's matching; the intake worker links one or confirms
    a new client. Nothing is ever merged automatically.
    """

    _name = "woonkans.referral.match"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Possible match of a referral"
    _order = "id"

    referral_id = fields.Many2one("woonkans.referral", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="referral_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", string="Known client", required=True, ondelete="cascade")
    reasons = fields.Char(string="Why it matches", required=True)
    partner_birthdate = fields.Date(related="partner_id.woonkans_birthdate", string="Date of birth")
    partner_street = fields.Char(related="partner_id.street", string="Street")
    partner_zip = fields.Char(related="partner_id.zip", string="Postcode")
    open_case_id = fields.Many2one("woonkans.case", string="Open case", compute="_compute_open_case_id")
    is_linked = fields.Boolean(compute="_compute_is_linked")

    def _compute_open_case_id(self):
        for match in self:
            match.open_case_id = match.referral_id._woonkans_open_case_of(match.partner_id)

    def _compute_is_linked(self):
        for match in self:
            match.is_linked = (
                match.referral_id.match_state == "linked" and match.referral_id.client_id == match.partner_id
            )

    def action_link(self):
        self.ensure_one()
        return self.referral_id._woonkans_link_client(self.partner_id)
