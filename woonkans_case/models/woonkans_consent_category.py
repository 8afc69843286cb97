from odoo import api, fields, models
from odoo.exceptions import UserError

from .woonkans_consent_codes import DEFAULT_CATEGORIES


class WoonkansConsentCategory(models.Model):
    """A category of case data a consent record covers.

    The codes are fixed: the portal record rules and pages test them. Names and
    descriptions can be reworded and translated.
    """

    _name = "woonkans.consent.category"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Data category of a consent"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)

    _code_unique = models.Constraint("unique(code)", "The code of a data category must be unique.")

    @api.model
    def _woonkans_portal_readable_fields(self):
        return super()._woonkans_portal_readable_fields() | {"name", "code", "sequence", "description"}

    @api.model
    def _default_categories(self):
        return self.search([("code", "in", DEFAULT_CATEGORIES)])

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Data categories of consents cannot be deleted: consent records refer to them."))
