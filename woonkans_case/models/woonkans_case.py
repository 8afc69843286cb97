from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command

from . import woonkans_form_mixin as form
from .woonkans_consent_codes import CATEGORY_DOCUMENTS, CONSENT_CONDITION_CODE
from .woonkans_trajectory_type import TARGET_GROUPS

REFERRAL_REASONS = [
    ("arrears", "Rent arrears"),
    ("nuisance", "Nuisance"),
    ("neglect", "Neglect of the home"),
    ("worrying", "Worrying situation"),
    ("eviction", "Eviction"),
    ("independent_living", "Wish to live independently"),
]

COORDINATOR_GROUP = "woonkans_case.group_woonkans_coordinator"
# set only by the retention action: the one way a case is deleted
RETENTION_CONTEXT_KEY = "woonkans_retention_destroy"
SECOND_CHANCE_PARAM = "woonkans_case.second_chance_years"


class WoonkansCase(models.Model):
    """A client's dossier at the bureau, followed through one trajectory."""

    _name = "woonkans.case"
    _description = "Woonkans case"
    _inherit = [
        "woonkans.thread.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "woonkans.form.mixin",
        "woonkans.portal.readable.mixin",
        "woonkans.access.logged.mixin",
    ]
    # special-category data: a user reading these is written to the read log
    _woonkans_sensitive_fields = (
        "description",
        "note_internal",
        "note_sensitive",
        "closure_note",
        "closure_override_reason",
        "tag_ids",
        "assessment_ids",
    )
    _woonkans_case_field = ""
    _woonkans_ref_field = "name"
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "client_id"]
    _mail_post_access = "read"

    # identity and routing
    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    target_group = fields.Selection(TARGET_GROUPS, required=True, tracking=True)
    referral_reason = fields.Selection(REFERRAL_REASONS, string="Reason for referral")
    source = fields.Selection(
        [("staff", "Bureau"), ("portal", "Partner portal")],
        default="staff",
        required=True,
        readonly=True,
    )
    client_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", False)],
    )
    client_name = fields.Char(related="client_id.name", string="Client name")
    client_phone = fields.Char(related="client_id.phone", string="Client phone")
    client_email = fields.Char(related="client_id.email", string="Client e-mail")
    client_birthdate = fields.Date(related="client_id.woonkans_birthdate", groups="woonkans_case.group_woonkans_user")
    household_adults = fields.Integer(related="client_id.woonkans_adults", groups="woonkans_case.group_woonkans_user")
    household_children = fields.Integer(
        string="Children",
        compute="_compute_household_children",
        store=True,
        help="Number of children in the household when last saved.",
    )
    referrer_id = fields.Many2one(
        "res.partner",
        string="Referring organisation",
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    referrer_contact_id = fields.Many2one(
        "res.partner",
        string="Referred by",
        domain="[('parent_id', '=', referrer_id)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Caseworker",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        default=lambda self: self.env.user if not self.env.user.share else False,
    )
    team_id = fields.Many2one("woonkans.team", string="Team", index=True, tracking=True)
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent"), ("2", "Very urgent")], default="0", index=True)
    color = fields.Integer()
    tag_ids = fields.Many2many("woonkans.case.tag", string="Tags")

    # pipeline
    stage_id = fields.Many2one(
        "woonkans.case.stage",
        string="Stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
    )
    phase = fields.Selection(related="stage_id.phase", store=True, index=True)
    trajectory_type_id = fields.Many2one(
        "woonkans.trajectory.type",
        string="Trajectory",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    is_early_signal = fields.Boolean(related="trajectory_type_id.is_early_signal")
    has_tenancy_agreement = fields.Boolean(related="trajectory_type_id.has_tenancy_agreement")

    # key dates
    date_referral = fields.Date(
        string="Referral date",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        default=fields.Date.context_today,
        help="When the client was referred to the bureau (a referral entered later keeps its real date).",
    )
    eviction_date = fields.Date(tracking=True, help="Date of the (planned) eviction.")
    court_date = fields.Date(string="Court date", tracking=True)
    intake_date = fields.Date(tracking=True)
    date_start = fields.Date(string="Trajectory start", tracking=True, copy=False)
    date_planned_end = fields.Date(string="Planned end", tracking=True, copy=False)
    date_max_end = fields.Date(
        string="Latest end",
        compute="_compute_date_max_end",
        store=True,
        help="Start of the trajectory plus the maximum duration of its type.",
    )
    date_closed = fields.Date(readonly=True, copy=False, tracking=True)
    second_chance_until = fields.Date(
        string="Second chance until",
        compute="_compute_second_chance_until",
        store=True,
        help="An evicted household can claim a second chance until this date "
        "(eviction date plus the window set in the settings).",
    )
    second_chance_open = fields.Boolean(string="Second-chance window open", compute="_compute_second_chance_open")

    # parties and content
    party_ids = fields.One2many("woonkans.case.party", "case_id", string="Parties", copy=True)
    condition_line_ids = fields.One2many("woonkans.condition.line", "case_id", string="Conditions", copy=False)
    condition_open_count = fields.Integer(compute="_compute_condition_counts")
    condition_overdue_count = fields.Integer(compute="_compute_condition_counts")
    condition_progress = fields.Float(string="Conditions met (%)", compute="_compute_condition_counts")
    condition_done_count = fields.Integer(string="Conditions done", compute="_compute_condition_counts")
    condition_count = fields.Integer(string="Conditions that apply", compute="_compute_condition_counts")
    calendar_title = fields.Char(compute="_compute_calendar_title", groups="woonkans_case.group_woonkans_user")
    condition_next_due = fields.Date(
        string="Next deadline",
        compute="_compute_condition_counts",
        help="The earliest due date of a condition that is not met yet.",
    )
    payment_arrangement_ids = fields.One2many(
        "woonkans.payment.arrangement",
        "case_id",
        string="Payment arrangements",
        groups="woonkans_case.group_woonkans_user",
    )
    card_event_ids = fields.One2many(
        "woonkans.card.event",
        "case_id",
        string="Yellow and red cards",
        groups="woonkans_case.group_woonkans_user",
    )
    yellow_card_count = fields.Integer(compute="_compute_card_counts", store=True)
    red_card_count = fields.Integer(compute="_compute_card_counts", store=True)
    tenancy_agreement_ids = fields.One2many(
        "woonkans.tenancy.agreement",
        "case_id",
        string="Tenancy agreements",
        groups="woonkans_case.group_woonkans_user",
    )
    assessment_ids = fields.One2many(
        "woonkans.assessment",
        "case_id",
        string="Life-domain assessments",
        groups="woonkans_case.group_woonkans_special_category",
    )
    assessment_count = fields.Integer(
        compute="_compute_assessment_count", groups="woonkans_case.group_woonkans_special_category"
    )
    referral_ids = fields.One2many(
        "woonkans.referral", "case_id", string="Referrals", groups="woonkans_case.group_woonkans_user"
    )
    referral_count = fields.Integer(compute="_compute_referral_count", groups="woonkans_case.group_woonkans_user")
    project_id = fields.Many2one("project.project", string="Plan", copy=False, readonly=True, index="btree_not_null")
    task_count = fields.Integer(compute="_compute_task_count")
    description = fields.Html(string="Situation", help="The situation as the referrer described it.")
    note_internal = fields.Html(
        string="Internal notes",
        groups="woonkans_case.group_woonkans_user",
        help="Never shown to partners on the portal.",
    )
    # special-category data (AVG art. 9 and 10): only its group reads or writes it
    note_sensitive = fields.Html(
        string="Sensitive notes",
        groups="woonkans_case.group_woonkans_special_category",
        help="Health, addiction, justice and domestic violence. Only staff with the special-category "
        "data group read this, and never on the portal, in partner reports or in outgoing mail.",
    )
    consent_ids = fields.One2many(
        "woonkans.consent",
        "case_id",
        string="Consents",
        help="One record per sharing with an organisation: what is shared, why and on which basis.",
    )
    consent_sharing = fields.Boolean(
        string="Consent for information sharing",
        compute="_compute_consent_sharing",
        store=True,
        tracking=True,
        help="At least one active consent record: only the organisations these records name "
        "see the case on the portal, and only the data categories they cover.",
    )
    consent_date = fields.Date(string="Consent given on", compute="_compute_consent_sharing", store=True)
    portal_submission_key = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="One-time key of the portal referral form that created this case: "
        "a form submitted twice finds this case instead of creating a second one.",
    )

    # early signal (Besluit gemeentelijke schuldhulpverlening, art. 2)
    currency_id = fields.Many2one(related="company_id.currency_id")
    signal_arrears_amount = fields.Monetary(string="Arrears amount", currency_field="currency_id")
    signal_arrears_months = fields.Integer(string="Months in arrears")
    signal_contact_tried = fields.Boolean(string="(a) Personal contact tried")
    signal_debt_help_pointed = fields.Boolean(string="(b) Debt help pointed out")
    signal_reminder_sent = fields.Boolean(string="(c) Written reminder sent")
    signal_sharing_offered = fields.Boolean(string="(d) Data sharing offered in the reminder")
    signal_tenant_response = fields.Selection(
        [("consent", "Consented"), ("objection", "Objected"), ("no_response", "Did not respond")],
        string="Tenant's answer to data sharing",
    )
    signal_complete = fields.Boolean(
        string="Signal steps complete",
        compute="_compute_signal_complete",
        help="All steps of art. 2 were taken and the tenant did not object.",
    )

    # closure
    closure_reason_id = fields.Many2one("woonkans.closure.reason", tracking=True, copy=False, ondelete="restrict")
    outcome = fields.Selection(related="closure_reason_id.outcome", store=True)
    closure_note = fields.Text(copy=False)
    closure_override_reason = fields.Text(
        string="Closed without consent of all parties because",
        copy=False,
        readonly=True,
    )
    closure_override_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    party_consent_missing = fields.Boolean(compute="_compute_party_consent_missing")
    retention_until = fields.Date(
        compute="_compute_retention_until",
        store=True,
        help="Closed cases are due for destruction after this date.",
    )
    anonymised_on = fields.Date(
        readonly=True, copy=False, help="The identifying data of this closed case was removed on this date."
    )

    _name_company_unique = models.Constraint("unique(name, company_id)", "A case reference must be unique per company.")
    _priority_index = models.Index("(stage_id, priority, id)")
    _portal_submission_key_unique = models.Constraint(
        "unique(portal_submission_key)", "This referral form was already submitted."
    )

    # ------------------------------------------------------------------
    # portal fields
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_portal_readable_fields(self):
        """What a party organisation reads of its cases; never notes, amounts,
        closure texts, the client's contact data, household or referrer.

        Not the parties and conditions either: x2many values are not filtered by
        record rules, so partners read those through their own models' rules.
        """
        return super()._woonkans_portal_readable_fields() | {
            "name",
            "active",
            "company_id",
            "priority",
            "client_id",
            "client_name",
            "target_group",
            "stage_id",
            "phase",
            "trajectory_type_id",
            "date_referral",
            "eviction_date",
            "court_date",
            "intake_date",
            "date_start",
            "date_planned_end",
            "date_closed",
            "access_url",
        }

    # ------------------------------------------------------------------
    # defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _default_stage(self):
        return self.env["woonkans.case.stage"].search([], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    @api.depends("client_id.woonkans_child_ids")
    def _compute_household_children(self):
        for case in self:
            case.household_children = len(case.client_id.sudo().woonkans_child_ids)

    @api.depends("date_start", "trajectory_type_id.max_duration_months")
    def _compute_date_max_end(self):
        for case in self:
            months = case.trajectory_type_id.max_duration_months
            case.date_max_end = case.date_start + relativedelta(months=months) if case.date_start and months else False

    @api.model
    def _second_chance_years(self):
        value = self.env["ir.config_parameter"].sudo().get_param(SECOND_CHANCE_PARAM, "5")
        try:
            return max(int(value), 0)
        except ValueError:
            return 5

    @api.depends("eviction_date")
    def _compute_second_chance_until(self):
        years = self._second_chance_years()
        for case in self:
            case.second_chance_until = case.eviction_date + relativedelta(years=years) if case.eviction_date else False

    @api.depends("second_chance_until")
    def _compute_second_chance_open(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.second_chance_open = bool(
                case.second_chance_until and case.eviction_date <= today <= case.second_chance_until
            )

    @api.depends("client_id.name", "name")
    def _compute_calendar_title(self):
        for case in self:
            case.calendar_title = f"{case.client_id.name or ''} ({case.name or ''})"

    @api.depends("condition_line_ids.status", "condition_line_ids.date_due")
    def _compute_condition_counts(self):
        Line = self.env["woonkans.condition.line"]
        pending, overdue = Line._pending_domain(), Line._overdue_domain()
        for case in self:
            lines = case.condition_line_ids
            relevant = lines.filtered(lambda line: line.status != "not_applicable")
            open_lines = relevant.filtered_domain(pending)
            case.condition_open_count = len(open_lines)
            case.condition_overdue_count = len(open_lines.filtered_domain(overdue))
            met = len(relevant) - len(open_lines)
            case.condition_progress = 100.0 * met / len(relevant) if relevant else 0.0
            case.condition_done_count = met
            case.condition_count = len(relevant)
            case.condition_next_due = min(open_lines.filtered("date_due").mapped("date_due"), default=False)

    @api.depends("card_event_ids.card")
    def _compute_card_counts(self):
        for case in self:
            cards = case.sudo().card_event_ids
            case.yellow_card_count = len(cards.filtered(lambda c: c.card == "yellow"))
            case.red_card_count = len(cards.filtered(lambda c: c.card == "red"))

    def _woonkans_hidden_tags(self):
        """{case: its special-category tags} the user cannot see, so that an edit of the
        tags (which sets the tags the user sees) keeps them."""
        if self.env.su or self.env.user.has_group("woonkans_case.group_woonkans_special_category"):
            return {}
        return {case: tags for case in self if (tags := case.sudo().tag_ids.filtered("is_special_category"))}

    def _compute_assessment_count(self):
        for case in self:
            case.assessment_count = len(case.assessment_ids)

    def _compute_referral_count(self):
        counts = dict(
            self.env["woonkans.referral"]._read_group([("case_id", "in", self.ids)], ["case_id"], ["__count"])
        )
        for case in self:
            case.referral_count = counts.get(case, 0)

    def _compute_task_count(self):
        counts = dict(
            self.env["project.task"]._read_group(
                [("woonkans_case_id", "in", self.ids)], ["woonkans_case_id"], ["__count"]
            )
        )
        for case in self:
            case.task_count = counts.get(case, 0)

    @api.depends(
        "signal_contact_tried",
        "signal_debt_help_pointed",
        "signal_reminder_sent",
        "signal_sharing_offered",
        "signal_tenant_response",
    )
    def _compute_signal_complete(self):
        for case in self:
            case.signal_complete = (
                case.signal_contact_tried
                and case.signal_debt_help_pointed
                and case.signal_reminder_sent
                and case.signal_sharing_offered
                and case.signal_tenant_response in ("consent", "no_response")
            )

    @api.depends("consent_ids.state", "consent_ids.date_given")
    def _compute_consent_sharing(self):
        for case in self:
            active = case.sudo().consent_ids.filtered(lambda consent: consent.state == "active")
            case.consent_sharing = bool(active)
            case.consent_date = min(active.mapped("date_given")) if active else False

    @api.depends("party_ids.consent_to_close", "party_ids.is_current")
    def _compute_party_consent_missing(self):
        for case in self:
            case.party_consent_missing = bool(case._parties_without_consent())

    @api.depends("date_closed", "trajectory_type_id.retention_years")
    def _compute_retention_until(self):
        for case in self:
            years = case.trajectory_type_id.retention_years
            case.retention_until = case.date_closed + relativedelta(years=years or 0) if case.date_closed else False

    def _compute_access_url(self):
        for case in self:
            case.access_url = f"/my/woonkans/{case.id}"

    # ------------------------------------------------------------------
    # intake rules shared by cases and referrals
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_urgency(self, eviction_date, court_date):
        """Priority from the nearest coming eviction or court date: 14 days very urgent, 60 urgent."""
        today = fields.Date.context_today(self)
        dates = [fields.Date.to_date(d) for d in (eviction_date, court_date) if d]
        dates = [d for d in dates if d >= today]
        if not dates:
            return "0"
        days = (min(dates) - today).days
        return "2" if days <= 14 else "1" if days <= 60 else "0"

    @api.model
    def _woonkans_intake_team(self):
        """The team that takes in new referrals and cases (a setting), or no team."""
        team_id = self.env["ir.config_parameter"].sudo().get_param("woonkans_case.referral_team_id")
        if team_id and str(team_id).isascii() and str(team_id).isdigit() and len(str(team_id)) < 12:
            team = self.env["woonkans.team"].sudo().browse(int(team_id)).exists()
            if team and team.active:
                return team
        return self.env["woonkans.team"].sudo()

    @api.model
    def _woonkans_forms(self):
        forms = super()._woonkans_forms()
        forms["consent_to_close"] = {"agree": form.Choice(("0", "1"), default="0")}
        return forms

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_planned_end", "trajectory_type_id")
    def _check_dates(self):
        for case in self:
            if case.date_start and case.date_planned_end and case.date_planned_end < case.date_start:
                raise ValidationError(self.env._("The planned end cannot be before the start of the trajectory."))
            if case.date_max_end and case.date_planned_end and case.date_planned_end > case.date_max_end:
                raise ValidationError(
                    self.env._(
                        "The planned end of %(case)s is after %(max)s, the longest a "
                        "%(trajectory)s trajectory may run.",
                        case=case.name,
                        max=case.date_max_end,
                        trajectory=case.trajectory_type_id.name,
                    )
                )

    @api.constrains("intake_date", "date_referral")
    def _check_intake_date(self):
        today = fields.Date.context_today(self)
        for case in self:
            if case.intake_date and case.intake_date > today:
                raise ValidationError(self.env._("The intake date cannot be in the future."))
            if case.date_referral and case.date_referral > today:
                raise ValidationError(self.env._("The referral date cannot be in the future."))

    @api.constrains("signal_arrears_amount", "signal_arrears_months")
    def _check_signal_amounts(self):
        for case in self:
            if case.signal_arrears_amount < 0 or case.signal_arrears_months < 0:
                raise ValidationError(self.env._("Arrears cannot be negative."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_client_access(vals_list)
        self._check_no_consent_box(vals_list)
        for vals in vals_list:
            # the same rules as a portal referral: urgency from the dates, the intake team
            if "priority" not in vals:
                vals["priority"] = self._woonkans_urgency(vals.get("eviction_date"), vals.get("court_date"))
            if "team_id" not in vals:
                vals["team_id"] = self._woonkans_intake_team().id or False
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("woonkans.case") or "/"
        cases = super().create(vals_list)
        for case in cases:
            case._ensure_referrer_party()
            if case.trajectory_type_id:
                case._start_trajectory()
        closed = cases.filtered(lambda case: case.phase == "closed")
        if closed:
            if any(case.closure_override_reason for case in closed):
                self._check_coordinator(
                    self.env._("Only a coordinator can close a case without the consent of all parties.")
                )
            closed.filtered(lambda case: not case.date_closed).date_closed = fields.Date.context_today(self)
            closed._check_closure()
        return cases

    def write(self, vals):
        self._check_no_consent_box([vals])
        self._check_client_access([vals])
        if "closure_override_reason" in vals and vals["closure_override_reason"]:
            self._check_coordinator(
                self.env._("Only a coordinator can close a case without the consent of all parties.")
            )
        new_stage = self.env["woonkans.case.stage"].browse(vals["stage_id"]) if vals.get("stage_id") else None
        if new_stage:
            self._check_stage_move(new_stage)
            if new_stage.phase == "closed":
                vals.setdefault("date_closed", fields.Date.context_today(self))
            else:
                vals["date_closed"] = False
        trajectory_changed = "trajectory_type_id" in vals
        previous = {case: case.trajectory_type_id for case in self} if trajectory_changed else {}
        hidden_tags = self._woonkans_hidden_tags() if "tag_ids" in vals else {}
        result = super().write(vals)
        for case, tags in hidden_tags.items():
            case.sudo().tag_ids = [Command.link(tag.id) for tag in tags]
        if new_stage and new_stage.phase == "closed":
            self._check_closure()
        if "referrer_id" in vals:
            for case in self:
                case._ensure_referrer_party()
        if trajectory_changed:
            for case in self:
                if case.trajectory_type_id and case.trajectory_type_id != previous[case]:
                    case._start_trajectory()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_after_retention(self):
        """Cases are destroyed only by the logged retention action, never deleted otherwise."""
        if not self.env.context.get(RETENTION_CONTEXT_KEY):
            raise UserError(
                self.env._(
                    "A case cannot be deleted: archive it instead. After its retention period "
                    "an administrator destroys it with the retention action."
                )
            )

    def _check_client_access(self, vals_list):
        """A client becomes visible through the cases of a caseworker: only a client the
        user may already read can be put on a case, so no one reaches another team's
        client by creating a case for them."""
        if self.env.su:
            return
        client_ids = {vals["client_id"] for vals in vals_list if vals.get("client_id")}
        self.env["res.partner"].browse(client_ids).check_access("read")

    def message_post(self, **kwargs):
        """A partner's message on the portal reaches the caseworker: an inbox item and an activity.

        The portal chatter posts through mail's ``/mail/message/post`` (as
        superuser, by the partner's user); only the discussion a partner may
        take part in counts, never notes or logs our code posts for them.
        """
        caseworker = self.env["res.users"]
        if len(self) == 1 and self.env.user.share and self._woonkans_posts_discussion(kwargs):
            caseworker = self.sudo()._woonkans_caseworker()
        if caseworker:
            kwargs["partner_ids"] = list({*(kwargs.get("partner_ids") or []), caseworker.partner_id.id})
        message = super().message_post(**kwargs)
        if caseworker:
            env = self._woonkans_in_lang(caseworker)
            self._woonkans_notify_staff(
                caseworker,
                env._("Reply to the message of %(org)s", org=self.env.user.commercial_partner_id.name),
            )
        return message

    # ------------------------------------------------------------------
    # trajectory, gates and closure
    # ------------------------------------------------------------------

    def _check_coordinator(self, message):
        if not (self.env.is_superuser() or self.env.user.has_group(COORDINATOR_GROUP)):
            raise AccessError(message)

    def _ensure_referrer_party(self):
        self.ensure_one()
        if not self.referrer_id or self.party_ids.filtered(lambda p: p.partner_id == self.referrer_id):
            return
        role = self.env.ref("woonkans_case.party_role_referrer", raise_if_not_found=False)
        self.env["woonkans.case.party"].sudo().create(
            {
                "case_id": self.id,
                "partner_id": self.referrer_id.id,
                "contact_id": self.referrer_contact_id.id,
                "role_id": role.id if role else False,
                "date_from": fields.Date.context_today(self),
            }
        )

    def _start_trajectory(self):  # pylint: disable=missing-return
        """Copy the trajectory's checklist onto the case and set its dates."""
        self.ensure_one()
        trajectory = self.trajectory_type_id
        today = fields.Date.context_today(self)
        dates = {}
        if not self.date_start:
            dates["date_start"] = today
        start = self.date_start or today
        if not self.date_planned_end or self.date_planned_end < start:
            dates["date_planned_end"] = start + relativedelta(months=trajectory.default_duration_months)
        if dates:
            super().write(dates)
        self._instantiate_conditions()

    def _instantiate_conditions(self):
        """Create a condition line for each template the case does not have yet."""
        self.ensure_one()
        existing = self.condition_line_ids.template_id
        today = fields.Date.context_today(self)
        vals_list = []
        for template in self.trajectory_type_id.condition_template_ids - existing:
            responsible = self.party_ids.filtered(
                lambda p, t=template: t.responsible_role_id and p.role_id == t.responsible_role_id and p.is_current
            )[:1]
            not_applicable = template.only_with_children and not self.household_children
            vals_list.append(
                {
                    "case_id": self.id,
                    "template_id": template.id,
                    "name": template.with_context(lang="en_US").name,
                    "sequence": template.sequence,
                    "required_stage_id": template.required_stage_id.id,
                    "kind": template.kind,
                    "months_required": template.months_required,
                    "responsible_partner_id": responsible.partner_id.id,
                    "responsible_user_id": self.user_id.id,
                    "date_due": today + relativedelta(days=template.due_days) if template.due_days else False,
                    "status": "not_applicable"
                    if not_applicable
                    else "met"
                    if template.code == CONSENT_CONDITION_CODE and self.consent_sharing
                    else "open",
                }
            )
        Line = self.env["woonkans.condition.line"].sudo()
        lines = Line.create(vals_list)
        Line._copy_template_translations(lines)
        return lines

    @api.model
    def _stage_positions(self):
        """Position of every stage in the pipeline, by id."""
        return {stage_id: index for index, stage_id in enumerate(self.env["woonkans.case.stage"].search([]).ids)}

    def _gate_blocking_lines(self, stage, positions=None):
        """Condition lines that keep this case out of ``stage``."""
        self.ensure_one()
        positions = positions or self._stage_positions()
        target = positions.get(stage.id, -1)
        return self.condition_line_ids.filtered(
            lambda line: line.required_stage_id
            and positions.get(line.required_stage_id.id, len(positions)) <= target
            and line.status not in ("met", "not_applicable")
        )

    def _check_stage_move(self, new_stage):
        override = self.env.context.get("woonkans_gate_override")
        if override:
            self._check_coordinator(self.env._("Only a coordinator can override a stage gate."))
        if new_stage.phase == "closed":
            return
        order = self._stage_positions()
        status_labels = dict(self.env["woonkans.condition.line"]._fields["status"]._description_selection(self.env))
        problems = []
        for case in self:
            if order.get(new_stage.id, 0) <= order.get(case.stage_id.id, 0):
                continue  # moving back or sideways is always allowed
            blocking = case._gate_blocking_lines(new_stage, order)
            if not blocking:
                continue
            if override:
                case.message_post(
                    body=self.env._(
                        "Stage gate to %(stage)s overridden by %(user)s. Reason: %(reason)s. Unmet: %(conditions)s",
                        stage=new_stage.name,
                        user=self.env.user.name,
                        reason=override,
                        conditions=", ".join(blocking.mapped("name")),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            problems.append(
                self.env._(
                    "%(case)s cannot move to %(stage)s. These conditions are not met yet:\n%(lines)s",
                    case=case.name,
                    stage=new_stage.name,
                    lines="\n".join(f"- {line.name} ({status_labels[line.status]})" for line in blocking),
                )
            )
        if problems:
            problems.append(
                self.env._(
                    "The case stays in its stage. A coordinator can move it anyway: "
                    "the coordinator opens the case and clicks 'Override stage gate', giving a reason."
                )
            )
            raise UserError("\n\n".join(problems))

    # consent for information sharing: the consent records are the one source

    def _sync_consent_lines(self):
        """Make the consent conditions say what the consent records say: met while one is active."""
        lines = self.sudo().condition_line_ids.filtered(
            lambda line: line.code == CONSENT_CONDITION_CODE and line.status != "not_applicable"
        )
        for line in lines:
            status = "met" if line.case_id.consent_sharing else "open"
            if line.status != status:
                line.with_context(woonkans_consent_from_case=True).write({"status": status})

    @api.model
    def _check_no_consent_box(self, vals_list):
        """The consent box follows the consent records: it is never written directly."""
        if any({"consent_sharing", "consent_date"} & set(vals) for vals in vals_list):
            raise UserError(
                self.env._(
                    "Consent for information sharing is recorded as consent records, one for each "
                    "organisation: use the Consents tab of the case."
                )
            )

    def _woonkans_consents_of(self, organisation):
        """The active consent records of this case that name ``organisation`` (read as superuser)."""
        self.ensure_one()
        return self.sudo().consent_ids.filtered(
            lambda consent: consent.state == "active" and consent.partner_id == organisation.commercial_partner_id
        )

    def _woonkans_consent_categories(self, organisation):
        """Codes of the data categories ``organisation`` may see of this case: the one rule
        the portal pages and the attachment check use (the record rules say the same in XML)."""
        return set(self._woonkans_consents_of(organisation).category_ids.mapped("code"))

    def _woonkans_portal_documents(self, organisation):
        """The documents of this case ``organisation`` may see: under a consent that covers
        documents, the case's attachments except those of internal notes and messages."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo()
        if CATEGORY_DOCUMENTS not in self._woonkans_consent_categories(organisation):
            return Attachment
        attachments = Attachment.search(
            [("res_model", "=", self._name), ("res_id", "=", self.id), ("res_field", "=", False)], order="id desc"
        )
        internal_messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    "|",
                    ("subtype_id", "=", False),
                    ("subtype_id.internal", "=", True),
                ]
            )
        )
        return attachments - internal_messages.attachment_ids

    def _woonkans_record_consent(self, organisation, **vals):
        """Record a consent for ``organisation`` on this case; ``vals`` override the defaults."""
        self.ensure_one()
        return self.env["woonkans.consent"].create(
            {"case_id": self.id, "partner_id": organisation.commercial_partner_id.id, **vals}
        )

    def _parties_without_consent(self):
        self.ensure_one()
        return self.party_ids.filtered(lambda p: p.is_current and not p.consent_to_close)

    def _record_party_consent(self, organisation, agree):
        """Record (or withdraw) an organisation's consent to close, e.g. from the portal.

        Only in the evaluation phase, and only on the organisation's current party lines.
        """
        self.ensure_one()
        if self.phase != "evaluation":
            raise UserError(self.env._("Consent to close can be given while the case is being evaluated."))
        parties = self.sudo().party_ids.filtered(lambda p: p.is_current and p.partner_id == organisation)
        if not parties:
            raise AccessError(self.env._("Your organisation is not a current party on this case."))
        parties.write({"consent_to_close": agree})
        self.sudo().message_post(
            body=(
                self.env._(
                    "%(org)s agrees to close the case (%(user)s).", org=organisation.name, user=self.env.user.name
                )
                if agree
                else self.env._(
                    "%(org)s withdrew its consent to close the case (%(user)s).",
                    org=organisation.name,
                    user=self.env.user.name,
                )
            ),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        return parties

    def _check_closure(self):
        for case in self:
            if not case.closure_reason_id:
                raise UserError(
                    self.env._("Give a closure reason before closing %(case)s: use the Close button.", case=case.name)
                )
            missing = case._parties_without_consent()
            if missing and not case.closure_override_reason:
                raise UserError(
                    self.env._(
                        "%(case)s can only be closed with the consent of all parties. "
                        "No consent yet from: %(parties)s. A coordinator can close it anyway with a reason.",
                        case=case.name,
                        parties=", ".join(missing.mapped("partner_id.display_name")),
                    )
                )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_open_close_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close case"),
            "res_model": "woonkans.case.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_open_gate_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override stage gate"),
            "res_model": "woonkans.case.gate.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_reopen(self):
        self.ensure_one()
        self._check_coordinator(self.env._("Only a coordinator can reopen a closed case."))
        stage = self.env["woonkans.case.stage"].search([("phase", "=", "evaluation")], limit=1)
        self.write({"stage_id": stage.id, "closure_override_reason": False, "closure_override_user_id": False})
        return True

    def action_create_plan(self):
        """Create the case's own project: its goals, actions and milestones."""
        self.ensure_one()
        if not self.project_id:
            project = (
                self.env["project.project"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Plan %(case)s", case=self.name),
                        "woonkans_case_id": self.id,
                        "privacy_visibility": "employees",
                        "company_id": self.company_id.id,
                        "user_id": self.user_id.id,
                        "allow_milestones": True,
                        "type_ids": [Command.set(self.env["project.task.type"]._woonkans_plan_stage_ids())],
                    }
                )
            )
            self.project_id = project
            self.message_post(body=self.env._("Plan created."), subtype_xmlid="mail.mt_note")
        return self.action_view_tasks()

    def action_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("woonkans_case.project_task_action_woonkans_plan")
        action["domain"] = [("woonkans_case_id", "=", self.id)]
        action["context"] = {
            "default_project_id": self.project_id.id,
            "default_woonkans_case_id": self.id,
            "default_user_ids": [Command.set(self.user_id.ids)],
        }
        action["display_name"] = self.env._("Plan of %(case)s", case=self.name)
        return action

    def action_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("woonkans_case.woonkans_referral_action")
        action.update({"domain": [("case_id", "=", self.id)], "context": {}, "view_mode": "list,form"})
        action["views"] = [(False, "list"), (False, "form")]
        return action

    def action_view_assessments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("woonkans_case.woonkans_assessment_action")
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {"default_case_id": self.id}
        return action

    def action_view_scores(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("woonkans_case.woonkans_assessment_score_action")
        action["domain"] = [("case_id", "=", self.id)]
        action["display_name"] = self.env._("Scores over time: %(case)s", case=self.name)
        return action

    def action_destroy_after_retention(self):
        """Destroy closed cases whose retention period has passed (AVG art. 5(1)(e)).

        The case goes with its messages, documents and plan; a client with no other
        case left is anonymised (contacts may still be referenced elsewhere).
        """
        if not (self.env.is_superuser() or self.env.user.has_group("woonkans_case.group_woonkans_manager")):
            raise AccessError(self.env._("Only a Woonkans administrator can destroy cases."))
        today = fields.Date.context_today(self)
        expired = self.filtered(
            lambda case: case.phase == "closed" and case.retention_until and case.retention_until < today
        )
        if not expired:
            raise UserError(self.env._("None of the selected cases is closed with its retention period passed."))
        clients = expired.client_id
        names = ", ".join(expired.mapped("name"))
        expired = expired.sudo().with_context(**{RETENTION_CONTEXT_KEY: True})
        expired.project_id.task_ids.unlink()
        expired.project_id.unlink()
        expired.unlink()
        remaining = self.sudo().with_context(active_test=False).search([("client_id", "in", clients.ids)]).client_id
        (clients - remaining).sudo()._woonkans_anonymise()
        self.env["ir.logging"].sudo().create(
            {
                "name": "woonkans_case.retention",
                "type": "server",
                "level": "INFO",
                "path": "woonkans.case",
                "func": "action_destroy_after_retention",
                "line": "0",
                "message": f"Destroyed after retention by {self.env.user.login}: {names}",
            }
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Destroyed: %(names)s", names=names),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # mail and portal
    # ------------------------------------------------------------------

    def _woonkans_shared_parties(self):
        """The party lines the case's organisations see of each other: on the portal
        page, over RPC (the portal rule on parties) and in the shared overview."""
        return self.party_ids.filtered("shared_with_parties")

    @api.model
    def _woonkans_readable_cases_query(self):
        """The cases the current user may read, as a subquery: the case rules decide.

        Records that follow their case (plan tasks and projects, clients) search
        through this from their own record rules, which are evaluated as
        superuser for the same user: so those rules name no group and repeat no
        case domain.
        """
        cases = self.sudo(False).with_context(active_test=False)
        if not cases.has_access("read"):
            return cases.browse()._as_query()
        return cases._search([], order="id")

    def _woonkans_filter_readable(self):
        """The cases of ``self`` the current user may read."""
        cases = self.sudo(False).with_context(active_test=False)
        if not cases.has_access("read"):
            return cases.browse()
        return cases.search([("id", "in", self.ids)], order="id")

    @api.model
    def _woonkans_search_readable(self, case_field, operator, value):
        """Search method of the ``woonkans_case_readable`` fields: records whose case
        (``case_field``) the current user may read."""
        if operator != "in":
            return NotImplemented
        readable = self._woonkans_readable_cases_query()
        if True in value and False in value:
            return []
        if True in value:
            return [(case_field, "any", readable)]
        return [(case_field, "not any", readable)]

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("woonkans_case.mt_case_stage")
        return super()._track_subtype(init_values)

    def _creation_message(self):
        # mail writes this in the creator's language, and the system has none: demo cases
        # and cases created by jobs would say "Woonkans case aangemaakt"
        self.ensure_one()
        env = self._woonkans_chatter_env()
        return env._("%(document)s created", document=env["ir.model"]._get(self._name).name)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Case %(name)s", name=self.name)

    # ------------------------------------------------------------------
    # scheduled actions
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_schedule_once(self, pending, record, activity_xmlid, user, deadline, summary):
        """Schedule an activity unless the same reminder is already pending.

        ``pending`` holds (case id, activity type id, user id, summary) of the open
        reminders, read once per run: the daily job stays idempotent without a
        query per reminder.
        """
        activity_type = self.env.ref(activity_xmlid)
        if not user:
            return False
        key = (record.id, activity_type.id, user.id, summary)
        if key in pending:
            return False
        pending.add(key)
        return record.activity_schedule(
            activity_type_id=activity_type.id, date_deadline=deadline, summary=summary, user_id=user.id
        )

    def _woonkans_chatter_env(self):
        """The environment a chatter text of this case is written in.

        The writer's language; a scheduled job or the system, which have none of
        their own, write in the language of the caseworker (or of the bureau).
        """
        lang = (
            self.env.context.get("lang")
            or self[:1].user_id.lang
            or self.env.company.partner_id.lang
            or self.env.user.lang
        )
        return self.with_context(lang=lang).env

    def _woonkans_posts_discussion(self, values):
        """Whether message_post ``values`` are the discussion with partners (the one rule of the thread mixin)."""
        subtype_id = values.get("subtype_id")
        if values.get("subtype_xmlid"):
            subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(values["subtype_xmlid"], raise_if_not_found=False)
        return self._woonkans_is_partner_message(
            {
                "message_type": values.get("message_type", "notification"),
                "subtype_id": subtype_id,
                "is_internal": values.get("is_internal"),
            }
        )

    def _woonkans_caseworker(self):
        """The staff member who answers for the case: its caseworker, else the team leader."""
        self.ensure_one()
        return self.user_id or self.team_id.leader_id

    def _woonkans_notify_staff(self, user, summary):
        """An activity for ``user`` to act on a partner's update, once while it is open.

        ``summary`` is stored as text: write it in the language of ``user``.
        """
        self.ensure_one()
        activity_type = self.env.ref("woonkans_case.mail_activity_type_partner_update")
        case = self.sudo()
        if not user or case.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type and a.user_id == user and a.summary == summary
        ):
            return False
        # the message already notifies the caseworker: no second "assigned to you" mail
        return case.with_context(mail_activity_quick_update=True).activity_schedule(
            activity_type_id=activity_type.id,
            date_deadline=fields.Date.context_today(self),
            summary=summary,
            user_id=user.id,
        )

    @api.model
    def _woonkans_in_lang(self, user):
        """The environment to write a stored text in, for ``user`` to read."""
        return self.with_context(lang=user.lang or self.env.lang).env

    @api.model
    def _woonkans_pending_reminders(self, activity_xmlid):
        """(case id, activity type id, user id, summary) of the open reminders of one kind."""
        activity_type = self.env.ref(activity_xmlid)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", self._name), ("activity_type_id", "=", activity_type.id)]
        )
        return {(a.res_id, a.activity_type_id.id, a.user_id.id, a.summary) for a in activities}

    @api.model
    def _reminder_horizon(self, horizon_days=14):
        return fields.Date.context_today(self) + relativedelta(days=horizon_days)

    @api.model
    def _cron_remind_planned_end(self, horizon_days=14):
        """An activity for each trajectory whose planned end is near; safe to run twice."""
        xmlid = "woonkans_case.mail_activity_type_trajectory_end"
        pending = self._woonkans_pending_reminders(xmlid)
        horizon = self._reminder_horizon(horizon_days)
        for case in self.search(
            [("phase", "!=", "closed"), ("date_planned_end", "!=", False), ("date_planned_end", "<=", horizon)]
        ):
            self._woonkans_schedule_once(
                pending,
                case,
                xmlid,
                case.user_id,
                case.date_planned_end,
                self._woonkans_in_lang(case.user_id)._("Planned end of the trajectory: evaluate with all parties"),
            )
        return True

    @api.model
    def _cron_send_reminders(self, horizon_days=14):
        """Every reminder job at once (tests, a manual run); each also runs as its own daily job."""
        self.env["woonkans.condition.line"]._cron_remind_due(horizon_days)
        self.env["woonkans.tenancy.agreement"]._cron_remind_review_and_end(horizon_days)
        self._cron_remind_planned_end(horizon_days)
        self.env["woonkans.case.party"]._cron_update_current()
        return True
