from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .woonkans_referral import OPEN_STATES

CLIENT_GRACE_PARAM = "woonkans_case.client_without_case_days"
DEFAULT_CLIENT_GRACE_DAYS = 42  # a withdrawn application goes after 6 weeks (Selectielijst 2020, 8.4.1)

# Free text of a case and its children that can identify the client. Required ones
# get a placeholder. A test checks that every text field of these models is listed
# here or in KEPT_TEXT_FIELDS, so a new free-text field cannot be forgotten.
ANONYMISED_TEXT_FIELDS = {
    "woonkans.case": ("description", "note_internal", "note_sensitive", "closure_note", "closure_override_reason"),
    "woonkans.case.party": (),
    "woonkans.condition.line": ("note",),
    "woonkans.payment.arrangement": ("note",),
    "woonkans.payment.record": ("note",),
    "woonkans.card.event": ("reason",),
    "woonkans.tenancy.agreement": ("address", "goals", "conditions", "conversion_note"),
    "woonkans.assessment": ("note",),
    "woonkans.assessment.score": (),
    "woonkans.consent": (
        "purpose",
        "justification",
        "consent_text",
        "withdrawal_note",
        "signed_document",
        "signed_document_name",
    ),
}
# Cleared fields that a constraint wants filled: they get the placeholder instead.
PLACEHOLDER_FIELDS = {("woonkans.consent", "justification"), ("woonkans.consent", "consent_text")}
# Text that is not the client's: references, codes and the condition names of the checklist templates.
KEPT_TEXT_FIELDS = {
    "woonkans.case": ("name", "portal_submission_key", "access_token", "access_url", "email_cc"),
    "woonkans.condition.line": ("name", "code"),
}


class WoonkansRetention(models.AbstractModel):
    """The retention policy: which cases and clients are due, a dry run, and anonymisation.

    Anonymising keeps a closed case for the figures but removes everything that can
    identify the client: free text, messages (with their tracking values), documents
    and the plan; a client whose cases are all anonymised, or who never got a case
    within the grace period, is anonymised too. Destroying (deleting) stays an explicit
    administrator action: ``woonkans.case.action_destroy_after_retention``.
    Other add-ons extend ``_anonymise_cases`` for their own data about a case.
    """

    _name = "woonkans.retention"
    _description = "Retention policy"

    @api.model
    def _due_cases(self):
        """Closed cases past their retention period, not yet anonymised."""
        today = fields.Date.context_today(self)
        return (
            self.env["woonkans.case"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("phase", "=", "closed"),
                    ("retention_until", "!=", False),
                    ("retention_until", "<", today),
                    ("anonymised_on", "=", False),
                ],
                order="retention_until, id",
            )
        )

    @api.model
    def _due_clients(self, cases=None):
        """Clients left without a case: none within the grace period, or all theirs anonymised."""
        cases = self._due_cases() if cases is None else cases
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        Case = self.env["woonkans.case"].sudo().with_context(active_test=False)
        days = int(self.env["ir.config_parameter"].sudo().get_param(CLIENT_GRACE_PARAM, DEFAULT_CLIENT_GRACE_DAYS))
        limit = fields.Datetime.now() - timedelta(days=max(days, 0))
        without_case = Partner.search(
            [("woonkans_is_client", "=", True), ("woonkans_case_ids", "=", False), ("create_date", "<", limit)]
        )
        candidates = cases.client_id
        still_kept = Case.search(
            [("client_id", "in", candidates.ids), ("anonymised_on", "=", False), ("id", "not in", cases.ids)]
        ).client_id
        # a client whose referral the intake team is still deciding on is not "without a case"
        pending = (
            self.env["woonkans.referral"]
            .sudo()
            .search([("client_id", "in", (without_case | candidates).ids), ("state", "in", OPEN_STATES)])
            .client_id
        )
        return (without_case | (candidates - still_kept)) - pending

    @api.model
    def _due_referrals(self, cases, clients):
        """Referrals that identify someone the policy lets go: of anonymised cases and clients,
        and those declined or withdrawn past the grace period without ever becoming a case."""
        days = int(self.env["ir.config_parameter"].sudo().get_param(CLIENT_GRACE_PARAM, DEFAULT_CLIENT_GRACE_DAYS))
        limit = fields.Datetime.now() - timedelta(days=max(days, 0))
        Referral = self.env["woonkans.referral"].sudo().with_context(active_test=False)
        return Referral.search(
            [
                ("anonymised_on", "=", False),
                "|",
                "|",
                ("case_id", "in", cases.ids),
                ("client_id", "in", clients.ids),
                "&",
                "&",
                ("state", "in", ("declined", "withdrawn")),
                ("case_id", "=", False),
                ("date_answered", "<", limit),
            ]
        )

    @api.model
    def _dry_run(self):
        """What an anonymisation run would do now, without doing it: a list of dicts."""
        cases = self._due_cases()
        clients = self._due_clients(cases)
        Message = self.env["mail.message"].sudo()
        Attachment = self.env["ir.attachment"].sudo()
        rows = []
        for case in cases:
            rows.append(
                {
                    "kind": "case",
                    "record": case,
                    "reference": case.name,
                    "retention_until": case.retention_until,
                    "messages": Message.search_count([("model", "=", case._name), ("res_id", "=", case.id)]),
                    "documents": Attachment.search_count([("res_model", "=", case._name), ("res_id", "=", case.id)]),
                    "tasks": len(case.project_id.task_ids),
                }
            )
        for client in clients:
            rows.append(
                {
                    "kind": "client",
                    "record": client,
                    "reference": client.name,
                    "retention_until": False,
                    "messages": Message.search_count([("model", "=", client._name), ("res_id", "=", client.id)]),
                    "documents": Attachment.search_count(
                        [("res_model", "=", client._name), ("res_id", "=", client.id)]
                    ),
                    "tasks": 0,
                }
            )
        return rows

    @api.model
    def _anonymise_cases(self, cases):
        """Remove what identifies the client from closed cases; keep the figures."""
        cases = cases.sudo().with_context(active_test=False, tracking_disable=True, mail_notrack=True)
        placeholder = self.env._("Anonymised")
        for model_name, field_names in ANONYMISED_TEXT_FIELDS.items():
            if not field_names:
                continue
            Model = self.env[model_name].sudo().with_context(active_test=False, tracking_disable=True)
            records = cases if model_name == "woonkans.case" else self._case_children(Model, cases)
            if not records:
                continue
            vals = {
                name: placeholder if Model._fields[name].required or (model_name, name) in PLACEHOLDER_FIELDS else False
                for name in field_names
            }
            records.write(vals)
        records_by_model = {"woonkans.case": cases.ids}
        for model_name in ANONYMISED_TEXT_FIELDS:
            if model_name != "woonkans.case":
                records_by_model[model_name] = self._case_children(self.env[model_name].sudo(), cases).ids
        self._purge_messages_and_documents(records_by_model)
        projects = cases.project_id
        cases.write({"project_id": False})
        projects.task_ids.unlink()
        projects.unlink()
        cases.activity_ids.unlink()
        cases.write({"anonymised_on": fields.Date.context_today(self)})
        self._purge_messages_and_documents({"woonkans.case": cases.ids})

    @api.model
    def _case_children(self, Model, cases):
        field = "arrangement_id.case_id" if Model._name == "woonkans.payment.record" else "case_id"
        return Model.with_context(active_test=False).search([(field, "in", cases.ids)])

    @api.model
    def _purge_messages_and_documents(self, records_by_model):
        """Delete the messages (tracking values and notifications go with them) and attachments."""
        Message = self.env["mail.message"].sudo()
        Attachment = self.env["ir.attachment"].sudo()
        for model_name, ids in records_by_model.items():
            if not ids:
                continue
            Message.search([("model", "=", model_name), ("res_id", "in", ids)]).unlink()
            Attachment.search([("res_model", "=", model_name), ("res_id", "in", ids)]).unlink()

    @api.model
    def _anonymise(self):
        """Anonymise every due case and client; returns (cases, clients)."""
        cases = self._due_cases()
        clients = self._due_clients(cases)
        referrals = self._due_referrals(cases, clients)
        if cases:
            self._anonymise_cases(cases)
        if clients:
            clients._woonkans_anonymise()
        if referrals:
            referrals._woonkans_anonymise()
        if cases or clients:
            self.env["ir.logging"].sudo().create(
                {
                    "name": "woonkans_case.retention",
                    "type": "server",
                    "level": "INFO",
                    "path": self._name,
                    "func": "_anonymise",
                    "line": "0",
                    "message": f"Anonymised after retention: {len(cases)} case(s) {', '.join(cases.mapped('name'))}, "
                    f"{len(clients)} client(s)",
                }
            )
        return cases, clients

    @api.model
    def _cron_anonymise(self):
        self._anonymise()

    @api.model
    def action_anonymise_now(self):
        if not (self.env.su or self.env.user.has_group("woonkans_case.group_woonkans_coordinator")):
            raise AccessError(self.env._("Only a coordinator can anonymise cases after their retention period."))
        return self._anonymise()
