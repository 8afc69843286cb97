from datetime import date, datetime, timedelta

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import WoonkansCaseCommon, consents


def referral_form(**values):
    form = {
        "client_name": "Lieke Mulder",
        "client_birthdate": "1988-03-14",
        "client_street": "Kerkstraat 12",
        "client_zip": "9712ab",
        "client_city": "Groningen",
        "client_phone": "050 123 4567",
        "household_adults": "2",
        "household_children": "2015, 2019",
        "target_group": "sitting_tenant",
        "referral_reason": "arrears",
        "court_date": (date.today() + timedelta(days=10)).isoformat(),
        "description": "Three months of arrears.",
        "consent": "on",
    }
    form.update(values)
    return form


@tagged("post_install", "-at_install")
class TestReferral(WoonkansCaseCommon):
    """The referral's rules as model methods, without HTTP: what the portal, the backend and an importer call."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("woonkans_case.referral_team_id", str(cls.team.id))
        cls.contact = cls.env["res.partner"].create({"name": "Rik Verwijzer", "parent_id": cls.corporation.id})
        cls.Referral = cls.env["woonkans.referral"]

    def _submit(self, key=None, **values):
        clean, errors = self.Referral._woonkans_validate_referral(referral_form(**values))
        self.assertFalse(errors)
        return self.Referral._woonkans_submit(clean, self.corporation, self.contact, key=key)

    def test_backend_case_and_portal_referral_same_urgency_and_team(self):
        soon = date.today() + timedelta(days=10)
        later = date.today() + timedelta(days=45)
        for dates, urgency in (({"court_date": soon}, "2"), ({"eviction_date": later}, "1"), ({}, "0")):
            form_dates = {k: v.isoformat() for k, v in dates.items()}
            referral = self._submit(**{"court_date": "", **form_dates})
            case = self.Referral.env["woonkans.case"].create(
                {"client_id": self.client.id, "target_group": "evicted", **dates}
            )
            self.assertEqual(referral.priority, urgency, dates)
            self.assertEqual(case.priority, urgency, dates)
            self.assertEqual(referral.team_id, self.team)
            self.assertEqual(case.team_id, self.team)
        # and the case opened from the referral keeps both
        referral.action_confirm_new_client()
        case = self.env["woonkans.case"].browse(referral.action_accept()["res_id"])
        self.assertEqual((case.priority, case.team_id), (referral.priority, referral.team_id))

    def test_validation_gives_messages_not_errors(self):
        clean, errors = self.Referral._woonkans_validate_referral(
            referral_form(
                client_name="Nul\x00byte",
                household_adults="²",
                household_children="٣٠١٥",
                client_zip="9" * 5000,
                client_birthdate="①⑨⑧⑧-03-14",
                client_phone=["050", "060"],
                target_group=b"\xff\xfe",
                description="x" * 6000,
                consent="",
            )
        )
        for field in (
            "client_name",
            "household_adults",
            "household_children",
            "client_zip",
            "client_birthdate",
            "client_phone",
            "target_group",
            "description",
            "consent",
        ):
            self.assertIn(field, errors)
            self.assertIsInstance(errors[field], str)
        self.assertEqual(clean["household_adults"], 1)
        clean, errors = self.Referral._woonkans_validate_referral(referral_form())
        self.assertEqual(errors, {})
        self.assertEqual(clean["client_zip"], "9712 AB")
        self.assertEqual(clean["household_children"], [2015, 2019])

    def test_accept_new_client_opens_case(self):
        referral = self._submit()
        self.assertEqual(self.env["woonkans.case"].search_count([("client_id.name", "=", "Lieke Mulder")]), 0)
        with self.assertRaises(UserError):
            referral.with_user(self.caseworker).action_accept()  # matches not checked yet
        referral.with_user(self.caseworker).action_start_review()
        self.assertEqual((referral.state, referral.user_id), ("in_review", self.caseworker))
        referral.with_user(self.caseworker).action_confirm_new_client()
        action = referral.with_user(self.caseworker).action_accept()
        case = self.env["woonkans.case"].browse(action["res_id"])
        self.assertEqual(referral.state, "accepted")
        self.assertEqual(referral.case_id, case)
        self.assertEqual(case.client_id, referral.client_id)
        self.assertEqual(case.client_id.woonkans_birthdate, date(1988, 3, 14))
        self.assertEqual(sorted(case.client_id.woonkans_child_ids.mapped("birth_year")), [2015, 2019])
        self.assertEqual(case.referrer_id, self.corporation)
        # the consent the referrer confirmed is the case's first consent record
        self.assertTrue(case.consent_sharing)
        self.assertEqual(len(case.consent_ids), 1)
        self.assertEqual(
            (case.consent_ids.partner_id, case.consent_ids.referral_id, case.consent_ids.state),
            (self.corporation, referral, "active"),
        )
        self.assertEqual(case.consent_ids.consent_text, referral.consent_text)
        self.assertTrue(case.consent_ids.legal_basis_id.is_consent)
        self.assertEqual(case.phase, "intake")
        self.assertEqual(case.user_id, self.caseworker)
        self.assertTrue(referral.date_answered)
        with self.assertRaises(UserError):
            referral.with_user(self.caseworker)._woonkans_withdraw()

    def test_matching_links_without_merging_and_can_be_undone(self):
        self.env["ir.config_parameter"].set_param("woonkans_case.bsn_enabled", "True")
        known = self.env["res.partner"].create(
            {
                "name": "Líeke  MULDER",
                "woonkans_is_client": True,
                "woonkans_birthdate": date(1988, 3, 14),
                "street": "Andere weg 3",
                "zip": "9000 AA",
            }
        )
        neighbour = self.env["res.partner"].create(
            {"name": "Someone Else", "woonkans_is_client": True, "street": "Kerkstraat 12", "zip": "9712 AB"}
        )
        by_bsn = self.env["res.partner"].create(
            {"name": "Third Person", "woonkans_is_client": True, "woonkans_bsn": "111222333"}
        )
        case = self._create_case(client_id=known.id)
        referral = self._submit(client_bsn="111222333")
        reasons = {match.partner_id: match.reasons for match in referral.match_ids}
        self.assertEqual(set(reasons), {known, neighbour, by_bsn})
        self.assertIn("date of birth and name", reasons[known])
        self.assertIn("postcode and house number", reasons[neighbour])
        self.assertIn("BSN", reasons[by_bsn])
        match = referral.match_ids.filtered(lambda m: m.partner_id == known)
        self.assertEqual(match.open_case_id, case)
        match.with_user(self.caseworker).action_link()
        self.assertEqual((referral.match_state, referral.client_id), ("linked", known))
        self.assertEqual(known.name, "Líeke  MULDER")  # nothing merged
        referral.with_user(self.caseworker).action_undo_match()
        self.assertEqual((referral.match_state, referral.client_id.id), ("undecided", False))
        match.action_link()
        clients = self.env["res.partner"].search_count([("woonkans_is_client", "=", True)])
        referral.with_user(self.caseworker).action_accept()
        # the open case of the known client is used; no client, no case was added
        self.assertEqual(referral.case_id, case)
        self.assertEqual(self.env["res.partner"].search_count([("woonkans_is_client", "=", True)]), clients)
        self.assertTrue(case.message_ids.filtered(lambda m: referral.name in str(m.body)))

    def test_decline_needs_reason_and_message_and_tells_the_referrer(self):
        referral = self._submit()
        reason = self.env.ref("woonkans_case.decline_reason_municipality")
        with self.assertRaises(UserError):
            referral._woonkans_decline(reason, "  ")
        wizard = (
            self.env["woonkans.referral.decline"]
            .with_user(self.caseworker)
            .create({"referral_id": referral.id, "reason_id": reason.id, "message": "Lives in Assen."})
        )
        self.assertEqual(wizard.route, reason.suggested_route)
        wizard.action_confirm()
        self.assertEqual(referral.state, "declined")
        self.assertEqual(referral.decline_reason_id, reason)
        self.assertEqual(referral.decline_route, reason.suggested_route)
        self.assertFalse(referral.case_id)
        self.assertFalse(referral.client_id)
        told = referral.message_ids.filtered(lambda m: "Lives in Assen." in (m.body or ""))
        self.assertEqual(len(told), 1)
        self.assertEqual(told.message_type, "comment")
        with self.assertRaises(UserError):
            referral.action_accept()

    def test_withdraw_by_the_referrer_only_before_acceptance(self):
        referral = self._submit()
        portal = new_test_user(self.env, login="wk_ref_portal", groups="base.group_portal", partner_id=self.contact.id)
        other_org = self.env["res.partner"].create({"name": "Ander Team", "is_company": True})
        stranger = new_test_user(
            self.env,
            login="wk_ref_stranger",
            groups="base.group_portal",
            partner_id=self.env["res.partner"].create({"name": "Vreemde", "parent_id": other_org.id}).id,
        )
        with self.assertRaises(AccessError):
            referral.with_user(stranger)._woonkans_withdraw()
        referral.with_user(portal)._woonkans_withdraw("Debt paid off")
        self.assertEqual((referral.state, referral.withdraw_reason), ("withdrawn", "Debt paid off"))
        self.assertFalse(referral.case_id)
        with self.assertRaises(UserError):
            referral.action_start_review() or referral._woonkans_withdraw()

    def test_overdue_is_one_definition(self):
        fresh = self._submit()
        late = self._submit()
        done = self._submit()
        (late | done).write({"date_submitted": datetime.now() - timedelta(days=20)})
        done.action_confirm_new_client()
        done.action_accept()
        self.assertEqual((fresh.is_overdue, late.is_overdue, done.is_overdue), (False, True, False))
        overdue = self.Referral.search([("is_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(fresh, overdue)
        self.assertNotIn(done, overdue)
        self.assertEqual(self.Referral.search(self.Referral._woonkans_overdue_domain()), overdue)
        self.assertNotIn(late, self.Referral.search([("is_overdue", "=", False)]))
        activity_type = self.env.ref("woonkans_case.mail_activity_type_referral_overdue")
        self.Referral._cron_overdue_referrals()
        self.Referral._cron_overdue_referrals()  # safe to run twice
        self.assertEqual(len(late.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)), 1)
        self.assertFalse(fresh.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))

    def test_deadline_counts_working_days(self):
        self.env["ir.config_parameter"].set_param("woonkans_case.referral_deadline_days", "5")
        referral = self._submit()
        referral.date_submitted = datetime(2026, 11, 27, 10, 0)  # a Friday
        self.assertEqual(referral.date_deadline, date(2026, 12, 4))

    def test_one_time_key_makes_one_referral(self):
        self._submit(key="a" * 32)
        before = self.Referral.search_count([])
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            self._submit(key="a" * 32)
        self.assertEqual(self.Referral.search_count([]), before)

    def test_referrals_are_never_deleted(self):
        referral = self._submit()
        with self.assertRaises(UserError):
            referral.with_user(self.coordinator).unlink()

    def test_state_and_answer_change_only_through_the_buttons(self):
        referral = self._submit()
        as_caseworker = referral.with_user(self.caseworker)
        for vals in ({"state": "accepted"}, {"case_id": self._create_case().id}, {"client_id": self.client.id}):
            with self.assertRaises(AccessError):
                as_caseworker.write(vals)
        with self.assertRaises(AccessError):
            self.Referral.with_user(self.caseworker).create(
                {"client_name": "X", "target_group": "evicted", "team_id": self.team.id, "state": "accepted"}
            )
        as_caseworker.write({"eviction_date": date.today() + timedelta(days=3), "client_city": "Haren"})
        self.assertEqual((referral.priority, referral.state), ("2", "submitted"))
        # a referral entered by staff gets its matches too
        staff = self.Referral.with_user(self.caseworker).create(
            {"client_name": self.client.name, "target_group": "evicted", "team_id": self.team.id}
        )
        self.assertEqual(staff.source, "staff")
        self.assertEqual(staff.state, "submitted")

    def test_migration_gives_referral_phase_cases_a_referral(self):
        import importlib.util  # noqa: PLC0415
        import os  # noqa: PLC0415

        from odoo.modules.module import get_module_path  # noqa: PLC0415

        path = os.path.join(get_module_path("woonkans_case"), "migrations", "19.0.1.1.0", "post-migration.py")
        spec = importlib.util.spec_from_file_location("woonkans_case_post_migration_19_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        case = self._create_case(
            referrer_id=self.corporation.id, consent_ids=consents(self.corporation), stage_id=self.stage["referral"].id
        )
        later = self._create_case(stage_id=self.stage["intake"].id)
        case.message_post(body="History of the case", subtype_xmlid="mail.mt_note")
        messages = len(case.message_ids)
        migration.migrate(self.env.cr, "19.0.1.0.0")
        migration.migrate(self.env.cr, "19.0.1.0.0")  # twice: still one referral
        referral = self.Referral.search([("case_id", "=", case.id)])
        self.assertEqual(len(referral), 1)
        self.assertEqual(
            (referral.state, referral.match_state, referral.client_id), ("submitted", "linked", case.client_id)
        )
        self.assertEqual(referral.referrer_id, self.corporation)
        self.assertTrue(referral.consent_given)
        self.assertEqual(len(case.message_ids), messages)  # the case keeps its history untouched
        self.assertFalse(self.Referral.search([("case_id", "=", later.id)]))
        # accepting it keeps the very same case
        referral.action_accept()
        self.assertEqual(referral.case_id, case)
