from odoo import fields, models


class WoonkansClosureReason(models.Model):
    _name = "woonkans.closure.reason"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Case closure reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    outcome = fields.Selection(
        [("positive", "Positive"), ("negative", "Negative"), ("neutral", "Neutral")],
        required=True,
        default="positive",
        help="A negative closure means the client broke the agreements and risks (renewed) eviction.",
    )

    _code_unique = models.Constraint("unique(code)", "The code of a closure reason must be unique.")
