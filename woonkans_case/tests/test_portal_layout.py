import logging

from lxml import html

from odoo.tests import tagged

from .common_portal import WoonkansPortalCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPortalLayout(WoonkansPortalCommon):
    """Every row of every table on /my/woonkans has as many cells as its header.

    A case without a trajectory (every new referral) once had a cell fewer, so
    the stage badge sat under "Trajectory".
    """

    def _cell_count(self, row):
        return sum(int(cell.get("colspan") or 1) for cell in row.xpath("./td|./th"))

    def test_rows_match_their_header(self):
        self.case_b.trajectory_type_id = False  # a case without a trajectory, as a new referral has
        demo = self.env["res.users"].search([("login", "in", ("corporatie", "wijteam"))])
        users = [(u.login, u.login) for u in (self.user_a1, self.user_b1)] + [(u.login, u.login) for u in demo]
        tables = rows = 0
        for login, password in users:
            self.authenticate(login, password)
            for groupby in ("none", "stage_id", "trajectory_type_id"):
                for filterby in ("all", "open", "referral"):
                    response = self.url_open(f"/my/woonkans?groupby={groupby}&filterby={filterby}")
                    self.assertEqual(response.status_code, 200, (login, groupby, filterby))
                    page = html.fromstring(response.content)
                    for table in page.xpath("//table"):
                        header = table.xpath("./thead/tr")
                        if not header:
                            continue
                        width = self._cell_count(header[0])
                        tables += 1
                        for row in table.xpath("./tbody/tr"):
                            rows += 1
                            self.assertEqual(
                                self._cell_count(row),
                                width,
                                f"{login} groupby={groupby} filterby={filterby}: "
                                f"{html.tostring(row, encoding='unicode')[:300]}",
                            )
        _logger.info("TestPortalLayout: %s tables, %s rows checked against their header", tables, rows)
        self.assertGreater(rows, 10)
