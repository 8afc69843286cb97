from odoo import api, fields, models


class WoonkansDecisionParameter(models.Model):
    """A number the tree's rules refer to by code, e.g. the second-chance window.

    Labels, explanations and rules use it as ``{code}``. When a setting key is
    given, the setting wins over the value (e.g. ``woonkans_case.second_chance_years``),
    so the tree and the case's second-chance window never disagree.
    """

    _name = "woonkans.decision.parameter"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Decision tree parameter"
    _order = "tree_id, code"

    tree_id = fields.Many2one("woonkans.decision.tree", required=True, ondelete="cascade", index=True)
    code = fields.Char(required=True, help="Used as {code} in labels and as the N of date and number rules.")
    name = fields.Char(required=True, translate=True)
    value = fields.Float(default=0.0, digits=(16, 2))
    config_parameter = fields.Char(
        string="Setting key",
        help="Technical name of a system parameter whose value overrides the value above.",
    )
    effective_value = fields.Float(compute="_compute_effective_value", digits=(16, 2))

    _code_unique = models.Constraint("unique(tree_id, code)", "A parameter code must be unique within its tree.")

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # woonkans.decision.tree._evaluation_data
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    def _compute_effective_value(self):
        for parameter in self:
            parameter.effective_value = parameter._get_value()

    def _get_value(self):
        self.ensure_one()
        if self.config_parameter:
            raw = self.env["ir.config_parameter"].sudo().get_param(self.config_parameter)
            try:
                return float(raw) if raw not in (None, False, "") else self.value
            except ValueError:
                return self.value
        return self.value
