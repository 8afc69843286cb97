from odoo import models


class ReportWoonkansXlsxAbstract(models.AbstractModel):
    """The base of every Woonkans Excel report: workbook options that keep user input text.

    xlsxwriter's ``write()`` turns a string starting with ``=`` into a formula and a
    URL-like string into a hyperlink; both are switched off here, and the shared
    ``xlsx_helpers.write_text`` writes every string as a text cell (with the quote
    prefix where it looks like a formula).
    """

    _name = "report.woonkans_reports.xlsx_abstract"
    _inherit = "report.report_xlsx.abstract"
    _description = "Woonkans Excel report base"

    def get_workbook_options(self):
        options = super().get_workbook_options()
        options.update({"strings_to_formulas": False, "strings_to_urls": False})
        return options
