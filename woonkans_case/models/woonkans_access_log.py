import threading
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.http import request

RETENTION_PARAM = "woonkans_case.access_log_days"
DEFAULT_RETENTION_DAYS = 1826  # five years

ROUTES = [
    ("form", "Form view"),
    ("list", "List or kanban view"),
    ("rpc", "External API (RPC)"),
    ("portal", "Portal"),
    ("report", "Report"),
    ("export", "Export"),
    ("subject_access", "Subject access export"),
    ("server", "Server (no web request)"),
]


class WoonkansAccessLog(models.Model):
    """Who opened which case's special-category data, when and through which route.

    Append-only: rows are written with sudo by the logging code, nobody may change
    or delete them; the autovacuum removes rows older than the configured period.
    The log names fields, never their values, so it holds no special-category data itself.
    """

    _name = "woonkans.access.log"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Read log of sensitive data"
    _order = "date desc, id desc"
    _log_access = False

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", string="User", readonly=True, index=True, ondelete="set null")
    route = fields.Selection(ROUTES, required=True, readonly=True, index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_model_name = fields.Char(string="Data", compute="_compute_res_model_name")
    res_id = fields.Integer(string="Record ID", readonly=True)
    res_ref = fields.Char(
        string="Reference",
        readonly=True,
        index="btree_not_null",
        help="The reference of the record that was read (e.g. a referral's), kept when the record is anonymised.",
    )
    case_id = fields.Many2one(
        "woonkans.case", string="Case", readonly=True, index="btree_not_null", ondelete="set null"
    )
    case_ref = fields.Char(string="Case reference", readonly=True, help="Kept when the case itself is destroyed.")
    client_id = fields.Many2one(
        "res.partner", string="Client", readonly=True, index="btree_not_null", ondelete="set null"
    )
    field_names = fields.Char(string="Fields", readonly=True)
    detail = fields.Char(readonly=True, help="The report or the request path.")

    @api.depends("res_model")
    def _compute_res_model_name(self):
        for entry in self:
            entry.res_model_name = self.env["ir.model"]._get(entry.res_model).name if entry.res_model else False

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The read log cannot be changed."))

    def unlink(self):
        if not (self.env.su and self.env.context.get("woonkans_access_log_vacuum")):
            raise AccessError(self.env._("The read log cannot be deleted; old entries expire automatically."))
        return super().unlink()

    @api.autovacuum
    def _gc_expired_entries(self):
        days = int(self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM, DEFAULT_RETENTION_DAYS))
        limit = fields.Datetime.now() - timedelta(days=max(days, 1))
        expired = self.sudo().search([("date", "<", limit)])
        expired.with_context(woonkans_access_log_vacuum=True).unlink()

    # ------------------------------------------------------------------
    # logging
    # ------------------------------------------------------------------

    @api.model
    def _current_route(self, default="server"):
        route = self.env.context.get("woonkans_access_route")
        if route:
            return route
        if request:
            path = request.httprequest.path or ""
        else:
            # XML-RPC and JSON-RPC dispatch without an exposed request; the HTTP thread knows the URL
            path = urlsplit(getattr(threading.current_thread(), "url", "") or "").path
        if not path:
            return default
        if path.startswith(("/xmlrpc", "/jsonrpc", "/json/")):
            return "rpc"
        if path.startswith("/web/export"):
            return "export"
        if path.startswith("/report/"):
            return "report"
        if path.startswith("/my"):
            return "portal"
        if path.startswith("/web/dataset/call_kw"):
            return "form" if path.endswith(("/web_read", "/read", "/web_save")) else "list"
        return default

    @api.model
    def _log(self, records, route=None, field_names=(), detail=None, client=None):
        """Append one row per record, in one insert; cheap enough for every read."""
        if not records:
            return self.browse()
        route = route or self._current_route()
        if detail is None and request:
            detail = (request.httprequest.path or "")[:200]
        logged = isinstance(records, self.env.registry["woonkans.access.logged.mixin"])
        cases = records._woonkans_access_cases() if logged else {}
        refs = records._woonkans_access_refs() if logged else {}
        names = ",".join(sorted(field_names))[:500] or False
        uid = self.env.uid
        vals_list = []
        for record_id in records.ids:
            case = cases.get(record_id) if cases else None
            vals_list.append(
                {
                    "user_id": uid,
                    "route": route,
                    "res_model": records._name,
                    "res_id": record_id,
                    "res_ref": refs.get(record_id) or False,
                    "case_id": case.id if case else False,
                    "case_ref": case.name if case else False,
                    "client_id": (client or (case and case.client_id)).id if (client or case) else False,
                    "field_names": names,
                    "detail": detail or False,
                }
            )
        if self.env.cr.readonly:
            # a read-only request (e.g. a replica): write the entry in a transaction of its own
            with self.env.registry.cursor() as cr:
                self.with_env(self.env(cr=cr, su=True)).create(vals_list)
            return self.browse()
        return self.sudo().create(vals_list)
