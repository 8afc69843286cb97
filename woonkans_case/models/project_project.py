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

    woonkans_case_readable = fields.Boolean(
        string="Readable case",
        compute="_compute_woonkans_case_readable",
        search="_search_woonkans_case_readable",
        help="The current user may read this plan's case: case plans follow the access to their case.",
    )

    def _compute_woonkans_case_readable(self):
        readable = self.sudo().woonkans_case_id.sudo(False)._woonkans_filter_readable()
        for project in self:
            project.woonkans_case_readable = project.sudo().woonkans_case_id in readable

    def _search_woonkans_case_readable(self, operator, value):
        return self.env["woonkans.case"]._woonkans_search_readable("woonkans_case_id", operator, value)
