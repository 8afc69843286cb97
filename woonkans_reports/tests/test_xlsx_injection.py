import io
import logging
import zipfile

from odoo.tests import tagged

from ..report.xlsx_helpers import QUOTE_PREFIX_SUPPORTED, is_formula_like
from .common import WoonkansReportsCommon

_logger = logging.getLogger(__name__)


PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+31 6 1234 5678",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    " =1+1",
]


@tagged("post_install", "-at_install")
class TestXlsxInjection(WoonkansReportsCommon):
    """User input that looks like a formula is written as a text cell in every Excel report."""

    def test_every_xlsx_report_uses_the_safe_base(self):
        reports = self.env["ir.actions.report"].search([("report_type", "=", "xlsx")])
        ours = reports.filtered(lambda r: r.report_name.startswith("woonkans_"))
        self.assertTrue(ours)
        base = type(self.env["report.woonkans_reports.xlsx_abstract"])
        # add-ons below the reports in the data flow (the decision tree) cannot inherit the base;
        # their reports must still switch formulas and links off, and test their own cells
        reports_module = self.env.ref("base.module_woonkans_reports")
        for report in ours:
            with self.subTest(report=report.report_name):
                module = self.env["ir.module.module"].search([("name", "=", report.report_name.split(".")[0])])
                if reports_module in module.upstream_dependencies(exclude_states=("uninstalled",)) or (
                    module == reports_module
                ):
                    self.assertIsInstance(self.env[f"report.{report.report_name}"], base)
                options = self.env[f"report.{report.report_name}"].get_workbook_options()
                self.assertFalse(options["strings_to_formulas"])
                self.assertFalse(options["strings_to_urls"])
        _logger.info(f"TestXlsxInjection: {len(ours)} xlsx reports checked")

    def test_formula_triggers(self):
        # carriage return and line feed too: openpyxl cannot read those back unchanged, so they are checked here
        for text in [*PAYLOADS, "\r=1+1", "\n=1+1"]:
            self.assertTrue(is_formula_like(text), repr(text))
        for text in ["Noor Testklant", "1+1", "", "WK-2026-00001"]:
            self.assertFalse(is_formula_like(text), repr(text))

    def test_formula_input_is_text(self):
        cases = self.env["woonkans.case"]
        for payload in PAYLOADS:
            client = self.env["res.partner"].create({"name": payload, "woonkans_is_client": True})
            case = self.case_open.copy({"client_id": client.id})
            case.name = payload  # a reference is never typed like this, but the cell must still be text
            cases |= case
        content, _type = self.env["ir.actions.report"]._render_xlsx(
            "woonkans_reports.action_report_case_xlsx", cases.ids, data={}
        )
        book = self._read_xlsx(content)
        sheet = book["Cases"]
        _row, headers, _rows = self._table(sheet, "Reference")
        client_col = headers.index("Client") + 1
        found = {}
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=client_col)
            found[cell.value] = cell
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                cell = found[payload]
                self.assertEqual(cell.data_type, "s")
                self.assertEqual(cell.value, payload)
                if QUOTE_PREFIX_SUPPORTED:
                    self.assertTrue(cell.quotePrefix)
        # and no formula anywhere in the sheet XML
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    self.assertNotIn(b"<f>", archive.read(name), name)
        _logger.info(f"TestXlsxInjection: {len(PAYLOADS)} payloads written as text")
