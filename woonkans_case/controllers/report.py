from odoo import http

from odoo.addons.web.controllers.report import ReportController


class WoonkansReportController(ReportController):
    """Woonkans reports are printed on a read/write cursor, so the read log can record them.

    Odoo serves ``/report/<converter>/<reportname>`` on a read-only cursor; a callable
    ``readonly`` keeps that for every other report.
    """

    def _woonkans_report_readonly(self, rule, args):
        return not str(args.get("reportname") or "").startswith("woonkans_")

    @http.route(readonly=_woonkans_report_readonly)
    def report_routes(self, reportname, docids=None, converter=None, **data):
        return super().report_routes(reportname, docids=docids, converter=converter, **data)
