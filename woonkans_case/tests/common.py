from odoo import Command
from odoo.tests import JsonRpcException, TransactionCase, new_test_user
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

SPECIAL_CATEGORY = "woonkans_case.group_woonkans_special_category"
CONSENT_TEXT = "De cliënt stemt ermee in dat het bureau en deze organisatie de nodige informatie delen."


def consents(*organisations, **values):
    """``consent_ids`` commands of a case: an active consent for each organisation (default categories)."""
    return [Command.create({"partner_id": org.id, "consent_text": CONSENT_TEXT, **values}) for org in organisations]


class WoonkansCaseCommon(TransactionCase):
    """Two teams, their caseworkers, a coordinator, a manager and a few organisations.

    The two caseworkers of Team Stad and the coordinator read special-category data
    (as the demo logins do); the outsider, the manager and the employee do not.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.caseworker = new_test_user(
            cls.env,
            login="wk_caseworker",
            groups=f"woonkans_case.group_woonkans_user,{SPECIAL_CATEGORY}",
            name="Casper Werker",
        )
        cls.caseworker_2 = new_test_user(
            cls.env,
            login="wk_caseworker2",
            groups=f"woonkans_case.group_woonkans_user,{SPECIAL_CATEGORY}",
            name="Carla Tweede",
        )
        cls.outsider = new_test_user(
            cls.env, login="wk_outsider", groups="woonkans_case.group_woonkans_user", name="Otto Buiten"
        )
        cls.coordinator = new_test_user(
            cls.env,
            login="wk_coordinator",
            groups=f"woonkans_case.group_woonkans_coordinator,{SPECIAL_CATEGORY}",
            name="Cora Dinator",
        )
        cls.manager = new_test_user(
            cls.env, login="wk_manager", groups="woonkans_case.group_woonkans_manager", name="Manon Beheer"
        )
        cls.employee = new_test_user(cls.env, login="wk_employee", groups="base.group_user", name="Eline Anders")
        Team = cls.env["woonkans.team"]
        cls.team = Team.create(
            {"name": "Team Stad", "member_ids": [Command.set([cls.caseworker.id, cls.caseworker_2.id])]}
        )
        cls.other_team = Team.create({"name": "Team Ommeland", "member_ids": [Command.set([cls.outsider.id])]})
        Partner = cls.env["res.partner"]
        ref = cls.env.ref
        cls.corporation = Partner.create(
            {
                "name": "Woonstede Test",
                "is_company": True,
                "woonkans_role_ids": [Command.set(ref("woonkans_case.organisation_role_housing_corporation").ids)],
            }
        )
        cls.care_provider = Partner.create(
            {
                "name": "Zorgkracht Test",
                "is_company": True,
                "woonkans_role_ids": [Command.set(ref("woonkans_case.organisation_role_aid_organisation").ids)],
            }
        )
        cls.social_team = Partner.create({"name": "Buurtteam Test", "is_company": True})
        cls.client = Partner.create(
            {"name": "Sanne de Vries", "woonkans_is_client": True, "zip": "9712 AB", "city": "Groningen"}
        )
        cls.stage = {
            phase: cls.env["woonkans.case.stage"].search([("phase", "=", phase)], limit=1)
            for phase in ("referral", "intake", "plan", "execution", "evaluation", "closed")
        }
        cls.second_chance = ref("woonkans_case.trajectory_type_second_chance")
        cls.restart = ref("woonkans_case.trajectory_type_restart_own_home")
        cls.conditional = ref("woonkans_case.trajectory_type_conditional_tenancy")

    @classmethod
    def _create_case(cls, **values):
        vals = {
            "client_id": cls.client.id,
            "target_group": "evicted",
            "user_id": cls.caseworker.id,
            "team_id": cls.team.id,
        }
        vals.update(values)
        return cls.env["woonkans.case"].create(vals)

    @classmethod
    def _give_consent(cls, case, organisation=None):
        """Record the client's consent to share ``case`` with ``organisation`` (the corporation):
        the consent condition then counts as met."""
        return case._woonkans_record_consent(organisation or cls.corporation, consent_text=CONSENT_TEXT)

    @staticmethod
    def _line(case, code):
        return case.condition_line_ids.filtered(lambda line: line.code == code)


class WoonkansRpcMixin:
    """JSON-RPC calls as the user an HttpCase authenticated, as the web client makes them."""

    def _rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _denied(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._rpc(model, method, *args, **kwargs)
        self.assertIn(caught.exception.args[0], ("odoo.exceptions.AccessError", "odoo.exceptions.MissingError"))
