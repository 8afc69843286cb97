from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WoonkansPaymentRecord(models.Model):
    """One month of a payment arrangement: paid on time, late or missed."""

    _name = "woonkans.payment.record"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Monthly payment adherence"
    _order = "period desc, id desc"

    arrangement_id = fields.Many2one("woonkans.payment.arrangement", required=True, ondelete="cascade", index=True)
    case_id = fields.Many2one(related="arrangement_id.case_id", store=True, index=True)
    company_id = fields.Many2one(related="arrangement_id.company_id", store=True)
    currency_id = fields.Many2one(related="arrangement_id.currency_id")
    period = fields.Date(
        string="Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="Any day in the month; it is stored as the first of the month.",
    )
    status = fields.Selection(
        [("on_time", "Paid on time"), ("late", "Paid late"), ("missed", "Missed")],
        required=True,
        default="on_time",
    )
    amount_paid = fields.Monetary()
    note = fields.Char()

    _period_unique = models.Constraint(
        "unique(arrangement_id, period)", "Each month can be recorded only once per arrangement."
    )

    @api.constrains("period", "amount_paid", "status")
    def _check_period(self):
        today = fields.Date.context_today(self)
        for record in self:
            if record.period > today:
                raise ValidationError(self.env._("Payments cannot be recorded for a future month."))
            if record.period < record.arrangement_id.date_start.replace(day=1):
                raise ValidationError(self.env._("This month is before the start of the arrangement."))
            if record.amount_paid < 0:
                raise ValidationError(self.env._("The amount paid cannot be negative."))

    @api.onchange("status")
    def _onchange_status(self):
        for record in self:
            if record.status == "missed":
                record.amount_paid = 0.0
            elif not record.amount_paid:
                record.amount_paid = record.arrangement_id.monthly_amount

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("period"):
                vals["period"] = fields.Date.to_date(vals["period"]).replace(day=1)
            if "amount_paid" not in vals and vals.get("status", "on_time") != "missed" and vals.get("arrangement_id"):
                vals["amount_paid"] = (
                    self.env["woonkans.payment.arrangement"].browse(vals["arrangement_id"]).monthly_amount
                )
        records = super().create(vals_list)
        records._sync_conditions()
        return records

    def write(self, vals):
        if vals.get("period"):
            vals["period"] = fields.Date.to_date(vals["period"]).replace(day=1)
        result = super().write(vals)
        self._sync_conditions()
        return result

    def unlink(self):
        arrangements = self.arrangement_id
        result = super().unlink()
        arrangements._sync_conditions()
        return result

    def _sync_conditions(self):
        self.arrangement_id._sync_conditions()
