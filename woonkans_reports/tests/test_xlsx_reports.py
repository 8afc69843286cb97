from datetime import date

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import WoonkansReportsCommon


@tagged("post_install", "-at_install")
class TestXlsxReports(WoonkansReportsCommon):
    """Render every Excel report and read it back."""

    def _render(self, xmlid, records, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        content, report_type = Report._render_xlsx(f"woonkans_reports.{xmlid}", records.ids, data={})
        self.assertEqual(report_type, "xlsx")
        return self._read_xlsx(content)

    def test_case_list(self):
        cases = self.case_positive | self.case_open
        book = self._render("action_report_case_xlsx", cases)
        sheet = book["Cases"]
        header_row, headers, rows = self._table(sheet, "Reference")
        self.assertEqual(header_row, 1)
        self.assertEqual(headers[:4], ["Reference", "Client", "Target group", "Trajectory"])
        self.assertIn("Overdue conditions", headers)
        self.assertEqual(sheet.freeze_panes, "B2")
        self.assertTrue(sheet.auto_filter.ref.startswith("A1:"))
        by_ref = {row["Reference"]: row for row in rows}
        self.assertEqual(set(by_ref), {self.case_positive.name, self.case_open.name})
        positive = by_ref[self.case_positive.name]
        self.assertEqual(positive["Client"], "Noor Testklant")
        self.assertEqual(positive["Target group"], "Evicted household")
        self.assertEqual(positive["Outcome"], "Positive")
        self.assertEqual(positive["Closed on"].date(), date(2025, 7, 1))
        self.assertEqual(positive["Referral date"].date(), date(2024, 12, 1))
        self.assertEqual(positive["Yellow cards"], 1)
        self.assertEqual(by_ref[self.case_open.name]["Overdue conditions"], 1)
        self.assertEqual(sheet.cell(row=2, column=headers.index("Closed on") + 1).number_format.lower().count("y"), 4)

    def test_case_list_refuses_foreign_cases(self):
        with self.assertRaises(AccessError):
            self._render("action_report_case_xlsx", self.case_negative, user=self.caseworker)

    def test_management_workbook(self):
        wizard = (
            self.env["woonkans.case.report.period"]
            .with_user(self.coordinator)
            .create(
                {
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 12, 31),
                    "trajectory_type_ids": [Command.set((self.second_chance | self.supported).ids)],
                }
            )
        )
        action = wizard.with_user(self.coordinator).action_print_management_xlsx()
        self.assertEqual((action["report_name"], action["report_type"]), ("woonkans_reports.management_xlsx", "xlsx"))
        book = self._render("action_report_management_xlsx", wizard, user=self.coordinator)
        self.assertEqual(
            book.sheetnames,
            [
                "KPIs per trajectory",
                "KPIs per target group",
                "Outcomes",
                "Referrals",
                "Referral decisions",
                "Cards",
                "Conditions",
            ],
        )
        _row, headers, rows = self._table(book["KPIs per trajectory"], "Trajectory")
        self.assertIn("Positive share", headers)
        kpi = {row["Trajectory"]: row for row in rows}
        second = kpi[self.second_chance.name]
        self.assertEqual((second["Closed"], second["Positive"], second["Negative"], second["Neutral"]), (3, 1, 1, 1))
        self.assertAlmostEqual(second["Positive share"], 1 / 3, places=3)
        self.assertAlmostEqual(second["Benchmark"], 0.75)
        self.assertAlmostEqual(second["Average duration (days)"], 110.3, places=1)
        self.assertEqual((second["Yellow cards"], second["Red cards"]), (2, 1))
        self.assertEqual(kpi["Total"]["Closed"], 3)

        _row, _headers, rows = self._table(book["Outcomes"], "Closure reason")
        outcomes = {row["Closure reason"]: row for row in rows}
        self.assertEqual(outcomes["Rehoused"]["Outcome"], "Positive")
        self.assertEqual(outcomes["Evicted"]["Closed"], 1)
        self.assertAlmostEqual(outcomes["Moved away"]["Share of closures"], 1 / 3, places=3)

        _row, headers, rows = self._table(book["Referrals"], "Referring organisation")
        self.assertEqual(headers[1], "2025-01")
        self.assertEqual(headers[-1], "Total")
        referrals = {row["Referring organisation"]: row for row in rows}
        self.assertEqual(referrals["Woonbron Proef"]["2025-01"], 1)  # the neutral case
        self.assertEqual(referrals["Huisvest Elders"]["Total"], 1)
        self.assertEqual(referrals["(no referring organisation)"]["2025-03"], 1)

        _row, _headers, rows = self._table(book["Cards"], "Month")
        cards = {row["Month"]: row for row in rows}
        self.assertEqual((cards["2025-02"]["Yellow cards"], cards["2025-02"]["Red cards"]), (2, 0))
        self.assertEqual(cards["2025-03"]["Red cards"], 1)
        self.assertEqual(cards["Total"]["Total"], 3)
        self.assertEqual(cards["Total"]["Cases with a card"], 2)

        _row, _headers, rows = self._table(book["Conditions"], "Condition")
        conditions = {row["Condition"]: row for row in rows}
        self.assertEqual(conditions["House visit by the corporation"]["Met"], 1)
        self.assertEqual(conditions["House visit by the corporation"]["Met share"], 1)
        self.assertEqual(conditions["Total"]["Overdue"], 1)

    def test_management_workbook_cover_dates(self):
        """Every sheet's cover shows its dates as dates (with a date format), never as serial numbers."""
        wizard = (
            self.env["woonkans.case.report.period"]
            .with_user(self.coordinator)
            .create({"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)})
        )
        book = self._render("action_report_management_xlsx", wizard, user=self.coordinator)
        checked = 0
        for sheet in book.worksheets:
            cells = {sheet.cell(row=row, column=1).value: row for row in range(2, 6)}
            for label, columns in (("Period", (2, 3)), ("Printed on", (2,))):
                for column in columns:
                    cell = sheet.cell(row=cells[label], column=column)
                    self.assertTrue(cell.is_date, f"{sheet.title}: {label} is {cell.value!r}, not a date")
                    self.assertIn("yy", cell.number_format.lower(), f"{sheet.title}: {label} has no date format")
                    checked += 1
        self.assertEqual(checked, 3 * len(book.worksheets))
        printed = book.worksheets[0].cell(row=cells["Printed on"], column=2).value
        self.assertEqual(printed.date(), fields.Date.context_today(wizard))

    def test_management_workbook_follows_record_rules(self):
        wizard = (
            self.env["woonkans.case.report.period"]
            .with_user(self.caseworker)
            .create({"date_from": date(2024, 1, 1), "date_to": date(2025, 12, 31)})
        )
        book = self._render("action_report_management_xlsx", wizard, user=self.caseworker)
        _row, _headers, rows = self._table(book["KPIs per trajectory"], "Trajectory")
        kpi = {row["Trajectory"]: row for row in rows}
        # Own positive case and the team's open case; not the colleague's other closures.
        self.assertEqual(kpi[self.second_chance.name]["Closed"], 1)
        self.assertEqual(kpi[self.second_chance.name]["Positive share"], 1)
        self.assertEqual(kpi["Total"]["Referred"], 2)

    def test_retention_report(self):
        self.case_neutral.write({"date_closed": date(2015, 5, 1)})
        self.case_neutral.action_archive()
        due = self.env["woonkans.case"]._woonkans_retention_due()
        self.assertIn(self.case_neutral, due)
        self.assertNotIn(self.case_positive, due)
        wizard = self.env["woonkans.case.report.period"].with_user(self.coordinator).create({})
        action = wizard.action_print_retention_xlsx()
        self.assertEqual(action["report_name"], "woonkans_reports.retention_xlsx")
        # Selected cases that are not due are left out of the destruction list.
        book = self._render("action_report_retention_xlsx", due | self.case_positive, user=self.coordinator)
        sheet = book["Retention"]
        _row, headers, rows = self._table(sheet, "Reference")
        self.assertIn("Retention until", headers)
        refs = [row["Reference"] for row in rows]
        self.assertIn(self.case_neutral.name, refs)
        self.assertNotIn(self.case_positive.name, refs)
        row = next(row for row in rows if row["Reference"] == self.case_neutral.name)
        self.assertEqual(row["Closed on"].date(), date(2015, 5, 1))
        self.assertEqual(row["Archived"], "Yes")
        self.assertEqual(row["Days past retention"], (date.today() - self.case_neutral.retention_until).days)
        with self.assertRaises(AccessError):
            self._render("action_report_retention_xlsx", due, user=self.caseworker)
