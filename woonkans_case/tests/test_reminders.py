import re
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestReminders(WoonkansCaseCommon):
    def _activities(self, case, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "woonkans.case"),
                ("res_id", "=", case.id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def test_reminders_are_created_once(self):
        case = self._create_case(trajectory_type_id=self.conditional.id)
        overdue = self._line(case, "guidance_accepted")
        overdue.date_due = date.today() - relativedelta(days=3)
        overdue.responsible_user_id = self.caseworker_2
        far = self._line(case, "care_contract_signed")
        far.date_due = date.today() + relativedelta(days=60)
        agreement = self.env["woonkans.tenancy.agreement"].create(
            {
                "case_id": case.id,
                "corporation_id": self.corporation.id,
                "care_provider_id": self.care_provider.id,
                "date_start": date.today() - relativedelta(months=23, days=20),
                "term_months": 24,
            }
        )
        agreement.action_start()
        case.date_planned_end = date.today() + relativedelta(days=5)

        self.env["woonkans.case"]._cron_send_reminders()
        due = self._activities(case, "woonkans_case.mail_activity_type_condition_due")
        summaries = due.mapped("summary")
        self.assertIn("Overdue condition: Guidance accepted", summaries)
        self.assertNotIn(
            "Condition due: Care contract / three-party agreement signed",
            summaries,
            "60 days ahead is beyond the horizon",
        )
        self.assertEqual(due.filtered(lambda a: "Guidance" in a.summary).user_id, self.caseworker_2)
        self.assertEqual(len(self._activities(case, "woonkans_case.mail_activity_type_tenancy_end")), 1)
        self.assertEqual(
            len(self._activities(case, "woonkans_case.mail_activity_type_tenancy_review")),
            1,
            "the review date passed and the review is not done",
        )
        self.assertEqual(len(self._activities(case, "woonkans_case.mail_activity_type_trajectory_end")), 1)
        total = self.env["mail.activity"].search_count([("res_model", "=", "woonkans.case"), ("res_id", "=", case.id)])

        self.env["woonkans.case"]._cron_send_reminders()
        self.assertEqual(
            self.env["mail.activity"].search_count([("res_model", "=", "woonkans.case"), ("res_id", "=", case.id)]),
            total,
            "running the job twice makes no duplicates",
        )
        overdue.status = "met"
        due.filtered(lambda a: "Guidance" in a.summary).action_feedback(feedback="Done")
        self.env["woonkans.case"]._cron_send_reminders()
        self.assertNotIn(
            "Overdue condition: Guidance accepted",
            self._activities(case, "woonkans_case.mail_activity_type_condition_due").mapped("summary"),
        )

    def test_closed_cases_get_no_reminders(self):
        case = self._create_case(
            trajectory_type_id=self.conditional.id,
            stage_id=self.stage["closed"].id,
            closure_reason_id=self.env.ref("woonkans_case.closure_reason_moved_away").id,
        )
        case.condition_line_ids.write({"date_due": date.today()})
        self.env["woonkans.case"]._cron_send_reminders()
        self.assertFalse(self._activities(case, "woonkans_case.mail_activity_type_condition_due"))

    def test_cron_ends_party_lines(self):
        case = self._create_case(referrer_id=self.social_team.id)
        party = case.party_ids
        self.env.cr.execute(
            "UPDATE woonkans_case_party SET date_to = %s WHERE id = %s",
            (date.today() - relativedelta(days=1), party.id),
        )
        party.invalidate_recordset()
        self.assertTrue(party.is_current, "stale until the daily job runs")
        self.env["woonkans.case"]._cron_send_reminders()
        party.invalidate_recordset()
        self.assertFalse(party.is_current)

    def test_one_job_per_kind_of_reminder(self):
        """Each scheduled job makes its own kind of reminder and no other."""
        case = self._create_case(trajectory_type_id=self.conditional.id)
        self._line(case, "guidance_accepted").date_due = date.today() - relativedelta(days=3)
        agreement = self.env["woonkans.tenancy.agreement"].create(
            {
                "case_id": case.id,
                "corporation_id": self.corporation.id,
                "care_provider_id": self.care_provider.id,
                "date_start": date.today() - relativedelta(months=23, days=20),
                "term_months": 24,
            }
        )
        agreement.action_start()
        case.date_planned_end = date.today() + relativedelta(days=5)
        kinds = {
            "woonkans_case.ir_cron_woonkans_reminders": {"woonkans_case.mail_activity_type_condition_due"},
            "woonkans_case.ir_cron_woonkans_tenancy_reminders": {
                "woonkans_case.mail_activity_type_tenancy_review",
                "woonkans_case.mail_activity_type_tenancy_end",
            },
            "woonkans_case.ir_cron_woonkans_trajectory_end_reminders": {
                "woonkans_case.mail_activity_type_trajectory_end"
            },
        }
        every_kind = set().union(*kinds.values())
        for cron_xmlid, made in kinds.items():
            before = {x: len(self._activities(case, x)) for x in every_kind}
            cron = self.env.ref(cron_xmlid)
            self.assertTrue(cron.active, cron_xmlid)
            # what the job runs, without the job runner (which commits)
            method = re.fullmatch(r"model\.(_cron_\w+)\(\)", cron.code).group(1)
            getattr(self.env[cron.model_id.model], method)()
            for xmlid in every_kind:
                if xmlid not in made:
                    self.assertEqual(len(self._activities(case, xmlid)), before[xmlid], f"{cron_xmlid} made {xmlid}")
            self.assertTrue(any(len(self._activities(case, x)) > before[x] for x in made), f"{cron_xmlid} made nothing")
        self.assertTrue(self.env.ref("woonkans_case.ir_cron_woonkans_party_lines").active)
