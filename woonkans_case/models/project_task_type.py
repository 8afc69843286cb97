from odoo import api, models


class ProjectTaskType(models.Model):
    _inherit = "project.task.type"

    @api.model
    def _woonkans_plan_stage_ids(self):
        """The shared columns of every case plan (to do, in progress, done)."""
        xmlids = (
            "woonkans_case.project_task_type_plan_todo",
            "woonkans_case.project_task_type_plan_progress",
            "woonkans_case.project_task_type_plan_done",
        )
        return [stage.id for xmlid in xmlids if (stage := self.env.ref(xmlid, raise_if_not_found=False))]
