from odoo import api, fields, models


class WoonkansReferralDeclineReason(models.Model):
    """Why the bureau declines a referral, with the route it suggests instead."""

    _name = "woonkans.referral.decline.reason"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Reason to decline a referral"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by the figures and integrations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    suggested_route = fields.Text(translate=True, help="Proposed to the referrer when this reason is chosen.")

    _code_unique = models.Constraint("unique(code)", "The code of a decline reason must be unique.")

    @api.model
    def _woonkans_portal_readable_fields(self):
        # shown to the referring organisation with the bureau's answer
        return super()._woonkans_portal_readable_fields() | {"name", "sequence"}
