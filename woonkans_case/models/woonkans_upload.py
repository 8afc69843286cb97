import re

from odoo import api, models
from odoo.tools.mimetypes import guess_mimetype

# What a partner may upload: documents and images, by their content, not their name.
ALLOWED_MIMETYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/tiff",
    "image/bmp",
    "image/heic",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
MAX_FILES = 10
MAX_NAME = 128


class WoonkansUpload(models.AbstractModel):
    """The rules for files partners upload (referral attachments, condition evidence).

    On a model, so the portal, the back office and an importer apply the same
    type and size checks; the controller only hands over the uploaded files.
    """

    _name = "woonkans.upload"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Woonkans uploads"

    @api.model
    def _max_upload_mb(self):
        value = self.env["ir.config_parameter"].sudo().get_param("woonkans_case.max_upload_mb", "10")
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return 10

    @api.model
    def _read(self, files):
        """Read uploaded files (objects with ``read`` and ``filename``).

        :returns: ([(name, data, mimetype)], error code or None); the error is
            ``upload_count``, ``upload_size`` or ``upload_type``.
        """
        limit = self._max_upload_mb() * 1024 * 1024
        uploads = []
        if len(files) > MAX_FILES:
            return [], "upload_count"
        for upload in files:
            data = upload.read(limit + 1)
            if len(data) > limit:
                return [], "upload_size"
            if not data:
                continue
            mimetype = guess_mimetype(data, default="application/octet-stream")
            if mimetype not in ALLOWED_MIMETYPES:
                return [], "upload_type"
            name = re.sub(r"[\x00-\x1f/\\]", "_", upload.filename or "")[:MAX_NAME] or "upload"
            uploads.append((name, data, mimetype))
        return uploads, None

    @api.model
    def _attach(self, uploads, res_model, res_id):
        """Attachments of ``uploads`` on a record the caller has proven access to.

        Created with sudo (portal users have no right on ir.attachment) and
        without an access token, so downloads go through the record's rules.
        """
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {"name": name, "raw": data, "mimetype": mimetype, "res_model": res_model, "res_id": res_id}
                    for name, data, mimetype in uploads
                ]
            )
        )
