from random import randint

from odoo import fields, models


class WoonkansCaseTag(models.Model):
    _name = "woonkans.case.tag"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Case tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)
    is_special_category = fields.Boolean(
        string="Special-category data",
        help="The tag marks special-category data (health, addiction, justice, domestic violence): "
        "only staff with the special-category data group see it.",
    )

    _name_unique = models.Constraint("unique(name)", "A tag with this name already exists.")
