import json
import logging

from werkzeug.exceptions import InternalServerError

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.web.controllers.export import CSVExport, ExcelExport

_logger = logging.getLogger(__name__)
# what the user can act on: answered as a message, not as a server error
USER_ERRORS = (UserError, AccessError, MissingError, ValidationError)


class WoonkansExportMixin:
    """Odoo's standard export (list view > Export), refused for protected case data.

    The rule is the model's (``_woonkans_check_standard_export``); the route only
    finds the records the export would take and answers a refusal or a bad request
    as a message the web client shows, instead of Odoo's logged server error.
    """

    def _woonkans_export_records(self, data):
        params = json.loads(data) if isinstance(data, str) else None
        if not isinstance(params, dict):
            raise ValueError("not an export request")
        model, ids, domain = params.get("model"), params.get("ids"), params.get("domain") or []
        if not isinstance(model, str) or model not in request.env:
            raise ValueError("unknown model")
        if ids and not (isinstance(ids, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)):
            raise ValueError("bad ids")
        context = params.get("context") or {}
        if not isinstance(domain, list) or not isinstance(params.get("fields"), list) or not isinstance(context, dict):
            raise ValueError("bad domain, fields or context")
        Model = request.env[model].with_context(**context)
        if not Model._woonkans_export_protection_on():
            return Model.browse()  # nothing to check: the export goes as in Odoo
        return Model.browse(ids) if ids else Model.search(domain)

    def _woonkans_error(self, error, status):
        payload = {"code": 200, "message": "Odoo Server Error", "data": http.serialize_exception(error)}
        return request.make_json_response(payload, status=status)

    def _woonkans_export(self, data):
        try:
            records = self._woonkans_export_records(data)
        except (TypeError, ValueError):
            return self._woonkans_error(UserError(request.env._("This export request is not valid.")), 400)
        try:
            records._woonkans_check_standard_export()
        except UserError as error:
            return self._woonkans_error(error, 403)
        try:
            return self.base(data)
        except USER_ERRORS as error:
            return self._woonkans_error(error, 403 if isinstance(error, AccessError) else 400)
        except Exception as error:
            # as Odoo's own export routes answer any other error
            _logger.exception("Exception during request handling.")
            payload = json.dumps({"code": 200, "message": "Odoo Server Error", "data": http.serialize_exception(error)})
            raise InternalServerError(payload) from error


class WoonkansCSVExport(WoonkansExportMixin, CSVExport):
    @http.route()
    def web_export_csv(self, data=None):
        return self._woonkans_export(data)


class WoonkansExcelExport(WoonkansExportMixin, ExcelExport):
    @http.route()
    def web_export_xlsx(self, data=None):
        return self._woonkans_export(data)
