from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPublicTreePdf(HttpCase):
    """The public page links to the PDF of the published version; only for public trees."""

    def test_public_page_links_to_the_tree_pdf(self):
        tree = self.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        version = tree.published_version_id
        url = f"/woonkansboom/tree/{tree.id}/tree.pdf"
        tree.public_enabled = False
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(url).status_code, 404)
            self.assertEqual(self.url_open("/woonkansboom/tree/999999/tree.pdf").status_code, 404)
        tree.public_enabled = True
        page = self.url_open("/woonkansboom")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'href="{url}"', page.text)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # a real PDF; under the test runner Odoo renders the report's HTML instead
        self.assertTrue(
            response.content.startswith(b"%PDF") or b"o_wk_legend" in response.content,
            response.content[:200],
        )
        self.assertIn(f"{tree.code}-v{version.number}.pdf", response.headers["Content-Disposition"])
        # the HTML of the same report carries the version, its change summary and the legend
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("woonkans_decision_tree.woonkans_decision_tree_version_report_tree", version.ids)[0]
            .decode()
        )
        self.assertIn(version.display_name, html)
        self.assertIn("o_wk_change_summary", html)
        self.assertIn(version.note[:40], html)
        self.assertIn("o_wk_legend", html)
        for label in dict(version.node_ids._fields["outcome_kind"]._description_selection(self.env)).values():
            self.assertIn(label, html)
