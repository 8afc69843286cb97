from odoo.tests import HttpCase, new_test_user, tagged

from .common import default_walks


@tagged("post_install", "-at_install")
class TestPublicPageUx(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tree = cls.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        cls.coordinator = new_test_user(
            cls.env, login="wk_dt_coord_ux", groups="woonkans_case.group_woonkans_coordinator"
        )
        cls.caseworker = new_test_user(cls.env, login="wk_dt_cw_ux", groups="woonkans_case.group_woonkans_user")

    def test_off_by_default_with_a_hint_for_coordinators(self):
        self.assertFalse(self.env["woonkans.decision.tree"].create({"name": "New tree", "code": "new"}).public_enabled)
        self.assertTrue(self.tree.public_url.endswith("/woonkansboom"))
        Tree = self.env["woonkans.decision.tree"]
        for user, shown in ((self.coordinator, True), (self.caseworker, False)):
            arch = Tree.with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertEqual("o_wk_public_off" in arch, shown, user.login)

    def test_public_result_offers_the_bureau_contact(self):
        company = self.tree.company_id or self.env.company
        company.write(
            {"phone": "+31 20 555 0101", "email": "bureau@woonkans.example", "website": "https://woonkans.example"}
        )
        self.tree.public_enabled = True
        run = self.env["woonkans.decision.run"].sudo()._start(self.tree, "public")
        for code, answer in default_walks(self.env)["out_aftercare"][0].items():
            run._answer(code, answer)
        run._finish()
        page = self.url_open(f"/woonkansboom/run/{run.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_wk_contact", page.text)
        for value in ("tel:+31 20 555 0101", "mailto:bureau@woonkans.example", "https://woonkans.example"):
            self.assertIn(value, page.text)
        self.assertIn("Contact the bureau", page.text)
