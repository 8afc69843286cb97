from collections import defaultdict

from odoo import api, models

from .woonkans_consent_codes import CATEGORY_DOCUMENTS


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _woonkans_case_data(self):
        """Attachments of case data: they never get an access token."""
        ids_by_model = defaultdict(list)
        for attachment in self.sudo():
            if attachment.res_model and attachment.res_id and attachment.res_model in self.env:
                ids_by_model[attachment.res_model].append(attachment.res_id)
        case_data = {
            (model, res_id)
            for model, res_ids in ids_by_model.items()
            for res_id in self.env[model].sudo().browse(res_ids).exists()._woonkans_case_data().ids
        }
        return self.filtered(lambda att: (att.sudo().res_model, att.sudo().res_id) in case_data)

    def _inaccessible_comodel_records(self, model_and_ids, operation):
        """A partner reads a case's documents only under a consent that covers documents.

        The case's record rules let a party organisation read the case (its basic data);
        the documents attached to it need the "documents" category besides, on every
        route that reads an attachment (``/web/content``, ``/web/image``, the portal).
        """
        yield from super()._inaccessible_comodel_records(model_and_ids, operation)
        case_ids = model_and_ids.get("woonkans.case")
        if self.env.su or not self.env.user.share or not case_ids:
            return
        organisation = self.env.user.commercial_partner_id
        for case in self.env["woonkans.case"].sudo().browse([i for i in case_ids if i]).exists():
            if CATEGORY_DOCUMENTS not in case._woonkans_consent_categories(organisation):
                yield "woonkans.case", case.id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            model, res_id = vals.get("res_model"), vals.get("res_id")
            if vals.get("access_token") and model in self.env and res_id:
                if self.env[model].browse(res_id)._woonkans_case_data():
                    vals["access_token"] = False
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("access_token") and (case_data := self._woonkans_case_data()):
            super(IrAttachment, case_data).write(dict(vals, access_token=False))
            return super(IrAttachment, self - case_data).write(vals)
        result = super().write(vals)
        if "res_model" in vals or "res_id" in vals:
            # an attachment moved onto case data (e.g. posted from the composer) drops its token
            moved = self._woonkans_case_data().sudo().filtered("access_token")
            if moved:
                super(IrAttachment, moved).write({"access_token": False})
        return result

    def generate_access_token(self):
        case_data = self._woonkans_case_data()
        tokens = super(IrAttachment, self - case_data).generate_access_token()
        others = iter(tokens)
        return ["" if attachment in case_data else next(others) for attachment in self]

    def _has_attachments_ownership(self, attachment_tokens):
        # on case data, ownership is the right to write, never a token
        if self._woonkans_case_data():
            return all(attachment.sudo(False).has_access("write") for attachment in self.exists()) and bool(
                self.exists()
            )
        return super()._has_attachments_ownership(attachment_tokens)
