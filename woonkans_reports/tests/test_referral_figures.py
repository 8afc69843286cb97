from datetime import date, datetime

from odoo.tests import tagged

from .common import WoonkansReportsCommon


@tagged("post_install", "-at_install")
class TestReferralFigures(WoonkansReportsCommon):
    """Referrals per organisation and month, decisions by reason, median days to decision, overdue."""

    def _referral(self, org, submitted, state="submitted", decided=None, reason=None):
        referral = self.env["woonkans.referral"].create(
            {
                "client_name": "Figuur Persoon",
                "target_group": "evicted",
                "referrer_id": org.id,
                "date_submitted": submitted,
            }
        )
        referral.write({"state": state, "date_answered": decided, "decline_reason_id": reason.id if reason else False})
        return referral

    def test_figures_and_workbook(self):
        reason = self.env.ref("woonkans_case.decline_reason_known")
        self._referral(self.corp_a, datetime(2025, 1, 6, 9), "accepted", datetime(2025, 1, 8, 9))
        self._referral(self.corp_a, datetime(2025, 1, 20, 9), "declined", datetime(2025, 1, 26, 9), reason)
        self._referral(self.corp_b, datetime(2025, 2, 3, 9), "declined", datetime(2025, 2, 13, 9), reason)
        overdue = self._referral(self.corp_b, datetime(2025, 3, 3, 9))
        self._referral(self.corp_b, datetime(2026, 3, 3, 9))  # outside the period
        figures = self.env["woonkans.referral"]._woonkans_figures(date(2025, 1, 1), date(2025, 12, 31))
        self.assertEqual(figures["submitted"], 4)
        self.assertEqual(figures["by_org_month"][self.corp_a][date(2025, 1, 1)], 2)
        self.assertEqual(figures["median_days"], 6.0)
        decisions = {(state, r.id): count for state, r, count in figures["decisions"]}
        self.assertEqual(decisions, {("accepted", False): 1, ("declined", reason.id): 2})
        self.assertTrue(overdue.is_overdue)
        self.assertGreaterEqual(figures["overdue"], 1)
        wizard = (
            self.env["woonkans.case.report.period"]
            .with_user(self.coordinator)
            .create({"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)})
        )
        content, __ = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator)
            ._render_xlsx("woonkans_reports.action_report_management_xlsx", wizard.ids, data={})
        )
        sheet = self._read_xlsx(content)["Referral decisions"]
        __, headers, rows = self._table(sheet, "Referring organisation")
        by_org = {row["Referring organisation"]: row for row in rows}
        self.assertEqual(by_org["Woonbron Proef"]["2025-01"], 2)
        self.assertEqual(by_org["Huisvest Elders"]["Total"], 2)
        values = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
        self.assertEqual(values["Median days to decision"], 6.0)
        self.assertEqual(values["Referrals received"], 4)
