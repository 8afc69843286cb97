from odoo import api, fields, models


class WoonkansCase(models.Model):
    _inherit = "woonkans.case"

    @api.model
    def _woonkans_retention_due(self):
        """Closed cases (archived ones included) whose retention period has passed."""
        today = fields.Date.context_today(self)
        return self.with_context(active_test=False).search(
            [("phase", "=", "closed"), ("retention_until", "!=", False), ("retention_until", "<", today)],
            order="retention_until, id",
        )

    def action_woonkans_retention_report(self):
        """Server-action entry point: the Excel list of cases due for destruction."""
        cases = self._woonkans_retention_due()
        return self.env.ref("woonkans_reports.action_report_retention_xlsx").report_action(cases)
