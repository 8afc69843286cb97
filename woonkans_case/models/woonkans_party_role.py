from odoo import api, fields, models


class WoonkansPartyRole(models.Model):
    """The role an organisation plays on one case (landlord, care provider...)."""

    _name = "woonkans.party.role"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Role of a party on a case"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    organisation_role_id = fields.Many2one(
        "woonkans.organisation.role",
        string="Usual organisation role",
        help="Suggests organisations of this kind when the role is picked.",
    )

    _code_unique = models.Constraint("unique(code)", "The code of a party role must be unique.")

    @api.model
    def _woonkans_portal_readable_fields(self):
        return super()._woonkans_portal_readable_fields() | {"name", "sequence"}
