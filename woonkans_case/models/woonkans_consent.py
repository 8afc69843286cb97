from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .woonkans_consent_codes import CATEGORY_BASICS

# What stays writable on a consent record once it is saved: it is the evidence of
# a sharing, so its scope is changed by withdrawing it and recording a new one.
MUTABLE_FIELDS = {"signed_document", "signed_document_name", "date_end"}
WITHDRAWAL_FIELDS = {"date_withdrawn", "withdrawn_by_id", "withdrawal_note"}


class WoonkansConsent(models.Model):
    """One sharing of a case with one organisation: who, what, why, on which basis.

    The one source of "may this organisation see this case, and what of it". A
    party organisation reaches a case on the portal only while an active record
    names it, and only the data categories that record covers (the portal record
    rules in ``security/woonkans_case_security.xml`` and
    ``woonkans.case._woonkans_consent_categories``). Withdrawing takes the access
    away at the next request, on every route: the rules read ``state``.
    """

    _name = "woonkans.consent"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Consent record"
    _order = "date_given desc, id desc"
    _rec_name = "partner_id"
    _woonkans_case_field = "case_id"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    client_id = fields.Many2one(related="case_id.client_id", string="Client")
    partner_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        required=True,
        index=True,
        domain=[("is_company", "=", True)],
        help="The organisation the case data is shared with.",
    )
    purpose = fields.Text(
        required=True,
        default=lambda self: self.env._("Guidance of the client in the trajectory of the bureau."),
        help="Why the data is shared with this organisation.",
    )
    category_ids = fields.Many2many(
        "woonkans.consent.category",
        string="Data categories",
        required=True,
        default=lambda self: self.env["woonkans.consent.category"]._default_categories(),
        help="What of the case the organisation may see. The case's basic data are always part of it.",
    )
    legal_basis_id = fields.Many2one(
        "woonkans.legal.basis",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env["woonkans.legal.basis"].search([("is_consent", "=", True)], limit=1),
    )
    is_consent = fields.Boolean(related="legal_basis_id.is_consent")
    requires_justification = fields.Boolean(related="legal_basis_id.requires_justification")
    justification = fields.Text(help="Why this legal basis applies, when it is not the client's consent.")
    consent_text = fields.Text(
        string="Text agreed to",
        help="The exact text the client agreed to. Or attach the signed form.",
    )
    signed_document = fields.Binary(string="Signed form", attachment=True, copy=False)
    signed_document_name = fields.Char(copy=False)
    date_given = fields.Date(string="Given on", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="Valid until", help="Leave empty for a consent without an end date.")
    user_id = fields.Many2one(
        "res.users", string="Recorded by", required=True, readonly=True, default=lambda self: self.env.user
    )
    referral_id = fields.Many2one(
        "woonkans.referral", readonly=True, index="btree_not_null", help="The referral whose consent this record is."
    )
    date_withdrawn = fields.Datetime(string="Withdrawn on", readonly=True, copy=False)
    withdrawn_by_id = fields.Many2one("res.users", string="Withdrawal recorded by", readonly=True, copy=False)
    withdrawal_note = fields.Text(readonly=True, copy=False)
    state = fields.Selection(
        [("active", "Active"), ("expired", "Expired"), ("withdrawn", "Withdrawn")],
        compute="_compute_state",
        store=True,
        index=True,
        help="Recomputed daily, so a consent whose end date passes stops the sharing.",
    )

    @api.depends("date_withdrawn", "date_end", "date_given")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.date_withdrawn:
                consent.state = "withdrawn"
            elif (consent.date_end and consent.date_end < today) or (consent.date_given and consent.date_given > today):
                consent.state = "expired"
            else:
                consent.state = "active"

    @api.depends("partner_id", "case_id", "state")
    def _compute_display_name(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for consent in self:
            state = states.get(consent.state, "")
            consent.display_name = f"{consent.case_id.name or ''} · {consent.partner_id.name or ''} ({state})"

    # ------------------------------------------------------------------
    # checks
    # ------------------------------------------------------------------

    @api.constrains("category_ids")
    def _check_basics(self):
        for consent in self:
            if CATEGORY_BASICS not in consent.category_ids.mapped("code"):
                raise ValidationError(
                    self.env._(
                        "A consent always covers the basic data of the case: without it the organisation sees nothing."
                    )
                )

    @api.constrains("legal_basis_id", "consent_text", "signed_document", "justification")
    def _check_evidence(self):
        for consent in self:
            has_evidence = (consent.consent_text or "").strip() or consent.signed_document
            if consent.legal_basis_id.is_consent and not has_evidence:
                raise ValidationError(
                    self.env._("Record the text the client agreed to, or attach the signed consent form.")
                )
            if consent.legal_basis_id.requires_justification and not (consent.justification or "").strip():
                raise ValidationError(
                    self.env._("Explain why the legal basis %(basis)s applies.", basis=consent.legal_basis_id.name)
                )

    @api.constrains("date_given", "date_end")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.date_given > today:
                raise ValidationError(self.env._("A consent cannot be given in the future."))
            if consent.date_end and consent.date_end < consent.date_given:
                raise ValidationError(self.env._("A consent cannot end before it was given."))

    @api.constrains("partner_id")
    def _check_organisation(self):
        for consent in self:
            if not consent.partner_id.is_company:
                raise ValidationError(self.env._("Consent is recorded for an organisation, not for a person."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("date_withdrawn", None)
            vals.pop("withdrawn_by_id", None)
            if not self.env.su:
                vals["user_id"] = self.env.uid
        consents = super().create(vals_list)
        consents._woonkans_after_change("recorded")
        return consents

    def write(self, vals):
        if not self.env.su:
            fixed = set(vals) - MUTABLE_FIELDS - WITHDRAWAL_FIELDS
            if fixed:
                raise UserError(
                    self.env._(
                        "A consent record is the evidence of a sharing and is not changed afterwards. "
                        "To change what is shared, withdraw it and record a new consent."
                    )
                )
            if set(vals) & WITHDRAWAL_FIELDS and not self.env.context.get("woonkans_consent_withdraw"):
                raise UserError(self.env._("Use the Withdraw button to withdraw a consent."))
            if self.filtered(lambda c: c.state == "withdrawn"):
                raise UserError(self.env._("A withdrawn consent is not changed any more."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        if not self.env.su:
            raise UserError(self.env._("Consent records are kept as evidence; withdraw a consent instead."))

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_withdraw(self, note=None):
        """Withdraw: the organisations lose their access at their next request, on every route."""
        active = self.filtered(lambda c: c.state != "withdrawn")
        if not active:
            raise UserError(self.env._("This consent was already withdrawn."))
        active.check_access("write")
        active.with_context(woonkans_consent_withdraw=True).write(
            {
                "date_withdrawn": fields.Datetime.now(),
                "withdrawn_by_id": self.env.uid,
                "withdrawal_note": note or False,
            }
        )
        active._woonkans_after_change("withdrawn")
        return True

    def _woonkans_after_change(self, change):
        """Note a consent ``change`` ("recorded", "withdrawn") on the case; keep the consent condition in step."""
        for consent in self.sudo():
            env = consent.case_id._woonkans_chatter_env()
            values = {
                "org": consent.partner_id.name,
                "categories": ", ".join(consent.with_env(env).category_ids.mapped("name")),
                "basis": consent.with_env(env).legal_basis_id.name,
                "user": (consent.user_id if change == "recorded" else consent.withdrawn_by_id).name
                or self.env.user.name,
            }
            if change == "recorded":
                body = env._("Consent recorded for %(org)s (%(categories)s; basis: %(basis)s) by %(user)s.", **values)
            else:
                body = env._("Consent for %(org)s withdrawn by %(user)s.", **values)
            consent.case_id.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.sudo().case_id._sync_consent_lines()

    @api.model
    def _cron_update_state(self):
        """Expire consents whose end date passed (and start those given for today)."""
        today = fields.Date.context_today(self)
        stale = self.search(
            [
                "|",
                "&",
                ("state", "=", "active"),
                ("date_end", "<", today),
                "&",
                ("state", "=", "expired"),
                "&",
                ("date_withdrawn", "=", False),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ]
        )
        stale.modified(["date_end"])
        stale.flush_recordset(["state"])
        stale.case_id._sync_consent_lines()
        return stale
