from odoo import api, fields, models


class WoonkansLegalBasis(models.Model):
    """A legal basis for sharing case data (AVG art. 6 and 9), configurable per bureau.

    Consent is one basis; another (a legal obligation, a vital interest) needs a
    justification on each record that uses it.
    """

    _name = "woonkans.legal.basis"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Legal basis for sharing"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    article = fields.Char(help="The article of the AVG (GDPR) or the law, e.g. 'AVG art. 6 lid 1 sub a'.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_consent = fields.Boolean(
        string="Is the client's consent",
        help="Records on this basis need the text the client agreed to or a signed document.",
    )
    requires_justification = fields.Boolean(
        default=True,
        help="Records on this basis need a written justification of why it applies.",
    )
    description = fields.Text(translate=True)

    @api.model
    def _woonkans_portal_readable_fields(self):
        return super()._woonkans_portal_readable_fields() | {"name", "article", "is_consent"}
