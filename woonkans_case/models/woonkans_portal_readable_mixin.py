from odoo import api, models, tools


class WoonkansPortalReadableMixin(models.AbstractModel):
    """The fields partner organisations may read of a record: one allow-list per model.

    The record rules decide *which* records a portal user reaches; this list
    decides *what* of them. Outside sudo, a share user (portal or public) can
    read, search, group and order on the listed fields only, and write only on
    the writable ones: over RPC (``read``, ``web_read``, ``search_read``,
    domains, ``fields_get``) and in the portal pages, which render our records
    as the portal user. It is the same hook core ``project`` uses for
    ``TASK_PORTAL_READABLE_FIELDS`` (``_has_field_access``).

    Every ``woonkans.*`` model inherits this mixin; a model that partners reach
    declares its list by overriding ``_woonkans_portal_readable_fields`` (and
    ``_woonkans_portal_writable_fields``); another add-on extends a list
    through ``_inherit`` with ``super() | {...}``.
    """

    _name = "woonkans.portal.readable.mixin"
    _description = "Fields partner organisations may read on the portal"

    @api.model
    def _woonkans_portal_readable_fields(self):
        """Names of the fields portal users may read (writable ones are readable too)."""
        return frozenset({"id", "display_name", "active"})

    @api.model
    def _woonkans_portal_writable_fields(self):
        """Names of the fields portal users may write (the ACL and rules still apply)."""
        return frozenset()

    @api.model
    @tools.ormcache(cache="stable")
    def _woonkans_portal_field_access(self):
        """(readable, writable) field names for share users, cached per model."""
        writable = frozenset(self._woonkans_portal_writable_fields())
        return frozenset(self._woonkans_portal_readable_fields()) | writable, writable

    def _has_field_access(self, field, operation):
        if not super()._has_field_access(field, operation):
            return False
        if self.env.su or not self.env.user.share:
            return True
        readable, writable = self._woonkans_portal_field_access()
        return field.name in (readable if operation == "read" else writable)
