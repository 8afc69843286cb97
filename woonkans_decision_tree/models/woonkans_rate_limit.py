import logging
import time
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

# bucket -> (limit parameter, default limit, window parameter, default window in seconds)
BUCKETS = {
    "page": ("woonkans_decision_tree.rate_limit_page", 120, "woonkans_decision_tree.rate_limit_page_window", 60),
    "runs": ("woonkans_decision_tree.rate_limit_runs", 200, "woonkans_decision_tree.rate_limit_runs_window", 3600),
}
BUCKET_LABELS = [("page", "Public Woonkansboom page"), ("runs", "Logged runs")]
# counters are kept this long after their window started (the longest window allowed)
KEEP = timedelta(days=1)


class RateLimitExceeded(UserError):
    """Too many requests from one client address; ``retry_after`` seconds to wait."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class WoonkansRateLimit(models.Model):
    """Requests per client address and time window, counted in the database.

    A fixed-window counter per (bucket, address, window start). The count is
    written in its own transaction, so it is shared by every worker process
    and server, and a request that fails afterwards still counts.
    """

    _name = "woonkans.rate.limit"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Woonkansboom rate limit counter"
    _order = "window_start desc"
    _log_access = False

    bucket = fields.Selection(BUCKET_LABELS, required=True, readonly=True)
    address = fields.Char(required=True, readonly=True, help="The client's IP address (behind a proxy: proxy_mode).")
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(readonly=True)

    _bucket_address_window_unique = models.Constraint(
        "unique(bucket, address, window_start)", "One counter per bucket, address and time window."
    )

    @api.model
    def _settings(self, bucket):
        """(limit, window in seconds) of ``bucket`` from the system parameters; limit 0 switches it off."""
        limit_key, limit_default, window_key, window_default = BUCKETS[bucket]
        get_param = self.env["ir.config_parameter"].sudo().get_param

        def number(key, default, minimum, maximum):
            try:
                value = int(str(get_param(key, default)).strip())
            except ValueError:
                return default
            return value if minimum <= value <= maximum else default

        return number(limit_key, limit_default, 0, 10**9), number(
            window_key, window_default, 1, int(KEEP.total_seconds())
        )

    @api.model
    def _clock(self):
        """The current time in whole seconds; a method so that tests can hold the clock."""
        return int(time.time())

    @api.model
    def _hit(self, bucket, address):
        """Counts one request of ``address`` in ``bucket``.

        :returns: 0 when the request may go on, else the seconds until the window ends.
        """
        limit, window = self._settings(bucket)
        if not limit or not address:
            return 0
        now = self._clock()
        start = now - now % window
        window_start = datetime.fromtimestamp(start, timezone.utc).replace(tzinfo=None)
        with self.env.registry.cursor() as cr:
            cr.execute(
                """
                INSERT INTO woonkans_rate_limit (bucket, address, window_start, hits)
                     VALUES (%s, %s, %s, 1)
                ON CONFLICT (bucket, address, window_start)
                  DO UPDATE SET hits = woonkans_rate_limit.hits + 1
                  RETURNING hits
                """,
                [bucket, address[:64], window_start],
            )
            hits = cr.fetchone()[0]
        if hits <= limit:
            return 0
        if hits == limit + 1:
            _logger.info("rate limit %s reached by %s (%s requests in %s s)", bucket, address, limit, window)
        return max(1, start + window - now)

    @api.model
    def _check_request(self, bucket):
        """Counts the current HTTP request in ``bucket``; raises RateLimitExceeded past the limit.

        Only requests from outside count: code run without a request (cron,
        shell, other models) is never limited.
        """
        if not request:
            return
        wait = self._hit(bucket, request.httprequest.remote_addr)
        if wait:
            raise RateLimitExceeded(
                self.env._(
                    "Too many requests from your address in a short time. Try again in %(seconds)s seconds.",
                    seconds=wait,
                ),
                retry_after=wait,
            )

    @api.model
    def _cron_cleanup(self):
        """Removes the counters of windows that are over."""
        self.env.cr.execute("DELETE FROM woonkans_rate_limit WHERE window_start < %s", [fields.Datetime.now() - KEEP])
        return self.env.cr.rowcount
