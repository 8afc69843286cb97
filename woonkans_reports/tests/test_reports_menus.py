import logging

from odoo.tests import TransactionCase, tagged

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestReportsMenus(TransactionCase):
    """Every Woonkans menu opens something of its own: no two menus with the same name or action."""

    def test_no_duplicate_menus(self):
        root = self.env.ref("woonkans_case.woonkans_menu_root")
        menus = (
            self.env["ir.ui.menu"]
            .with_context(lang="nl_NL")
            .search([("id", "child_of", root.id), ("action", "!=", False)])
        )
        seen_names, seen_actions = {}, {}
        for menu in menus:
            name = (menu.parent_id.id, menu.name)
            self.assertNotIn(name, seen_names, f"two menus named {menu.name!r}")
            seen_names[name] = menu
            self.assertNotIn(
                menu.action, seen_actions, f"{menu.name!r} and {seen_actions.get(menu.action)} open one action"
            )
            seen_actions[menu.action] = menu.complete_name
        action_names = [
            menu.action.name
            for menu in menus
            if menu.parent_id == self.env.ref("woonkans_case.woonkans_reporting_menu")
        ]
        self.assertEqual(len(action_names), len(set(action_names)), action_names)
        _logger.info(f"TestReportsMenus: {len(menus)} menus checked")


@tagged("post_install", "-at_install")
class TestReportsDefaults(TransactionCase):
    """The analysis opens on real figures: no sample rows, and a period that has cases."""

    def test_no_sample_data_and_a_year_by_default(self):
        views = self.env["ir.ui.view"].search(
            [("model", "=", "woonkans.case.report"), ("type", "in", ("pivot", "graph"))]
        )
        self.assertTrue(views)
        for view in views:
            self.assertNotIn('sample="1"', view.arch_db, view.name)
        search = self.env["woonkans.case.report"].get_view(view_type="search")["arch"]
        self.assertIn('name="filter_date_referral" date="date_referral" default_period="year"', search)
