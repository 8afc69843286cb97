from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command, Domain

from . import woonkans_form_mixin as form
from .woonkans_consent_codes import CONSENT_CONDITION_CODE

# Still to be met: not yet checked, being worked on, checked and found not met,
# or reported met by a partner and not yet confirmed by the bureau.
PENDING_STATUSES = ("open", "in_progress", "not_met", "to_check")

STATUSES = [
    ("open", "Open"),
    ("in_progress", "In progress"),
    ("to_check", "Met, to check"),
    ("met", "Met"),
    ("not_met", "Not met"),
    ("not_applicable", "Not applicable"),
]

# What a partner may report on the portal; a partner's "met" is stored as "to_check".
PARTNER_STATUSES = ("met", "not_met", "in_progress")

MAX_NOTE = 2000


class WoonkansConditionLine(models.Model):
    """One condition on one case: who must do it, by when, and the evidence."""

    _name = "woonkans.condition.line"
    _inherit = ["woonkans.form.mixin", "woonkans.portal.readable.mixin"]
    _description = "Condition on a case"
    _order = "case_id, sequence, id"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    template_id = fields.Many2one("woonkans.condition.template", ondelete="set null", index=True)
    code = fields.Char(related="template_id.code")
    name = fields.Char(
        string="Condition",
        required=True,
        translate=True,
        help="Copied with all its translations from the template; can be reworded per case.",
    )
    sequence = fields.Integer(default=10)
    status = fields.Selection(STATUSES, default="open", required=True, index=True)
    kind = fields.Selection(
        [("manual", "Checked by hand"), ("payment", "Payment arrangement kept")],
        default="manual",
        required=True,
    )
    months_required = fields.Integer(default=3)
    payment_arrangement_id = fields.Many2one(
        "woonkans.payment.arrangement",
        domain="[('case_id', '=', case_id)]",
        help="For payment conditions: the arrangement whose adherence decides the status.",
    )
    required_stage_id = fields.Many2one("woonkans.case.stage", string="Required before stage")
    responsible_partner_id = fields.Many2one(
        "res.partner",
        string="Responsible organisation",
        index=True,
        domain=[("is_company", "=", True)],
    )
    responsible_user_id = fields.Many2one(
        "res.users", string="Responsible staff member", domain=[("share", "=", False)]
    )
    date_due = fields.Date(string="Due date", index=True)
    client_id = fields.Many2one(related="case_id.client_id", groups="woonkans_case.group_woonkans_user")
    calendar_title = fields.Char(compute="_compute_calendar_title", groups="woonkans_case.group_woonkans_user")
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "woonkans_condition_line_attachment_rel",
        "line_id",
        "attachment_id",
        string="Evidence",
    )
    checked_by_id = fields.Many2one("res.users", string="Checked by", readonly=True, copy=False)
    checked_date = fields.Datetime(string="Checked on", readonly=True, copy=False)
    note = fields.Text()

    @api.model
    def _woonkans_forms(self):
        forms = super()._woonkans_forms()
        forms["condition"] = {
            "status": form.Choice(
                PARTNER_STATUSES,
                required=True,
                error=lambda env: env._("Choose whether the condition is met, not met or in progress."),
            ),
            "note": form.Text(max_length=MAX_NOTE, multiline=True, default=""),
        }
        return forms

    @api.model
    def _pending_domain(self):
        return Domain("status", "in", PENDING_STATUSES)

    @api.model
    def _overdue_domain(self, today=None):
        """The one definition of an overdue condition: still pending and past its due date.

        Used by the line's flag, the case's counts and filter, the reminder
        job, the portal and the reports (the case analysis view spells it in
        SQL from PENDING_STATUSES).
        """
        return self._pending_domain() & Domain("date_due", "<", today or fields.Date.context_today(self))

    @api.depends("case_id.client_id.name", "name")
    def _compute_calendar_title(self):
        for line in self:
            line.calendar_title = f"{line.case_id.client_id.name or ''}: {line.name or ''}"

    @api.depends("status", "date_due")
    def _compute_is_overdue(self):
        overdue = self.filtered_domain(self._overdue_domain())
        for line in self:
            line.is_overdue = line in overdue

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = self._overdue_domain()
        return domain if (operator == "=") == value else ~domain

    @api.model
    def _cron_remind_due(self, horizon_days=14):
        """An activity on the case for each pending condition due soon or overdue; safe to run twice."""
        Case = self.env["woonkans.case"]
        xmlid = "woonkans_case.mail_activity_type_condition_due"
        pending = Case._woonkans_pending_reminders(xmlid)
        horizon = Case._reminder_horizon(horizon_days)
        for line in self.search(
            self._pending_domain() & Domain("date_due", "<=", horizon) & Domain("case_id.phase", "!=", "closed")
        ):
            user = line._woonkans_responsible_staff()
            # the summary is stored as text: write it in the language of the one who reads it
            env = Case._woonkans_in_lang(user)
            name = line.with_env(env).name
            summary = (
                env._("Overdue condition: %(name)s", name=name)
                if line.is_overdue
                else env._("Condition due: %(name)s", name=name)
            )
            Case._woonkans_schedule_once(pending, line.case_id, xmlid, user, line.date_due, summary)
        return True

    @api.constrains("payment_arrangement_id", "case_id")
    def _check_arrangement_case(self):
        for line in self:
            if line.payment_arrangement_id and line.payment_arrangement_id.case_id != line.case_id:
                raise ValidationError(self.env._("The payment arrangement must belong to the same case."))

    @api.model
    def _woonkans_portal_readable_fields(self):
        # not who checked it, the staff member, the template or the payment arrangement
        return super()._woonkans_portal_readable_fields() | {
            "case_id",
            "name",
            "sequence",
            "status",
            "kind",
            "required_stage_id",
            "responsible_partner_id",
            "date_due",
            "is_overdue",
        }

    @api.model
    def _woonkans_portal_writable_fields(self):
        return super()._woonkans_portal_writable_fields() | {"status", "note", "evidence_ids"}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("status", "open") != "open":
                vals.update(checked_by_id=self.env.uid, checked_date=fields.Datetime.now())
        lines = super().create(vals_list)
        if not self.env.context.get("woonkans_consent_from_case"):
            for line in lines:
                line._check_consent_status(line.status)
        return lines

    def write(self, vals):
        portal = self.env.user.share and not self.env.su
        if portal:
            forbidden = set(vals) - self._woonkans_portal_writable_fields()
            if forbidden or vals.get("status") not in (None, *PARTNER_STATUSES):
                raise AccessError(
                    self.env._(
                        "Partners can only mark a condition met, not met or in progress, "
                        "add a note and upload evidence."
                    )
                )
            if vals.get("status") == "met":
                vals = dict(vals, status="to_check")  # the bureau confirms a partner's "met"
        checked = {}
        if "status" in vals:
            checked = {"checked_by_id": self.env.uid, "checked_date": fields.Datetime.now()}
            if not portal:  # partners do not write these fields themselves
                vals.update(checked)
        if "status" in vals and not self.env.context.get("woonkans_consent_from_case"):
            self._check_consent_status(vals["status"])
        lines_before = {line: line.status for line in self} if "status" in vals else {}
        result = super().write(vals)
        if portal and checked:
            super(WoonkansConditionLine, self.sudo()).write(checked)
        for line, before in lines_before.items():
            if line.status != before:
                env = line.case_id.sudo()._woonkans_chatter_env()  # a partner does not read the caseworker
                labels = dict(self._fields["status"]._description_selection(env))
                line.case_id.sudo().message_post(
                    body=env._(
                        "Condition %(name)s: %(old)s → %(new)s (by %(user)s)",
                        name=line.with_env(env).name,
                        old=labels[before],
                        new=labels[line.status],
                        user=self.env.user.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                    author_id=self.env.user.partner_id.id,
                )
        return result

    def _check_consent_status(self, status):
        """The consent condition follows the case's consent records, never the other way round:
        it is met while a consent record is active, and only then. Checked before writing ``status``."""
        for line in self.sudo().filtered(lambda line: line.code == CONSENT_CONDITION_CODE):
            if status == "met" and not line.case_id.consent_sharing:
                raise UserError(
                    self.env._(
                        "Record the consent on the Consents tab of the case: this condition is met "
                        "as soon as a consent record is active."
                    )
                )
            if status in ("open", "in_progress", "not_met", "not_applicable") and line.case_id.consent_sharing:
                raise UserError(
                    self.env._(
                        "The case has an active consent record, so this condition is met. "
                        "Withdraw the consent on the Consents tab of the case to change it."
                    )
                )

    @api.model
    def _copy_template_translations(self, lines=None):
        """Give lines the translations of their template's name.

        A line copies its template's name when it is created; the translations
        come along here, also for lines created before a language's
        translations were loaded (demo data, languages added later). A line
        whose name was reworded keeps it.
        """
        query = """
            UPDATE woonkans_condition_line line
               SET name = tmpl.name
              FROM woonkans_condition_template tmpl
             WHERE line.template_id = tmpl.id
               AND line.name->>'en_US' = tmpl.name->>'en_US'
               AND line.name IS DISTINCT FROM tmpl.name
        """
        params = []
        if lines is not None:
            query += " AND line.id = ANY(%s)"
            params.append(lines.ids)
        self.env.cr.execute(query, params)
        self.invalidate_model(["name"])

    def _sync_payment_status(self):
        """Met while the linked arrangement is kept for the required months."""
        for line in self.filtered(lambda line: line.kind == "payment" and line.payment_arrangement_id):
            arrangement = line.payment_arrangement_id
            if arrangement.state == "broken":
                status = "not_met"
            elif arrangement.months_kept >= line.months_required:
                status = "met"
            else:
                status = "open"
            if line.status != status:
                line.sudo().write({"status": status})

    def _woonkans_responsible_staff(self):
        """Who at the bureau answers for this line: its staff member, else the case's caseworker or team leader."""
        self.ensure_one()
        line = self.sudo()
        return line.responsible_user_id or line.case_id._woonkans_caseworker()

    def _woonkans_portal_update(self, status, note, attachments=None):
        """A partner's update from the portal: a status, a note and evidence, in one go.

        Written as the partner (the record rules and the portal allow-list
        decide); a "met" waits for the bureau as "to check". The change is
        logged on the case for the responsible staff member, who gets it in the
        inbox and as an activity. Returns whether anything changed.
        """
        self.ensure_one()
        env = self.env
        vals = {}
        reported = "to_check" if status == "met" else status
        if reported != self.status and not (status == "met" and self.status == "met"):
            vals["status"] = status  # write() logs the status change and stores a partner's "met" as to_check
        note = note or ""
        changes = []
        if note != (self.note or ""):
            vals["note"] = note
            changes.append(env._("note: %(note)s", note=note or "-"))
        if vals:
            self.write(vals)
        if attachments:
            # portal users cannot read ir.attachment: the link is made as superuser,
            # on a line the partner may write
            self.check_access("write")
            self.sudo().write({"evidence_ids": [Command.link(att.id) for att in attachments]})
            changes.append(env._("evidence: %(names)s", names=", ".join(attachments.mapped("name"))))
        if not (vals or changes):
            return False
        line = self.sudo()
        staff = self._woonkans_responsible_staff()
        if "status" in vals:
            labels = dict(self._fields["status"]._description_selection(env))
            changes.insert(0, env._("status: %(status)s", status=labels[line.status]))
        line.case_id.message_post(
            body=env._(
                "Condition %(name)s updated by %(user)s (%(org)s): %(changes)s",
                name=line.name,
                user=env.user.name,
                org=env.user.commercial_partner_id.name,
                changes="; ".join(changes),
            ),
            subtype_xmlid="mail.mt_note",
            author_id=env.user.partner_id.id,
            partner_ids=staff.partner_id.ids,  # an inbox item for the one who checks it
        )
        staff_env = line.case_id._woonkans_in_lang(staff)
        name = line.with_env(staff_env).name
        summary = (
            staff_env._("Check the condition a partner reported met: %(name)s", name=name)
            if line.status == "to_check"
            else staff_env._("Partner update on a condition: %(name)s", name=name)
        )
        line.case_id._woonkans_notify_staff(staff, summary)
        return True

    def action_confirm(self):
        """The bureau confirms a partner's "met"."""
        self._woonkans_check_to_check(self.env._("Only a condition a partner reported met can be confirmed."))
        self.write({"status": "met"})

    def action_open_reject(self):
        """Ask why before rejecting a partner's report (the partner reads the reason on the portal)."""
        self.ensure_one()
        self._woonkans_check_to_check(self.env._("Only a condition a partner reported met can be rejected."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject the report"),
            "res_model": "woonkans.condition.line.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }

    def _woonkans_check_to_check(self, message):
        if self.filtered(lambda line: line.status != "to_check"):
            raise UserError(message)

    def _woonkans_reject(self, reason):
        """Reject with ``reason``: it becomes the note the partner reads, and the condition is not met."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Write why the condition is not met."))
        self._woonkans_check_to_check(self.env._("Only a condition a partner reported met can be rejected."))
        self.write({"note": reason})
        self.action_reject()

    def action_reject(self):
        """The bureau does not accept a partner's "met": the condition is not met; the note says why."""
        self._woonkans_check_to_check(self.env._("Only a condition a partner reported met can be rejected."))
        missing = self.filtered(lambda line: not (line.note or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Write in the note why the condition is not met before rejecting it: %(names)s",
                    names=", ".join(missing.mapped("name")),
                )
            )
        self.write({"status": "not_met"})

    def action_mark_met(self):
        self.write({"status": "met"})

    def action_record_consent(self):
        """The consent condition is met by recording a consent: open a new consent record for the case."""
        self.ensure_one()
        self.case_id.check_access("write")
        organisation = self.responsible_partner_id.commercial_partner_id or self.case_id.referrer_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record consent"),
            "res_model": "woonkans.consent",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_case_id": self.case_id.id,
                "default_partner_id": organisation.commercial_partner_id.id if organisation else False,
            },
        }

    def action_mark_not_met(self):
        self.write({"status": "not_met"})

    def action_mark_not_applicable(self):
        self.write({"status": "not_applicable"})

    def action_reset(self):
        self.write({"status": "open"})
