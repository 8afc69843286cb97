from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    """The demo prints as a bureau: its own name, address, logo, header and footer."""

    def test_demo_case_overview_prints_the_bureau(self):
        case = self.env.ref("woonkans_case.woonkans_case_esther_demo", raise_if_not_found=False)
        if not case:
            self.skipTest("no demo data")
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Bureau Woonkans Demo")
        self.assertTrue(company.logo)
        self.assertEqual(company.paperformat_id, self.env.ref("base.paperformat_euro"))
        self.assertEqual(company.country_id, self.env.ref("base.nl"))
        coordinator = self.env.ref("woonkans_case.res_users_coordinator_demo")
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(coordinator)
            .with_context(lang="nl_NL")
            ._render_qweb_html("woonkans_reports.action_report_case_summary", case.ids)
        )
        html = html.decode()
        for text in (
            "Bureau Woonkans Demo",
            "Kansenstraat 12",
            "9711 ZX Groningen",
            "persoonsgegevens",
            "data:image/png",
        ):
            self.assertIn(text, html)
        for text in ("YourCompany", "Brisbane", "My Company"):
            self.assertNotIn(text, html)
