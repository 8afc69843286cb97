from odoo import models

from .xlsx_helpers import XlsxStyles, selection_labels, write_table


class ReportWoonkansCaseXlsx(models.AbstractModel):
    """Excel list of the selected cases with their main columns."""

    _name = "report.woonkans_reports.case_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Woonkans case list (Excel)"

    def _woonkans_columns(self):
        _ = self.env._
        return [
            (_("Reference"), 14, "text"),
            (_("Client"), 24, "text"),
            (_("Target group"), 18, "text"),
            (_("Trajectory"), 26, "text"),
            (_("Stage"), 14, "text"),
            (_("Caseworker"), 20, "text"),
            (_("Team"), 16, "text"),
            (_("Referring organisation"), 26, "text"),
            (_("Referral date"), 12, "date"),
            (_("Intake date"), 12, "date"),
            (_("Trajectory start"), 12, "date"),
            (_("Planned end"), 12, "date"),
            (_("Closed on"), 12, "date"),
            (_("Outcome"), 12, "text"),
            (_("Closure reason"), 24, "text"),
            (_("Open conditions"), 11, "integer"),
            (_("Overdue conditions"), 11, "integer"),
            (_("Conditions met"), 11, "percent"),
            (_("Yellow cards"), 9, "integer"),
            (_("Red cards"), 9, "integer"),
        ]

    def _woonkans_row(self, case, target_groups, outcomes):
        return [
            case.name,
            case.client_id.name,
            target_groups.get(case.target_group, ""),
            case.trajectory_type_id.name or "",
            case.stage_id.name,
            case.user_id.name or "",
            case.team_id.name or "",
            case.referrer_id.name or "",
            case.create_date.date() if case.create_date else False,
            case.intake_date,
            case.date_start,
            case.date_planned_end,
            case.date_closed,
            outcomes.get(case.outcome, "") if case.phase == "closed" else "",
            case.closure_reason_id.name or "",
            case.condition_open_count,
            case.condition_overdue_count,
            case.condition_progress / 100.0,
            case.yellow_card_count,
            case.red_card_count,
        ]

    def generate_xlsx_report(self, workbook, data, cases):
        cases.check_access("read")
        styles = XlsxStyles(workbook, self.env)
        sheet = workbook.add_worksheet(self.env._("Cases"))
        target_groups = selection_labels(cases, "target_group")
        outcomes = selection_labels(cases, "outcome")
        rows = [self._woonkans_row(case, target_groups, outcomes) for case in cases]
        write_table(sheet, styles, 0, self._woonkans_columns(), rows)
