import logging

from odoo.tests import tagged

from .common import WoonkansReportsCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestReportLogging(WoonkansReportsCommon):
    """Every print and download of a Woonkans report of case data lands in the read log, once per record."""

    def _entries(self, user):
        return self.env["woonkans.access.log"].search([("user_id", "=", user.id), ("route", "=", "report")])

    def test_every_case_report_is_logged(self):
        reports = self.env["ir.actions.report"].search(
            [("report_name", "=like", "woonkans_reports.%"), ("model", "=", "woonkans.case")]
        )
        self.assertGreaterEqual(len(reports), 3)
        Report = self.env["ir.actions.report"].with_user(self.coordinator)
        cases = self.case_positive | self.case_open
        for report in reports:
            with self.subTest(report=report.report_name):
                before = len(self._entries(self.coordinator))
                if report.report_type == "xlsx":
                    Report._render_xlsx(report.report_name, cases.ids, data={})
                else:
                    Report._render_qweb_pdf(report.report_name, cases.ids)  # HTML in tests, logged once
                entries = self._entries(self.coordinator)[: len(self._entries(self.coordinator)) - before]
                self.assertEqual(len(entries), 2)
                self.assertEqual(set(entries.case_id.ids), set(cases.ids))
                self.assertEqual(set(entries.mapped("detail")), {report.report_name})
                self.assertEqual(set(entries.mapped("client_id").ids), set(cases.client_id.ids))
        _logger.info(f"TestReportLogging: {len(reports)} case reports checked")
