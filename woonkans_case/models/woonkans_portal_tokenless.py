from odoo import models


class WoonkansPortalTokenless(models.AbstractModel):
    """For ``portal.mixin`` models of other add-ons of which some records are case data.

    Put first in ``_inherit`` (before the model itself) so these overrides come
    before ``portal.mixin``'s: on case data (see ``_woonkans_case_data_domain``)
    no access token is made, put in a URL or stored.
    """

    _name = "woonkans.portal.tokenless"
    _description = "Woonkans: no portal tokens on case data"

    def _portal_ensure_token(self):
        if self._woonkans_case_data():
            return False
        return super()._portal_ensure_token()

    def get_portal_url(self, suffix=None, report_type=None, download=None, query_string=None, anchor=None):
        if not self._woonkans_case_data():
            return super().get_portal_url(suffix, report_type, download, query_string, anchor)
        params = "&".join(
            part
            for part in (
                f"report_type={report_type}" if report_type else "",
                "download=true" if download else "",
                (query_string or "").lstrip("&"),
            )
            if part
        )
        url = f"{self.access_url}{suffix or ''}"
        return f"{url}{'?' + params if params else ''}{'#' + anchor if anchor else ''}"

    def _get_share_url(self, redirect=False, signup_partner=False, pid=None, share_token=True):
        if self._woonkans_case_data():
            return super()._get_share_url(redirect=redirect, signup_partner=signup_partner, share_token=False)
        return super()._get_share_url(
            redirect=redirect, signup_partner=signup_partner, pid=pid, share_token=share_token
        )

    def write(self, vals):
        if vals.get("access_token") and (case_data := self._woonkans_case_data()):
            super(WoonkansPortalTokenless, case_data).write(dict(vals, access_token=False))
            return super(WoonkansPortalTokenless, self - case_data).write(vals)
        return super().write(vals)
