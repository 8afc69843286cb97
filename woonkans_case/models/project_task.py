from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class ProjectTask(models.Model):
    _inherit = ["woonkans.portal.tokenless", "project.task"]
    _name = "project.task"

    woonkans_case_id = fields.Many2one(
        "woonkans.case",
        string="Woonkans case",
        compute="_compute_woonkans_case_id",
        store=True,
        index="btree_not_null",
        help="Set from the project: plan tasks belong to their case's project.",
    )
    woonkans_partner_id = fields.Many2one(
        "res.partner",
        string="Partner organisation",
        domain=[("is_company", "=", True)],
        help="The partner organisation responsible for this goal or action; its contacts see the task on the portal.",
    )

    woonkans_case_readable = fields.Boolean(
        string="Readable case",
        compute="_compute_woonkans_case_readable",
        search="_search_woonkans_case_readable",
        help="The current user may read this task's case: plan tasks follow the access to their case.",
    )

    @property
    def TASK_PORTAL_READABLE_FIELDS(self):
        # portal users read plan tasks of their organisation (record rule
        # project_task_rule_woonkans_portal) and filter on these fields
        return super().TASK_PORTAL_READABLE_FIELDS | {"woonkans_case_id", "woonkans_partner_id"}

    @api.depends("project_id.woonkans_case_id")
    def _compute_woonkans_case_id(self):
        for task in self:
            task.woonkans_case_id = task.project_id.woonkans_case_id

    def _compute_woonkans_case_readable(self):
        readable = self.sudo().woonkans_case_id.sudo(False)._woonkans_filter_readable()
        for task in self:
            task.woonkans_case_readable = task.sudo().woonkans_case_id in readable

    def _search_woonkans_case_readable(self, operator, value):
        return self.env["woonkans.case"]._woonkans_search_readable("woonkans_case_id", operator, value)

    @api.constrains("woonkans_partner_id", "woonkans_case_id")
    def _check_woonkans_partner(self):
        for task in self.filtered("woonkans_partner_id"):
            case = task.sudo().woonkans_case_id
            if case and task.woonkans_partner_id not in case.party_ids.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(org)s is not a party on case %(case)s.", org=task.woonkans_partner_id.name, case=case.name
                    )
                )

    # ------------------------------------------------------------------
    # a plan task is part of its case: no portal token, ever
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_case_data_domain(self):
        return Domain("woonkans_case_id", "!=", False)
