from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import WoonkansReportsCommon


@tagged("post_install", "-at_install")
class TestCaseSummary(WoonkansReportsCommon):
    """The dossier overview, rendered as HTML (wkhtmltopdf is not needed for the content)."""

    def _html(self, report, case, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        html, report_type = Report._render_qweb_html(f"woonkans_reports.{report}", case.ids)
        self.assertEqual(report_type, "html")
        return html.decode() if isinstance(html, bytes) else str(html)

    def test_shared_overview_content(self):
        html = self._html("report_case_summary", self.case_positive, user=self.caseworker)
        for expected in (
            self.case_positive.name,
            "Noor Testklant",
            self.second_chance.name,
            "Woonbron Proef",
            "Zorgpunt Proef",
            "House visit by the corporation",
            "Find a daytime activity",
            "Being kept" if self.arrangement.state == "kept" else "No payments recorded",
            "Yellow card",
            "Three-party contract",
        ):
            self.assertIn(expected, html)
        # Nothing sensitive: no organisation that is not shared, no notes, amounts, reasons, scores.
        for forbidden in (
            "Reclassering Proef",
            "Report to probation monthly",
            "Sensitive visit note",
            "Secret card reason",
            "1,234.50",
            "Proefstraat 1",
            "life-domain assessment",
        ):
            self.assertNotIn(forbidden, html)

    def test_shared_overview_names_only_consented_organisations(self):
        """The parties' overview follows the consent records: a withdrawn consent takes the
        organisation, its conditions and its plan tasks out of it."""
        self.case_positive.consent_ids.filtered(lambda c: c.partner_id == self.care).action_withdraw()
        html = self._html("report_case_summary", self.case_positive, user=self.caseworker)
        self.assertIn("Woonbron Proef", html)
        self.assertNotIn("Zorgpunt Proef", html.split("<h4>Tenancy agreement</h4>")[0])
        self.assertNotIn("Find a daytime activity", html)
        internal = self._html("report_case_summary_internal", self.case_positive, user=self.caseworker)
        self.assertIn("Find a daytime activity", internal)

    def test_internal_overview_adds_scores_and_details(self):
        html = self._html("report_case_summary_internal", self.case_positive, user=self.caseworker)
        for expected in (
            "Internal: for bureau staff only",
            "Reclassering Proef",
            "Report to probation monthly",
            "Sensitive visit note",
            "Secret card reason",
            "Proefstraat 1",
            "Latest life-domain assessment",
        ):
            self.assertIn(expected, html)
        self.assertRegex(html, r"1,234\.50|1\.234,50")

    def test_internal_overview_has_no_scores_without_the_special_category_group(self):
        colleague = new_test_user(
            self.env, login="wk_reports_plain", groups="woonkans_case.group_woonkans_user", name="Pim Gewoon"
        )
        self.case_positive.team_id = self.env["woonkans.team"].create(
            {"name": "Team Rapport", "member_ids": [Command.set([colleague.id])]}
        )
        coordinator = new_test_user(
            self.env, login="wk_reports_coord_plain", groups="woonkans_case.group_woonkans_coordinator"
        )
        for user in (colleague, coordinator):
            html = self._html("report_case_summary_internal", self.case_positive, user=user)
            self.assertIn("Internal: for bureau staff only", html)
            self.assertIn("Secret card reason", html)
            self.assertNotIn("life-domain assessment", html, user.login)

    def test_internal_overview_is_staff_only(self):
        with self.assertRaises(AccessError):
            self._html("report_case_summary_internal", self.case_positive, user=self.portal_a)

    def test_overview_checks_read_access(self):
        with self.assertRaises(AccessError):
            self._html("report_case_summary", self.case_negative, user=self.caseworker)
        with self.assertRaises(AccessError):
            self._html("report_case_summary", self.case_positive, user=self.portal_b)
        # The portal contact of a current, shared party gets the shared overview.
        html = self._html("report_case_summary", self.case_positive, user=self.portal_a)
        self.assertIn("House visit by the corporation", html)
        self.assertNotIn("Reclassering Proef", html)

    def test_pdf_without_wkhtmltopdf_still_checks_access_first(self):
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.portal_b)._render_qweb_pdf(
                "woonkans_reports.report_case_summary", self.case_positive.ids
            )
