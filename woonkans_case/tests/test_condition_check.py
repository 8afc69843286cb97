import logging
import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.woonkans_case.models.woonkans_condition_line import PARTNER_STATUSES, PENDING_STATUSES, STATUSES

from .common import CONSENT_TEXT, WoonkansCaseCommon, consents
from .common_portal import WoonkansPortalCommon

_logger = logging.getLogger(__name__)

# every status, and whether it counts as done (met or not applicable) for gates and progress
DONE_STATUSES = ("met", "not_applicable")


@tagged("post_install", "-at_install")
class TestConditionCheck(WoonkansCaseCommon):
    """A partner's "met" waits for the bureau as "met, to check"; only a real "met" counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contact = cls.env["res.partner"].create(
            {"name": "Pia Portaal", "parent_id": cls.corporation.id, "email": "pia@example.com"}
        )
        cls.partner_user = new_test_user(
            cls.env, login="wk_partner_check", groups="base.group_portal", partner_id=contact.id
        )

    def setUp(self):
        super().setUp()
        self.case = self._create_case(
            trajectory_type_id=self.second_chance.id,
            referrer_id=self.corporation.id,
            consent_ids=consents(self.corporation),
        )
        self.line = self._line(self.case, "woningnet_registered")
        self.line.write({"responsible_partner_id": self.corporation.id, "responsible_user_id": self.caseworker_2.id})

    def _activities(self, user):
        return self.case.activity_ids.filtered(
            lambda a: a.user_id == user
            and a.activity_type_id == self.env.ref("woonkans_case.mail_activity_type_partner_update")
        )

    def test_every_status_is_pending_or_done(self):
        """Each status is either still to be met (overdue rule) or done (gates, progress): never both, never neither."""
        for status, _label in STATUSES:
            with self.subTest(status=status):
                self.assertNotEqual(status in PENDING_STATUSES, status in DONE_STATUSES)
        self.assertIn("to_check", PENDING_STATUSES)
        self.assertIn("in_progress", PENDING_STATUSES)
        _logger.info("TestConditionCheck: %s statuses checked", len(STATUSES))

    def test_partner_met_is_to_check_and_staff_confirm(self):
        line = self.line.with_user(self.partner_user)
        self.assertTrue(line._woonkans_portal_update("met", "Ingeschreven op 1 mei"))
        self.assertEqual(self.line.status, "to_check")
        self.assertEqual(self.line.note, "Ingeschreven op 1 mei")
        activity = self._activities(self.caseworker_2)
        self.assertEqual(len(activity), 1, "the line's staff member checks it")
        self.assertIn(self.line.name, activity.summary)
        # a second report while it waits adds no second activity
        line._woonkans_portal_update("met", "Ingeschreven op 1 mei, bewijs volgt")
        self.assertEqual(len(self._activities(self.caseworker_2)), 1)
        self.assertEqual(self.line.status, "to_check")
        self.line.with_user(self.caseworker).action_confirm()
        self.assertEqual(self.line.status, "met")
        self.assertEqual(self.line.checked_by_id, self.caseworker)
        # reporting met again on a confirmed line leaves it met
        self.assertFalse(line._woonkans_portal_update("met", "Ingeschreven op 1 mei, bewijs volgt"))
        self.assertEqual(self.line.status, "met")

    def test_partner_in_progress_and_not_met(self):
        line = self.line.with_user(self.partner_user)
        for status in ("in_progress", "not_met"):
            line._woonkans_portal_update(status, f"note {status}")
            self.assertEqual(self.line.status, status)
        with self.assertRaises(AccessError):
            line.write({"status": "to_check"})
        with self.assertRaises(AccessError):
            line.write({"status": "not_applicable"})
        self.assertEqual(set(PARTNER_STATUSES), {"met", "not_met", "in_progress"})

    def test_reject_asks_why_in_a_dialog_and_the_partner_reads_it(self):
        self.line.with_user(self.partner_user)._woonkans_portal_update("met", "Ingeschreven, zie bijlage")
        action = self.line.with_user(self.caseworker).action_open_reject()
        self.assertEqual((action["res_model"], action["target"]), ("woonkans.condition.line.reject", "new"))
        Wizard = self.env["woonkans.condition.line.reject"].with_user(self.caseworker).with_context(**action["context"])
        wizard = Wizard.create({"reason": "  "})
        with self.assertRaisesRegex(UserError, "Write why"):
            wizard.action_confirm()
        self.assertEqual(self.line.status, "to_check")
        Wizard.create({"reason": "Het inschrijfbewijs ontbreekt nog."}).action_confirm()
        self.assertEqual((self.line.status, self.line.note), ("not_met", "Het inschrijfbewijs ontbreekt nog."))
        self.assertEqual(self.line.with_user(self.partner_user).note, "Het inschrijfbewijs ontbreekt nog.")
        with self.assertRaises(UserError):
            self.line.with_user(self.caseworker).action_open_reject()  # nothing to reject any more
        # the case form's Reject button opens the dialog, never rejects without a reason
        arch = self.env["woonkans.case"].get_view(view_type="form")["arch"]
        self.assertIn('name="action_open_reject"', arch)
        self.assertNotIn('name="action_reject"', arch)

    def test_staff_met_stays_met(self):
        self.line.with_user(self.caseworker).action_mark_met()
        self.assertEqual(self.line.status, "met")

    def test_reject_needs_a_note_and_goes_back_to_not_met(self):
        self.line.with_user(self.partner_user)._woonkans_portal_update("met", "")
        self.assertEqual(self.line.status, "to_check")
        with self.assertRaises(UserError):
            self.line.with_user(self.caseworker).action_reject()
        self.assertEqual(self.line.status, "to_check")
        self.line.with_user(self.caseworker).write({"note": "Geen inschrijfbewijs ontvangen"})
        self.line.with_user(self.caseworker).action_reject()
        self.assertEqual(self.line.status, "not_met")
        with self.assertRaises(UserError):
            self.line.with_user(self.caseworker).action_confirm()

    def test_gate_refuses_to_check(self):
        consent = self._line(self.case, "consent")
        self.assertEqual(consent.status, "met")
        self.case.with_user(self.caseworker).stage_id = self.stage["intake"]
        for code in ("woningnet_registered", "payment_arrangement", "guidance_accepted"):
            self._line(self.case, code).status = "to_check"
        case = self.case.with_user(self.caseworker)
        with self.assertRaises(UserError) as caught:
            case.stage_id = self.stage["plan"]
        self.assertIn("Met, to check", str(caught.exception))
        self.assertEqual(self.case.stage_id, self.stage["intake"])
        for code in ("woningnet_registered", "payment_arrangement", "guidance_accepted"):
            self._line(self.case, code).with_user(self.caseworker).action_confirm()
        case.stage_id = self.stage["plan"]
        self.assertEqual(self.case.stage_id, self.stage["plan"])

    def test_consent_is_not_set_by_to_check(self):
        """A partner's "met" on the consent condition waits; the bureau confirms it by recording the consent."""
        case = self._create_case(trajectory_type_id=self.second_chance.id)
        consent = self._line(case, "consent")
        consent.write({"status": "to_check"})
        self.assertFalse(case.consent_sharing, "a report to check gives no consent")
        with self.assertRaisesRegex(UserError, "Consents tab"):
            consent.with_user(self.caseworker).action_confirm()
        self.assertEqual(consent.status, "to_check")
        case.with_user(self.caseworker)._woonkans_record_consent(self.corporation, consent_text=CONSENT_TEXT)
        self.assertTrue(case.consent_sharing)
        self.assertEqual(consent.status, "met")

    def test_progress_and_overdue_count_to_check_as_pending(self):
        lines = self.case.condition_line_ids.filtered(lambda line: line.status != "not_applicable")
        done_before = self.case.condition_done_count
        self.line.write({"status": "to_check", "date_due": "2020-01-01"})
        self.assertEqual(self.case.condition_done_count, done_before)
        self.assertTrue(self.line.is_overdue, "a report still to be confirmed keeps its deadline")
        self.assertEqual(self.case.condition_count, len(lines))
        self.line.with_user(self.caseworker).action_confirm()
        self.assertEqual(self.case.condition_done_count, done_before + 1)
        self.assertFalse(self.line.is_overdue)

    def test_responsible_staff_falls_back_to_caseworker_then_team_leader(self):
        self.line.with_user(self.partner_user)._woonkans_portal_update("in_progress", "bezig")
        self.assertTrue(self._activities(self.caseworker_2))
        self.line.responsible_user_id = False
        self.assertEqual(self.line._woonkans_responsible_staff(), self.caseworker)
        self.team.leader_id = self.coordinator
        self.case.user_id = False
        self.assertEqual(self.line._woonkans_responsible_staff(), self.coordinator)
        self.line.with_user(self.partner_user)._woonkans_portal_update("met", "klaar")
        self.assertTrue(self._activities(self.coordinator))

    def test_partner_message_reaches_the_caseworker(self):
        self.case.with_user(self.partner_user).sudo().message_post(
            body="Vraag van de corporatie", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(len(self._activities(self.caseworker)), 1)
        message = self.case.message_ids[:1]
        self.assertIn(self.caseworker.partner_id, message.notification_ids.res_partner_id)
        # a note our code posts for a partner, and staff's own messages, are no partner discussion
        self.case.with_user(self.partner_user).sudo().message_post(body="log", subtype_xmlid="mail.mt_note")
        self.case.with_user(self.caseworker).message_post(
            body="Antwoord", message_type="comment", subtype_xmlid="mail.mt_comment", partner_ids=[]
        )
        self.assertEqual(len(self._activities(self.caseworker)), 1)
        self.assertEqual(len(self.case.activity_ids.filtered(lambda a: a.user_id == self.caseworker_2)), 0)


@tagged("post_install", "-at_install")
class TestPortalConditionNotify(WoonkansPortalCommon):
    """Over HTTP: a partner's update and message give the caseworker an activity and an unread inbox item."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.caseworker = new_test_user(
            cls.env, login="wkp_caseworker", groups="woonkans_case.group_woonkans_user", name="Kees Consulent"
        )
        cls.caseworker.notification_type = "inbox"
        cls.case_a.user_id = cls.caseworker
        cls.line = cls.children[cls.case_a]["woonkans.condition.line"]
        cls.line.responsible_user_id = cls.caseworker
        cls.activity_type = cls.env.ref("woonkans_case.mail_activity_type_partner_update")

    def _activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "woonkans.case"),
                ("res_id", "=", self.case_a.id),
                ("activity_type_id", "=", self.activity_type.id),
                ("user_id", "=", self.caseworker.id),
            ]
        )

    def _unread(self):
        """The caseworker's unread inbox items on the case."""
        messages = self.env["mail.message"].search([("model", "=", "woonkans.case"), ("res_id", "=", self.case_a.id)])
        return messages.with_user(self.caseworker).filtered("needaction")

    def test_condition_update_over_the_portal(self):
        self.login(self.user_a1)
        page = self.url_open(f"/my/woonkans/{self.case_a.id}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/my/woonkans/{self.case_a.id}/condition/{self.line.id}",
            data={"status": "met", "note": "Ingeschreven", "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"updated={self.line.id}", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(self.line.status, "to_check")
        self.assertEqual(len(self._activities()), 1)
        unread = self._unread()
        self.assertEqual(len(unread), 1)
        self.assertIn(self.line.name, unread.body)
        self.assertTrue(unread.subtype_id.internal, "the note for the caseworker is not shown to partners")
        page = self.url_open(f"/my/woonkans/{self.case_a.id}").text
        self.assertIn("Met, to check", page)
        # "in progress" with a note
        response = self.url_open(
            f"/my/woonkans/{self.case_a.id}/condition/{self.line.id}",
            data={"status": "in_progress", "note": "Afspraak staat", "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertIn(f"updated={self.line.id}", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(self.line.status, "in_progress")
        self.assertEqual(self.line.note, "Afspraak staat")
        self.assertEqual(len(self._activities()), 2, "a new summary: the caseworker sees the progress")

    def test_portal_message(self):
        self.login(self.user_a1)
        before = self._unread()
        response = self.url_open(
            "/mail/message/post",
            json={
                "params": {
                    "thread_model": "woonkans.case",
                    "thread_id": self.case_a.id,
                    "post_data": {
                        "body": "Vraag over de huur",
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                }
            },
        )
        self.assertNotIn("error", response.json())
        self.env.invalidate_all()
        unread = self._unread() - before
        self.assertEqual(len(unread), 1)
        self.assertIn("Vraag over de huur", unread.body)
        activity = self._activities()
        self.assertEqual(len(activity), 1)
        self.assertIn(self.org_a.name, activity.summary)

    def test_condition_tour(self):
        """A partner's condition update, which creates the caseworker's activity (a browser tour)."""
        self.start_tour(f"/my/woonkans/{self.case_a.id}", "woonkans_portal_condition_tour", login=self.user_a1.login)
        self.env.invalidate_all()
        reported = self.case_a.condition_line_ids.filtered(lambda line: line.status == "to_check")
        self.assertEqual(len(reported), 1)
        self.assertEqual(reported.note, "Ingeschreven bij WoningNet")
        self.assertEqual(len(self._activities()), 1)
        self.assertEqual(len(self._unread()), 1)
