from datetime import date

from odoo.fields import Domain
from odoo.tests import tagged

from .common import WoonkansReportsCommon


@tagged("post_install", "-at_install")
class TestCaseReport(WoonkansReportsCommon):
    """The analysis view against the fixtures' known dates and outcomes."""

    def _row(self, case):
        return self.env["woonkans.case.report"].search([("case_id", "=", case.id)])

    def test_one_row_per_case_with_dates_and_durations(self):
        Report = self.env["woonkans.case.report"]
        cases = self.case_positive | self.case_negative | self.case_neutral | self.case_open | self.case_company_2
        rows = Report.search([("case_id", "in", cases.ids)])
        self.assertEqual(len(rows), 5)
        positive = self._row(self.case_positive)
        self.assertEqual(positive.date_referral, date(2024, 12, 1))
        self.assertEqual(positive.days_to_intake, 14)
        self.assertEqual(positive.duration_days, 181)
        self.assertEqual(positive.outcome, "positive")
        self.assertEqual(positive.positive_rate, 100.0)
        self.assertEqual((positive.is_closed, positive.closed_count, positive.positive_count), (True, 1, 1))
        self.assertEqual(positive.referrer_id, self.corp_a)
        self.assertEqual(positive.trajectory_type_id, self.second_chance)
        self.assertEqual(positive.phase, "closed")
        negative = self._row(self.case_negative)
        self.assertEqual((negative.duration_days, negative.days_to_intake), (30, 10))
        self.assertEqual((negative.yellow_card_count, negative.red_card_count), (1, 1))
        self.assertEqual((negative.negative_count, negative.positive_rate), (1, 0.0))
        neutral = self._row(self.case_neutral)
        self.assertEqual(neutral.duration_days, 120)
        self.assertFalse(neutral.days_to_intake)
        self.assertEqual((neutral.outcome, neutral.positive_count, neutral.negative_count), ("neutral", 0, 0))

    def test_open_case_counts(self):
        row = self._row(self.case_open)
        self.assertFalse(row.is_closed)
        self.assertFalse(row.outcome)
        self.assertFalse(row.duration_days)
        self.assertEqual(row.running_days, (date.today() - date(2025, 3, 15)).days)
        lines = self.case_open.condition_line_ids
        self.assertEqual(row.condition_count, len(lines.filtered(lambda line: line.status != "not_applicable")))
        self.assertEqual(row.condition_met_count, len(lines.filtered(lambda line: line.status == "met")))
        self.assertEqual(row.condition_overdue_count, 1)
        self.assertEqual(row.condition_open_count, self.case_open.condition_open_count)
        self.assertEqual(row.condition_overdue_count, self.case_open.condition_overdue_count)

    def test_read_group_positive_share_and_average_duration(self):
        Report = self.env["woonkans.case.report"]
        domain = Domain("case_id", "in", (self.case_positive | self.case_negative | self.case_neutral).ids)
        [(count, closed, rate, duration)] = Report._read_group(
            domain, [], ["case_count:sum", "closed_count:sum", "positive_rate:avg", "duration_days:avg"]
        )
        self.assertEqual((count, closed), (3, 3))
        self.assertAlmostEqual(rate, 100.0 / 3, places=2)
        self.assertAlmostEqual(duration, (181 + 30 + 120) / 3, places=2)
        # The open case does not dilute the share: its positive_rate is NULL.
        domain_all = Domain("case_id", "in", (self.case_positive | self.case_open).ids)
        [(rate_all,)] = Report._read_group(domain_all, [], ["positive_rate:avg"])
        self.assertEqual(rate_all, 100.0)

    def test_kpis_per_trajectory_for_a_period(self):
        Report = self.env["woonkans.case.report"]
        domain = Domain(
            "case_id", "in", (self.case_positive | self.case_negative | self.case_neutral | self.case_open).ids
        )
        kpis = {
            kpi["key"]: kpi
            for kpi in Report._woonkans_kpis(
                domain=domain, groupby="trajectory_type_id", date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)
            )
        }
        second = kpis[self.second_chance]
        self.assertEqual((second["closed"], second["positive"], second["negative"], second["neutral"]), (3, 1, 1, 1))
        self.assertAlmostEqual(second["positive_rate"], 100.0 / 3, places=2)
        self.assertAlmostEqual(second["duration_days"], 331 / 3, places=2)
        self.assertEqual((second["yellow_cards"], second["red_cards"]), (2, 1))
        # Referred in 2025: the negative and neutral case (the positive one was referred in 2024).
        self.assertEqual(second["referred"], 2)
        self.assertAlmostEqual(second["days_to_intake"], 10.0)
        supported = kpis[self.supported]
        self.assertEqual((supported["referred"], supported["closed"]), (1, 0))
        # A period that only holds the negative closure.
        [march] = Report._woonkans_kpis(domain=domain, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
        self.assertEqual((march["closed"], march["negative"], march["positive_rate"]), (1, 1, 0.0))

    def test_view_follows_case_changes(self):
        self.env["woonkans.card.event"].create({"case_id": self.case_open.id, "card": "red", "reason": "Test"})
        self.env.flush_all()
        self.assertEqual(self._row(self.case_open).red_card_count, 1)

    def test_overdue_counts_follow_the_condition_rule(self):
        """The analysis view's SQL spells the condition line's overdue rule."""
        Line = self.env["woonkans.condition.line"]
        self.env.flush_all()
        reports = self.env["woonkans.case.report"].search([])
        self.assertTrue(reports)
        overdue_by_case = dict(Line._read_group(Line._overdue_domain(), ["case_id"], ["__count"]))
        for report in reports:
            self.assertEqual(report.condition_overdue_count, overdue_by_case.get(report.case_id, 0), report.name)
            self.assertEqual(report.condition_overdue_count, report.case_id.condition_overdue_count, report.name)
