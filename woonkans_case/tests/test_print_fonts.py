import logging
import re

from odoo.tests import TransactionCase, tagged

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPrintFonts(TransactionCase):
    """Every PDF report of our add-ons prints its text in an installed font (class
    ``o_woonkans_print``): wkhtmltopdf on Debian draws a web font as outlines, and the PDF
    then holds no text to select, search or read aloud (a screen reader gets nothing)."""

    def test_every_woonkans_pdf_report_uses_the_print_fonts(self):
        reports = self.env["ir.actions.report"].search(
            [("report_type", "=", "qweb-pdf"), ("report_name", "=like", "woonkans_%")]
        )
        self.assertTrue(reports)
        for report in reports:
            with self.subTest(report=report.report_name):
                self.assertIn("o_woonkans_print", self._arch(report.report_name), f"{report.report_name}: web font")
        _logger.info("TestPrintFonts: %s PDF reports checked", len(reports))

    def _arch(self, xmlid, seen=None):
        """The template's arch with the arch of every template of ours it calls, recursively."""
        seen = seen if seen is not None else set()
        if xmlid in seen:
            return ""
        seen.add(xmlid)
        arch = self.env.ref(xmlid).arch
        called = re.findall(r't-call="(woonkans_[\w.]+)"', arch)
        return arch + "".join(self._arch(name, seen) for name in called)
