import logging
import re

from odoo.tests import tagged

from .common_portal import WoonkansPortalCommon

_logger = logging.getLogger(__name__)


HTML_LANG = re.compile(r"<html[^>]*\blang=\"([^\"]*)\"")


@tagged("post_install", "-at_install")
class TestPageLanguage(WoonkansPortalCommon):
    """Every page of ours tells a screen reader the language it is written in."""

    def _pages(self):
        """Our GET pages without parameters, from the routing map, plus the portal home and the login."""
        routes = {"/my", "/web/login"}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            path = rule.rule
            if (
                path.startswith(("/my/woonkans", "/woonkansboom"))
                and "<" not in path
                and (not rule.methods or "GET" in rule.methods)
            ):
                routes.add(path)
        return sorted(routes)

    def test_pages_say_their_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.user_a1.lang = "nl_NL"
        self.authenticate("wkp_a1", "wkp_a1")
        pages = self._pages()
        self.assertIn("/my/woonkans", pages)
        checked = []
        for page in pages:
            response = self.url_open(page)
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            match = HTML_LANG.search(response.text)
            self.assertTrue(match, f"{page}: <html> has no lang")
            self.assertEqual(match.group(1), "nl-NL", page)
            checked.append(page)
        _logger.info(f"TestPageLanguage: {len(checked)} pages say lang=nl-NL: {', '.join(checked)}")
        self.assertGreaterEqual(len(checked), 3)

    def test_english_user_gets_english(self):
        self.user_b1.lang = "en_US"
        self.authenticate("wkp_b1", "wkp_b1")
        response = self.url_open("/my/woonkans")
        self.assertEqual(HTML_LANG.search(response.text).group(1), "en-US")
