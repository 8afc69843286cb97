from odoo.tests import new_test_user, tagged

from .common import WoonkansDecisionCase


@tagged("post_install", "-at_install")
class TestWalkWizardUx(WoonkansDecisionCase):
    def test_no_back_on_the_first_question(self):
        Walk = self.env["woonkans.decision.walk"].with_user(self.caseworker)
        wizard = Walk.browse(Walk._start(self.tree.with_user(self.caseworker))["res_id"])
        self.assertEqual(wizard.screen, "situation")
        self.assertTrue(wizard.is_first)
        wizard.option_id = wizard.node_id.option_ids.filtered(lambda o: o.code == "evicted")
        wizard.action_next()
        self.assertFalse(wizard.is_first)
        wizard.action_back()
        self.assertEqual(wizard.screen, "situation")
        self.assertTrue(wizard.is_first, "the first question, reached back, has no Back either")
        arch = Walk.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertRegex(arch, r'name="action_back"[^>]*invisible="[^"]*is_first')

    def test_client_field_offers_the_caseworkers_clients(self):
        other = new_test_user(self.env, login="wk_dt_cw_other2", groups="woonkans_case.group_woonkans_user")
        foreign = self.env["res.partner"].with_user(other).create({"name": "Frida Vreemd", "woonkans_is_client": True})
        not_a_client = self.env["res.partner"].create({"name": "Pieter Personeel"})
        domain = self.env["woonkans.decision.walk"]._fields["client_id"].domain
        found = self.env["res.partner"].with_user(self.caseworker).search(domain)
        self.assertIn(self.client, found)
        self.assertNotIn(foreign, found, "another caseworker's client stays out of sight")
        self.assertNotIn(not_a_client, found)
        self.assertFalse(found.filtered("is_company"))
