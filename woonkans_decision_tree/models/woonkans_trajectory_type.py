from odoo import models


class WoonkansTrajectoryType(models.Model):
    _inherit = "woonkans.trajectory.type"

    def write(self, vals):
        result = super().write(vals)
        if {"name", "code", "sequence", "target_group"} & set(vals):
            # compiled decision-tree versions embed names and codes
            self.env.registry.clear_cache()
        return result
