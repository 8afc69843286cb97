from odoo import models


class WoonkansConditionTemplate(models.Model):
    _inherit = "woonkans.condition.template"

    def write(self, vals):
        result = super().write(vals)
        if {"name", "code", "sequence", "active"} & set(vals):
            # compiled decision-tree versions embed condition names and codes
            self.env.registry.clear_cache()
        return result
