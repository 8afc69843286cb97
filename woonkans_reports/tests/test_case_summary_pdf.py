from odoo.tests import HttpCase, tagged

from odoo.addons.woonkans_case.tests.common_pdf import WoonkansPdfMixin

from .common import WoonkansReportsCommon

SHARED = "woonkans_reports.report_case_summary"
INTERNAL = "woonkans_reports.report_case_summary_internal"
# Data of case_positive that only the internal overview may show.
INTERNAL_ONLY = (
    "Reclassering Proef",
    "Report to probation monthly",
    "Sensitive visit note",
    "Secret card reason",
    "Proefstraat",  # the tenancy address (pdftotext may split its table cell)
    "1.234,50",
)

# Labels of the overview as they read untranslated.
ENGLISH_LABELS = ("Dossier overview", "Key dates", "Parties", "Conditions", "Printed on", "Internal:")


@tagged("post_install", "-at_install")
class TestCaseSummaryPdf(WoonkansPdfMixin, WoonkansReportsCommon, HttpCase):
    """Every PDF report of the add-on, printed for real by wkhtmltopdf and read back with pdftotext."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._wk_prepare_pdf(["woonkans_case", "woonkans_reports"])

    def test_every_pdf_report_is_printed_here(self):
        reports = self.env["ir.actions.report"].search([("report_type", "=", "qweb-pdf")])
        ours = {r.report_name for r in reports if r.get_external_id()[r.id].startswith("woonkans_reports.")}
        self.assertEqual(ours, {SHARED, INTERNAL}, "a new PDF report needs a test in this class")

    def test_shared_overview_pdf(self):
        text = self._wk_pdf_report_text(SHARED, self.case_positive, user=self.caseworker)
        for expected in (
            "Dossieroverzicht",
            self.case_positive.name,
            "Noor Testklant",
            "Cliënt",
            "Betrokken partijen",
            "Woonbron Proef",
            "Zorgpunt Proef",
            "Voorwaarden",
            "House visit by the corporation",
            "Find a daytime activity",
            "Gele kaarten: 1",
            "Bevat geen metingen",
        ):
            self.assertIn(expected, text)
        # nothing internal, no other case, no English left untranslated
        for forbidden in (*INTERNAL_ONLY, "Intern:", self.case_negative.name, *ENGLISH_LABELS):
            self.assertNotIn(forbidden, text)

    def test_internal_overview_pdf(self):
        text = self._wk_pdf_report_text(INTERNAL, self.case_positive, user=self.caseworker)
        for expected in (
            "Dossieroverzicht",
            self.case_positive.name,
            "Intern: alleen voor medewerkers van het bureau, niet delen.",
            *INTERNAL_ONLY,
            "Meest recente meting van de leefgebieden",
        ):
            self.assertIn(expected, text)
        for forbidden in (self.case_negative.name, *ENGLISH_LABELS):
            self.assertNotIn(forbidden, text)

    def test_portal_contact_prints_the_shared_overview(self):
        text = self._wk_pdf_report_text(SHARED, self.case_positive, user=self.portal_a)
        self.assertIn(self.case_positive.name, text)
        for forbidden in INTERNAL_ONLY:
            self.assertNotIn(forbidden, text)

    def test_pdf_over_http(self):
        """``/report/pdf/...`` as a caseworker answers a real PDF, not the 422 of a missing wkhtmltopdf."""
        self.caseworker.password = self.caseworker.login
        self.caseworker.lang = "nl_NL"
        self.authenticate(self.caseworker.login, self.caseworker.login)
        response = self.url_open(
            f"/report/pdf/{SHARED}/{self.case_positive.id}", params={"context": '{"force_report_rendering": true}'}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        text = self._wk_pdf_text(response.content)
        self.assertIn(self.case_positive.name, text)
        self.assertIn("Dossieroverzicht", text)
        self.assertNotIn("Sensitive visit note", text)
