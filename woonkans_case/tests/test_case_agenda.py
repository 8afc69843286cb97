from datetime import date, timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestCaseAgenda(WoonkansCaseCommon):
    """One agenda of intakes, evictions, court hearings and condition deadlines, named by the
    client, that follows the access to the case."""

    def setUp(self):
        super().setUp()
        today = date.today()
        self.case = self._create_case(
            trajectory_type_id=self.second_chance.id,
            intake_date=today - timedelta(days=2),
            eviction_date=today + timedelta(days=20),
            court_date=today + timedelta(days=9),
        )
        self.line = self._line(self.case, "woningnet_registered")
        self.line.date_due = today + timedelta(days=5)
        self.Event = self.env["woonkans.case.event"]

    def _events(self, user=None):
        Event = self.Event.with_user(user) if user else self.Event
        return Event.search([("case_id", "=", self.case.id)])

    def test_every_date_of_the_case_with_the_clients_name(self):
        events = self._events(self.caseworker)
        by_kind = {}
        for event in events:
            by_kind.setdefault(event.kind, self.Event)
            by_kind[event.kind] |= event
        self.assertEqual(
            {k: v.mapped("date") for k, v in by_kind.items() if k != "condition"},
            {
                "intake": [self.case.intake_date],
                "eviction": [self.case.eviction_date],
                "court": [self.case.court_date],
            },
        )
        pending = self.case.condition_line_ids.filtered(
            lambda line: line.date_due and line.status in ("open", "in_progress", "not_met", "to_check")
        )
        self.assertEqual(by_kind["condition"].line_id, pending)
        self.assertIn(self.line, by_kind["condition"].line_id)
        self.assertEqual(by_kind["court"].display_name, f"{self.client.name}: Court hearing")
        condition = by_kind["condition"].filtered(lambda e: e.line_id == self.line)
        self.assertEqual(condition.display_name, f"{self.client.name}: {self.line.name}")
        self.assertEqual(condition.date, self.line.date_due)
        self.assertEqual(len(set(events.ids)), len(events), "every row has its own id")

    def test_done_conditions_and_closed_cases_leave_the_agenda(self):
        self.line.with_user(self.caseworker).action_mark_met()
        self.assertNotIn(self.line, self._events().line_id)
        self.case.write({"intake_date": False})
        self.assertNotIn("intake", self._events().mapped("kind"))
        self.assertTrue(self._events())
        # a closed case (its stage set straight in the table: closing has its own tests)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE woonkans_case SET stage_id = %s, phase = 'closed' WHERE id = %s",
            [self.stage["closed"].id, self.case.id],
        )
        self.env.invalidate_all()
        self.assertFalse(self._events())

    def test_the_agenda_follows_the_access_to_the_case(self):
        self.assertTrue(self._events(self.caseworker))
        self.assertTrue(self._events(self.coordinator))
        self.assertFalse(self._events(self.outsider), "a caseworker of another team sees none of its dates")
        self.assertFalse(self.Event.with_user(self.outsider).search([("client_id", "=", self.client.id)]))
        self.case.team_id = self.other_team
        self.case.user_id = self.outsider
        self.assertTrue(self._events(self.outsider))
        self.assertFalse(self._events(self.caseworker))
        portal = new_test_user(self.env, login="wk_agenda_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.Event.with_user(portal).search([])
        with self.assertRaises(AccessError):
            self._events().with_user(self.caseworker).write({"date": date.today()})

    def test_my_agenda_is_the_default(self):
        action = self.env.ref("woonkans_case.woonkans_case_event_action")
        self.assertEqual(action.view_mode.split(",")[0], "calendar")
        self.assertIn("search_default_mine", action.context)
        mine = self.Event.with_user(self.caseworker).search([("user_id", "=", self.caseworker.id)])
        self.assertIn(self.case, mine.case_id)
