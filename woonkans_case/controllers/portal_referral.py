"""Referrals on the partner portal: the form, its confirmation and withdrawing.

A partner professional refers a client for their organisation at
``/my/woonkans/new``; the bureau answers the referral in the back office. The
referral is created with sudo from a whitelist of values checked by the model
(``woonkans.referral._woonkans_validate_referral``); the form only renders and
parses. Add-ons extend the form through the hooks ``_woonkans_referral_prefill``,
``_woonkans_referral_hidden`` and ``_woonkans_after_referral`` by subclassing
:class:`WoonkansReferralPortal` (the Woonkansboom does, to refer from a run).
The organisation's referrals are listed on ``/my/woonkans`` (``portal.py``).
"""

import re
import uuid

import psycopg2

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..models import woonkans_upload as upload
from .portal import WoonkansPortal

SUBMISSION_KEY_RE = re.compile(r"[0-9a-f]{32}")


class WoonkansReferralPortal(WoonkansPortal):
    # ------------------------------------------------------------------
    # referral form
    # ------------------------------------------------------------------

    def _woonkans_referral_options(self):
        env = request.env
        Referral = env["woonkans.referral"]
        # the field's own selections, as the back office shows them
        return {
            "target_groups": Referral._fields["target_group"]._description_selection(env),
            "reasons": Referral._fields["referral_reason"]._description_selection(env),
        }

    def _woonkans_referral_prefill(self, kw):
        """Hook: values to prefill the form with (e.g. from an add-on's result). Strings only."""
        return {}

    def _woonkans_after_referral(self, referral, post):
        """Hook: called with sudo on the new referral, inside the same savepoint."""
        return True

    def _woonkans_referral_render(self, form, errors=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(self._woonkans_referral_options())
        values.update(
            {
                "page_name": "woonkans_new",
                "form": form,
                "errors": errors or {},
                "consent_text": request.env["woonkans.referral"]._woonkans_consent_text(),
                "bsn_enabled": request.env["res.partner"]._woonkans_bsn_enabled(),
                "org": self._woonkans_referrer_org(),
                "max_upload_mb": self._woonkans_max_upload_mb(),
                "today": fields.Date.context_today(request.env.user),
                # the fields the server requires: marked with * and the required attribute
                "required_fields": {
                    name
                    for name, spec in request.env["woonkans.referral"]._woonkans_forms()["referral"].items()
                    if spec.required
                },
            }
        )
        response = request.render("woonkans_case.portal_woonkans_referral", values)
        response.status_code = status
        return response

    @http.route(["/my/woonkans/new"], type="http", auth="user", methods=["GET"], website=True)
    def portal_woonkans_referral_form(self, **kw):
        if self._woonkans_referrer_org() is None:
            return request.redirect("/my")
        form = {"household_adults": "1"}
        prefill = dict(self._woonkans_referral_prefill(kw) or {})
        hidden = prefill.pop("hidden", None) or {}
        allowed = request.env["woonkans.referral"]._woonkans_forms()["referral"]
        form.update({k: str(v) for k, v in prefill.items() if k in allowed and k != "consent" and v})
        form["hidden"] = {str(k): str(v)[:128] for k, v in hidden.items()}
        form["submission_key"] = uuid.uuid4().hex
        return self._woonkans_referral_render(form)

    def _woonkans_referral_for_key(self, key):
        if not key:
            return request.env["woonkans.referral"]
        return (
            request.env["woonkans.referral"]
            .sudo()
            .search([("submission_key", "=", key), ("create_uid", "=", request.env.uid)], limit=1)
        )

    def _woonkans_confirmation_url(self, key):
        return f"/my/woonkans/new/confirmation/{key}"

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
        org = self._woonkans_referrer_org()
        if org is None:
            return request.redirect("/my")
        Referral = env["woonkans.referral"]
        data = request.httprequest.form
        form = Referral._woonkans_form_echo("referral", data)
        form["hidden"] = self._woonkans_referral_hidden(data)
        key = data.get("submission_key", "")
        if not isinstance(key, str) or not SUBMISSION_KEY_RE.fullmatch(key):
            key = uuid.uuid4().hex
        form["submission_key"] = key
        if not request.validate_csrf(data.get("csrf_token")):
            return self._woonkans_referral_render(
                form,
                {
                    "general": env._(
                        "Your session expired or the form was sent from elsewhere. Check the data and send it again."
                    )
                },
                status=400,
            )
        if self._woonkans_referral_for_key(key):
            return request.redirect(self._woonkans_confirmation_url(key))

        clean, errors = Referral._woonkans_validate_referral(data)
        files = [f for f in request.httprequest.files.getlist("attachments") if f and f.filename]
        uploads, upload_error = self._woonkans_read_uploads(files)
        if upload_error:
            errors["attachments"] = {
                "upload_size": env._(
                    "A file is too large: the limit is %(mb)s MB per file.", mb=self._woonkans_max_upload_mb()
                ),
                "upload_type": env._("This kind of file is not allowed: upload a PDF, an image or an office document."),
                "upload_count": env._("Upload at most %(max)s files.", max=upload.MAX_FILES),
            }[upload_error]
        if errors:
            errors["general"] = env._("The referral was not sent. Correct the fields marked below.")
            return self._woonkans_referral_render(form, errors, status=400)
        try:
            with env.cr.savepoint():
                referral = Referral.sudo()._woonkans_submit(
                    clean, org, env.user.partner_id, key=key, uploads=uploads, source="portal"
                )
                self._woonkans_after_referral(referral.sudo(), data)
        except psycopg2.IntegrityError:
            # the same form sent twice at once: the other request made the referral.
            # This transaction cannot see that row; a new request can.
            return request.redirect(self._woonkans_confirmation_url(key))
        except (ValidationError, UserError) as e:
            return self._woonkans_referral_render(
                form, {"general": env._("The referral was not sent: %(error)s", error=e.args[0])}, status=400
            )
        return request.redirect(self._woonkans_confirmation_url(key))

    def _woonkans_referral_hidden(self, data):
        """Hook: hidden fields an add-on carries through the form (name → safe text)."""
        return {}

    @http.route(["/my/woonkans/new/confirmation/<string:key>"], type="http", auth="user", website=True, readonly=True)
    def portal_woonkans_referral_confirmation(self, key, **kw):
        referral = self._woonkans_referral_for_key(key if SUBMISSION_KEY_RE.fullmatch(key or "") else None)
        if not referral:
            return request.redirect("/my/woonkans")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "woonkans_confirmation", "referral": referral})
        return request.render("woonkans_case.portal_woonkans_referral_confirmation", values)

    @http.route(
        ["/my/woonkans/referral/<int:referral_id>/withdraw"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=False,  # checked below, to answer with a message instead of an error page
    )
    def portal_woonkans_referral_withdraw(self, referral_id, **post):
        env = request.env
        referral = env["woonkans.referral"].browse(referral_id)
        try:
            referral.check_access("read")
            if not referral.exists():
                raise MissingError(env._("This referral does not exist."))
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not request.validate_csrf(request.httprequest.form.get("csrf_token")):
            return request.redirect("/my/woonkans?referral_error=session")
        clean, errors = env["woonkans.referral"]._woonkans_form_parse("withdraw", request.httprequest.form)
        if errors:
            return request.redirect("/my/woonkans?referral_error=invalid")
        try:
            with env.cr.savepoint():
                referral._woonkans_withdraw(clean["reason"])
        except AccessError:
            return request.redirect("/my")
        except UserError:
            return request.redirect("/my/woonkans?referral_error=state")
        return request.redirect(f"/my/woonkans?withdrawn={referral.id}#referral-{referral.id}")
