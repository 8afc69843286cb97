from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestRetention(WoonkansCaseCommon):
    def _closed_case(self, closed_on, client):
        case = self._create_case(
            client_id=client.id,
            trajectory_type_id=self.second_chance.id,
            stage_id=self.stage["closed"].id,
            closure_reason_id=self.env.ref("woonkans_case.closure_reason_rehoused").id,
        )
        case.date_closed = closed_on
        case.action_create_plan()
        case.message_post(body="Verslag huisbezoek")
        return case

    def test_destroy_only_after_retention(self):
        client = self.env["res.partner"].create(
            {"name": "Piet Voorbeeld", "woonkans_is_client": True, "phone": "0612345678", "zip": "7511 AA"}
        )
        old = self._closed_case(date.today() - relativedelta(years=6), client)
        recent = self._closed_case(date.today() - relativedelta(years=1), self.client)
        self.assertLess(old.retention_until, date.today())
        project = old.project_id
        with self.assertRaises(AccessError):
            old.with_user(self.coordinator).action_destroy_after_retention()
        with self.assertRaises(UserError):
            recent.with_user(self.manager).action_destroy_after_retention()
        (old | recent).with_user(self.manager).action_destroy_after_retention()
        self.assertFalse(old.exists())
        self.assertFalse(project.exists(), "the plan goes with the case")
        self.assertTrue(recent.exists())
        self.assertFalse(client.active)
        self.assertEqual(client.name, "Anonymised client")
        self.assertFalse(client.phone or client.zip)
        self.assertEqual(self.client.name, "Sanne de Vries", "a client with a remaining case keeps their data")
