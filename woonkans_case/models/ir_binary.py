from odoo import models


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _find_record(self, xmlid=None, res_model="ir.attachment", res_id=None, access_token=None, field=None):
        """Case data and its attachments are downloaded through the record rules, never with a token."""
        if access_token:
            record = self.env.ref(xmlid, False) if xmlid else None
            if record is None and res_id is not None and res_model in self.env:
                record = self.env[res_model].browse(res_id)
            if record is not None and record.sudo().exists() and record.sudo()._woonkans_case_data():
                access_token = None
        return super()._find_record(
            xmlid=xmlid, res_model=res_model, res_id=res_id, access_token=access_token, field=field
        )
