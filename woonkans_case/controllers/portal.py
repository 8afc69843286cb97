"""Partner portal of the woonkans bureau.

Partner organisations (housing corporations, social teams, aid organisations)
follow the cases they are a party to and refer new clients (the referral
routes are in ``portal_referral.py``). Isolation between
organisations is decided by the record rules of ``woonkans_case``, and what a
partner reads of a record by each model's portal allow-list
(``_woonkans_portal_readable_fields``): cases, parties and condition lines are
searched and rendered as the portal user, so the pages show no more than RPC
gives. Every write goes through the ORM as the portal user, except the
referral itself, which creates records with sudo from a whitelist of
validated values only.
"""

import logging
from collections import OrderedDict
from operator import itemgetter

from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import groupby as groupbyelem

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

_logger = logging.getLogger(__name__)

MAX_NAME = 128
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
        values.update(self._woonkans_referral_list_values(filterby, kw))
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

    def _woonkans_referral_list_values(self, filterby, kw):
        """The organisation's referrals for the list page: searched and shown as the user.

        The referral's portal allow-list decides what is shown; the case link
        only where the user may read the case.
        """
        env = request.env
        Referral = env["woonkans.referral"]
        if not Referral.has_access("read") or filterby == "closed":
            return {"referrals": Referral, "readable_case_ids": set()}
        domain = Domain.TRUE
        if filterby == "mine":
            domain = Domain("referrer_contact_id", "=", env.user.partner_id.id)
        elif filterby in ("open", "referral"):
            domain = Domain("state", "in", ("submitted", "in_review"))
        referrals = Referral.search(domain, order="date_submitted desc, id desc", limit=100)
        readable = set(env["woonkans.case"].search([("id", "in", referrals.sudo().case_id.ids)]).ids)
        messages = {
            "session": env._("Your session expired. Please try again."),
            "invalid": env._("The reason could not be read; type it again."),
            "state": env._("This referral can no longer be withdrawn."),
        }
        error = kw.get("referral_error")
        return {
            "referrals": referrals,
            "readable_case_ids": readable,
            "referral_state_labels": dict(Referral._fields["state"]._description_selection(env)),
            "referral_error": messages.get(error) if isinstance(error, str) else None,
            "referral_withdrawn": kw.get("withdrawn"),
        }

    # ------------------------------------------------------------------
    # detail
    # ------------------------------------------------------------------

    def _woonkans_case_documents(self, case_sudo):
        """Attachments of the case the user's organisation may see (the model decides)."""
        return case_sudo._woonkans_portal_documents(request.env.user.commercial_partner_id)

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
            "consents": case_sudo._woonkans_consents_of(org),
            "consent_categories": case_sudo._woonkans_consent_categories(org),
        }
        values = self._get_page_view_values(case_sudo, None, values, "my_woonkans_history", False)
        values["case"] = case_sudo.with_env(env)
        return values

    def _document_check_access(self, model_name, document_id, access_token=None):
        """Case data opens on the record rules only: a token, even one left in the database, is ignored."""
        if access_token and request.env[model_name].sudo().browse(document_id).exists()._woonkans_case_data():
            access_token = None
        return super()._document_check_access(model_name, document_id, access_token=access_token)

    def _get_page_view_values(self, document, access_token, values, session_history, no_breadcrumbs, **kwargs):
        """No access token, hash or pid on a page of case data, nor in the previous/next links.

        Odoo's pager (``get_records_pager``) gives the previous and next record an
        access token and puts it in their links; this pager links case data by its
        portal URL only (the record rules decide), and other documents as Odoo does.
        """
        if document._woonkans_case_data():
            access_token = None
            kwargs.pop("pid", None)
            kwargs.pop("hash", None)
        history = request.session.get(session_history, []) if session_history else []
        values = super()._get_page_view_values(document, access_token, values, None, no_breadcrumbs, **kwargs)
        values.update(self._woonkans_records_pager(history, document))
        return values

    def _woonkans_records_pager(self, ids, current):
        if current.id not in ids or not (hasattr(current, "access_url") or hasattr(current, "website_url")):
            return {}

        def url(record):
            if not record or not hasattr(record, "access_url"):
                return record and record.website_url
            if not record.access_url or record._woonkans_case_data():
                return record.access_url
            return f"{record.access_url}?access_token={record._portal_ensure_token()}"

        index = ids.index(current.id)
        previous = index and current.browse(ids[index - 1])
        following = index < len(ids) - 1 and current.browse(ids[index + 1])
        return {"prev_record": url(previous), "next_record": url(following)}

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
            "status": request.env._("Choose whether the condition is met, not met or in progress."),
            "upload_size": request.env._(
                "The file is too large: the limit is %(mb)s MB.", mb=self._woonkans_max_upload_mb()
            ),
            "upload_type": request.env._(
                "This kind of file is not allowed: upload a PDF, an image or an office document."
            ),
            "note": request.env._("The note is too long or contains characters that are not allowed."),
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
        clean, errors = env["woonkans.condition.line"]._woonkans_form_parse("condition", request.httprequest.form)
        if errors:
            code = "status" if "status" in errors else "note"
            return request.redirect(f"{url}?error={code}#condition-{line_id}")
        status, note = clean["status"], clean["note"] or ""
        files = [f for f in request.httprequest.files.getlist("evidence") if f and f.filename]
        uploads, error = self._woonkans_read_uploads(files[:1])
        if error:
            return request.redirect(f"{url}?error={error}#condition-{line_id}")
        try:
            with env.cr.savepoint():
                attachments = env["ir.attachment"]
                if uploads:
                    attachments = self._woonkans_create_attachments(uploads, "woonkans.condition.line", line.id)
                line._woonkans_portal_update(status, note, attachments)
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
        clean, errors = env["woonkans.case"]._woonkans_form_parse("consent_to_close", request.httprequest.form)
        if errors:
            return request.redirect(f"{url}?error=invalid#parties")
        try:
            with env.cr.savepoint():
                case_sudo.with_user(env.user)._record_party_consent(
                    env.user.commercial_partner_id, clean["agree"] == "1"
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
        return request.env["woonkans.upload"]._max_upload_mb()

    def _woonkans_read_uploads(self, files):
        return request.env["woonkans.upload"]._read(files)

    def _woonkans_create_attachments(self, uploads, res_model, res_id):
        return request.env["woonkans.upload"]._attach(uploads, res_model, res_id)

    # ------------------------------------------------------------------
    # the referring organisation
    # ------------------------------------------------------------------

    def _woonkans_referrer_org(self):
        """The organisation the logged-in contact refers for, or None."""
        user = request.env.user
        org = user.commercial_partner_id
        if user._is_public() or not org.is_company or org == user.partner_id:
            return None
        return org
