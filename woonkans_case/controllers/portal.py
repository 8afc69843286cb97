"""Partner portal of the woonkans bureau.

Partner organisations (housing corporations, social teams, aid organisations)
follow the cases they are a party to and refer new clients. Isolation between
organisations is decided by the record rules of ``woonkans_case``, and what a
partner reads of a record by each model's portal allow-list
(``_woonkans_portal_readable_fields``): cases, parties and condition lines are
searched and rendered as the portal user, so the pages show no more than RPC
gives. Every write goes through the ORM as the portal user, except the
referral itself, which creates records with sudo from a whitelist of
validated values only.
"""

import datetime
import logging
import re
import uuid
from collections import OrderedDict
from operator import itemgetter

import psycopg2
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html
from odoo.tools import groupby as groupbyelem
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

_logger = logging.getLogger(__name__)

ALLOWED_MIMETYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/tiff",
    "image/bmp",
    "image/heic",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
PORTAL_REASONS = ("arrears", "nuisance", "neglect", "worrying", "eviction")
MAX_FILES = 10
MAX_TEXT = 5000
MAX_NOTE = 2000
MAX_NAME = 128
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{6,20}$")
# the fields a referral form may carry; anything else in the POST is ignored
REFERRAL_FIELDS = (
    "client_name",
    "client_birthdate",
    "client_street",
    "client_zip",
    "client_city",
    "client_phone",
    "client_email",
    "client_bsn",
    "household_adults",
    "household_children",
    "target_group",
    "referral_reason",
    "eviction_date",
    "court_date",
    "description",
    "consent",
    "submission_key",
    "run",
)
CONDITION_ERRORS = ("status", "upload_size", "upload_type", "note", "invalid", "session")


class WoonkansPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # home tile
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "woonkans_count" in counters:
            Case = request.env["woonkans.case"]
            values["woonkans_count"] = Case.search_count([]) if Case.has_access("read") else 0
        return values

    # ------------------------------------------------------------------
    # list
    # ------------------------------------------------------------------

    def _woonkans_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "eviction": {"label": request.env._("Eviction date"), "order": "eviction_date asc, id desc"},
            "stage": {"label": request.env._("Stage"), "order": "stage_id, id desc"},
        }

    def _woonkans_searchbar_filters(self):
        today = fields.Date.context_today(request.env.user)
        return OrderedDict(
            [
                ("all", {"label": request.env._("All"), "domain": Domain.TRUE}),
                ("open", {"label": request.env._("Open"), "domain": Domain("phase", "!=", "closed")}),
                ("referral", {"label": request.env._("New referrals"), "domain": Domain("phase", "=", "referral")}),
                (
                    "eviction_soon",
                    {
                        "label": request.env._("Eviction within 30 days"),
                        "domain": Domain("eviction_date", ">=", today)
                        & Domain("eviction_date", "<=", today + relativedelta(days=30)),
                    },
                ),
                (
                    "mine",
                    {
                        "label": request.env._("Referred by me"),
                        # the referrer is not portal-readable: the user's own referrals are
                        # found with sudo as a sub-query, the case search stays rule-restricted
                        "domain": Domain(
                            "id",
                            "in",
                            request.env["woonkans.case"]
                            .sudo()
                            ._search([("referrer_contact_id", "=", request.env.user.partner_id.id)]),
                        ),
                    },
                ),
                ("closed", {"label": request.env._("Closed"), "domain": Domain("phase", "=", "closed")}),
            ]
        )

    def _woonkans_searchbar_groupby(self):
        return {
            "none": {"label": request.env._("None")},
            "stage_id": {"label": request.env._("Stage")},
            "trajectory_type_id": {"label": request.env._("Trajectory")},
        }

    def _woonkans_searchbar_inputs(self):
        return {
            "name": {"input": "name", "label": request.env._("Search in Reference")},
            "client": {"input": "client", "label": request.env._("Search in Client")},
        }

    def _woonkans_search_domain(self, search_in, search):
        if search_in == "client":
            # clients are not readable by portal users: find the partners with
            # sudo as a sub-query; the case search itself stays rule-restricted
            clients = request.env["res.partner"].sudo()._search([("name", "ilike", search)])
            return Domain("client_id", "in", clients)
        return Domain("name", "ilike", search)

    @http.route(
        ["/my/woonkans", "/my/woonkans/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_woonkans(self, page=1, sortby=None, filterby=None, search=None, search_in="name", groupby=None, **kw):
        Case = request.env["woonkans.case"]
        if not Case.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        sortings = self._woonkans_searchbar_sortings()
        filters = self._woonkans_searchbar_filters()
        groupbys = self._woonkans_searchbar_groupby()
        inputs = self._woonkans_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        groupby = groupby if groupby in groupbys else "none"
        search_in = search_in if search_in in inputs else "name"
        search = (search or "").strip()[:MAX_NAME]

        domain = Domain(filters[filterby]["domain"])
        if search:
            domain &= self._woonkans_search_domain(search_in, search)
        order = sortings[sortby]["order"]
        if groupby != "none":
            order = f"{groupby}, {order}"

        total = Case.search_count(domain)
        pager = portal_pager(
            url="/my/woonkans",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "groupby": groupby,
                "search_in": search_in,
                "search": search,
            },
            total=total,
            page=page,
            step=self._items_per_page,
        )
        # searched and rendered as the user: the rules and the portal fields decide
        cases = Case.search(domain, order=order, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_woonkans_history"] = cases.ids[:100]
        if groupby != "none":
            grouped_cases = [Case.concat(*group) for __, group in groupbyelem(cases, itemgetter(groupby))]
        else:
            grouped_cases = [cases] if cases else []
        values.update(
            {
                "grouped_cases": grouped_cases,
                "page_name": "woonkans",
                "default_url": "/my/woonkans",
                "pager": pager,
                "searchbar_sortings": sortings,
                "searchbar_filters": filters,
                "searchbar_groupby": groupbys,
                "searchbar_inputs": inputs,
                "sortby": sortby,
                "filterby": filterby,
                "groupby": groupby,
                "search_in": search_in,
                "search": search,
                "can_refer": self._woonkans_referrer_org() is not None,
            }
        )
        return request.render("woonkans_case.portal_my_woonkans", values)

    # ------------------------------------------------------------------
    # detail
    # ------------------------------------------------------------------

    def _woonkans_case_documents(self, case_sudo):
        """Attachments of the case a party may see: not those of internal notes."""
        Attachment = request.env["ir.attachment"].sudo()
        attachments = Attachment.search(
            [("res_model", "=", "woonkans.case"), ("res_id", "=", case_sudo.id), ("res_field", "=", False)],
            order="id desc",
        )
        internal_messages = (
            request.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "woonkans.case"),
                    ("res_id", "=", case_sudo.id),
                    "|",
                    ("subtype_id", "=", False),
                    ("subtype_id.internal", "=", True),
                ]
            )
        )
        return attachments - internal_messages.attachment_ids

    def _woonkans_case_values(self, case_sudo, **kwargs):
        env = request.env
        org = env.user.commercial_partner_id
        # condition lines and tasks: searched as the user, so the rules decide
        lines = env["woonkans.condition.line"].search([("case_id", "=", case_sudo.id)])
        tasks = env["project.task"].search(
            [("woonkans_case_id", "=", case_sudo.id), ("woonkans_partner_id", "=", org.id)]
        )
        values = {
            "page_name": "woonkans_case",
            # rendered as the user: the page shows the case's portal fields only
            "case": case_sudo.with_env(env),
            "lines": lines,
            "tasks": tasks.sudo(),
            "parties": case_sudo._woonkans_shared_parties().with_env(env),
            "documents": self._woonkans_case_documents(case_sudo),
            "status_labels": dict(lines._fields["status"]._description_selection(env)),
            "condition_error": self._woonkans_condition_error_message(kwargs.get("error")),
            "condition_updated": kwargs.get("updated"),
            "consent_updated": kwargs.get("consent"),
            "own_parties": case_sudo.party_ids.filtered(lambda p: p.is_current and p.partner_id == org),
        }
        values = self._get_page_view_values(case_sudo, None, values, "my_woonkans_history", False)
        values["case"] = case_sudo.with_env(env)
        return values

    @http.route(["/my/woonkans/<int:case_id>"], type="http", auth="user", website=True)
    def portal_my_woonkans_case(self, case_id, **kw):
        # no access_token: only the rules give access, so a contact who lost
        # it cannot come back through a link they kept
        try:
            case_sudo = self._document_check_access("woonkans.case", case_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("woonkans_case.portal_my_woonkans_case", self._woonkans_case_values(case_sudo, **kw))

    @http.route(
        ["/my/woonkans/<int:case_id>/document/<int:attachment_id>"],
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def portal_woonkans_document(self, case_id, attachment_id, **kw):
        """Download a document of the case or evidence of a line the user may read.

        Partners get no access token on attachments: a token outlives their
        access, while this route asks the record rules on every download.
        """
        try:
            case_sudo = self._document_check_access("woonkans.case", case_id)
        except (AccessError, MissingError):
            return request.not_found()
        lines = request.env["woonkans.condition.line"].search([("case_id", "=", case_sudo.id)])
        allowed = self._woonkans_case_documents(case_sudo) | lines.sudo().evidence_ids
        attachment = allowed.filtered(lambda att: att.id == attachment_id)
        if not attachment:
            return request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(attachment)
        return stream.get_response(as_attachment=True)

    # ------------------------------------------------------------------
    # condition lines
    # ------------------------------------------------------------------

    def _woonkans_condition_error_message(self, code):
        messages = {
            "status": request.env._("Choose whether the condition is met or not met."),
            "upload_size": request.env._(
                "The file is too large: the limit is %(mb)s MB.", mb=self._woonkans_max_upload_mb()
            ),
            "upload_type": request.env._(
                "This kind of file is not allowed: upload a PDF, an image or an office document."
            ),
            "note": request.env._("The note is too long."),
            "invalid": request.env._("The change could not be saved."),
            "session": request.env._("Your session expired. Please try again."),
        }
        return messages.get(code) if code in CONDITION_ERRORS else None

    @http.route(
        ["/my/woonkans/<int:case_id>/condition/<int:line_id>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=False,  # checked below, to answer with a message instead of an error page
    )
    def portal_woonkans_condition_update(self, case_id, line_id, **post):
        env = request.env
        line = env["woonkans.condition.line"].browse(line_id)
        try:
            if not line.sudo().exists() or line.sudo().case_id.id != case_id:
                raise MissingError(env._("This condition does not exist."))
            line.check_access("write")
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/woonkans/{case_id}"
        if not request.validate_csrf(post.get("csrf_token")):
            return request.redirect(f"{url}?error=session#conditions")
        status = post.get("status")
        if status not in ("met", "not_met"):
            return request.redirect(f"{url}?error=status#condition-{line_id}")
        note = (post.get("note") or "").strip()
        if len(note) > MAX_NOTE:
            return request.redirect(f"{url}?error=note#condition-{line_id}")
        files = [f for f in request.httprequest.files.getlist("evidence") if f and f.filename]
        uploads, error = self._woonkans_read_uploads(files[:1])
        if error:
            return request.redirect(f"{url}?error={error}#condition-{line_id}")
        changes = []
        try:
            with env.cr.savepoint():
                vals = {}
                if status != line.status:
                    vals["status"] = status  # write() logs the status change on the case
                if note != (line.note or ""):
                    vals["note"] = note
                    changes.append(env._("note: %(note)s", note=note or "-"))
                if vals:
                    line.write(vals)  # as the portal user: the rules and the portal whitelist decide
                if uploads:
                    # portal users cannot read ir.attachment, so the link is made
                    # with sudo, on a line check_access('write') allowed above
                    attachment = self._woonkans_create_attachments(uploads, "woonkans.condition.line", line.id)
                    line.sudo().write({"evidence_ids": [Command.link(att.id) for att in attachment]})
                    changes.append(env._("evidence: %(names)s", names=", ".join(attachment.mapped("name"))))
                if changes:
                    line.sudo().case_id.message_post(
                        body=env._(
                            "Condition %(name)s updated by %(user)s (%(org)s): %(changes)s",
                            name=line.sudo().name,
                            user=env.user.name,
                            org=env.user.commercial_partner_id.name,
                            changes="; ".join(changes),
                        ),
                        subtype_xmlid="mail.mt_note",
                        author_id=env.user.partner_id.id,
                    )
        except AccessError:
            return request.redirect("/my")
        except (UserError, ValidationError):
            return request.redirect(f"{url}?error=invalid#condition-{line_id}")
        return request.redirect(f"{url}?updated={line_id}#condition-{line_id}")

    @http.route(
        ["/my/woonkans/<int:case_id>/consent_to_close"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=False,  # checked below, to answer with a message instead of an error page
    )
    def portal_woonkans_consent_to_close(self, case_id, **post):
        """A partner organisation agrees to (or withdraws from) closing the case."""
        env = request.env
        try:
            case_sudo = self._document_check_access("woonkans.case", case_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/woonkans/{case_id}"
        if not request.validate_csrf(post.get("csrf_token")):
            return request.redirect(f"{url}?error=session#parties")
        try:
            with env.cr.savepoint():
                case_sudo.with_user(env.user)._record_party_consent(
                    env.user.commercial_partner_id, post.get("agree") == "1"
                )
        except AccessError:
            return request.redirect("/my")
        except UserError:
            return request.redirect(f"{url}?error=invalid#parties")
        return request.redirect(f"{url}?consent=1#parties")

    # ------------------------------------------------------------------
    # uploads
    # ------------------------------------------------------------------

    def _woonkans_max_upload_mb(self):
        value = request.env["ir.config_parameter"].sudo().get_param("woonkans_case.max_upload_mb", "10")
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return 10

    def _woonkans_read_uploads(self, files):
        """Read uploaded files; return ([(name, data, mimetype)], error code)."""
        limit = self._woonkans_max_upload_mb() * 1024 * 1024
        uploads = []
        if len(files) > MAX_FILES:
            return [], "upload_count"
        for upload in files:
            data = upload.read(limit + 1)
            if len(data) > limit:
                return [], "upload_size"
            if not data:
                continue
            mimetype = guess_mimetype(data, default="application/octet-stream")
            if mimetype not in ALLOWED_MIMETYPES:
                return [], "upload_type"
            name = re.sub(r"[\x00-\x1f/\\]", "_", upload.filename or "")[:MAX_NAME] or "upload"
            uploads.append((name, data, mimetype))
        return uploads, None

    def _woonkans_create_attachments(self, uploads, res_model, res_id):
        # portal users have no right on ir.attachment: create with sudo, linked
        # to a record the caller has proven access to; no access token, so
        # downloads go through the record's rules
        return (
            request.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": res_model,
                        "res_id": res_id,
                    }
                    for name, data, mimetype in uploads
                ]
            )
        )

    # ------------------------------------------------------------------
    # referral form
    # ------------------------------------------------------------------

    def _woonkans_referrer_org(self):
        """The organisation the logged-in contact refers for, or None."""
        user = request.env.user
        org = user.commercial_partner_id
        if user._is_public() or not org.is_company or org == user.partner_id:
            return None
        return org

    def _woonkans_consent_text(self):
        text = request.env["ir.config_parameter"].sudo().get_param("woonkans_case.consent_text")
        return text or request.env._(
            "The client agrees that the bureau and the organisations involved in the "
            "trajectory share the information needed to help them keep or find a home. "
            "The client knows that they can withdraw this consent at any time."
        )

    def _woonkans_referral_options(self):
        env = request.env
        Case = env["woonkans.case"]
        target_groups = Case._fields["target_group"]._description_selection(env)
        reasons = dict(Case._fields["referral_reason"]._description_selection(env))
        return {
            "target_groups": target_groups,
            "reasons": [(code, reasons[code]) for code in PORTAL_REASONS],
        }

    def _woonkans_prefill_from_run(self, token):
        """Answers of a Woonkansboom run of this user's organisation, if that module is installed."""
        env = request.env
        if not token or not isinstance(token, str) or len(token) > 64 or "woonkans.decision.run" not in env.registry:
            return {}
        Run = env["woonkans.decision.run"]
        if hasattr(Run, "_from_portal_token"):
            run = Run._from_portal_token(token, env.user)
        elif "access_token" in Run._fields:
            run = Run.sudo().search([("access_token", "=", token), ("create_uid", "=", env.uid)], limit=1)
        else:
            return {}
        if not run or not hasattr(run, "_referral_prefill"):
            return {}
        try:
            prefill = run._referral_prefill() or {}
        except (UserError, ValidationError, AccessError):
            return {}
        if not isinstance(prefill, dict):
            return {}
        if prefill.get("reason") and not prefill.get("description"):
            prefill["description"] = prefill["reason"]
        return {
            key: str(value)
            for key, value in prefill.items()
            if key in REFERRAL_FIELDS and key not in ("submission_key", "consent") and value not in (None, False)
        }

    def _woonkans_referral_render(self, form, errors=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(self._woonkans_referral_options())
        values.update(
            {
                "page_name": "woonkans_new",
                "form": form,
                "errors": errors or {},
                "consent_text": self._woonkans_consent_text(),
                "bsn_enabled": request.env["res.partner"]._woonkans_bsn_enabled(),
                "org": self._woonkans_referrer_org(),
                "max_upload_mb": self._woonkans_max_upload_mb(),
                "today": fields.Date.context_today(request.env.user),
            }
        )
        response = request.render("woonkans_case.portal_woonkans_referral", values)
        response.status_code = status
        return response

    @http.route(["/my/woonkans/new"], type="http", auth="user", methods=["GET"], website=True)
    def portal_woonkans_referral_form(self, run=None, **kw):
        if self._woonkans_referrer_org() is None:
            return request.redirect("/my")
        form = {"household_adults": "1"}
        form.update(self._woonkans_prefill_from_run(run))
        form["submission_key"] = uuid.uuid4().hex
        if run:
            form["run"] = str(run)[:128]
        return self._woonkans_referral_render(form)

    def _woonkans_parse_date(self, value, field, errors, required=False, earliest=None, latest=None):
        if not value:
            if required:
                errors[field] = request.env._("This field is required.")
            return False
        try:
            date = datetime.date.fromisoformat(value)
        except ValueError:
            errors[field] = request.env._("Enter a date as YYYY-MM-DD.")
            return False
        if latest and date > latest:
            errors[field] = request.env._(
                "This date is too far in the future (latest %(date)s).", date=latest.isoformat()
            )
            return False
        if earliest and date < earliest:
            errors[field] = request.env._(
                "This date is too far in the past (earliest %(date)s).", date=earliest.isoformat()
            )
            return False
        return date

    def _woonkans_referral_validate(self, form):  # noqa: C901 - one flat check per field
        """Validate the whitelisted form values; return (clean values, errors)."""
        env = request.env
        errors = {}
        clean = {}
        today = fields.Date.context_today(env.user)

        name = form.get("client_name", "").strip()
        if not name:
            errors["client_name"] = request.env._("Enter the client's name.")
        elif len(name) > MAX_NAME:
            errors["client_name"] = request.env._("The name is too long.")
        clean["client_name"] = name

        birthdate = self._woonkans_parse_date(
            form.get("client_birthdate"), "client_birthdate", errors, required=True, earliest=datetime.date(1900, 1, 1)
        )
        if birthdate and birthdate > today:
            errors["client_birthdate"] = request.env._("A date of birth cannot be in the future.")
        clean["client_birthdate"] = birthdate

        for field, label_error in (
            ("client_street", request.env._("Enter the street and house number.")),
            ("client_city", request.env._("Enter the town or city.")),
        ):
            value = form.get(field, "").strip()
            if not value:
                errors[field] = label_error
            elif len(value) > MAX_NAME:
                errors[field] = request.env._("This value is too long.")
            clean[field] = value

        postcode = form.get("client_zip", "").strip()
        if not postcode:
            errors["client_zip"] = request.env._("Enter the postcode.")
        else:
            try:
                clean["client_zip"] = env["res.partner"]._woonkans_validate_postcode(postcode[:MAX_NAME])
            except ValidationError as e:
                errors["client_zip"] = e.args[0]

        phone = form.get("client_phone", "").strip()
        email = form.get("client_email", "").strip()
        if phone and not PHONE_RE.match(phone):
            errors["client_phone"] = request.env._("Enter a valid phone number.")
        if email and not email_normalize(email, strict=True) or len(email) > MAX_NAME:
            errors["client_email"] = request.env._("Enter a valid e-mail address.")
        if not phone and not email:
            errors["client_phone"] = request.env._("Enter a phone number or an e-mail address.")
        clean["client_phone"] = phone
        clean["client_email"] = email_normalize(email) if email and "client_email" not in errors else email

        bsn = form.get("client_bsn", "").strip()
        clean["client_bsn"] = False
        if bsn and env["res.partner"]._woonkans_bsn_enabled():
            try:
                clean["client_bsn"] = env["res.partner"]._woonkans_validate_bsn(bsn[:32])
            except ValidationError as e:
                errors["client_bsn"] = e.args[0]

        adults = form.get("household_adults", "").strip() or "1"
        if not adults.isdigit() or not 1 <= int(adults) <= 20:
            errors["household_adults"] = request.env._("Enter the number of adults (1 to 20).")
        else:
            clean["household_adults"] = int(adults)

        years = []
        for item in re.split(r"[\s,;]+", form.get("household_children", "").strip()):
            if not item:
                continue
            if not item.isdigit() or not 1901 <= int(item) <= today.year:
                errors["household_children"] = request.env._(
                    "Enter the birth years of the children, separated by commas (e.g. 2012, 2016)."
                )
                break
            years.append(int(item))
        if len(years) > 20:
            errors["household_children"] = request.env._("Enter at most 20 children.")
        clean["children_years"] = years

        target_group = form.get("target_group")
        if target_group not in dict(self._woonkans_referral_options()["target_groups"]):
            errors["target_group"] = request.env._("Choose a target group.")
        clean["target_group"] = target_group

        reason = form.get("referral_reason")
        if reason not in PORTAL_REASONS:
            errors["referral_reason"] = request.env._("Choose the reason for the referral.")
        clean["referral_reason"] = reason

        clean["eviction_date"] = self._woonkans_parse_date(
            form.get("eviction_date"),
            "eviction_date",
            errors,
            earliest=today - relativedelta(years=10),
            latest=today + relativedelta(years=2),
        )
        clean["court_date"] = self._woonkans_parse_date(
            form.get("court_date"),
            "court_date",
            errors,
            earliest=today - relativedelta(years=2),
            latest=today + relativedelta(years=2),
        )
        if (
            reason == "eviction"
            and not (clean["eviction_date"] or clean["court_date"])
            and not ("eviction_date" in errors or "court_date" in errors)
        ):
            errors["eviction_date"] = request.env._("For an eviction, enter the eviction date or the court date.")

        description = form.get("description", "").strip()
        if len(description) > MAX_TEXT:
            errors["description"] = request.env._(
                "The description is too long (at most %(max)s characters).", max=MAX_TEXT
            )
        clean["description"] = description

        if form.get("consent") not in ("on", "1", "True", "true"):
            errors["consent"] = request.env._("The client must agree to the sharing of information.")
        return clean, errors

    def _woonkans_urgency(self, clean):
        today = fields.Date.context_today(request.env.user)
        dates = [d for d in (clean.get("eviction_date"), clean.get("court_date")) if d and d >= today]
        if not dates:
            return "0"
        days = (min(dates) - today).days
        return "2" if days <= 14 else "1" if days <= 60 else "0"

    def _woonkans_referral_team(self):
        team_id = request.env["ir.config_parameter"].sudo().get_param("woonkans_case.referral_team_id")
        if team_id and str(team_id).isdigit():
            team = request.env["woonkans.team"].sudo().browse(int(team_id)).exists()
            if team and team.active:
                return team
        return request.env["woonkans.team"].sudo()

    def _woonkans_referral_recipients(self, team):
        if team and team.notify_referrals and (team.leader_id | team.member_ids):
            users = team.leader_id | team.member_ids
        else:
            group = request.env.ref("woonkans_case.group_woonkans_coordinator").sudo()
            users = group.all_user_ids
        return users.filtered(lambda u: u.active and not u.share)

    def _woonkans_referral_create(self, clean, uploads, key, run_token=None):
        """Create client, case, documents and notifications; all or nothing."""
        env = request.env
        user = env.user
        org = self._woonkans_referrer_org()
        today = fields.Date.context_today(user)
        stage = env.ref("woonkans_case.case_stage_referral").sudo()
        team = self._woonkans_referral_team()
        su_env = env(su=True, context=dict(env.context, mail_create_nosubscribe=True, tracking_disable=True))
        with env.cr.savepoint():
            client = su_env["res.partner"].create(
                {
                    "name": clean["client_name"],
                    "type": "contact",
                    "is_company": False,
                    "woonkans_is_client": True,
                    "woonkans_birthdate": clean["client_birthdate"],
                    "street": clean["client_street"],
                    "zip": clean["client_zip"],
                    "city": clean["client_city"],
                    "country_id": env.ref("base.nl").id,
                    "phone": clean["client_phone"] or False,
                    "email": clean["client_email"] or False,
                    "woonkans_bsn": clean["client_bsn"] or False,
                    "woonkans_adults": clean["household_adults"],
                    "woonkans_child_ids": [Command.create({"birth_year": year}) for year in clean["children_years"]],
                }
            )
            case = su_env["woonkans.case"].create(
                {
                    "client_id": client.id,
                    "target_group": clean["target_group"],
                    "referral_reason": clean["referral_reason"],
                    "source": "portal",
                    "stage_id": stage.id,
                    "referrer_id": org.id,
                    "referrer_contact_id": user.partner_id.id,
                    "team_id": team.id,
                    "user_id": False,
                    "priority": self._woonkans_urgency(clean),
                    "eviction_date": clean["eviction_date"],
                    "court_date": clean["court_date"],
                    "description": plaintext2html(clean["description"]) if clean["description"] else False,
                    "consent_sharing": True,
                    "consent_date": today,
                    "portal_submission_key": key,
                }
            )
            attachments = self._woonkans_create_attachments(uploads, "woonkans.case", case.id)
            recipients = self._woonkans_referral_recipients(team)
            body = env._(
                "New referral by %(contact)s (%(org)s) through the partner portal.",
                contact=user.partner_id.name,
                org=org.name,
            )
            if run_token:
                body = Markup("%s<br/>%s") % (body, env._("Prefilled from a Woonkansboom result."))
            case.with_context(tracking_disable=False).message_post(
                body=body,
                subtype_xmlid="woonkans_case.mt_case_new_referral",
                partner_ids=recipients.partner_id.ids,
                attachment_ids=[],
                author_id=user.partner_id.id,
            )
            if recipients:
                responsible = team.leader_id if team.leader_id in recipients else recipients[:1]
                case.activity_schedule(
                    "woonkans_case.mail_activity_type_new_referral",
                    user_id=responsible.id,
                    summary=env._("New referral from %(org)s", org=org.name),
                )
            template = env.ref(
                "woonkans_case.mail_template_woonkans_case_referral_confirmation", raise_if_not_found=False
            )
            if template and user.partner_id.email:
                template.sudo().send_mail(case.id, email_layout_xmlid="mail.mail_notification_light")
        return case, attachments

    def _woonkans_referral_case_for_key(self, key):
        if not key:
            return request.env["woonkans.case"]
        return (
            request.env["woonkans.case"]
            .sudo()
            .with_context(active_test=False)
            .search([("portal_submission_key", "=", key), ("create_uid", "=", request.env.uid)], limit=1)
        )

    @http.route(
        ["/my/woonkans/new"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=False,  # checked below, so a replayed form gets a message instead of an error page
    )
    def portal_woonkans_referral_submit(self, **post):
        env = request.env
        if self._woonkans_referrer_org() is None:
            return request.redirect("/my")
        form = {
            key: (post.get(key) or "")[: MAX_TEXT + 1] for key in REFERRAL_FIELDS if isinstance(post.get(key, ""), str)
        }
        key = form.get("submission_key", "")
        if not re.fullmatch(r"[0-9a-f]{32}", key or ""):
            key = form["submission_key"] = uuid.uuid4().hex
        if not request.validate_csrf(post.get("csrf_token")):
            return self._woonkans_referral_render(
                form,
                {
                    "general": env._(
                        "Your session expired or the form was sent from elsewhere. Check the data and send it again."
                    )
                },
                status=400,
            )
        previous = self._woonkans_referral_case_for_key(key)
        if previous:
            return request.redirect(f"/my/woonkans/new/confirmation/{previous.id}")

        clean, errors = self._woonkans_referral_validate(form)
        files = [f for f in request.httprequest.files.getlist("attachments") if f and f.filename]
        uploads, upload_error = self._woonkans_read_uploads(files)
        if upload_error:
            errors["attachments"] = {
                "upload_size": env._(
                    "A file is too large: the limit is %(mb)s MB per file.", mb=self._woonkans_max_upload_mb()
                ),
                "upload_type": env._("This kind of file is not allowed: upload a PDF, an image or an office document."),
                "upload_count": env._("Upload at most %(max)s files.", max=MAX_FILES),
            }[upload_error]
        if errors:
            errors["general"] = env._("The referral was not sent. Correct the fields marked below.")
            return self._woonkans_referral_render(form, errors, status=400)
        try:
            case, __ = self._woonkans_referral_create(clean, uploads, key, run_token=form.get("run"))
        except psycopg2.IntegrityError:
            # the same form sent twice at once: the first one won
            previous = self._woonkans_referral_case_for_key(key)
            if previous:
                return request.redirect(f"/my/woonkans/new/confirmation/{previous.id}")
            return self._woonkans_referral_render(form, {"general": env._("The referral could not be saved.")}, 400)
        except (ValidationError, UserError) as e:
            return self._woonkans_referral_render(
                form, {"general": env._("The referral was not sent: %(error)s", error=e.args[0])}, status=400
            )
        return request.redirect(f"/my/woonkans/new/confirmation/{case.id}")

    @http.route(["/my/woonkans/new/confirmation/<int:case_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_woonkans_referral_confirmation(self, case_id, **kw):
        case = request.env["woonkans.case"].browse(case_id)
        case_sudo = case.sudo().exists()
        if not case_sudo or case_sudo.create_uid != request.env.user or case_sudo.source != "portal":
            return request.redirect("/my")
        try:
            case.check_access("read")
            can_follow = True
        except AccessError:
            can_follow = False
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "woonkans_confirmation", "case": case_sudo, "can_follow": can_follow})
        return request.render("woonkans_case.portal_woonkans_referral_confirmation", values)
