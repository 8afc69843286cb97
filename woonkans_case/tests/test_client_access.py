import logging
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import WoonkansCaseCommon, WoonkansRpcMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestClientAccessRpc(HttpCase, WoonkansCaseCommon, WoonkansRpcMixin):
    """A client's contact record and household children, over JSON-RPC, as a
    caseworker of each team, a team leader, a coordinator and an employee outside
    the bureau: each sees exactly the clients of the cases it may see.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env, login="wk_leader_clients", groups="woonkans_case.group_woonkans_user", name="Lea Leider"
        )
        cls.other_team.leader_id = cls.leader
        year = date.today().year
        Partner = cls.env["res.partner"]

        def client(name, phone):
            return Partner.create(
                {
                    "name": name,
                    "woonkans_is_client": True,
                    "phone": phone,
                    "street": f"{name}straat 1",
                    "zip": "9712 AB",
                    "woonkans_birthdate": date(1985, 3, 1),
                    "woonkans_child_ids": [Command.create({"birth_year": year - 4})],
                }
            )

        cls.client_stad = client("Mila Stadhouder", "0611111111")
        cls.client_ommeland = client("Noah Ommelander", "0622222222")
        cls.client_archived = client("Vera Archiefmans", "0644444444")
        cls.client_unassigned = client("Liv Zonderteam", "0633333333")
        cls._create_case(client_id=cls.client_stad.id, user_id=cls.caseworker_2.id)
        cls._create_case(client_id=cls.client_ommeland.id, user_id=cls.outsider.id, team_id=cls.other_team.id)
        archived = cls._create_case(
            client_id=cls.client_archived.id, user_id=cls.outsider.id, team_id=cls.other_team.id
        )
        archived.active = False
        cls._create_case(client_id=cls.client_unassigned.id, user_id=False, team_id=False)
        cls.clients = cls.client_stad | cls.client_ommeland | cls.client_archived | cls.client_unassigned
        cls.phones = {client: client.phone for client in cls.clients}
        ommeland = cls.client_ommeland | cls.client_archived
        # user -> the clients it reaches through its cases
        cls.expected = {
            cls.caseworker: cls.client_stad,  # team Stad, case of a colleague
            cls.caseworker_2: cls.client_stad,  # own case
            cls.outsider: ommeland,  # team Ommeland, archived case included
            cls.leader: ommeland,  # leader of team Ommeland
            cls.coordinator: cls.clients,
            cls.manager: cls.clients,
            cls.employee: Partner,  # outside the bureau: no clients at all
        }

    def test_clients_and_households_through_cases(self):
        tried = 0
        children = self.clients.woonkans_child_ids
        for user, visible in self.expected.items():
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                staff = user.has_group("woonkans_case.group_woonkans_user")
                domain = [("id", "in", self.clients.ids)]
                self.assertEqual(set(self._rpc("res.partner", "search", domain)), set(visible.ids))
                groups = self._rpc("res.partner", "formatted_read_group", domain, [], ["__count"])
                self.assertEqual(groups[0]["__count"], len(visible), "grouping counts only reachable clients")
                if staff:
                    child_domain = [("id", "in", children.ids)]
                    self.assertEqual(
                        set(self._rpc("woonkans.household.child", "search", child_domain)),
                        set(visible.woonkans_child_ids.ids),
                    )
                    groups = self._rpc(
                        "woonkans.household.child", "formatted_read_group", child_domain, [], ["__count"]
                    )
                    self.assertEqual(groups[0]["__count"], len(visible.woonkans_child_ids))
                tried += 4
                for client in self.clients:
                    found = {r[0] for r in self._rpc("res.partner", "name_search", client.name, [], "ilike", 20)}
                    fields = ["name", "phone", "street", "zip"]
                    if staff:
                        fields += ["woonkans_birthdate", "woonkans_child_ids"]
                    if client in visible:
                        self.assertIn(client.id, found)
                        record = self._rpc("res.partner", "read", client.ids, fields)[0]
                        self.assertEqual(record["phone"], self.phones[client])
                        self._rpc("res.partner", "write", client.ids, {"phone": "0699999999"})
                        self.env.invalidate_all()
                        self.assertEqual(client.phone, "0699999999")
                        self._rpc("res.partner", "write", client.ids, {"phone": self.phones[client]})
                        self._rpc("woonkans.household.child", "read", client.woonkans_child_ids.ids, ["age"])
                        self._rpc(
                            "woonkans.household.child", "write", client.woonkans_child_ids.ids, {"birth_year": 2019}
                        )
                    else:
                        self.assertNotIn(client.id, found, f"{user.login}: name_search leaks {client.name}")
                        self._denied("res.partner", "read", client.ids, fields)
                        self._denied("res.partner", "write", client.ids, {"phone": "0600000000"})
                        self.env.invalidate_all()
                        self.assertEqual(client.phone, self.phones[client])
                        if staff:
                            self._denied("woonkans.household.child", "read", client.woonkans_child_ids.ids, ["age"])
                            self._denied(
                                "woonkans.household.child", "write", client.woonkans_child_ids.ids, {"birth_year": 2001}
                            )
                            self._denied(
                                "woonkans.household.child",
                                "create",
                                {"partner_id": client.id, "birth_year": 2015},
                            )
                    tried += 5
                # organisations, colleagues and the company stay readable for all staff
                others = self.corporation | self.outsider.partner_id | self.env.company.partner_id | user.partner_id
                self.assertEqual(len(self._rpc("res.partner", "read", others.ids, ["name", "email"])), len(others))
                tried += 1
        _logger.info("TestClientAccessRpc: %s (user, client, operation) cases", tried)

    def test_no_broad_contact_manager_right(self):
        self.assertFalse(self.caseworker.has_group("base.group_partner_manager"), "caseworkers are no contact managers")
        self.authenticate(self.caseworker.login, self.caseworker.login)
        # another team's client cannot be reached by putting them on a new case
        self._denied("woonkans.case", "create", {"client_id": self.client_ommeland.id, "target_group": "evicted"})
        case = self.env["woonkans.case"].search([("client_id", "=", self.client_stad.id)])
        self._denied("woonkans.case", "write", case.ids, {"client_id": self.client_ommeland.id})
        self.assertEqual(case.client_id, self.client_stad)
        # a new client registered by the caseworker is reachable before and after its first case
        client_id = self._rpc(
            "res.partner", "create", {"name": "Sem Nieuw", "woonkans_is_client": True, "phone": "0655555555"}
        )
        self.assertEqual(self._rpc("res.partner", "read", [client_id], ["phone"])[0]["phone"], "0655555555")
        case_id = self._rpc("woonkans.case", "create", {"client_id": client_id, "target_group": "evicted"})
        self._rpc("woonkans.case", "message_post", [case_id], body="Intake gepland")
        self.assertEqual(self._rpc("res.partner", "search", [("id", "=", client_id)]), [client_id])
        # a colleague of another team does not see that client
        self.authenticate(self.outsider.login, self.outsider.login)
        self._denied("res.partner", "read", [client_id], ["name"])
        # and deleting a client is not a caseworker's right (retention anonymises them)
        self.authenticate(self.caseworker.login, self.caseworker.login)
        self._denied("res.partner", "unlink", self.client_stad.ids)
