from odoo import models
from odoo.exceptions import AccessError, UserError

# Reports whose records are checked before anything is rendered, so a user who
# cannot read a case gets an access error even where wkhtmltopdf is missing.
CASE_REPORTS = {
    "woonkans_reports.report_case_summary",
    "woonkans_reports.report_case_summary_internal",
}


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _woonkans_check_report_access(self, report_ref, res_ids):
        report = self._get_report(report_ref)
        if report.report_name not in CASE_REPORTS or self.env.su:
            return
        if report.group_ids and not (report.group_ids & self.env.user.all_group_ids):
            raise AccessError(self.env._("You are not allowed to print %(report)s.", report=report.name))
        if res_ids:
            ids = [res_ids] if isinstance(res_ids, int) else list(res_ids)
            self.env[report.model].browse(ids).check_access("read")

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        self._woonkans_check_report_access(report_ref, res_ids)
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _render_qweb_html(self, report_ref, docids, data=None):
        self._woonkans_check_report_access(report_ref, docids)
        return super()._render_qweb_html(report_ref, docids, data=data)

    def _render_xlsx(self, report_ref, docids, data):
        xlsx_report = self._get_report(report_ref)
        if (
            xlsx_report.model == "woonkans.case"
            and not self.env.context.get("woonkans_protected_export")
            and self.env["woonkans.case.protected.export"]._protection_required()
        ):
            raise UserError(
                self.env._("Case exports must be password-protected: use Action > Password-protected Excel export.")
            )
        report = self._woonkans_log_report(report_ref, docids)
        return super(IrActionsReport, report)._render_xlsx(report_ref, docids, data)
