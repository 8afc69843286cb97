import datetime
import re
import unicodedata

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import email_normalize, plaintext2html

from . import woonkans_form_mixin as form
from .woonkans_case import REFERRAL_REASONS
from .woonkans_trajectory_type import TARGET_GROUPS

REFERRAL_STATES = [
    ("submitted", "Submitted"),
    ("in_review", "In review"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
]
OPEN_STATES = ("submitted", "in_review")
DEADLINE_PARAM = "woonkans_case.referral_deadline_days"
DEFAULT_DEADLINE_DAYS = 5
PHONE_RE = re.compile(r"\+?[0-9 ()./-]{6,20}")
MAX_TEXT = 5000
MAX_NAME = 128
# set only through the referral's own methods (submit, accept, decline, withdraw, matching)
PROTECTED_FIELDS = {
    "state",
    "source",
    "client_id",
    "case_id",
    "match_state",
    "decline_reason_id",
    "decline_message",
    "decline_route",
    "withdraw_reason",
    "date_answered",
    "date_submitted",
    "consent_given",
    "consent_text",
    "consent_date",
    "submission_key",
}


def normalise_name(name):
    """Lower case, no accents, letters and single spaces only: 'Ayşe  Yılmaz' → 'ayse yilmaz'."""
    text = unicodedata.normalize("NFKD", (name or "").replace("ı", "i")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z]+", " ", text).split())


def house_number(street):
    """The house number in a Dutch street line ('Kerkstraat 12-a' → '12A'), or ''."""
    match = re.search(r"\b([0-9]{1,5})\s*[-/ ]?\s*([a-zA-Z]?)\b", street or "")
    return (match.group(1) + match.group(2).upper()) if match else ""


def add_working_days(start, days):
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


class WoonkansReferral(models.Model):
    """A partner's referral of a client: the bureau's intake answer.

    The client data stay as submitted until the bureau accepts the referral;
    only then a client and a case exist (or the referral joins an open case of
    a client the intake worker matched).
    """

    _name = "woonkans.referral"
    _description = "Woonkans referral"
    _inherit = [
        "woonkans.thread.mixin",
        "mail.activity.mixin",
        "woonkans.form.mixin",
        "woonkans.portal.readable.mixin",
        "woonkans.access.logged.mixin",
    ]
    # A user reading these is written to the read log. The situation as the referrer
    # described it is where health, addiction, debts, violence and justice end up;
    # the bureau's decline message and suggested other route, and the referrer's
    # reason for withdrawing, are free text about that same situation; the BSN is the
    # national identifier the UAVG (art. 46) protects on its own. Name, address,
    # contact data, birth date, household, dates and the chosen reason are ordinary
    # personal data shown in every list, as on the case, and are not logged.
    _woonkans_sensitive_fields = ("description", "decline_message", "decline_route", "withdraw_reason", "client_bsn")
    _woonkans_case_field = "case_id"
    _woonkans_ref_field = "name"
    _order = "priority desc, date_submitted desc, id desc"
    _mail_post_access = "read"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    state = fields.Selection(REFERRAL_STATES, default="submitted", required=True, index=True, tracking=True)
    source = fields.Selection(
        [("staff", "Bureau"), ("portal", "Partner portal"), ("import", "Import")],
        default="staff",
        required=True,
        readonly=True,
    )
    referrer_id = fields.Many2one(
        "res.partner", string="Referring organisation", index=True, domain=[("is_company", "=", True)]
    )
    referrer_contact_id = fields.Many2one(
        "res.partner", string="Referred by", domain="[('parent_id', '=', referrer_id)]"
    )
    team_id = fields.Many2one("woonkans.team", string="Intake team", index=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Intake worker", index=True, tracking=True, domain=[("share", "=", False)]
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent"), ("2", "Very urgent")],
        compute="_compute_priority",
        store=True,
        readonly=False,
        index=True,
    )

    # the client as submitted
    client_name = fields.Char(required=True)
    client_birthdate = fields.Date(string="Date of birth")
    client_street = fields.Char(string="Street and number")
    client_zip = fields.Char(string="Postcode")
    client_city = fields.Char(string="Town")
    client_phone = fields.Char(string="Phone")
    client_email = fields.Char(string="E-mail")
    client_bsn = fields.Char(string="BSN", groups="woonkans_case.group_woonkans_user")
    household_adults = fields.Integer(string="Adults in household", default=1)
    children_years = fields.Char(string="Children's birth years", help="Birth years, separated by commas.")
    target_group = fields.Selection(TARGET_GROUPS, required=True, tracking=True)
    referral_reason = fields.Selection(REFERRAL_REASONS, string="Reason for referral")
    eviction_date = fields.Date()
    court_date = fields.Date(string="Court date")
    description = fields.Text(string="Situation", help="The situation as the referrer described it.")
    consent_given = fields.Boolean(
        string="Consent for information sharing",
        readonly=True,
        help="The referrer confirmed that the client agreed to the consent text below.",
    )
    consent_text = fields.Text(readonly=True, help="The consent text exactly as the referrer confirmed it.")
    consent_date = fields.Datetime(string="Consent confirmed on", readonly=True)
    submission_key = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="One-time key of the portal form: a form sent twice finds this referral instead of making a second one.",
    )

    # key dates and the deadline
    date_submitted = fields.Datetime(
        string="Submitted on", required=True, readonly=True, default=fields.Datetime.now, index=True, copy=False
    )
    date_deadline = fields.Date(
        string="Answer due",
        compute="_compute_date_deadline",
        store=True,
        index=True,
        help="The bureau answers within the working days set in the settings.",
    )
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    date_answered = fields.Datetime(string="Decided on", readonly=True, copy=False)
    days_to_answer = fields.Integer(compute="_compute_days_to_answer", store=True, aggregator="avg")

    # matching and the result
    match_ids = fields.One2many("woonkans.referral.match", "referral_id", string="Possible matches")
    match_count = fields.Integer(compute="_compute_match_count")
    match_state = fields.Selection(
        [("undecided", "Not checked"), ("linked", "Linked to a known client"), ("new", "New client")],
        default="undecided",
        required=True,
        tracking=True,
    )
    client_id = fields.Many2one("res.partner", string="Client", readonly=True, tracking=True, index="btree_not_null")
    case_id = fields.Many2one("woonkans.case", string="Case", readonly=True, tracking=True, index="btree_not_null")

    # decline and withdraw
    decline_reason_id = fields.Many2one(
        "woonkans.referral.decline.reason", readonly=True, tracking=True, ondelete="restrict"
    )
    decline_message = fields.Text(string="Message to the referrer", readonly=True)
    decline_route = fields.Text(string="Suggested other route", readonly=True)
    withdraw_reason = fields.Text(string="Reason for withdrawal", readonly=True)
    anonymised_on = fields.Date(readonly=True, copy=False)

    _name_company_unique = models.Constraint(
        "unique(name, company_id)", "A referral reference must be unique per company."
    )
    _submission_key_unique = models.Constraint("unique(submission_key)", "This referral form was already sent.")

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_portal_readable_fields(self):
        # the referring organisation follows its referral and the bureau's answer; the
        # client's birth date, contact details, BSN and household, the matches and the
        # intake team's assignment stay with the bureau
        return super()._woonkans_portal_readable_fields() | {
            "name",
            "state",
            "priority",  # the default order of the referral list
            "referrer_id",
            "referrer_contact_id",
            "client_name",
            "target_group",
            "referral_reason",
            "date_submitted",
            "date_deadline",
            "is_overdue",
            "date_answered",
            "case_id",
            "decline_reason_id",
            "decline_message",
            "decline_route",
            "withdraw_reason",
        }

    def _compute_access_url(self):
        for referral in self:
            referral.access_url = "/my/woonkans"

    @api.depends("eviction_date", "court_date")
    def _compute_priority(self):
        Case = self.env["woonkans.case"]
        for referral in self:
            referral.priority = Case._woonkans_urgency(referral.eviction_date, referral.court_date)

    @api.depends("date_submitted")
    def _compute_date_deadline(self):
        days = self._woonkans_deadline_days()
        for referral in self:
            start = fields.Date.context_today(referral, referral.date_submitted) if referral.date_submitted else False
            referral.date_deadline = add_working_days(start, days) if start else False

    @api.model
    def _woonkans_overdue_domain(self, today=None):
        """THE definition of an overdue referral: still open after its answer was due."""
        today = today or fields.Date.context_today(self)
        return Domain("state", "in", OPEN_STATES) & Domain("date_deadline", "<", today)

    def _compute_is_overdue(self):
        overdue = self.filtered_domain(self._woonkans_overdue_domain())
        for referral in self:
            referral.is_overdue = referral in overdue

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue referrals with 'is set' or 'is not set'."))
        domain = self._woonkans_overdue_domain()
        return domain if (operator == "=") == value else ~domain

    @api.depends("date_submitted", "date_answered")
    def _compute_days_to_answer(self):
        for referral in self:
            if referral.date_submitted and referral.date_answered:
                referral.days_to_answer = (referral.date_answered - referral.date_submitted).days
            else:
                referral.days_to_answer = 0

    def _compute_match_count(self):
        for referral in self:
            referral.match_count = len(referral.match_ids)

    # ------------------------------------------------------------------
    # settings shared with the case
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_deadline_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(DEADLINE_PARAM, str(DEFAULT_DEADLINE_DAYS))
        try:
            return min(max(int(value), 1), 60)
        except (TypeError, ValueError):
            return DEFAULT_DEADLINE_DAYS

    @api.model
    def _woonkans_consent_text(self):
        text = self.env["ir.config_parameter"].sudo().get_param("woonkans_case.consent_text")
        return text or self.env._(
            "The client agrees that the bureau and the organisations involved in the "
            "trajectory share the information needed to help them keep or find a home. "
            "The client knows that they can withdraw this consent at any time."
        )

    @api.model
    def _woonkans_intake_recipients(self, team):
        """Who hears of a new referral: the team when it wants to, else the coordinators."""
        if team and team.notify_referrals and (team.leader_id | team.member_ids):
            users = team.leader_id | team.member_ids
        else:
            users = self.env.ref("woonkans_case.group_woonkans_coordinator").sudo().all_user_ids
        return users.filtered(lambda u: u.active and not u.share)

    # ------------------------------------------------------------------
    # the form: one allow-list, one parser
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_target_group_codes(self):
        return [code for code, __ in TARGET_GROUPS]

    @api.model
    def _woonkans_referral_reason_codes(self):
        """The reasons a referral may give: the field's own, one list for the portal and the back office."""
        return self._fields["referral_reason"].get_values(self.env)

    @api.model
    def _woonkans_forms(self):
        forms = super()._woonkans_forms()
        forms["referral"] = {
            "client_name": form.Text(required=True, error=lambda env: env._("Enter the client's name.")),
            "client_birthdate": form.Date(
                required=True,
                earliest=lambda today: datetime.date(1900, 1, 1),
                latest=lambda today: today,
                error=lambda env: env._("Enter the date of birth."),
            ),
            "client_street": form.Text(required=True, error=lambda env: env._("Enter the street and house number.")),
            "client_zip": form.Text(
                required=True, check="_woonkans_check_postcode", error=lambda env: env._("Enter the postcode.")
            ),
            "client_city": form.Text(required=True, error=lambda env: env._("Enter the town or city.")),
            "client_phone": form.Text(max_length=32, check="_woonkans_check_phone"),
            "client_email": form.Text(check="_woonkans_check_email"),
            "client_bsn": form.Text(max_length=32, check="_woonkans_check_bsn"),
            "household_adults": form.Integer(minimum=1, maximum=20, default=1),
            "household_children": form.YearList(earliest_year=1901, max_items=20, default=[]),
            "target_group": form.Choice(
                "_woonkans_target_group_codes", required=True, error=lambda env: env._("Choose a target group.")
            ),
            "referral_reason": form.Choice(
                "_woonkans_referral_reason_codes",
                required=True,
                error=lambda env: env._("Choose the reason for the referral."),
            ),
            "eviction_date": form.Date(
                earliest=lambda today: today - relativedelta(years=10),
                latest=lambda today: today + relativedelta(years=2),
            ),
            "court_date": form.Date(
                earliest=lambda today: today - relativedelta(years=2),
                latest=lambda today: today + relativedelta(years=2),
            ),
            "description": form.Text(max_length=MAX_TEXT, multiline=True),
            "consent": form.Flag(
                required=True, error=lambda env: env._("The client must agree to the sharing of information.")
            ),
        }
        forms["withdraw"] = {"reason": form.Text(max_length=500, multiline=True, default="")}
        return forms

    @api.model
    def _woonkans_check_postcode(self, value):
        if not value.isascii():
            raise ValidationError(
                self.env._("%(postcode)s is not a valid Dutch postcode (e.g. 9712 AB).", postcode=value)
            )
        return self.env["res.partner"]._woonkans_validate_postcode(value)

    @api.model
    def _woonkans_check_phone(self, value):
        if not PHONE_RE.fullmatch(value):
            raise ValidationError(self.env._("Enter a valid phone number."))
        return value

    @api.model
    def _woonkans_check_email(self, value):
        normalised = value.isascii() and email_normalize(value, strict=True)
        if not normalised:
            raise ValidationError(self.env._("Enter a valid e-mail address."))
        return normalised

    @api.model
    def _woonkans_check_bsn(self, value):
        if not self.env["res.partner"]._woonkans_bsn_enabled():
            return False  # not asked on the form; never stored
        if not value.isascii():
            raise ValidationError(self.env._("%(bsn)s is not a valid BSN: it fails the eleven test.", bsn=value))
        return self.env["res.partner"]._woonkans_validate_bsn(value)

    @api.model
    def _woonkans_validate_referral(self, data):
        """Parse and check a referral form (portal, backend or importer): ``(clean, errors)``."""
        clean, errors = self._woonkans_form_parse("referral", data)
        if not clean.get("client_phone") and not clean.get("client_email") and "client_phone" not in errors:
            if "client_email" not in errors:
                errors["client_phone"] = self.env._("Enter a phone number or an e-mail address.")
        if (
            clean.get("referral_reason") == "eviction"
            and not (clean.get("eviction_date") or clean.get("court_date"))
            and not ("eviction_date" in errors or "court_date" in errors)
        ):
            errors["eviction_date"] = self.env._("For an eviction, enter the eviction date or the court date.")
        return clean, errors

    @api.model
    def _woonkans_vals_from_form(self, clean):
        return {
            "client_name": clean["client_name"],
            "client_birthdate": clean["client_birthdate"],
            "client_street": clean["client_street"],
            "client_zip": clean["client_zip"],
            "client_city": clean["client_city"],
            "client_phone": clean["client_phone"] or False,
            "client_email": clean["client_email"] or False,
            "client_bsn": clean.get("client_bsn") or False,
            "household_adults": clean["household_adults"] or 1,
            "children_years": ", ".join(str(y) for y in clean["household_children"] or []),
            "target_group": clean["target_group"],
            "referral_reason": clean["referral_reason"],
            "eviction_date": clean["eviction_date"] or False,
            "court_date": clean["court_date"] or False,
            "description": clean["description"] or False,
        }

    @api.model
    def _woonkans_submit(self, clean, organisation, contact, key=None, uploads=(), source="portal"):
        """Create a referral from checked form values, with its documents and notices; all or nothing.

        Called by the portal with sudo after it proved ``contact`` refers for
        ``organisation``; an importer calls it the same way.
        """
        if not clean.get("consent"):
            raise UserError(self.env._("The client must agree to the sharing of information."))
        env = self.sudo().with_context(mail_create_nosubscribe=True).env
        team = env["woonkans.case"]._woonkans_intake_team()
        vals = self._woonkans_vals_from_form(clean)
        vals.update(
            {
                "source": source,
                "referrer_id": organisation.id if organisation else False,
                "referrer_contact_id": contact.id if contact else False,
                "team_id": team.id,
                "consent_given": True,
                "consent_text": self._woonkans_consent_text(),
                "consent_date": fields.Datetime.now(),
                "submission_key": key or False,
            }
        )
        with self.env.cr.savepoint():
            referral = env["woonkans.referral"].with_context(tracking_disable=True).create(vals)
            if uploads:
                env["ir.attachment"].create(
                    [
                        {
                            "name": name,
                            "raw": data,
                            "mimetype": mimetype,
                            "res_model": self._name,
                            "res_id": referral.id,
                        }
                        for name, data, mimetype in uploads
                    ]
                )
            referral._woonkans_notify_intake()
        return referral.with_env(self.env)

    def _woonkans_notify_intake(self):
        """Tell the intake team, give its leader an activity, confirm to the referrer."""
        for referral in self.sudo():
            recipients = self._woonkans_intake_recipients(referral.team_id)
            referral.message_post(
                body=self.env._(
                    "New referral by %(contact)s (%(org)s).",
                    contact=referral.referrer_contact_id.name or "-",
                    org=referral.referrer_id.name or "-",
                ),
                subtype_xmlid="woonkans_case.mt_referral_new",
                partner_ids=recipients.partner_id.ids,
                author_id=referral.referrer_contact_id.id or self.env.user.partner_id.id,
            )
            if recipients:
                team = referral.team_id
                responsible = team.leader_id if team.leader_id in recipients else recipients[:1]
                referral.activity_schedule(
                    "woonkans_case.mail_activity_type_new_referral",
                    user_id=responsible.id,
                    date_deadline=referral.date_deadline,
                    summary=self.env._("New referral from %(org)s", org=referral.referrer_id.name or "-"),
                )
            template = self.env.ref("woonkans_case.mail_template_woonkans_referral_received", raise_if_not_found=False)
            if template and referral.referrer_contact_id.email:
                template.sudo().send_mail(referral.id, email_layout_xmlid="mail.mail_notification_light")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_protected_fields(self):
        """Fields set only by the referral's own methods (with sudo); add-ons add theirs."""
        return set(PROTECTED_FIELDS)

    def _woonkans_check_protected(self, fields_written):
        if not self.env.su and self._woonkans_protected_fields() & set(fields_written):
            raise AccessError(
                self.env._("The state, client, case and answer of a referral change only through its buttons.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._woonkans_check_protected(vals)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].sudo().with_company(company).next_by_code("woonkans.referral")
                vals["name"] = vals["name"] or "/"
        referrals = super().create(vals_list)
        if not self.env.context.get("woonkans_skip_matching"):
            referrals._woonkans_find_matches()
        return referrals

    def write(self, vals):
        self._woonkans_check_protected(vals)
        return super().write(vals)

    def _woonkans_anonymise(self):
        """Remove the person from referrals (their copy of the client data), keeping the figures.

        Called by the retention policy (``woonkans.retention``) for the referrals of
        anonymised cases and clients, and for referrals that never became a case.
        """
        referrals = self.sudo().with_context(tracking_disable=True, mail_notrack=True)
        referrals.write(
            {
                "client_name": self.env._("Anonymised client"),
                "client_birthdate": False,
                "client_street": False,
                "client_zip": False,
                "client_city": False,
                "client_phone": False,
                "client_email": False,
                "client_bsn": False,
                "children_years": False,
                "description": False,
                "decline_message": False,
                "withdraw_reason": False,
                "anonymised_on": fields.Date.context_today(self),
            }
        )
        referrals.match_ids.sudo().unlink()
        self.env["mail.message"].sudo().search([("model", "=", self._name), ("res_id", "in", self.ids)]).unlink()
        self.env["ir.attachment"].sudo().search([("res_model", "=", self._name), ("res_id", "in", self.ids)]).unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.is_superuser():
            raise UserError(self.env._("A referral is never deleted: decline it, or let the referrer withdraw it."))

    # ------------------------------------------------------------------
    # matching
    # ------------------------------------------------------------------

    def _woonkans_match_candidates(self):
        """``{partner: [why it matched, ...]}`` for known clients that may be this person."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo().with_context(active_test=True)
        found = {}

        def add(partners, why):
            for partner in partners:
                found.setdefault(partner, [])
                if why not in found[partner]:
                    found[partner].append(why)

        base = Domain("woonkans_is_client", "=", True)
        if self.client_birthdate and self.client_name:
            name = normalise_name(self.client_name)
            partners = Partner.search(base & Domain("woonkans_birthdate", "=", self.client_birthdate), limit=200)
            add(
                partners.filtered(lambda p: normalise_name(p.name) == name),
                self.env._("Same date of birth and name"),
            )
        number = house_number(self.client_street)
        if self.client_zip and number:
            partners = Partner.search(base & Domain("zip", "=", self.client_zip), limit=200)
            add(
                partners.filtered(lambda p: house_number(p.street) == number),
                self.env._("Same postcode and house number"),
            )
        bsn = self.sudo().client_bsn
        if bsn and self.env["res.partner"]._woonkans_bsn_enabled():
            add(Partner.search(base & Domain("woonkans_bsn", "=", bsn), limit=20), self.env._("Same BSN"))
        return found

    def _woonkans_find_matches(self):
        for referral in self.sudo():
            candidates = referral._woonkans_match_candidates()
            referral.match_ids.unlink()
            referral.match_ids = [
                Command.create({"partner_id": partner.id, "reasons": "; ".join(why)})
                for partner, why in candidates.items()
            ]
        return True

    def _woonkans_check_open(self):
        for referral in self:
            if referral.state not in OPEN_STATES:
                raise UserError(
                    self.env._(
                        "%(referral)s is already %(state)s.",
                        referral=referral.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[referral.state],
                    )
                )

    def action_find_matches(self):
        self._woonkans_check_open()
        self.check_access("write")
        return self._woonkans_find_matches()

    def _woonkans_link_client(self, partner):
        """Link the referral to a known client (the intake worker's choice; nothing is merged)."""
        self.ensure_one()
        self._woonkans_check_open()
        self.check_access("write")
        if not partner.sudo().woonkans_is_client:
            raise UserError(self.env._("Only a known client can be linked."))
        self.sudo().write({"client_id": partner.id, "match_state": "linked"})
        self.message_post(
            body=self.env._("Linked to the known client %(client)s.", client=partner.sudo().name),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_confirm_new_client(self):
        self.ensure_one()
        self._woonkans_check_open()
        self.check_access("write")
        self.sudo().write({"client_id": False, "match_state": "new"})
        self.message_post(body=self.env._("Confirmed as a new client."), subtype_xmlid="mail.mt_note")
        return True

    def action_undo_match(self):
        """Undo a link or a 'new client' choice before the referral is accepted."""
        self.ensure_one()
        self._woonkans_check_open()
        self.check_access("write")
        self.sudo().write({"client_id": False, "match_state": "undecided"})
        self.message_post(body=self.env._("The client match was undone."), subtype_xmlid="mail.mt_note")
        return True

    # ------------------------------------------------------------------
    # accept, decline, withdraw
    # ------------------------------------------------------------------

    def action_start_review(self):
        self.ensure_one()
        if self.state != "submitted":
            self._woonkans_check_open()
            return True
        self.check_access("write")
        self.sudo().write({"state": "in_review", "user_id": self.user_id.id or self.env.uid})
        return True

    def _woonkans_client_vals(self):
        self.ensure_one()
        referral = self.sudo()
        return {
            "name": referral.client_name,
            "type": "contact",
            "is_company": False,
            "woonkans_is_client": True,
            "woonkans_birthdate": referral.client_birthdate,
            "street": referral.client_street,
            "zip": referral.client_zip,
            "city": referral.client_city,
            "country_id": self.env.ref("base.nl").id,
            "phone": referral.client_phone or False,
            "email": referral.client_email or False,
            "woonkans_bsn": referral.client_bsn or False,
            "woonkans_adults": referral.household_adults or 1,
            "woonkans_child_ids": [
                Command.create({"birth_year": int(year)})
                for year in re.findall(r"[0-9]{4}", referral.children_years or "")
            ],
        }

    def _woonkans_case_vals(self, client):
        """Values of the case an accepted referral opens; the tree add-on adds its own."""
        self.ensure_one()
        stage = self.env.ref("woonkans_case.case_stage_intake", raise_if_not_found=False)
        vals = {
            "client_id": client.id,
            "company_id": self.company_id.id,
            "target_group": self.target_group,
            "referral_reason": self.referral_reason or False,
            "source": "portal" if self.source == "portal" else "staff",
            "referrer_id": self.referrer_id.id or False,
            "referrer_contact_id": self.referrer_contact_id.id or False,
            "team_id": self.team_id.id or False,
            "user_id": self.user_id.id or self.env.uid,
            "priority": self.priority,
            "date_referral": fields.Date.context_today(self, self.date_submitted),
            "eviction_date": self.eviction_date,
            "court_date": self.court_date,
            "description": plaintext2html(self.description) if self.description else False,
        }
        if stage:
            vals["stage_id"] = stage.id
        return vals

    def _woonkans_open_case_of(self, client):
        return (
            self.env["woonkans.case"]
            .sudo()
            .search([("client_id", "=", client.id), ("phase", "!=", "closed")], order="id desc", limit=1)
        )

    def action_accept(self):
        """Accept: open a case, or join the open case of the linked client."""
        self.ensure_one()
        self._woonkans_check_open()
        self.check_access("write")
        if self.match_state == "undecided":
            raise UserError(
                self.env._("Check the possible matches first: link a known client or confirm this is a new client.")
            )
        referral = self.sudo()
        if self.match_state == "linked" and referral.client_id:
            client = referral.client_id
        else:
            client = self.env["res.partner"].sudo().create(self._woonkans_client_vals())
        # a referral made from an existing case (migration) keeps that case while it is open
        case = (
            referral.case_id if referral.case_id.phase not in (False, "closed") else self._woonkans_open_case_of(client)
        )
        if case:
            case.message_post(
                body=self.env._(
                    "Referral %(referral)s from %(org)s was added to this case.",
                    referral=self.name,
                    org=referral.referrer_id.name or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        else:
            case = self.env["woonkans.case"].sudo().create(self._woonkans_case_vals(client))
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .search([("res_model", "=", self._name), ("res_id", "=", self.id), ("res_field", "=", False)])
            )
            for attachment in attachments:
                attachment.copy({"res_model": "woonkans.case", "res_id": case.id})
        referral.write(
            {
                "state": "accepted",
                "client_id": client.id,
                "case_id": case.id,
                "date_answered": fields.Datetime.now(),
                "user_id": self.user_id.id or self.env.uid,
            }
        )
        referral._woonkans_record_referral_consent(case)
        self._woonkans_after_accept(case)
        referral._woonkans_tell_referrer(self.env._("The bureau accepted referral %(referral)s.", referral=self.name))
        referral.activity_ids.action_feedback(feedback=self.env._("Accepted"))
        return {
            "type": "ir.actions.act_window",
            "res_model": "woonkans.case",
            "res_id": case.id,
            "view_mode": "form",
        }

    def _woonkans_record_referral_consent(self, case):
        """The consent the referrer confirmed on the form becomes the case's first consent record:
        for the referring organisation, with the exact text confirmed, recorded by the referrer."""
        referral = self.sudo()
        if not referral.consent_given or not referral.referrer_id:
            return self.env["woonkans.consent"]
        existing = case.sudo().consent_ids.filtered(lambda consent: consent.referral_id == referral)
        if existing:
            return existing
        return (
            self.env["woonkans.consent"]
            .sudo()
            .create(
                {
                    "case_id": case.id,
                    "partner_id": referral.referrer_id.commercial_partner_id.id,
                    "referral_id": referral.id,
                    "consent_text": referral.consent_text or referral._woonkans_consent_text(),
                    "date_given": fields.Date.context_today(referral, referral.consent_date or referral.create_date),
                    "user_id": referral.create_uid.id,
                }
            )
        )

    def _woonkans_after_accept(self, case):
        """Hook: the tree add-on passes its advice on to the case here."""
        return True

    def action_open_decline(self):
        self.ensure_one()
        self._woonkans_check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decline referral"),
            "res_model": "woonkans.referral.decline",
            "view_mode": "form",
            "target": "new",
            "context": {"default_referral_id": self.id},
        }

    def _woonkans_decline(self, reason, message, route=None):
        self.ensure_one()
        self._woonkans_check_open()
        self.check_access("write")
        message = (message or "").strip()
        if not reason:
            raise UserError(self.env._("Choose the reason for declining."))
        if not message:
            raise UserError(self.env._("Write a message to the referrer."))
        route = (route or "").strip() or reason.suggested_route or False
        self.sudo().write(
            {
                "state": "declined",
                "decline_reason_id": reason.id,
                "decline_message": message,
                "decline_route": route,
                "date_answered": fields.Datetime.now(),
                "user_id": self.user_id.id or self.env.uid,
            }
        )
        body = Markup("<p>%s</p><p>%s</p>") % (
            self.env._(
                "The bureau declined referral %(referral)s: %(reason)s.", referral=self.name, reason=reason.name
            ),
            message,
        )
        if route:
            body += Markup("<p>%s</p>") % self.env._("Suggested other route: %(route)s", route=route)
        self.sudo()._woonkans_tell_referrer(body)
        self.sudo().activity_ids.action_feedback(feedback=self.env._("Declined"))
        return True

    def _woonkans_withdraw(self, reason=None):
        """The referrer withdraws its referral while the bureau has not accepted it."""
        self.ensure_one()
        user = self.env.user
        if not (self.env.su or user.has_group("woonkans_case.group_woonkans_user")):
            if self.sudo().referrer_id != user.commercial_partner_id:
                raise AccessError(self.env._("Only the referring organisation can withdraw this referral."))
        self._woonkans_check_open()
        self.sudo().write({"state": "withdrawn", "withdraw_reason": (reason or "").strip() or False})
        self.sudo().message_post(
            body=self.env._("Withdrawn by %(user)s.", user=user.name)
            + (f" {reason.strip()}" if reason and reason.strip() else ""),
            subtype_xmlid="mail.mt_note",
            author_id=user.partner_id.id,
        )
        self.sudo().activity_ids.action_feedback(feedback=self.env._("Withdrawn"))
        return True

    def _woonkans_tell_referrer(self, body):
        """A message on the referral, sent to the contact who referred."""
        for referral in self:
            contact = referral.referrer_contact_id
            referral.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=contact.ids if contact.email else [],
            )

    # ------------------------------------------------------------------
    # scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _cron_overdue_referrals(self):
        """An activity for the intake team on every overdue referral; safe to run twice."""
        activity_type = self.env.ref("woonkans_case.mail_activity_type_referral_overdue")
        overdue = self.search(self._woonkans_overdue_domain())
        pending = set(
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", overdue.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        for referral in overdue:
            if referral.id in pending:
                continue
            team = referral.team_id
            user = referral.user_id or team.leader_id or self._woonkans_intake_recipients(team)[:1]
            if not user:
                continue
            referral.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                date_deadline=fields.Date.context_today(self),
                summary=self.env._("Overdue: %(referral)s waits for an answer", referral=referral.name),
            )
        return True
