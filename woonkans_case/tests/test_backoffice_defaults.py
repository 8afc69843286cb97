from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestBackOfficeDefaults(WoonkansCaseCommon):
    """The screens staff meet first fit their work."""

    def test_staff_land_in_woonkans(self):
        mine = self.env.ref("woonkans_case.woonkans_case_action_my")
        everyone = self.env.ref("woonkans_case.woonkans_case_action")
        self.assertEqual(self.caseworker.action_id.id, mine.id)
        self.assertEqual(self.coordinator.action_id.id, everyone.id)
        self.assertFalse(self.employee.action_id, "not bureau staff: Odoo's default")
        portal = new_test_user(self.env, login="wk_portal_home", groups="base.group_portal")
        self.assertFalse(portal.action_id)
        chosen = self.env.ref("base.action_res_users")
        user = new_test_user(
            self.env, login="wk_own_home", groups="woonkans_case.group_woonkans_user", action_id=chosen.id
        )
        self.assertEqual(user.action_id.id, chosen.id, "a home chosen at creation is kept")
        for xmlid in ("res_users_medewerker_demo", "res_users_coordinator_demo"):
            demo = self.env.ref(f"woonkans_case.{xmlid}", raise_if_not_found=False)
            if demo:
                self.assertIn(demo.action_id.id, (mine | everyone).ids, xmlid)

    def test_my_cases_open_as_kanban_with_progress_and_deadline(self):
        action = self.env.ref("woonkans_case.woonkans_case_action_my")
        self.assertEqual(action.view_mode.split(",")[0], "kanban")
        arch = self.env["woonkans.case"].get_view(view_type="kanban")["arch"]
        for field in ("condition_done_count", "condition_count", "condition_next_due"):
            self.assertIn(f'name="{field}"', arch)
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        relevant = case.condition_line_ids.filtered(lambda line: line.status != "not_applicable")
        self._give_consent(case)
        self.assertEqual((case.condition_done_count, case.condition_count), (1, len(relevant)))
        due = relevant.filtered(lambda line: line.status == "open" and line.date_due).mapped("date_due")
        self.assertEqual(case.condition_next_due, min(due) if due else False)

    def test_no_sample_rows_and_a_real_empty_state(self):
        """Sample data would show invented people's cases as if they were real."""
        views = self.env["ir.ui.view"].search([("model", "=", "woonkans.case"), ("type", "!=", "qweb")])
        checked = 0
        for view in views:
            root = etree.fromstring(view.arch_db.encode())
            for node in root.iter():
                self.assertNotEqual(node.get("sample"), "1", f"{view.name}: sample data")
            checked += 1
        self.assertGreater(checked, 5)
        actions = self.env["ir.actions.act_window"].search([("res_model", "=", "woonkans.case")])
        for action in actions.filtered(lambda a: "kanban" in a.view_mode or a.view_mode.startswith("list")):
            self.assertIn("o_view_nocontent_smiling_face", action.help or "", action.name)

    def test_pivot_counts_cases_by_trajectory_and_stage(self):
        arch = etree.fromstring(self.env["woonkans.case"].get_view(view_type="pivot")["arch"])
        fields = {node.get("name"): node.get("type") for node in arch.iter("field")}
        self.assertEqual(fields.get("trajectory_type_id"), "row")
        self.assertEqual(fields.get("stage_id"), "col")
        self.assertNotIn("measure", fields.values(), "the pivot counts cases")

    def test_stage_gate_message_says_who_can_override(self):
        case = self._create_case(trajectory_type_id=self.second_chance.id).with_user(self.caseworker)
        with self.assertRaises(UserError) as caught:
            case.stage_id = self.stage["intake"]
        self.assertIn("Override stage gate", str(caught.exception))
        self.assertEqual(case.stage_id, self.stage["referral"])

    def test_calendar_of_condition_deadlines_names_the_client(self):
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        line = self._line(case, "consent")
        line.date_due = "2026-03-02"
        action = self.env.ref("woonkans_case.woonkans_condition_line_action_deadlines")
        self.assertEqual(action.view_mode.split(",")[0], "calendar")
        lines = self.env["woonkans.condition.line"].with_user(self.caseworker).search(safe_eval(action.domain))
        self.assertIn(line, lines)
        self.assertEqual(line.with_user(self.caseworker).calendar_title, f"Sanne de Vries: {line.name}")
        self._give_consent(case)
        self.assertEqual(line.status, "met")
        self.assertNotIn(line, self.env["woonkans.condition.line"].search(safe_eval(action.domain)))
        self.assertEqual(case.with_user(self.caseworker).calendar_title, f"Sanne de Vries ({case.name})")
