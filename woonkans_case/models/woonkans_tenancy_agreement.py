from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WoonkansTenancyAgreement(models.Model):
    """A conditional tenancy: three-party contract, 'omklap' or last-chance agreement.

    It converts to a regular lease when the goals are met at the end of the term.
    """

    _name = "woonkans.tenancy.agreement"
    _description = "Conditional tenancy agreement"
    _inherit = ["woonkans.thread.mixin", "woonkans.portal.readable.mixin"]
    _order = "date_start desc, id desc"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    contract_type = fields.Selection(
        [
            ("three_party", "Three-party contract (lease + support agreement)"),
            ("omklap", "Rented through a care institution first ('omklap')"),
            ("last_chance", "Last-chance agreement after an eviction judgment"),
            ("injunction", "Behavioural injunction with conditional care"),
        ],
        required=True,
        default="three_party",
        tracking=True,
    )
    client_id = fields.Many2one(related="case_id.client_id")
    corporation_id = fields.Many2one(
        "res.partner", string="Housing corporation", required=True, domain=[("is_company", "=", True)]
    )
    care_provider_id = fields.Many2one(
        "res.partner", string="Care provider", domain=[("is_company", "=", True)], tracking=True
    )
    address = fields.Char(string="Address of the home")
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    term_months = fields.Integer(string="Term (months)", default=24, required=True)
    date_review = fields.Date(
        string="Review date",
        compute="_compute_date_review",
        store=True,
        readonly=False,
        tracking=True,
        help="Defaults to halfway through the term.",
    )
    date_end = fields.Date(compute="_compute_date_end", store=True, readonly=False, tracking=True)
    review_done = fields.Boolean(tracking=True)
    goals = fields.Html(string="Housing goals")
    conditions = fields.Html(help="The conditions the tenant accepted, including the care to accept.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("converted", "Converted to regular lease"),
            ("not_converted", "Not converted"),
            ("terminated", "Terminated early"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    conversion_date = fields.Date(tracking=True)
    conversion_note = fields.Text(string="Outcome of the conversion")

    _term_positive = models.Constraint("CHECK(term_months > 0)", "The term must be at least one month.")

    # two compute methods: a hand-set review date must not stop the end date from following the term
    @api.depends("date_start", "term_months")
    def _compute_date_end(self):
        for agreement in self:
            if agreement.date_start and agreement.term_months:
                agreement.date_end = agreement.date_start + relativedelta(months=agreement.term_months)

    @api.depends("date_start", "term_months")
    def _compute_date_review(self):
        for agreement in self:
            if agreement.date_start and agreement.term_months:
                agreement.date_review = agreement.date_start + relativedelta(months=agreement.term_months // 2 or 1)

    @api.constrains("date_start", "date_review", "date_end", "conversion_date")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_end and agreement.date_end <= agreement.date_start:
                raise ValidationError(self.env._("The agreement must end after it starts."))
            if agreement.date_review and not (
                agreement.date_start <= agreement.date_review <= (agreement.date_end or agreement.date_review)
            ):
                raise ValidationError(self.env._("The review date must lie within the term of the agreement."))
            if agreement.conversion_date and agreement.conversion_date < agreement.date_start:
                raise ValidationError(self.env._("The conversion cannot be before the start of the agreement."))

    def _compute_display_name(self):
        labels = dict(self._fields["contract_type"]._description_selection(self.env))
        for agreement in self:
            agreement.display_name = f"{labels.get(agreement.contract_type, '')} ({agreement.case_id.name or ''})"

    def action_start(self):
        self.write({"state": "running"})

    def action_convert(self):
        self.write({"state": "converted", "conversion_date": fields.Date.context_today(self)})

    def action_not_converted(self):
        self.write({"state": "not_converted", "conversion_date": fields.Date.context_today(self)})

    def action_terminate(self):
        self.write({"state": "terminated"})

    @api.model
    def _cron_remind_review_and_end(self, horizon_days=14):
        """Activities on the case for reviews and contract ends that are near; safe to run twice."""
        Case = self.env["woonkans.case"]
        review, end = "woonkans_case.mail_activity_type_tenancy_review", "woonkans_case.mail_activity_type_tenancy_end"
        pending = Case._woonkans_pending_reminders(review) | Case._woonkans_pending_reminders(end)
        horizon = Case._reminder_horizon(horizon_days)
        for agreement in self.search(
            [("state", "=", "running"), "|", ("date_review", "<=", horizon), ("date_end", "<=", horizon)]
        ):
            case = agreement.case_id
            # the summary is stored as text: write it in the language of the one who reads it
            env = Case._woonkans_in_lang(case.user_id)
            name = agreement.with_env(env).display_name
            if agreement.date_review and agreement.date_review <= horizon and not agreement.review_done:
                Case._woonkans_schedule_once(
                    pending,
                    case,
                    review,
                    case.user_id,
                    agreement.date_review,
                    env._("Review of %(agreement)s", agreement=name),
                )
            if agreement.date_end and agreement.date_end <= horizon:
                Case._woonkans_schedule_once(
                    pending,
                    case,
                    end,
                    case.user_id,
                    agreement.date_end,
                    env._("End of %(agreement)s: decide on conversion", agreement=name),
                )
        return True
