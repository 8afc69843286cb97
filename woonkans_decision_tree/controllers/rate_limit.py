"""Rate limit of the public Woonkansboom: a decorator for its routes.

The counting lives on ``woonkans.rate.limit`` (one table for every worker);
this only turns "too many" into the friendly 429 page with ``Retry-After``.
"""

import functools

from odoo.http import request

from ..models.woonkans_rate_limit import RateLimitExceeded


def rate_limited(endpoint):
    """Counts each request of the client address; past a limit (page or runs) answers the 429 page."""

    @functools.wraps(endpoint)
    def wrapper(self, *args, **kwargs):
        try:
            request.env["woonkans.rate.limit"]._check_request("page")
            # a limit hit inside (starting a run) leaves nothing half-saved
            with request.env.cr.savepoint():
                return endpoint(self, *args, **kwargs)
        except RateLimitExceeded as exc:
            return too_many_requests(exc)

    return wrapper


def too_many_requests(exc):
    return request.render(
        "woonkans_decision_tree.woonkansboom_too_many_requests",
        {"channel": "public", "base": "/woonkansboom", "page_name": "woonkansboom", "message": exc.args[0]},
        status=429,
        headers=[("Retry-After", str(exc.retry_after)), ("Cache-Control", "no-store")],
    )
