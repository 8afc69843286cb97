from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestCaseChecklist(WoonkansCaseCommon):
    def test_reference_follows_the_year(self):
        case = self._create_case()
        self.assertRegex(case.name, rf"^WK-{date.today().year}-\d{{5}}$")
        self.assertEqual(case.stage_id, self.stage["referral"], "a new case starts as a referral")

    def test_checklist_instantiated_from_trajectory(self):
        case = self._create_case(
            trajectory_type_id=self.second_chance.id,
            party_ids=[
                (
                    0,
                    0,
                    {
                        "partner_id": self.corporation.id,
                        "role_id": self.env.ref("woonkans_case.party_role_evicting_corporation").id,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "partner_id": self.care_provider.id,
                        "role_id": self.env.ref("woonkans_case.party_role_care_provider").id,
                    },
                ),
            ],
        )
        templates = self.second_chance.condition_template_ids
        self.assertEqual(len(case.condition_line_ids), len(templates))
        self.assertEqual(set(case.condition_line_ids.mapped("code")), set(templates.mapped("code")))
        self.assertEqual(self._line(case, "payment_arrangement").responsible_partner_id, self.corporation)
        self.assertEqual(self._line(case, "aid_org_assigned").responsible_partner_id, self.care_provider)
        self.assertEqual(self._line(case, "woningnet_registered").date_due, date.today() + relativedelta(days=30))
        # no children in the household: consulting Veilig Thuis does not apply
        self.assertEqual(self._line(case, "veilig_thuis").status, "not_applicable")
        self.assertEqual(case.date_start, date.today())
        self.assertEqual(case.date_planned_end, date.today() + relativedelta(months=24))
        self.assertEqual(case.date_max_end, date.today() + relativedelta(months=60))

    def test_veilig_thuis_applies_with_children(self):
        self.client.woonkans_child_ids = [Command.create({"birth_year": date.today().year - 4})]
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        self.assertEqual(case.household_children, 1)
        self.assertEqual(self._line(case, "veilig_thuis").status, "open")

    def test_changing_trajectory_adds_only_missing_lines(self):
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        self._give_consent(case)
        self.assertEqual(self._line(case, "consent").status, "met")
        count = len(case.condition_line_ids)
        case.trajectory_type_id = self.conditional
        new_templates = self.conditional.condition_template_ids
        self.assertEqual(len(case.condition_line_ids), count + len(new_templates))
        self.assertIn(
            "met",
            case.condition_line_ids.filtered(lambda line: line.code == "consent").mapped("status"),
            "lines of the earlier trajectory keep their status",
        )

    def test_referrer_becomes_a_party(self):
        case = self._create_case(referrer_id=self.social_team.id)
        party = case.party_ids.filtered(lambda p: p.partner_id == self.social_team)
        self.assertTrue(party)
        self.assertEqual(party.role_id, self.env.ref("woonkans_case.party_role_referrer"))
        self.assertTrue(party.is_current)

    def test_second_chance_window(self):
        case = self._create_case(eviction_date=date.today() - relativedelta(years=3))
        self.assertEqual(case.second_chance_until, case.eviction_date + relativedelta(years=5))
        self.assertTrue(case.second_chance_open)
        old = self._create_case(eviction_date=date.today() - relativedelta(years=6))
        self.assertFalse(old.second_chance_open)
        settings = self.env["res.config.settings"].create({"woonkans_second_chance_years": 7})
        settings.execute()
        self.assertTrue(old.second_chance_open, "changing the window in the settings recomputes the cases")

    def test_planned_end_cannot_pass_maximum(self):
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        with self.assertRaises(ValidationError):
            case.date_planned_end = case.date_start + relativedelta(months=61)

    def test_condition_progress_and_overdue(self):
        case = self._create_case(trajectory_type_id=self.restart.id)
        line = self._line(case, "guidance_accepted")
        line.date_due = date.today() - relativedelta(days=1)
        self.assertTrue(line.is_overdue)
        self.assertGreaterEqual(case.condition_overdue_count, 1)
        overdue = self.env["woonkans.case"].search(
            [("condition_line_ids", "any", [("status", "in", ("open", "not_met")), ("date_due", "<", date.today())])]
        )
        self.assertIn(case, overdue, "the 'conditions overdue' filter domain finds the case")
        self._give_consent(case)
        relevant = case.condition_line_ids.filtered(lambda line: line.status != "not_applicable")
        (relevant - self._line(case, "consent")).write({"status": "met"})
        self.assertEqual(case.condition_progress, 100.0)
        self.assertFalse(line.is_overdue)
        self.assertEqual(line.checked_by_id, self.env.user)
        self.assertTrue(line.checked_date)

    def test_condition_names_keep_their_translations(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        template = self.env.ref("woonkans_case.condition_template_second_chance_woningnet_registered")
        template.with_context(lang="nl_NL").name = "Opnieuw ingeschreven bij WoningNet"
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        line = self._line(case, "woningnet_registered")
        self.assertEqual(line.with_context(lang="en_US").name, "Registered again with WoningNet")
        self.assertEqual(line.with_context(lang="nl_NL").name, "Opnieuw ingeschreven bij WoningNet")
        line.with_context(lang="en_US").name = "Registered with WoningNet and Woonkeus"
        self.env["woonkans.condition.line"]._copy_template_translations()
        self.assertEqual(
            line.with_context(lang="en_US").name,
            "Registered with WoningNet and Woonkeus",
            "a reworded line keeps its wording",
        )

    def test_overdue_is_one_rule(self):
        """The line's flag, its search, the case's count and its filter agree."""
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        lines = case.condition_line_ids - self._line(case, "consent")  # that one follows the consent records
        yesterday = date.today() - relativedelta(days=1)
        lines.write({"date_due": date.today() + relativedelta(days=3)})
        late_open, late_not_met, late_met, late_na = lines[:4]
        (late_open | late_not_met | late_met | late_na).date_due = yesterday
        late_not_met.status = "not_met"
        late_met.status = "met"
        late_na.status = "not_applicable"
        overdue = late_open | late_not_met
        Line = self.env["woonkans.condition.line"]
        self.assertEqual(lines.filtered("is_overdue"), overdue)
        self.assertEqual(Line.search([("case_id", "=", case.id), ("is_overdue", "=", True)]), overdue)
        self.assertEqual(
            Line.search([("case_id", "=", case.id), ("is_overdue", "!=", True), ("id", "in", lines.ids)]),
            lines - overdue,
        )
        self.assertEqual(Line.search([("case_id", "=", case.id)] + list(Line._overdue_domain())), overdue)
        self.assertEqual(case.condition_overdue_count, 2)
        cases = self.env["woonkans.case"].search([("condition_line_ids", "any", [("is_overdue", "=", True)])])
        self.assertIn(case, cases)
        late_open.status = late_not_met.status = "met"
        self.assertEqual(case.condition_overdue_count, 0)
        self.assertFalse(lines.filtered("is_overdue"))
