from odoo import models

from .xlsx_helpers import XlsxStyles, selection_labels, write_table


class ReportWoonkansCaseXlsx(models.AbstractModel):
    """Excel list of the selected cases with their main columns."""

    _name = "report.woonkans_reports.case_xlsx"
    _inherit = "report.woonkans_reports.xlsx_abstract"
    _description = "Woonkans case list (Excel)"

    def _woonkans_columns(self):
        return [
            (self.env._("Reference"), 14, "text"),
            (self.env._("Client"), 24, "text"),
            (self.env._("Target group"), 18, "text"),
            (self.env._("Trajectory"), 26, "text"),
            (self.env._("Stage"), 14, "text"),
            (self.env._("Caseworker"), 20, "text"),
            (self.env._("Team"), 16, "text"),
            (self.env._("Referring organisation"), 26, "text"),
            (self.env._("Referral date"), 12, "date"),
            (self.env._("Intake date"), 12, "date"),
            (self.env._("Trajectory start"), 12, "date"),
            (self.env._("Planned end"), 12, "date"),
            (self.env._("Closed on"), 12, "date"),
            (self.env._("Outcome"), 12, "text"),
            (self.env._("Closure reason"), 24, "text"),
            (self.env._("Open conditions"), 11, "integer"),
            (self.env._("Overdue conditions"), 11, "integer"),
            (self.env._("Conditions met"), 11, "percent"),
            (self.env._("Yellow cards"), 9, "integer"),
            (self.env._("Red cards"), 9, "integer"),
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
            case.date_referral,
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
