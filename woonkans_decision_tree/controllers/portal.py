from werkzeug.exceptions import NotFound

from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal

from .woonkansboom import WoonkansboomWalk


class WoonkansboomPortal(WoonkansboomWalk, CustomerPortal):
    """The Woonkansboom for partner professionals at /my/woonkansboom.

    A portal run belongs to the organisation (commercial partner) of the
    professional; only that user continues it, and the organisation's users see
    its advice in the list. The result links to the referral form
    ``/my/woonkans/new?run=<token>``.
    """

    _wk_channel = "portal"
    _wk_base = "/my/woonkansboom"

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "woonkansboom_count" in counters:
            runs = request.env["woonkans.decision.run"]
            values["woonkansboom_count"] = runs.search_count([("state", "=", "done")]) if runs.has_access("read") else 0
        return values

    def _wk_organisation(self):
        return request.env["woonkans.decision.run"]._organisation_of(request.env.user)

    def _wk_layout_values(self):
        return self._prepare_portal_layout_values()

    def _wk_owns(self, run):
        return run.create_uid == request.env.user

    def _wk_home_extra(self):
        runs = request.env["woonkans.decision.run"]
        mine = (
            runs.search([("state", "=", "done"), ("channel", "=", "portal")], limit=20)
            if runs.has_access("read")
            else runs
        )
        return {"runs": mine}

    @route("/my/woonkansboom", type="http", auth="user", methods=["GET"], website=True)
    def portal_woonkansboom_home(self, **kw):
        if not request.env.user._is_portal() and not request.env.user._is_internal():
            raise NotFound()
        return self._wk_home(**kw)

    @route("/my/woonkansboom/start", type="http", auth="user", methods=["POST"], website=True)
    def portal_woonkansboom_start(self, tree_id=None, **kw):
        return self._wk_start(tree_id)

    @route("/my/woonkansboom/run/<string:token>", type="http", auth="user", methods=["GET"], website=True)
    def portal_woonkansboom_screen(self, token, q=None, **kw):
        return self._wk_screen(token, q)

    @route("/my/woonkansboom/run/<string:token>/answer", type="http", auth="user", methods=["POST"], website=True)
    def portal_woonkansboom_answer(self, token, node=None, **kw):
        return self._wk_answer(token, node)

    @route("/my/woonkansboom/run/<string:token>/finish", type="http", auth="user", methods=["POST"], website=True)
    def portal_woonkansboom_finish(self, token, **kw):
        return self._wk_finish(token)

    @route("/my/woonkansboom/run/<string:token>/advice.pdf", type="http", auth="user", methods=["GET"], website=True)
    def portal_woonkansboom_pdf(self, token, **kw):
        return self._wk_pdf(token)
