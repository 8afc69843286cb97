from odoo import fields, models


class WoonkansLifeDomain(models.Model):
    _name = "woonkans.life.domain"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Life domain"
    _order = "version_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    client_name = fields.Char(string="Wording for clients", translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    version_id = fields.Many2one("woonkans.assessment.version", required=True, ondelete="cascade", index=True)

    _code_unique = models.Constraint("unique(version_id, code)", "A domain code must be unique within its version.")
