from datetime import date

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestPaymentArrangement(WoonkansCaseCommon):
    def setUp(self):
        super().setUp()
        self.case = self._create_case(trajectory_type_id=self.second_chance.id)
        self.first_month = date.today().replace(day=1) - relativedelta(months=5)
        self.arrangement = self.env["woonkans.payment.arrangement"].create(
            {
                "case_id": self.case.id,
                "creditor_id": self.corporation.id,
                "total_debt": 1200.0,
                "monthly_amount": 100.0,
                "date_start": self.first_month,
            }
        )
        self.line = self._line(self.case, "payment_kept_3m")
        self.assertEqual(self.line.payment_arrangement_id, self.arrangement, "linked automatically")

    def _record(self, months_after_start, status):
        return self.env["woonkans.payment.record"].create(
            {
                "arrangement_id": self.arrangement.id,
                "period": self.first_month + relativedelta(months=months_after_start, day=15),
                "status": status,
                **({"amount_paid": 0.0} if status == "missed" else {}),
            }
        )

    def test_kept_three_months_meets_the_condition(self):
        self.assertEqual(self.arrangement.state, "new")
        self._record(0, "on_time")
        self._record(1, "late")
        self.assertEqual(self.arrangement.state, "kept")
        self.assertEqual(self.line.status, "open", "two months are not enough")
        record = self._record(2, "on_time")
        self.assertEqual(record.period.day, 1, "months are stored as the first of the month")
        self.assertEqual(self.arrangement.months_kept, 3)
        self.assertEqual(self.arrangement.amount_paid, 300.0)
        self.assertEqual(self.arrangement.remaining_debt, 900.0)
        self.assertEqual(self.line.status, "met")

    def test_missed_months_put_it_at_risk_then_break_it(self):
        for month in range(3):
            self._record(month, "on_time")
        self.assertEqual(self.line.status, "met")
        self._record(3, "missed")
        self.assertEqual(self.arrangement.state, "at_risk")
        self.assertEqual(self.arrangement.months_kept, 0)
        self.assertEqual(self.line.status, "open", "a missed month resets the run")
        self._record(4, "missed")
        self.assertEqual(self.arrangement.state, "broken")
        self.assertEqual(self.arrangement.missed_count, 2)
        self.assertEqual(self.line.status, "not_met")
        self.assertIn("Payment arrangement kept for 3 months", self.case.message_ids.mapped("body")[0])

    def test_two_late_months_are_at_risk(self):
        self._record(0, "late")
        self._record(1, "late")
        self.assertEqual(self.arrangement.state, "at_risk")

    def test_paid_off(self):
        self.arrangement.total_debt = 200.0
        self._record(0, "on_time")
        self._record(1, "on_time")
        self.assertEqual(self.arrangement.state, "paid_off")

    def test_cards_are_counted_and_logged(self):
        Card = self.env["woonkans.card.event"]
        Card.create(
            {
                "case_id": self.case.id,
                "card": "yellow",
                "reason": "Two months missed",
                "arrangement_id": self.arrangement.id,
            }
        )
        Card.create({"case_id": self.case.id, "card": "red", "reason": "Arrangement broken again"})
        self.assertEqual((self.case.yellow_card_count, self.case.red_card_count), (1, 1))
        self.assertIn("Arrangement broken again", self.case.message_ids[0].body)
        action = self.arrangement.action_escalate()
        self.assertEqual(action["context"]["default_card"], "yellow")

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._record(7, "on_time")  # a future month
        with self.assertRaises(ValidationError):
            self._record(-1, "on_time")  # before the start
        with self.assertRaises(ValidationError):
            self.arrangement.monthly_amount = 5000.0
        self._record(0, "on_time")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self._record(0, "late")
