from odoo import api, fields, models
from odoo.fields import Domain


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["woonkans.portal.tokenless", "project.project"]

    woonkans_case_id = fields.Many2one(
        "woonkans.case",
        string="Woonkans case",
        index="btree_not_null",
        ondelete="cascade",
        help="The case whose plan this project holds. Its tasks follow the case's access rules.",
    )

    @api.model
    def _woonkans_case_data_domain(self):
        # a case's plan is part of the case: no portal token, ever
        return Domain("woonkans_case_id", "!=", False)
