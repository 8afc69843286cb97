from odoo import api, models


def _read_write(method):
    """Mark a method as needing a read/write cursor (the opposite of ``@api.readonly``)."""
    method._readonly = False
    return method


class WoonkansAccessLoggedMixin(models.AbstractModel):
    """Logs reads of a model's special-category fields and every export of its records.

    A model lists its sensitive fields in ``_woonkans_sensitive_fields``, names
    the field that leads to its case in ``_woonkans_case_field`` (empty on the case)
    and, where its own reference says which record was read, names that field in
    ``_woonkans_ref_field`` (a reference only: the log never holds a field's value).
    ``read``, ``search_read``, ``web_read`` and ``web_search_read`` all end in
    ``_read_format``, so that one override sees every read a user asks for; code that
    reads fields as attributes (computations, rules) is not a user reading and is not
    logged. Reads as superuser (sudo) are the system's own and are not logged either.
    """

    _name = "woonkans.access.logged.mixin"
    _description = "Read log of sensitive fields"

    _woonkans_sensitive_fields = ()
    _woonkans_case_field = "case_id"
    _woonkans_ref_field = ""

    # Odoo runs methods marked @api.readonly on a read-only cursor (or a replica), where
    # the log cannot be written. The web client and JSON-2 dispatchers take the first
    # ``_readonly`` mark in the MRO, so these overrides are marked read/write: reads of a
    # logged model run on a read/write cursor and the log entry lands in the same
    # transaction as the read.
    @_read_write
    def read(self, fields=None, load="_classic_read"):
        return super().read(fields=fields, load=load)

    @_read_write
    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        return super().search_read(domain=domain, fields=fields, offset=offset, limit=limit, order=order, **read_kwargs)

    @_read_write
    def web_read(self, specification):
        return super().web_read(specification)

    @_read_write
    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        return super().web_search_read(
            domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if self and not self.env.su:
            sensitive = set(fnames or ()) & set(self._woonkans_sensitive_fields)
            if sensitive:
                self.env["woonkans.access.log"]._log(self, field_names=sensitive)
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if self and not self.env.su:
            self.env["woonkans.access.log"]._log(self, route="export", field_names=fields_to_export)
        return result

    def _woonkans_access_cases(self):
        """{record id: its case} for the read log."""
        records = self.sudo()
        if not self._woonkans_case_field:
            return {record.id: record for record in records}
        return {record.id: record[self._woonkans_case_field] for record in records}

    def _woonkans_access_refs(self):
        """{record id: its reference} for the read log; empty when the model names no reference field."""
        if not self._woonkans_ref_field:
            return {}
        return {record.id: record[self._woonkans_ref_field] for record in self.sudo()}
