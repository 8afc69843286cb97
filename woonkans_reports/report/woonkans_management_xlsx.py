from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.fields import Domain

from odoo.addons.woonkans_case.models.woonkans_condition_line import PENDING_STATUSES

from ..models.woonkans_case_report import POSITIVE_BENCHMARK
from .xlsx_helpers import XlsxStyles, selection_labels, write_cell, write_table

DAYS_PER_MONTH = 365.25 / 12


class ReportWoonkansManagementXlsx(models.AbstractModel):
    """Management workbook for a period: the figures funders and partners ask for.

    Everything is read with the printing user's access rights, so a caseworker
    gets the figures of their own and their team's cases and a coordinator
    those of the whole bureau (of the selected companies).
    """

    _name = "report.woonkans_reports.management_xlsx"
    _inherit = "report.woonkans_reports.xlsx_abstract"
    _description = "Woonkans management report (Excel)"

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards[:1]
        wizard.check_access("read")
        styles = XlsxStyles(workbook, self.env)
        self._sheet_kpis(workbook, styles, wizard)
        self._sheet_target_groups(workbook, styles, wizard)
        self._sheet_outcomes(workbook, styles, wizard)
        self._sheet_referrals(workbook, styles, wizard)
        self._sheet_referral_decisions(workbook, styles, wizard)
        self._sheet_cards(workbook, styles, wizard)
        self._sheet_conditions(workbook, styles, wizard)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _cover(self, sheet, styles, wizard, title):
        sheet.write_string(0, 0, title, styles.title)
        rows = [
            (self.env._("Period"), wizard.date_from, wizard.date_to),
            (self.env._("Filters"), wizard._woonkans_filter_summary(), None),
            (self.env._("Companies"), ", ".join(self.env.companies.mapped("name")), None),
            (self.env._("Printed on"), fields.Date.context_today(self), None),
        ]
        for offset, (label, value, value2) in enumerate(rows, start=1):
            sheet.write_string(offset, 0, label, styles.label)
            write_cell(sheet, offset, 1, value, styles.date if isinstance(value, date) else styles.text, styles)
            if value2:
                write_cell(sheet, offset, 2, value2, styles.date, styles)
        return len(rows) + 2

    def _kpi_values(self, kpi):
        return [
            kpi["referred"],
            kpi["closed"],
            kpi["positive"],
            kpi["negative"],
            kpi["neutral"],
            kpi["positive_rate"] / 100.0 if kpi["closed"] else None,
            POSITIVE_BENCHMARK / 100.0,
            round(kpi["duration_days"], 1) if kpi["closed"] else None,
            round(kpi["duration_days"] / DAYS_PER_MONTH, 1) if kpi["closed"] else None,
            round(kpi["days_to_intake"], 1) if kpi["referred"] else None,
            kpi["yellow_cards"],
            kpi["red_cards"],
        ]

    def _kpi_columns(self, first_header):
        return [
            (first_header, 32, "text"),
            (self.env._("Referred"), 10, "integer"),
            (self.env._("Closed"), 10, "integer"),
            (self.env._("Positive"), 10, "integer"),
            (self.env._("Negative"), 10, "integer"),
            (self.env._("Neutral"), 10, "integer"),
            (self.env._("Positive share"), 11, "percent"),
            (self.env._("Benchmark"), 11, "percent"),
            (self.env._("Average duration (days)"), 13, "decimal"),
            (self.env._("Average duration (months)"), 13, "decimal"),
            (self.env._("Average days to intake"), 13, "decimal"),
            (self.env._("Yellow cards"), 10, "integer"),
            (self.env._("Red cards"), 10, "integer"),
        ]

    def _kpi_sheet(self, workbook, styles, wizard, title, groupby, label_of):
        sheet = workbook.add_worksheet(title)
        Report = self.env["woonkans.case.report"]
        first_row = self._cover(sheet, styles, wizard, title)
        kwargs = {"domain": wizard._woonkans_case_domain(), "date_from": wizard.date_from, "date_to": wizard.date_to}
        kpis = sorted(Report._woonkans_kpis(groupby=groupby, **kwargs), key=lambda k: label_of(k["key"]))
        rows = [[label_of(kpi["key"])] + self._kpi_values(kpi) for kpi in kpis]
        total = Report._woonkans_kpis(**kwargs)
        totals = [self.env._("Total")] + self._kpi_values(total[0]) if total else None
        last = write_table(sheet, styles, first_row, self._kpi_columns(label_of(None, header=True)), rows, totals)
        # Highlight positive shares below the benchmark.
        if rows:
            sheet.conditional_format(
                first_row + 1,
                6,
                first_row + len(rows) + (1 if totals else 0),
                6,
                {"type": "cell", "criteria": "<", "value": POSITIVE_BENCHMARK / 100.0, "format": styles.warning},
            )
        sheet.write_string(
            last + 1,
            0,
            self.env._(
                "Referred: cases registered in the period. Closed, outcomes, durations and cards: cases closed "
                "in the period. Neutral closures count as not positive."
            ),
        )
        return sheet

    # ------------------------------------------------------------------
    # sheets
    # ------------------------------------------------------------------

    def _sheet_kpis(self, workbook, styles, wizard):
        def label_of(key, header=False):
            if header:
                return self.env._("Trajectory")
            return key.name if key else self.env._("(no trajectory)")

        return self._kpi_sheet(
            workbook, styles, wizard, self.env._("KPIs per trajectory"), "trajectory_type_id", label_of
        )

    def _sheet_target_groups(self, workbook, styles, wizard):
        labels = selection_labels(self.env["woonkans.case.report"], "target_group")

        def label_of(key, header=False):
            if header:
                return self.env._("Target group")
            return labels.get(key, self.env._("(none)"))

        return self._kpi_sheet(workbook, styles, wizard, self.env._("KPIs per target group"), "target_group", label_of)

    def _sheet_outcomes(self, workbook, styles, wizard):
        Report = self.env["woonkans.case.report"]
        sheet = workbook.add_worksheet(self.env._("Outcomes"))
        first_row = self._cover(sheet, styles, wizard, self.env._("Outcomes per closure reason"))
        domain = (
            wizard._woonkans_case_domain()
            & Domain("is_closed", "=", True)
            & Report._woonkans_period_domain("date_closed", wizard.date_from, wizard.date_to)
        )
        groups = Report._read_group(domain, ["closure_reason_id", "outcome"], ["case_count:sum", "duration_days:avg"])
        total = sum(count for _reason, _outcome, count, _duration in groups)
        outcomes = selection_labels(Report, "outcome")
        groups.sort(key=lambda g: (g[0].sequence if g[0] else 999, g[0].name or ""))
        rows = [
            [
                reason.name if reason else self.env._("(no closure reason)"),
                outcomes.get(outcome, ""),
                count,
                count / total if total else None,
                round(duration, 1) if duration else None,
            ]
            for reason, outcome, count, duration in groups
        ]
        columns = [
            (self.env._("Closure reason"), 32, "text"),
            (self.env._("Outcome"), 12, "text"),
            (self.env._("Closed"), 10, "integer"),
            (self.env._("Share of closures"), 12, "percent"),
            (self.env._("Average duration (days)"), 13, "decimal"),
        ]
        write_table(
            sheet, styles, first_row, columns, rows, [self.env._("Total"), "", total, 1.0 if total else None, None]
        )

    def _months(self, wizard):
        month = wizard.date_from.replace(day=1)
        months = []
        while month <= wizard.date_to and len(months) < 120:
            months.append(month)
            month += relativedelta(months=1)
        return months

    def _sheet_referrals(self, workbook, styles, wizard):
        Report = self.env["woonkans.case.report"]
        sheet = workbook.add_worksheet(self.env._("Referrals"))
        first_row = self._cover(sheet, styles, wizard, self.env._("Referrals per organisation and month"))
        domain = wizard._woonkans_case_domain() & Report._woonkans_period_domain(
            "date_referral", wizard.date_from, wizard.date_to
        )
        months = self._months(wizard)
        counts = {}
        for referrer, month, count in Report._read_group(
            domain, ["referrer_id", "date_referral:month"], ["case_count:sum"]
        ):
            counts.setdefault(referrer, {})[month] = count
        self._organisation_month_table(sheet, styles, first_row, counts, months)

    def _organisation_month_table(self, sheet, styles, first_row, counts, months):
        """One row per referring organisation, one column per month; returns the next free row."""
        rows = []
        for referrer in sorted(counts, key=lambda r: (not r, r.name or "")):
            per_month = [counts[referrer].get(month, 0) for month in months]
            rows.append(
                [referrer.name if referrer else self.env._("(no referring organisation)")]
                + per_month
                + [sum(per_month)]
            )
        columns = [(self.env._("Referring organisation"), 32, "text")]
        columns += [(fields.Date.to_string(month)[:7], 9, "integer") for month in months]
        columns += [(self.env._("Total"), 9, "integer")]
        totals = [self.env._("Total")] + [sum(row[i + 1] for row in rows) for i in range(len(months))]
        totals.append(sum(row[-1] for row in rows))
        return write_table(sheet, styles, first_row, columns, rows, totals)

    def _sheet_referral_decisions(self, workbook, styles, wizard):
        """Referrals as the bureau received and decided them (not only the accepted ones)."""
        Referral = self.env["woonkans.referral"]
        sheet = workbook.add_worksheet(self.env._("Referral decisions"))
        row = self._cover(sheet, styles, wizard, self.env._("Referrals received and decided"))
        figures = Referral._woonkans_figures(wizard.date_from, wizard.date_to)
        row = self._organisation_month_table(sheet, styles, row, figures["by_org_month"], self._months(wizard)) + 2
        states = selection_labels(Referral, "state")
        decisions = [
            [states.get(state, state), reason.name if reason else "", count]
            for state, reason, count in sorted(
                figures["decisions"], key=lambda d: (d[0], d[1].sequence if d[1] else 0, d[1].name or "")
            )
        ]
        columns = [
            (self.env._("Decision"), 32, "text"),
            (self.env._("Decline reason"), 20, "text"),
            (self.env._("Referrals"), 10, "integer"),
        ]
        row = write_table(
            sheet, styles, row, columns, decisions, [self.env._("Total"), "", sum(d[2] for d in decisions)]
        )
        row += 2
        for label, value, style in (
            (self.env._("Referrals received"), figures["submitted"], styles.integer),
            (
                self.env._("Median days to decision"),
                round(figures["median_days"], 1) if figures["median_days"] is not None else None,
                styles.decimal,
            ),
            (self.env._("Overdue now (no answer past the deadline)"), figures["overdue"], styles.integer),
        ):
            sheet.write_string(row, 0, label, styles.label)
            write_cell(sheet, row, 1, value, style, styles)
            row += 1

    def _sheet_cards(self, workbook, styles, wizard):
        Card = self.env["woonkans.card.event"]
        sheet = workbook.add_worksheet(self.env._("Cards"))
        first_row = self._cover(sheet, styles, wizard, self.env._("Yellow and red cards per month"))
        domain = (
            Domain("case_id", "any", wizard._woonkans_case_domain())
            & Domain("date", ">=", wizard.date_from)
            & Domain("date", "<=", wizard.date_to)
        )
        counts = {}
        for month, card, count in Card._read_group(domain, ["date:month", "card"], ["__count"]):
            counts.setdefault(month, {})[card] = count
        cases = {month: count for month, count in Card._read_group(domain, ["date:month"], ["case_id:count_distinct"])}
        rows = []
        for month in self._months(wizard):
            yellow = counts.get(month, {}).get("yellow", 0)
            red = counts.get(month, {}).get("red", 0)
            rows.append([fields.Date.to_string(month)[:7], yellow, red, yellow + red, cases.get(month, 0)])
        columns = [
            (self.env._("Month"), 12, "text"),
            (self.env._("Yellow cards"), 12, "integer"),
            (self.env._("Red cards"), 12, "integer"),
            (self.env._("Total"), 10, "integer"),
            (self.env._("Cases with a card"), 14, "integer"),
        ]
        totals = [self.env._("Total")] + [sum(row[i] for row in rows) for i in (1, 2, 3)]
        totals.append(Card._read_group(domain, [], ["case_id:count_distinct"])[0][0])
        write_table(sheet, styles, first_row, columns, rows, totals)

    def _sheet_conditions(self, workbook, styles, wizard):
        Line = self.env["woonkans.condition.line"]
        sheet = workbook.add_worksheet(self.env._("Conditions"))
        first_row = self._cover(sheet, styles, wizard, self.env._("Condition fulfilment"))
        running = (
            wizard._woonkans_case_domain()
            & Domain("date_referral", "<=", wizard.date_to)
            # an "any" sub-query ignores active_test: leave archived cases out as the other sheets do
            & Domain("active", "=", True)
            & (Domain("date_closed", "=", False) | Domain("date_closed", ">=", wizard.date_from))
        )
        domain = Domain("case_id", "any", running)
        today = fields.Date.context_today(self)
        stats = {}
        for name, status, count in Line._read_group(domain, ["name", "status"], ["__count"]):
            stats.setdefault(name, {})[status] = count
        overdue_domain = domain & Line._overdue_domain(today)
        overdue = dict(Line._read_group(overdue_domain, ["name"], ["__count"]))
        rows = []
        for name in sorted(stats):
            by_status = stats[name]
            applicable = sum(count for status, count in by_status.items() if status != "not_applicable")
            met = by_status.get("met", 0)
            rows.append(
                [
                    name,
                    applicable,
                    met,
                    by_status.get("not_met", 0),
                    # still open: not checked, in progress, or reported met and not yet confirmed
                    sum(by_status.get(status, 0) for status in PENDING_STATUSES if status != "not_met"),
                    by_status.get("not_applicable", 0),
                    overdue.get(name, 0),
                    met / applicable if applicable else None,
                ]
            )
        columns = [
            (self.env._("Condition"), 40, "text"),
            (self.env._("Applicable"), 11, "integer"),
            (self.env._("Met"), 9, "integer"),
            (self.env._("Not met"), 9, "integer"),
            (self.env._("Open"), 9, "integer"),
            (self.env._("Not applicable"), 11, "integer"),
            (self.env._("Overdue"), 9, "integer"),
            (self.env._("Met share"), 10, "percent"),
        ]
        sums = [sum(row[i] for row in rows) for i in range(1, 7)]
        totals = [self.env._("Total")] + sums + [sums[1] / sums[0] if sums[0] else None]
        write_table(sheet, styles, first_row, columns, rows, totals)
