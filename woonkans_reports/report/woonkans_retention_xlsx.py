from odoo import fields, models
from odoo.exceptions import AccessError

from .xlsx_helpers import XlsxStyles, selection_labels, write_table

COORDINATOR_GROUP = "woonkans_case.group_woonkans_coordinator"


class ReportWoonkansRetentionXlsx(models.AbstractModel):
    """Closed cases whose retention period has passed: the destruction list.

    Only the selected cases that are actually due are listed, so the file can
    be used as the record of what the functional administrator destroys.
    """

    _name = "report.woonkans_reports.retention_xlsx"
    _inherit = "report.woonkans_reports.xlsx_abstract"
    _description = "Woonkans retention report (Excel)"

    def generate_xlsx_report(self, workbook, data, cases):
        if not (self.env.su or self.env.user.has_group(COORDINATOR_GROUP)):
            raise AccessError(self.env._("Only coordinators can print the retention report."))
        cases = cases.with_context(active_test=False)
        cases.check_access("read")
        today = fields.Date.context_today(self)
        due = cases.filtered(lambda c: c.phase == "closed" and c.retention_until and c.retention_until < today).sorted(
            lambda c: (c.retention_until, c.id)
        )
        styles = XlsxStyles(workbook, self.env)
        sheet = workbook.add_worksheet(self.env._("Retention"))
        sheet.write_string(0, 0, self.env._("Closed cases past their retention period"), styles.title)
        sheet.write_string(1, 0, self.env._("Printed on"), styles.label)
        sheet.write_datetime(1, 1, fields.Datetime.to_datetime(today), styles.date)
        sheet.write_string(2, 0, self.env._("Retention runs per case from its closing date."), styles.text)
        outcomes = selection_labels(cases, "outcome")
        columns = [
            (self.env._("Reference"), 14, "text"),
            (self.env._("Client"), 24, "text"),
            (self.env._("Trajectory"), 26, "text"),
            (self.env._("Closure reason"), 24, "text"),
            (self.env._("Outcome"), 12, "text"),
            (self.env._("Closed on"), 12, "date"),
            (self.env._("Retention (years)"), 10, "integer"),
            (self.env._("Retention until"), 12, "date"),
            (self.env._("Days past retention"), 11, "integer"),
            (self.env._("Archived"), 9, "text"),
            (self.env._("Caseworker"), 20, "text"),
            (self.env._("Company"), 20, "text"),
        ]
        rows = [
            [
                case.name,
                case.client_id.name,
                case.trajectory_type_id.name or "",
                case.closure_reason_id.name or "",
                outcomes.get(case.outcome, ""),
                case.date_closed,
                case.trajectory_type_id.retention_years,
                case.retention_until,
                (today - case.retention_until).days,
                self.env._("Yes") if not case.active else self.env._("No"),
                case.user_id.name or "",
                case.company_id.name,
            ]
            for case in due
        ]
        write_table(sheet, styles, 4, columns, rows)
