from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _woonkans_log_report(self, report_ref, res_ids):
        """Every print or download of a Woonkans report goes into the read log, once.

        Returns the report model with a context flag, so the HTML rendering inside a
        PDF rendering is not logged a second time.
        """
        if self.env.su or self.env.context.get("woonkans_report_logged") or not res_ids:
            return self
        report = self._get_report(report_ref)
        if not report.report_name.startswith("woonkans_"):
            return self
        ids = [res_ids] if isinstance(res_ids, int) else list(res_ids)
        records = self.env[report.model].browse(ids)
        self.env["woonkans.access.log"]._log(records, route="report", detail=report.report_name)
        return self.with_context(woonkans_report_logged=True)

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        report = self._woonkans_log_report(report_ref, res_ids)
        return super(IrActionsReport, report)._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _render_qweb_html(self, report_ref, docids, data=None):
        report = self._woonkans_log_report(report_ref, docids)
        return super(IrActionsReport, report)._render_qweb_html(report_ref, docids, data=data)
