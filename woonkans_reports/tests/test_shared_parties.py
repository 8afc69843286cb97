import logging
import re

from markupsafe import escape

from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

PARTIES_SECTION = re.compile(r'id="parties".*?</ul>', re.S)


@tagged("post_install", "-at_install")
class TestSharedPartiesEverywhere(HttpCase):
    """The parties a partner organisation sees of a case are the same on the portal
    case page, over RPC and in the shared dossier overview: for every demo portal
    user and every case it follows. Organisations not shared on the portal (Veilig
    Thuis, the urgency bureau in the demo) and ended party lines appear nowhere.
    """

    def _rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_portal_rpc_and_overview_agree(self):
        portal = self.env.ref("base.group_portal")
        users = self.env["res.users"].search([("group_ids", "in", portal.ids), ("share", "=", True)])
        users = users.filtered(lambda u: u.commercial_partner_id.is_company)
        self.assertTrue(users, "the demo data has portal users of partner organisations")
        cases_tried = hidden_tried = 0
        for user in users:
            user.password = user.login  # demo passwords are not known to the test; rolled back
            self.authenticate(user.login, user.login)
            for case in self.env["woonkans.case"].browse(self._rpc("woonkans.case", "search", [])):
                with self.subTest(user=user.login, case=case.name):
                    # a current line shared on the portal (the rule, restated)
                    expected = case.party_ids.filtered(lambda p: p.is_current and p.share_on_portal)
                    shown = expected.partner_id
                    hidden = case.party_ids.partner_id - shown
                    # RPC: the party lines it may search, and those it may not read
                    rpc = self._rpc("woonkans.case.party", "search_read", [("case_id", "=", case.id)], ["partner_id"])
                    self.assertEqual({r["id"] for r in rpc}, set(expected.ids))
                    for party in case.party_ids - expected:
                        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
                            self._rpc("woonkans.case.party", "read", party.ids, ["partner_id"])
                    # the portal case page
                    page = self.url_open(f"/my/woonkans/{case.id}")
                    self.assertEqual(page.status_code, 200)
                    section = PARTIES_SECTION.search(page.text).group(0)
                    # the shared overview, as the partner prints it
                    overview = self.url_open(f"/report/html/woonkans_reports.report_case_summary/{case.id}")
                    self.assertEqual(overview.status_code, 200)
                    for org in shown:
                        self.assertIn(escape(org.name), section)
                        self.assertIn(escape(org.name), overview.text)
                    for org in hidden:
                        self.assertNotIn(escape(org.name), page.text, f"{user.login} sees {org.name} on the page")
                        self.assertNotIn(escape(org.name), overview.text, f"{org.name} in the overview")
                        hidden_tried += 1
                    cases_tried += 1
        self.assertTrue(hidden_tried, "the demo data has organisations that are not shared")
        _logger.info(
            "TestSharedPartiesEverywhere: %s portal users, %s cases, %s hidden organisations "
            "checked on page, RPC and overview",
            len(users),
            cases_tried,
            hidden_tried,
        )
