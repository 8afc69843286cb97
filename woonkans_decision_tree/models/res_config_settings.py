from odoo import fields, models
from odoo.exceptions import UserError

from .woonkans_rate_limit import BUCKETS, KEEP

MAX_WINDOW = int(KEEP.total_seconds())


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    woonkans_rate_limit_page = fields.Integer(
        string="Public page: requests per address",
        config_parameter=BUCKETS["page"][0],
        default=BUCKETS["page"][1],
        help="Requests one client address may make to the public Woonkansboom within the window; 0 = no limit.",
    )
    woonkans_rate_limit_page_window = fields.Integer(
        string="Public page: window (seconds)", config_parameter=BUCKETS["page"][2], default=BUCKETS["page"][3]
    )
    woonkans_rate_limit_runs = fields.Integer(
        string="Logged runs per address",
        config_parameter=BUCKETS["runs"][0],
        default=BUCKETS["runs"][1],
        help="Runs one client address may start or log (public page, portal, evaluate over JSON-RPC) "
        "within the window; 0 = no limit.",
    )
    woonkans_rate_limit_runs_window = fields.Integer(
        string="Logged runs: window (seconds)", config_parameter=BUCKETS["runs"][2], default=BUCKETS["runs"][3]
    )

    def set_values(self):
        for settings in self:
            if settings.woonkans_rate_limit_page < 0 or settings.woonkans_rate_limit_runs < 0:
                raise UserError(self.env._("A rate limit cannot be negative (0 switches it off)."))
            windows = (settings.woonkans_rate_limit_page_window, settings.woonkans_rate_limit_runs_window)
            if any(not 1 <= window <= MAX_WINDOW for window in windows):
                raise UserError(
                    self.env._("A rate limit window lasts from 1 to %(seconds)s seconds.", seconds=MAX_WINDOW)
                )
        return super().set_values()
