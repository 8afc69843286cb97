from odoo import api, fields, models


class WoonkansOrganisationRole(models.Model):
    """What kind of organisation a partner is in the woonkans network.

    Configurable data: a region adds its own kinds without code.
    """

    _name = "woonkans.organisation.role"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Network organisation role"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by integrations and other add-ons.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _code_unique = models.Constraint("unique(code)", "The code of an organisation role must be unique.")

    @api.model
    def _woonkans_portal_readable_fields(self):
        return super()._woonkans_portal_readable_fields() | {"name", "sequence"}
