from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WoonkansPaymentArrangement(models.Model):
    """A payment arrangement (betalingsregeling) and whether it is being kept."""

    _name = "woonkans.payment.arrangement"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Payment arrangement"
    _order = "date_start desc, id desc"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    creditor_id = fields.Many2one("res.partner", required=True, string="Creditor", domain=[("is_company", "=", True)])
    total_debt = fields.Monetary(required=True)
    monthly_amount = fields.Monetary(required=True)
    date_start = fields.Date(required=True, default=fields.Date.context_today)
    record_ids = fields.One2many("woonkans.payment.record", "arrangement_id", string="Monthly adherence")
    amount_paid = fields.Monetary(compute="_compute_state", store=True)
    remaining_debt = fields.Monetary(compute="_compute_state", store=True)
    months_kept = fields.Integer(
        string="Months kept in a row",
        compute="_compute_state",
        store=True,
        help="Consecutive months, counting back from the latest, paid on time or late.",
    )
    missed_count = fields.Integer(string="Months missed", compute="_compute_state", store=True)
    state = fields.Selection(
        [
            ("new", "No payments recorded"),
            ("kept", "Being kept"),
            ("at_risk", "At risk"),
            ("broken", "Broken"),
            ("paid_off", "Paid off"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        help="Broken after two missed months in a row; at risk after one missed or two late months in a row.",
    )
    note = fields.Text()

    _amounts_positive = models.Constraint(
        "CHECK(total_debt > 0 AND monthly_amount > 0)",
        "The total debt and the monthly amount must be positive.",
    )

    @api.depends("record_ids.status", "record_ids.period", "record_ids.amount_paid", "total_debt")
    def _compute_state(self):
        for arrangement in self:
            records = arrangement.record_ids.sorted("period", reverse=True)
            arrangement.amount_paid = sum(records.mapped("amount_paid"))
            arrangement.remaining_debt = max(arrangement.total_debt - arrangement.amount_paid, 0.0)
            kept = 0
            for record in records:
                if record.status == "missed":
                    break
                kept += 1
            arrangement.months_kept = kept
            arrangement.missed_count = len(records.filtered(lambda r: r.status == "missed"))
            last_two = records[:2].mapped("status")
            if not records:
                state = "new"
            elif arrangement.total_debt and arrangement.remaining_debt <= 0:
                state = "paid_off"
            elif last_two == ["missed", "missed"]:
                state = "broken"
            elif "missed" in last_two[:1] or last_two == ["late", "late"]:
                state = "at_risk"
            else:
                state = "kept"
            arrangement.state = state

    @api.model_create_multi
    def create(self, vals_list):
        arrangements = super().create(vals_list)
        for arrangement in arrangements:
            # the first arrangement of a case feeds its "payment arrangement kept" conditions
            unlinked = arrangement.case_id.condition_line_ids.filtered(
                lambda line: line.kind == "payment" and not line.payment_arrangement_id
            )
            if unlinked:
                unlinked.sudo().payment_arrangement_id = arrangement
        return arrangements

    @api.constrains("monthly_amount", "total_debt")
    def _check_monthly_amount(self):
        for arrangement in self:
            if arrangement.monthly_amount > arrangement.total_debt:
                raise ValidationError(self.env._("The monthly amount cannot be more than the total debt."))

    def _compute_display_name(self):
        for arrangement in self:
            arrangement.display_name = self.env._(
                "%(creditor)s: %(amount)s a month",
                creditor=arrangement.creditor_id.display_name or "",
                amount=arrangement.monthly_amount,
            )

    def _next_period(self):
        self.ensure_one()
        last = self.record_ids.sorted("period", reverse=True)[:1]
        start = self.date_start.replace(day=1)
        return last.period + relativedelta(months=1) if last else start

    def _sync_conditions(self):
        """Feed the arrangement's state into the payment conditions of its case."""
        lines = self.env["woonkans.condition.line"].search(
            [("payment_arrangement_id", "in", self.ids), ("kind", "=", "payment")]
        )
        lines._sync_payment_status()

    def action_record_month(self):
        """Open a new adherence record for the next unrecorded month."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a month"),
            "res_model": "woonkans.payment.record",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_arrangement_id": self.id,
                "default_period": fields.Date.to_string(
                    min(self._next_period(), fields.Date.context_today(self).replace(day=1))
                ),
                "default_amount_paid": self.monthly_amount,
            },
        }

    def action_escalate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Give a card"),
            "res_model": "woonkans.card.event",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_case_id": self.case_id.id,
                "default_arrangement_id": self.id,
                "default_card": "red" if self.state == "broken" else "yellow",
            },
        }
