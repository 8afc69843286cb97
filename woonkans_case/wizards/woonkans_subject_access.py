import base64
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import html2plaintext

SKIPPED_FIELDS = {
    "access_token",
    "access_url",
    "access_warning",
    "portal_submission_key",
    "message_main_attachment_id",
    "color",
}
CLIENT_FIELDS = [
    "name",
    "street",
    "street2",
    "zip",
    "city",
    "country_id",
    "email",
    "phone",
    "lang",
    "comment",
    "woonkans_birthdate",
    "woonkans_bsn",
    "woonkans_adults",
    "create_date",
    "write_date",
]
MESSAGE_FIELDS = ["date", "author_id", "subject", "body", "message_type", "model", "res_id"]
DOCUMENT_FIELDS = ["name", "mimetype", "file_size", "res_model", "res_id", "create_date", "create_uid"]


class WoonkansSubjectAccess(models.TransientModel):
    """Everything the bureau holds on one person (AVG art. 15), as a PDF and a JSON file.

    The sources are a hook: ``_subject_sources`` returns (key, label, records, field
    names) for the data of this add-on; another add-on inherits this model and adds
    its own (the decision tree its runs, referrals their referral records), so this
    add-on needs to know nothing of them.
    """

    _name = "woonkans.subject.access"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Subject access export"

    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        domain=[("woonkans_is_client", "=", True)],
        default=lambda self: self._default_partner(),
    )
    json_file = fields.Binary(string="JSON file", readonly=True, attachment=False)
    json_filename = fields.Char(readonly=True)
    pdf_file = fields.Binary(string="PDF file", readonly=True, attachment=False)
    pdf_filename = fields.Char(readonly=True)
    summary = fields.Text(readonly=True)

    def _default_partner(self):
        if self.env.context.get("active_model") == "res.partner":
            return self.env.context.get("active_id")
        return False

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_generate(self):
        self.ensure_one()
        self._check_subject_access_allowed()
        data = self._subject_data()
        content = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()
        stem = f"inzage-{self.partner_id.id}-{fields.Date.context_today(self)}"
        self.write(
            {
                "json_file": base64.b64encode(content),
                "json_filename": f"{stem}.json",
                "summary": "\n".join(f"{s['label']}: {len(s['records'])}" for s in data["sections"]),
            }
        )
        pdf, _type = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("woonkans_case.woonkans_subject_access_report", self.ids)
        )
        self.write({"pdf_file": base64.b64encode(pdf), "pdf_filename": f"{stem}.pdf"})
        cases = (
            self.env["woonkans.case"]
            .sudo()
            .with_context(active_test=False)
            .search([("client_id", "=", self.partner_id.id)])
        )
        Log = self.env["woonkans.access.log"]
        Log._log(self.partner_id, route="subject_access", detail=self._name, client=self.partner_id)
        Log._log(cases, route="subject_access", detail=self._name)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # data
    # ------------------------------------------------------------------

    def _check_subject_access_allowed(self):
        # the export holds assessments and sensitive notes: special-category data
        user = self.env.user
        if not (
            self.env.su
            or (
                user.has_group("woonkans_case.group_woonkans_coordinator")
                and user.has_group("woonkans_case.group_woonkans_special_category")
            )
        ):
            raise AccessError(
                self.env._(
                    "Only a coordinator with the special-category data group can export everything held on a client."
                )
            )

    def _subject_sources(self):
        """[(key, label, records, field names or None for all)], all read as superuser."""
        partner = self.partner_id.sudo().with_context(active_test=False)
        env = partner.env
        cases = env["woonkans.case"].search([("client_id", "=", partner.id)])
        arrangements = env["woonkans.payment.arrangement"].search([("case_id", "in", cases.ids)])
        assessments = env["woonkans.assessment"].search([("case_id", "in", cases.ids)])
        messages = env["mail.message"].search(
            self._attached_domain("model", "res_id", partner, cases), order="date, id"
        )
        documents = env["ir.attachment"].search(self._attached_domain("res_model", "res_id", partner, cases))
        referrals = env["woonkans.referral"].search(["|", ("client_id", "=", partner.id), ("case_id", "in", cases.ids)])
        log = env["woonkans.access.log"].search(["|", ("client_id", "=", partner.id), ("case_id", "in", cases.ids)])
        return [
            ("client", self.env._("Client"), partner, CLIENT_FIELDS),
            ("household_children", self.env._("Children in household"), partner.woonkans_child_ids, None),
            ("referrals", self.env._("Referrals"), referrals, None),
            ("cases", self.env._("Cases"), cases, None),
            ("parties", self.env._("Parties"), cases.party_ids, None),
            (
                "consents",
                self.env._("Consents"),
                cases.consent_ids,
                [
                    "case_id",
                    "partner_id",
                    "purpose",
                    "category_ids",
                    "legal_basis_id",
                    "justification",
                    "consent_text",
                    "signed_document_name",
                    "date_given",
                    "date_end",
                    "user_id",
                    "referral_id",
                    "date_withdrawn",
                    "withdrawn_by_id",
                    "withdrawal_note",
                    "state",
                ],
            ),
            ("conditions", self.env._("Conditions"), cases.condition_line_ids, None),
            ("payment_arrangements", self.env._("Payment arrangements"), arrangements, None),
            ("payment_records", self.env._("Payments"), arrangements.record_ids, None),
            ("cards", self.env._("Yellow and red cards"), cases.card_event_ids, None),
            ("tenancy_agreements", self.env._("Tenancy agreements"), cases.tenancy_agreement_ids, None),
            ("assessments", self.env._("Life-domain assessments"), assessments, None),
            ("assessment_scores", self.env._("Life-domain scores"), assessments.score_ids, None),
            (
                "plan_tasks",
                self.env._("Plan"),
                cases.project_id.task_ids,
                ["name", "stage_id", "date_deadline", "description"],
            ),
            ("messages", self.env._("Messages"), messages, MESSAGE_FIELDS),
            ("documents", self.env._("Documents"), documents, DOCUMENT_FIELDS),
            ("read_log", self.env._("Read log"), log, None),
        ]

    @api.model
    def _attached_domain(self, model_field, id_field, partner, cases):
        """Records (messages, attachments) on the client or on one of their cases."""
        return Domain.OR(
            [
                Domain(model_field, "=", "res.partner") & Domain(id_field, "=", partner.id),
                Domain(model_field, "=", "woonkans.case") & Domain(id_field, "in", cases.ids),
            ]
        )

    def _subject_data(self):
        sections = []
        for key, label, records, field_names in self._subject_sources():
            labels, rows = self._serialise(records, field_names)
            sections.append({"key": key, "label": label, "model": records._name, "fields": labels, "records": rows})
        partner = self.partner_id
        return {
            "subject": {"id": partner.id, "name": partner.name},
            "generated_on": fields.Datetime.now().isoformat(),
            "generated_by": self.env.user.name,
            "sections": sections,
        }

    @api.model
    def _serialise(self, records, field_names=None):
        """({field: label}, [{field: readable value}]) of the records' stored fields."""
        model_fields = records._fields
        if field_names is None:
            field_names = [
                name
                for name, field in model_fields.items()
                if field.store
                # children are sections of their own; files are listed, never copied
                and field.type not in ("binary", "many2one_reference", "one2many")
                and name not in SKIPPED_FIELDS
                and not name.startswith(("message_", "activity_", "website_message"))
                and name not in ("id", "create_uid", "write_uid")
            ]
        labels = {name: model_fields[name]._description_string(self.env) for name in field_names}
        rows = []
        for record in records:
            row = {"id": record.id}
            for name in field_names:
                value = self._readable(record, model_fields[name])
                if value not in (None, "", []):
                    row[name] = value
            rows.append(row)
        return labels, rows

    @api.model
    def _readable(self, record, field):
        """A JSON-friendly, readable value; None for an empty one."""
        value = record[field.name]
        if field.type == "many2one":
            return value.display_name or None
        if field.type == "many2many":
            return value.mapped("display_name") or None
        if field.type == "boolean":
            return True if value else None
        if value is False or value is None:
            return None
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value)
        if field.type == "html":
            return html2plaintext(value) or None
        if field.type == "date":
            return fields.Date.to_string(value)
        if field.type == "datetime":
            return fields.Datetime.to_string(value)
        return value

    def _report_sections(self):
        """The sections for the PDF, read back from the JSON so the two never differ."""
        self.ensure_one()
        data = json.loads(base64.b64decode(self.json_file)) if self.json_file else self._subject_data()
        return data
