import re
import uuid

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import default_walks


@tagged("post_install", "-at_install")
class TestReferralFromRun(HttpCase):
    """Woonkansboom → referral on the portal → matches → accept into a known client → case with the advice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tree = cls.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        cls.org = cls.env["res.partner"].create({"name": "Corporatie Zuiderhaven", "is_company": True})
        cls.other_org = cls.env["res.partner"].create({"name": "Wijkteam Noorderpark", "is_company": True})
        cls.portal = new_test_user(
            cls.env,
            login="wk_dt_ref_portal",
            password="wk_dt_ref_portal",
            groups="base.group_portal",
            parent_id=cls.org.id,
        )
        cls.other = new_test_user(
            cls.env,
            login="wk_dt_ref_other",
            password="wk_dt_ref_other",
            groups="base.group_portal",
            parent_id=cls.other_org.id,
        )
        cls.intake = new_test_user(cls.env, login="wk_dt_ref_intake", groups="woonkans_case.group_woonkans_user")
        team = cls.env["woonkans.team"].create({"name": "Intake boom", "member_ids": [Command.link(cls.intake.id)]})
        cls.env["ir.config_parameter"].set_param("woonkans_case.referral_team_id", str(team.id))
        cls.known = cls.env["res.partner"].create(
            {
                "name": "Femke de Graaf",
                "woonkans_is_client": True,
                "woonkans_birthdate": "1979-08-02",
                "street": "Vinkenstraat 4",
                "zip": "9711 AA",
            }
        )
        answers, cls.trajectory_code, __, __ = default_walks(cls.env)["out_second_chance"]
        run = cls.env["woonkans.decision.run"].with_user(cls.portal).sudo()._start(cls.tree, "portal", cls.org)
        for code, answer in answers.items():
            __, error = run._answer(code, answer)
            assert not error, error
        run._finish()
        cls.tree_run = run

    def _referral_form(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        fields = dict(re.findall(r'name="([a-z_]+)"[^>]*?value="([^"]*)"', page.text))
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return page, fields, csrf

    def test_run_to_case(self):
        self.authenticate("wk_dt_ref_portal", "wk_dt_ref_portal")
        page, fields, csrf = self._referral_form(f"/my/woonkans/new?run={self.tree_run.access_token}")
        self.assertIn(f'name="run" value="{self.tree_run.access_token}"', page.text)
        self.assertIn('value="evicted" selected', page.text.replace('selected="selected"', "selected"))
        key = uuid.uuid4().hex
        data = {
            "csrf_token": csrf,
            "submission_key": key,
            "run": self.tree_run.access_token,
            "client_name": "Femke de  Graaf",
            "client_birthdate": "1979-08-02",
            "client_street": "Ander adres 9",
            "client_zip": "9721 BB",
            "client_city": "Groningen",
            "client_phone": "050 111 2222",
            "target_group": "evicted",
            "referral_reason": "arrears",
            "eviction_date": fields.get("eviction_date", ""),
            "description": "Prefilled advice",
            "consent": "on",
        }
        response = self.url_open("/my/woonkans/new", data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:400])
        referral = self.env["woonkans.referral"].search([("submission_key", "=", key)])
        self.assertEqual(referral.decision_run_id, self.tree_run)
        self.assertTrue(referral.message_ids.filtered(lambda m: "Woonkansboom result" in (m.body or "")))
        # on the portal, for the organisation
        self.assertIn(referral.name, self.url_open("/my/woonkans").text)
        # the intake worker sees the known client and why, links it and accepts
        referral = referral.with_user(self.intake)
        self.assertEqual(referral.match_ids.partner_id, self.known)
        self.assertIn("date of birth and name", referral.match_ids.reasons)
        referral.match_ids.action_link()
        case = self.env["woonkans.case"].browse(referral.action_accept()["res_id"])
        self.assertEqual(case.client_id, self.known)
        self.assertEqual(case.trajectory_type_id.code, self.trajectory_code)
        self.assertEqual(case.source, "decision_tree")
        self.assertEqual(self.tree_run.case_id, case)
        self.assertEqual(self.tree_run.chosen_trajectory_id, self.tree_run.advised_trajectory_id)
        met = case.condition_line_ids.filtered(lambda line: line.status == "met")
        self.assertTrue(met, "the conditions the run satisfies are marked met")
        # the run now counts in "advice against real result"
        counted = self.env["woonkans.decision.run"].search([("case_id", "!=", False), ("id", "=", self.tree_run.id)])
        self.assertEqual(counted, self.tree_run)

    def test_invalid_or_foreign_run_is_ignored_and_not_logged(self):
        self.authenticate("wk_dt_ref_other", "wk_dt_ref_other")
        for token in ("does-not-exist", self.tree_run.access_token, "0" * 32):
            page, __, csrf = self._referral_form(f"/my/woonkans/new?run={token}")
            self.assertNotIn('name="run"', page.text, token)
            key = uuid.uuid4().hex
            data = {
                "csrf_token": csrf,
                "submission_key": key,
                "run": token,
                "client_name": "Iemand Anders",
                "client_birthdate": "1990-01-01",
                "client_street": "Straat 1",
                "client_zip": "9711 AA",
                "client_city": "Groningen",
                "client_phone": "050 111 2222",
                "target_group": "evicted",
                "referral_reason": "arrears",
                "consent": "on",
            }
            response = self.url_open("/my/woonkans/new", data=data, allow_redirects=False)
            self.assertEqual(response.status_code, 303, token)
            referral = self.env["woonkans.referral"].search([("submission_key", "=", key)])
            self.assertTrue(referral, token)
            self.assertFalse(referral.decision_run_id, token)
            self.assertFalse(referral.message_ids.filtered(lambda m: "Woonkansboom" in (m.body or "")), token)

    def test_home_tile_counts_the_organisations_advice(self):
        """/my: the Woonkansboom tile counts the finished runs of the user's organisation, with a normal-sized icon."""
        Run = self.env["woonkans.decision.run"].sudo()
        # one more finished run of the organisation (a colleague's), one still going, one of another organisation
        colleague = new_test_user(
            self.env, login="wk_dt_ref_colleague", groups="base.group_portal", parent_id=self.org.id
        )
        answers = default_walks(self.env)["out_second_chance"][0]
        for user, org, finish in (
            (colleague, self.org, True),
            (self.portal, self.org, False),
            (self.other, self.other_org, True),
        ):
            run = Run.with_user(user).sudo()._start(self.tree, "portal", org)
            for code, answer in answers.items():
                run._answer(code, answer)
            if finish:
                run._finish()
        seen = {}
        for login, org, user in (
            ("wk_dt_ref_portal", self.org, self.portal),
            ("wk_dt_ref_other", self.other_org, self.other),
        ):
            # independently of the counter: the finished runs of the organisation or of the user
            expected = Run.search_count(
                [("state", "=", "done"), "|", ("organisation_id", "=", org.id), ("create_uid", "=", user.id)]
            )
            self.authenticate(login, login)
            home = self.url_open("/my")
            self.assertEqual(home.status_code, 200)
            self.assertIn('data-placeholder_count="woonkansboom_count"', home.text)
            self.assertIn("/woonkans_decision_tree/static/src/img/woonkansboom.svg", home.text)
            self.assertNotIn("/woonkans_decision_tree/static/description/icon.png", home.text)
            counters = self.make_jsonrpc_request("/my/counters", {"counters": ["woonkansboom_count"]})
            self.assertEqual(counters["woonkansboom_count"], expected, login)
            seen[login] = expected
        # the user's and the colleague's finished runs; the other organisation its own only
        self.assertEqual(seen, {"wk_dt_ref_portal": 2, "wk_dt_ref_other": 1})
