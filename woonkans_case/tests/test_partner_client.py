from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartnerClient(TransactionCase):
    def _client(self, **values):
        return self.env["res.partner"].create({"name": "Kees Jansen", "woonkans_is_client": True, **values})

    def test_postcode_is_validated_and_normalised(self):
        client = self._client(zip="9712ab")
        self.assertEqual(client.zip, "9712 AB")
        with self.assertRaises(ValidationError) as caught:
            self._client(zip="97123 X")
        self.assertIn("not a valid Dutch postcode", str(caught.exception))
        # foreign addresses and non-clients are left alone
        self._client(zip="D-26789", country_id=self.env.ref("base.de").id)
        self.env["res.partner"].create({"name": "Some Supplier", "zip": "ABC"})

    def test_bsn_only_when_enabled(self):
        with self.assertRaises(ValidationError) as caught:
            self._client(woonkans_bsn="111222333")
        self.assertIn("disabled", str(caught.exception))
        self.env["ir.config_parameter"].set_param("woonkans_case.bsn_enabled", "True")
        with self.assertRaises(ValidationError) as caught:
            self._client(woonkans_bsn="111222334")
        self.assertIn("eleven test", str(caught.exception))
        client = self._client(woonkans_bsn="1112.22.333")
        self.assertEqual(client.woonkans_bsn, "111222333")

    def test_birthdate_and_children(self):
        with self.assertRaises(ValidationError):
            self._client(woonkans_birthdate=date.today() + timedelta(days=1))
        this_year = date.today().year
        client = self._client(
            woonkans_child_ids=[
                Command.create({"birth_year": this_year - 3}),
                Command.create({"birth_year": this_year - 9}),
            ]
        )
        self.assertEqual(client.woonkans_children_count, 2)
        self.assertEqual(sorted(client.woonkans_child_ids.mapped("age")), [3, 9])
        with self.assertRaises(ValidationError):
            client.woonkans_child_ids = [Command.create({"birth_year": this_year + 1})]

    def test_client_fields_hidden_from_other_employees(self):
        client = self._client(woonkans_birthdate=date(1980, 5, 1))
        employee = self.env["res.users"].create(
            {
                "name": "Receptie",
                "login": "wk_reception",
                "group_ids": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        fields = client.with_user(employee).fields_get()
        self.assertNotIn("woonkans_birthdate", fields)
        self.assertNotIn("woonkans_bsn", fields)
