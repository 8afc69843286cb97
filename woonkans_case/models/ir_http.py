from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _serve_fallback(cls):
        """A path with a NUL byte is never a stored attachment.

        Odoo looks up every unknown or refused frontend path as an attachment
        URL; PostgreSQL refuses a NUL in that query, which turned a plain 404
        (``/woonkansboom/run/%00``, ``/my/%00``) into a server error.
        """
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()
