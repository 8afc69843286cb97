from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WoonkansCaseParty(models.Model):
    """An organisation taking part in a case, in a role, for a period.

    Portal access of partner organisations hangs on these lines: a party
    whose line has ended (``is_current`` false) no longer sees the case.
    """

    _name = "woonkans.case.party"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Party on a case"
    _order = "case_id, sequence, id"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        required=True,
        index=True,
        domain=[("is_company", "=", True)],
    )
    partner_name = fields.Char(related="partner_id.name", string="Organisation name")
    role_id = fields.Many2one("woonkans.party.role", string="Role on this case", ondelete="restrict")
    contact_id = fields.Many2one("res.partner", string="Contact person", domain="[('parent_id', '=', partner_id)]")
    date_from = fields.Date(string="From", default=fields.Date.context_today)
    date_to = fields.Date(string="Until")
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        store=True,
        index=True,
        help="Recomputed daily by the reminders job, so a line whose end date passes loses portal access.",
    )
    share_on_portal = fields.Boolean(
        default=True,
        help="Contacts of this organisation may follow the case on the portal, "
        "if the client consented to information sharing, and the other parties see it there. "
        "Off for organisations whose involvement is confidential (e.g. Veilig Thuis).",
    )
    shared_with_parties = fields.Boolean(
        string="Shown to the parties",
        compute="_compute_shared_with_parties",
        store=True,
        index=True,
        help="A current line shared on the portal: its organisation follows the case, and the "
        "other parties see it on the portal and in the shared dossier overview.",
    )
    consent_to_close = fields.Boolean(string="Agrees to close", copy=False)
    consent_date = fields.Date(copy=False)
    consent_user_id = fields.Many2one("res.users", string="Consent recorded by", copy=False, readonly=True)

    _case_partner_role_unique = models.Constraint(
        "unique(case_id, partner_id, role_id)",
        "An organisation can have each role only once on a case.",
    )

    @api.depends("date_from", "date_to")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for party in self:
            party.is_current = (not party.date_from or party.date_from <= today) and (
                not party.date_to or party.date_to >= today
            )

    @api.depends("is_current", "share_on_portal")
    def _compute_shared_with_parties(self):
        """The one rule of "party visible to the case's organisations".

        Used by the portal record rules (which cases an organisation follows,
        which party lines it reads), the portal case page and the shared
        dossier overview, through ``woonkans.case._woonkans_shared_parties``.
        """
        for party in self:
            party.shared_with_parties = party.is_current and party.share_on_portal

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for party in self:
            if party.date_from and party.date_to and party.date_to < party.date_from:
                raise ValidationError(self.env._("A party's end date cannot be before its start date."))

    @api.model
    def _woonkans_portal_readable_fields(self):
        # not the contact person, nor who recorded a consent
        return super()._woonkans_portal_readable_fields() | {
            "case_id",
            "sequence",
            "partner_id",
            "partner_name",
            "role_id",
            "date_from",
            "date_to",
            "is_current",
            "share_on_portal",
            "shared_with_parties",
            "consent_to_close",
            "consent_date",
        }

    @api.onchange("consent_to_close")
    def _onchange_consent_to_close(self):
        for party in self:
            if party.consent_to_close and not party.consent_date:
                party.consent_date = fields.Date.context_today(party)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("consent_to_close"):
                vals.setdefault("consent_date", fields.Date.context_today(self))
                vals["consent_user_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        if "consent_to_close" in vals:
            if vals["consent_to_close"]:
                vals.setdefault("consent_date", fields.Date.context_today(self))
                vals["consent_user_id"] = self.env.uid
            else:
                vals.update(consent_date=False, consent_user_id=False)
        return super().write(vals)

    @api.model
    def _cron_update_current(self):
        """Flip ``is_current`` for lines whose period started or ended since the last run."""
        today = fields.Date.context_today(self)
        stale = self.search(
            [
                "|",
                "&",
                ("is_current", "=", True),
                ("date_to", "<", today),
                "&",
                "&",
                ("is_current", "=", False),
                "|",
                ("date_from", "=", False),
                ("date_from", "<=", today),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", today),
            ]
        )
        stale.modified(["date_from", "date_to"])
        stale.flush_recordset(["is_current", "shared_with_parties"])
        return stale
