from odoo import fields, models


class WoonkansCase(models.Model):
    _inherit = "woonkans.case"

    source = fields.Selection(
        selection_add=[("decision_tree", "Woonkansboom")], ondelete={"decision_tree": "set default"}
    )
