from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import WoonkansReportsCommon


@tagged("post_install", "-at_install")
class TestReportsAccess(HttpCase, WoonkansReportsCommon):
    """The analysis rules over JSON-RPC and the report routes over HTTP, as the restricted user."""

    def _rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _visible_cases(self):
        rows = self._rpc("woonkans.case.report", "search_read", [], fields=["case_id"])
        return {row["case_id"][0] for row in rows}

    def test_caseworker_sees_own_and_team_rows(self):
        self.authenticate(self.caseworker.login, self.caseworker.login)
        visible = self._visible_cases()
        self.assertIn(self.case_positive.id, visible)  # own
        self.assertIn(self.case_open.id, visible)  # team
        self.assertNotIn(self.case_negative.id, visible)  # a colleague's, no team
        self.assertNotIn(self.case_company_2.id, visible)  # own, but another company
        groups = self._rpc(
            "woonkans.case.report",
            "formatted_read_group",
            [],
            groupby=["trajectory_type_id"],
            aggregates=["case_count:sum"],
        )
        self.assertEqual(sum(group["case_count:sum"] for group in groups), len(visible))

    def test_coordinator_sees_all_rows_of_their_companies(self):
        self.authenticate(self.coordinator.login, self.coordinator.login)
        visible = self._visible_cases()
        for case in (self.case_positive, self.case_negative, self.case_neutral, self.case_open):
            self.assertIn(case.id, visible)
        self.assertNotIn(self.case_company_2.id, visible)

    def test_portal_cannot_read_the_analysis(self):
        self.authenticate("wkr_portal_a", "wkr_portal_a")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._rpc("woonkans.case.report", "search_read", [], fields=["case_id"])
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._rpc("woonkans.case.report", "write", [self.case_positive.id], {"name": "x"})

    def test_portal_of_another_org_cannot_download_the_overview(self):
        self.authenticate("wkr_portal_b", "wkr_portal_b")
        for converter in ("pdf", "html"):
            with mute_logger("odoo.http"):
                response = self.url_open(
                    f"/report/{converter}/woonkans_reports.report_case_summary/{self.case_positive.id}",
                    allow_redirects=False,
                )
            self.assertEqual(response.status_code, 403, converter)
            self.assertNotIn("House visit", response.text)

    def test_party_portal_user_downloads_the_shared_overview_only(self):
        self.authenticate("wkr_portal_a", "wkr_portal_a")
        response = self.url_open(f"/report/html/woonkans_reports.report_case_summary/{self.case_positive.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("House visit by the corporation", response.text)
        self.assertNotIn("Reclassering Proef", response.text)
        with mute_logger("odoo.http"):
            internal = self.url_open(
                f"/report/html/woonkans_reports.report_case_summary_internal/{self.case_positive.id}",
                allow_redirects=False,
            )
            other_case = self.url_open(
                f"/report/html/woonkans_reports.report_case_summary/{self.case_negative.id}",
                allow_redirects=False,
            )
            excel = self.url_open(
                f"/report/xlsx/woonkans_reports.case_xlsx/{self.case_positive.id}", allow_redirects=False
            )
        self.assertEqual(internal.status_code, 403)
        self.assertEqual(other_case.status_code, 403)
        self.assertNotEqual(excel.status_code, 200)
        self.assertNotIn("Noor Testklant", excel.text)

    def test_caseworker_downloads_the_case_list(self):
        self.authenticate(self.caseworker.login, self.caseworker.login)
        response = self.url_open(f"/report/xlsx/woonkans_reports.case_xlsx/{self.case_positive.id}")
        self.assertEqual(response.status_code, 200)
        book = self._read_xlsx(response.content)
        _row, _headers, rows = self._table(book["Cases"], "Reference")
        self.assertEqual([row["Reference"] for row in rows], [self.case_positive.name])
        with mute_logger("odoo.http"):
            denied = self.url_open(
                f"/report/xlsx/woonkans_reports.case_xlsx/{self.case_negative.id}", allow_redirects=False
            )
        self.assertEqual(denied.status_code, 403)
