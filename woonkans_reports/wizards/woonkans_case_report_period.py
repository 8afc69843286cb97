from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.woonkans_case.models.woonkans_trajectory_type import TARGET_GROUPS


class WoonkansCaseReportPeriod(models.TransientModel):
    """Choose a period and filters for the management workbook or the retention list."""

    _name = "woonkans.case.report.period"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Woonkans report period"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1)
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    trajectory_type_ids = fields.Many2many("woonkans.trajectory.type", string="Trajectories")
    target_group = fields.Selection(
        TARGET_GROUPS,
        help="Leave empty for all target groups.",
    )
    team_ids = fields.Many2many("woonkans.team", string="Teams")
    referrer_ids = fields.Many2many("res.partner", string="Referring organisations", domain=[("is_company", "=", True)])

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise ValidationError(self.env._("The end of the period cannot be before its start."))

    def _woonkans_case_domain(self, prefix=""):
        """Domain for the filters on woonkans.case.report (or a model with ``prefix``)."""
        self.ensure_one()
        domain = Domain.TRUE
        if self.trajectory_type_ids:
            domain &= Domain(f"{prefix}trajectory_type_id", "in", self.trajectory_type_ids.ids)
        if self.target_group:
            domain &= Domain(f"{prefix}target_group", "=", self.target_group)
        if self.team_ids:
            domain &= Domain(f"{prefix}team_id", "in", self.team_ids.ids)
        if self.referrer_ids:
            domain &= Domain(f"{prefix}referrer_id", "in", self.referrer_ids.ids)
        return domain

    def _woonkans_filter_summary(self):
        """Human-readable description of the filters, for the workbook's cover."""
        self.ensure_one()
        parts = []
        if self.trajectory_type_ids:
            parts.append(", ".join(self.trajectory_type_ids.mapped("name")))
        if self.target_group:
            parts.append(dict(self._fields["target_group"]._description_selection(self.env))[self.target_group])
        if self.team_ids:
            parts.append(", ".join(self.team_ids.mapped("name")))
        if self.referrer_ids:
            parts.append(", ".join(self.referrer_ids.mapped("name")))
        return "; ".join(parts) or self.env._("none")

    def action_print_management_xlsx(self):
        self.ensure_one()
        return self.env.ref("woonkans_reports.action_report_management_xlsx").report_action(self)

    def action_print_retention_xlsx(self):
        self.ensure_one()
        cases = self.env["woonkans.case"]._woonkans_retention_due()
        if not cases:
            raise UserError(self.env._("No closed case has passed its retention period."))
        return self.env.ref("woonkans_reports.action_report_retention_xlsx").report_action(cases)
