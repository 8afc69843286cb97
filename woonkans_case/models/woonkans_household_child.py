from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WoonkansHouseholdChild(models.Model):
    """A child in a client's household, kept as a birth year only.

    The bureau needs the number of children and their ages (Veilig Thuis,
    housing size), not their names: data minimisation.
    """

    _name = "woonkans.household.child"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Child in a client's household"
    _order = "birth_year desc, id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    birth_year = fields.Integer(required=True)
    age = fields.Integer(compute="_compute_age")

    _birth_year_sane = models.Constraint("CHECK(birth_year > 1900)", "The birth year of a child must be after 1900.")

    @api.depends("birth_year")
    def _compute_age(self):
        year = fields.Date.context_today(self).year
        for child in self:
            child.age = max(year - child.birth_year, 0) if child.birth_year else 0

    @api.constrains("birth_year")
    def _check_birth_year(self):
        year = fields.Date.context_today(self).year
        for child in self:
            if child.birth_year > year:
                raise ValidationError(self.env._("The birth year of a child cannot be in the future."))
