from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    woonkans_case_id = fields.Many2one(
        "woonkans.case",
        string="Woonkans case",
        index="btree_not_null",
        ondelete="cascade",
        help="The case whose plan this project holds. Its tasks follow the case's access rules.",
    )
