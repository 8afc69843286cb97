import logging
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import WoonkansCaseCommon, WoonkansRpcMixin

_logger = logging.getLogger(__name__)

CHILD_MODELS = [
    "woonkans.case.party",
    "woonkans.condition.line",
    "woonkans.payment.arrangement",
    "woonkans.payment.record",
    "woonkans.card.event",
    "woonkans.tenancy.agreement",
    "woonkans.assessment",
    "woonkans.assessment.score",
]


@tagged("post_install", "-at_install")
class TestSecurityRpc(HttpCase, WoonkansCaseCommon, WoonkansRpcMixin):
    """Every access rule, checked over JSON-RPC as the restricted user would call it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_own = cls._create_case(trajectory_type_id=cls.second_chance.id)
        cls.case_team = cls._create_case(user_id=cls.caseworker_2.id, trajectory_type_id=cls.restart.id)
        cls.case_other = cls._create_case(
            user_id=cls.outsider.id, team_id=cls.other_team.id, trajectory_type_id=cls.conditional.id
        )
        cls.case_unassigned = cls._create_case(user_id=False, team_id=False, trajectory_type_id=cls.second_chance.id)
        cls.cases = cls.case_own | cls.case_team | cls.case_other | cls.case_unassigned
        version = cls.env.ref("woonkans_case.assessment_version_zrm_2017")
        for case in cls.cases:
            cls.env["woonkans.case.party"].create({"case_id": case.id, "partner_id": cls.corporation.id})
            arrangement = cls.env["woonkans.payment.arrangement"].create(
                {
                    "case_id": case.id,
                    "creditor_id": cls.corporation.id,
                    "total_debt": 500,
                    "monthly_amount": 50,
                    "date_start": date.today().replace(day=1),
                }
            )
            cls.env["woonkans.payment.record"].create({"arrangement_id": arrangement.id, "status": "on_time"})
            cls.env["woonkans.card.event"].create({"case_id": case.id, "reason": "test"})
            cls.env["woonkans.tenancy.agreement"].create({"case_id": case.id, "corporation_id": cls.corporation.id})
            cls.env["woonkans.assessment"].create({"case_id": case.id, "version_id": version.id})
            case.action_create_plan()
            cls.env["project.task"].create({"name": f"Goal of {case.name}", "project_id": case.project_id.id})
        cls.company_2 = cls.env["res.company"].create({"name": "Woonkans Twente"})
        cls.case_company_2 = cls.env["woonkans.case"].create(
            {"client_id": cls.client.id, "target_group": "vulnerable", "company_id": cls.company_2.id}
        )

    def _visible_ids(self, model, domain=None):
        return set(self._rpc(model, "search", domain or []))

    def test_caseworker_sees_own_and_team_cases_only(self):
        self.authenticate("wk_caseworker", "wk_caseworker")
        visible = self.case_own | self.case_team
        hidden = self.case_other | self.case_unassigned | self.case_company_2
        self.assertEqual(
            self._visible_ids("woonkans.case", [("id", "in", self.cases.ids + self.case_company_2.ids)]),
            set(visible.ids),
        )
        names = [
            name for _id, name in [tuple(r) for r in self._rpc("woonkans.case", "name_search", self.case_other.name)]
        ]
        self.assertNotIn(self.case_other.display_name, names, "name_search does not leak")
        groups = self._rpc(
            "woonkans.case", "formatted_read_group", [("id", "in", self.cases.ids)], ["target_group"], ["__count"]
        )
        self.assertEqual(sum(group["__count"] for group in groups), 2, "grouping counts only visible cases")
        for case in hidden:
            self._denied("woonkans.case", "read", case.ids, ["name"])
            self._denied("woonkans.case", "write", case.ids, {"priority": "2"})
        for model in CHILD_MODELS:
            with self.subTest(model=model):
                children = self.env[model].search([("case_id", "in", self.cases.ids)])
                expected = children.filtered(lambda c: c.case_id in visible)
                self.assertTrue(expected and children - expected, f"fixture must have visible and hidden {model}")
                self.assertEqual(self._visible_ids(model, [("id", "in", children.ids)]), set(expected.ids))
                self._denied(model, "read", (children - expected)[:1].ids, ["id"])
        tasks = self.env["project.task"].search([("woonkans_case_id", "in", self.cases.ids)])
        self.assertEqual(
            self._visible_ids("project.task", [("id", "in", tasks.ids)]),
            set(tasks.filtered(lambda t: t.woonkans_case_id in visible).ids),
            "plan tasks follow their case",
        )
        projects = self.cases.project_id
        self.assertEqual(
            self._visible_ids("project.project", [("id", "in", projects.ids)]), set((visible.project_id).ids)
        )

    def test_caseworker_cannot_change_configuration(self):
        self.authenticate("wk_caseworker", "wk_caseworker")
        self.assertTrue(self._rpc("woonkans.trajectory.type", "search_read", [], ["name"]))
        self._denied("woonkans.trajectory.type", "write", self.second_chance.ids, {"max_duration_months": 120})
        self._denied(
            "woonkans.condition.template",
            "create",
            {"name": "x", "code": "x", "trajectory_type_id": self.second_chance.id},
        )

    def test_coordinator_sees_every_case_of_their_companies(self):
        self.authenticate("wk_coordinator", "wk_coordinator")
        self.assertEqual(
            self._visible_ids("woonkans.case", [("id", "in", self.cases.ids + self.case_company_2.ids)]),
            set(self.cases.ids),
        )
        for model in CHILD_MODELS:
            children = self.env[model].search([("case_id", "in", self.cases.ids)])
            self.assertEqual(self._visible_ids(model, [("id", "in", children.ids)]), set(children.ids), model)
        self.assertEqual(len(self._visible_ids("project.task", [("woonkans_case_id", "in", self.cases.ids)])), 4)
        self._denied("woonkans.trajectory.type", "write", self.second_chance.ids, {"max_duration_months": 120})
        self.coordinator.write({"company_ids": [Command.link(self.company_2.id)]})
        self.assertIn(
            self.case_company_2.id,
            set(
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw/woonkans.case/search",
                    {
                        "model": "woonkans.case",
                        "method": "search",
                        "args": [[]],
                        "kwargs": {"context": {"allowed_company_ids": [self.env.company.id, self.company_2.id]}},
                    },
                )
            ),
        )

    def test_manager_configures(self):
        self.authenticate("wk_manager", "wk_manager")
        self._rpc("woonkans.trajectory.type", "write", self.second_chance.ids, {"max_duration_months": 72})
        self.assertEqual(self.second_chance.max_duration_months, 72)

    def test_other_employees_have_no_access(self):
        self.authenticate("wk_employee", "wk_employee")
        self._denied("woonkans.case", "search", [])
        for model in CHILD_MODELS:
            self._denied(model, "search", [])
        self.assertFalse(
            self._visible_ids("project.task", [("woonkans_case_id", "!=", False)]),
            "plan tasks stay hidden from employees outside the bureau",
        )

    def test_team_leader_sees_team_cases(self):
        leader = new_test_user(self.env, login="wk_leader", groups="woonkans_case.group_woonkans_user")
        self.other_team.leader_id = leader
        self.authenticate("wk_leader", "wk_leader")
        self.assertEqual(self._visible_ids("woonkans.case", [("id", "in", self.cases.ids)]), {self.case_other.id})

    def test_no_staff_role_deletes_cases(self):
        """Cases and their records go only through the logged retention destruction."""
        closed = self._create_case(
            stage_id=self.stage["closed"].id,
            closure_reason_id=self.env.ref("woonkans_case.closure_reason_rehoused").id,
        )
        referral = self.case_own
        self.assertEqual(referral.phase, "referral")
        self.env["woonkans.case.party"].create({"case_id": closed.id, "partner_id": self.care_provider.id})
        tried = 0
        for login in ("wk_caseworker", "wk_coordinator", "wk_manager"):
            self.authenticate(login, login)
            for case in (referral, closed):
                with self.subTest(user=login, phase=case.phase):
                    self._denied("woonkans.case", "unlink", case.ids)
                    tried += 1
                    for model in CHILD_MODELS:
                        children = self.env[model].search([("case_id", "=", case.id)])
                        if children:
                            self._denied(model, "unlink", children.ids)
                            self.assertEqual(len(children.exists()), len(children))
                            tried += 1
            self.assertTrue(referral.exists() and closed.exists())
        # not even with sudo outside the retention action
        with self.assertRaises(UserError):
            referral.sudo().unlink()
        _logger.info("TestSecurityRpc: %s (role, case, model) unlink attempts refused", tried)
