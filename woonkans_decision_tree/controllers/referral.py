import re

from odoo.http import request

from odoo.addons.woonkans_case.controllers.portal_referral import WoonkansReferralPortal

TOKEN_RE = re.compile(r"[0-9a-f]{32}")


class WoonkansReferralFromRun(WoonkansReferralPortal):
    """The referral form prefilled from a finished Woonkansboom run (``/my/woonkans/new?run=<token>``)."""

    def _woonkans_referral_run(self, token):
        if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
            return request.env["woonkans.decision.run"]
        run = request.env["woonkans.decision.run"]._from_portal_token(token, request.env.user)
        return run if run and run.state == "done" and not run.case_id else run.browse()

    def _woonkans_referral_prefill(self, kw):
        values = super()._woonkans_referral_prefill(kw)
        run = self._woonkans_referral_run(kw.get("run"))
        if not run:
            return values
        prefill = run._referral_prefill()
        for key in ("target_group", "referral_reason", "eviction_date", "court_date"):
            if prefill.get(key):
                values[key] = str(prefill[key])
        if prefill.get("reason"):
            values["description"] = prefill["reason"]
        values["hidden"] = dict(values.get("hidden") or {}, run=run.access_token)
        return values

    def _woonkans_referral_hidden(self, data):
        hidden = super()._woonkans_referral_hidden(data)
        token = data.get("run")
        if isinstance(token, str) and TOKEN_RE.fullmatch(token):
            hidden["run"] = token
        return hidden

    def _woonkans_after_referral(self, referral, post):
        result = super()._woonkans_after_referral(referral, post)
        run = self._woonkans_referral_run(post.get("run"))
        if run:
            referral._woonkans_link_run(run)
        return result
