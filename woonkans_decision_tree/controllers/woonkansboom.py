"""Public Woonkansboom (``/woonkansboom``) and the walk screens it shares with the portal.

Plain HTML forms, one question a screen, no JavaScript needed. The public page
works through ``sudo()`` with strict input handling: a run is found only by its
unguessable token, only the question on the current path can be answered, and
answers are parsed and validated by the decision engine. Public runs store no
organisation and no personal data.
"""

import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..models import decision_engine as engine
from .rate_limit import rate_limited

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


class WoonkansboomWalk:
    """The walk screens, parametrised by channel ('portal' or 'public')."""

    _wk_channel = "public"
    _wk_base = "/woonkansboom"

    # -- hooks -------------------------------------------------------------

    def _wk_trees(self):
        trees = request.env["woonkans.decision.tree"].sudo().search([("published_version_id", "!=", False)])
        flag = "public_enabled" if self._wk_channel == "public" else "portal_enabled"
        return trees.filtered(flag)

    def _wk_organisation(self):
        return request.env["res.partner"]

    def _wk_layout_values(self):
        return {}

    def _wk_owns(self, run):
        return True

    # -- helpers -----------------------------------------------------------

    def _wk_run(self, token):
        if not isinstance(token, str) or not TOKEN_RE.match(token):
            raise NotFound()
        run = (
            request.env["woonkans.decision.run"]
            .sudo()
            .search([("access_token", "=", token), ("channel", "=", self._wk_channel)], limit=1)
        )
        if not run or run.tree_id not in self._wk_trees() or not self._wk_owns(run):
            raise NotFound()
        return run

    def _wk_render(self, run, screen=None, error=None, raw=None, status=200):
        compiled, params, result = run._walk()
        values = dict(self._wk_layout_values())
        values.update(
            run=run,
            tree=run.tree_id,
            base=self._wk_base,
            channel=self._wk_channel,
            error=error,
            page_name="woonkansboom",
        )
        path = run._path_codes(result)
        if run.state != "in_progress":
            values.update(screen="result", data=run.result or {}, progress=100)
            return request.render("woonkans_decision_tree.woonkansboom_screen", values, status=status)
        if not screen or (screen != "review" and screen not in path and screen != result["node"]):
            screen = result["node"] or "review"
        if screen == "review" and result["node"]:
            screen = result["node"]
        if screen == "review":
            values.update(
                screen="review",
                steps=[(s, compiled["nodes"][s["node"]]) for s in result["steps"]],
                to_check=result["to_check"],
                progress=100,
                back=run._previous_screen("review", result),
            )
            return request.render("woonkans_decision_tree.woonkansboom_screen", values, status=status)
        node = compiled["nodes"][screen]
        previous = raw if raw is not None else (run.answers or {}).get(screen)
        if previous is None:
            chosen = []
        elif isinstance(previous, list):
            chosen = [str(p) for p in previous]
        else:
            chosen = [str(previous)]
        position = path.index(screen) if screen in path else len(path)
        remaining = compiled["depth"].get(screen, 1)
        unknown = next((o for o in node["options"] if o["is_unknown"]), None)
        values.update(
            screen="question",
            node=node,
            text=engine.fill(node["text"], params),
            help=engine.fill(node["help"], params),
            options=[dict(o, label=engine.fill(o["label"], params)) for o in node["options"]],
            rules=[dict(o, label=engine.fill(o["label"], params)) for o in node["options"] if not o["is_unknown"]],
            unknown=unknown and dict(unknown, label=engine.fill(unknown["label"], params)),
            chosen=chosen,
            value=chosen[0] if chosen and not (unknown and chosen[0] == unknown["code"]) else "",
            number=position + 1,
            progress=int(round(100.0 * position / (position + remaining))),
            back=run._previous_screen(screen, result),
        )
        return request.render("woonkans_decision_tree.woonkansboom_screen", values, status=status)

    def _wk_raw(self, node, clean):
        """The raw answer for the engine, from the parsed ``woonkansboom_answer`` form."""
        values = clean["answer"] or []
        unknown = next((o for o in node["options"] if o["is_unknown"]), None)
        if node["type"] == "multi":
            return values
        if unknown and clean["unknown"]:
            return unknown["code"]
        return values[0] if values else ""

    # -- pages -------------------------------------------------------------

    def _wk_home(self, **kw):
        trees = self._wk_trees()
        if not trees and self._wk_channel == "public":
            raise NotFound()
        values = dict(self._wk_layout_values())
        values.update(trees=trees, base=self._wk_base, channel=self._wk_channel, page_name="woonkansboom")
        values.update(self._wk_home_extra())
        return request.render("woonkans_decision_tree.woonkansboom_home", values)

    def _wk_home_extra(self):
        return {}

    def _wk_start(self, tree_id=None, **kw):
        clean, errors = request.env["woonkans.decision.run"]._woonkans_form_parse(
            "woonkansboom_start", request.httprequest.form
        )
        if errors:
            raise NotFound()
        tree_id = clean["tree_id"]
        tree = self._wk_trees().filtered(lambda t: t.id == tree_id)
        if not tree:
            raise NotFound()
        run = request.env["woonkans.decision.run"].sudo()._start(tree, self._wk_channel, self._wk_organisation())
        return request.redirect(f"{self._wk_base}/run/{run.access_token}")

    def _wk_screen(self, token, q=None, **kw):
        run = self._wk_run(token)
        return self._wk_render(run, screen=q if isinstance(q, str) else None)

    def _wk_answer(self, token, node=None, **kw):
        run = self._wk_run(token)
        clean, errors = run._woonkans_form_parse("woonkansboom_answer", request.httprequest.form)
        if run.state != "in_progress" or "node" in errors:
            return request.redirect(f"{self._wk_base}/run/{run.access_token}")
        compiled = run.version_id._compiled()
        node_data = compiled["nodes"].get(clean["node"])
        if not node_data or node_data["kind"] != "question":
            raise NotFound()
        if errors:
            return self._wk_render(run, screen=node_data["code"], error=next(iter(errors.values())), raw=[], status=400)
        raw = self._wk_raw(node_data, clean)
        result, error = run.sudo()._answer(node_data["code"], raw)
        if error:
            shown = raw if isinstance(raw, list) else [raw]
            return self._wk_render(run, screen=node_data["code"], error=error, raw=shown, status=400)
        nxt = run._next_screen(node_data["code"], result)
        return request.redirect(f"{self._wk_base}/run/{run.access_token}?q={nxt}")

    def _wk_finish(self, token, **kw):
        run = self._wk_run(token)
        if run.state == "in_progress":
            run.sudo()._finish()
        return request.redirect(f"{self._wk_base}/run/{run.access_token}")

    def _wk_pdf(self, token, **kw):
        run = self._wk_run(token)
        if run.state != "done":
            raise NotFound()
        return self._wk_pdf_response(
            "woonkans_decision_tree.woonkans_decision_run_report_advice", run, "woonkansboom-advice.pdf"
        )

    def _wk_tree_pdf(self, tree_id):
        """The printable map of a tree's published version; a tree holds no personal data."""
        tree = self._wk_trees().filtered(lambda t: t.id == tree_id)
        if not tree:
            raise NotFound()
        version = tree.published_version_id
        return self._wk_pdf_response(
            "woonkans_decision_tree.woonkans_decision_tree_version_report_tree",
            version,
            f"{tree.code}-v{version.number}.pdf",
        )

    def _wk_pdf_response(self, report_ref, record, filename):
        """A PDF shown in the browser; the caller has checked that ``record`` may be printed."""
        pdf, _type = request.env["ir.actions.report"].sudo()._render_qweb_pdf(report_ref, [record.id])
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(pdf)),
            ("Content-Disposition", f'inline; filename="{filename}"'),
        ]
        return request.make_response(pdf, headers=headers)


class Woonkansboom(WoonkansboomWalk, http.Controller):
    """The public page: only when a tree is enabled for it."""

    @http.route("/woonkansboom", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    @rate_limited
    def woonkansboom_home(self, **kw):
        return self._wk_home(**kw)

    @http.route("/woonkansboom/start", type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    @rate_limited
    def woonkansboom_start(self, tree_id=None, **kw):
        return self._wk_start(tree_id)

    @http.route(
        "/woonkansboom/run/<string:token>", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    @rate_limited
    def woonkansboom_screen(self, token, q=None, **kw):
        return self._wk_screen(token, q)

    @http.route(
        "/woonkansboom/run/<string:token>/answer",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    @rate_limited
    def woonkansboom_answer(self, token, node=None, **kw):
        return self._wk_answer(token, node)

    @http.route(
        "/woonkansboom/run/<string:token>/finish",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    @rate_limited
    def woonkansboom_finish(self, token, **kw):
        return self._wk_finish(token)

    @http.route(
        "/woonkansboom/run/<string:token>/advice.pdf",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    @rate_limited
    def woonkansboom_pdf(self, token, **kw):
        return self._wk_pdf(token)

    @http.route(
        "/woonkansboom/tree/<int:tree_id>/tree.pdf",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    @rate_limited
    def woonkansboom_tree_pdf(self, tree_id, **kw):
        return self._wk_tree_pdf(tree_id)
