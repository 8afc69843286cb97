from odoo import fields, models


class WoonkansConditionLineReject(models.TransientModel):
    """Reject a partner's "met": the bureau says why, and the partner reads it on the portal."""

    _name = "woonkans.condition.line.reject"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Reject a reported condition"

    line_id = fields.Many2one("woonkans.condition.line", required=True, ondelete="cascade", readonly=True)
    partner_note = fields.Text(related="line_id.note", string="The partner's note")
    reason = fields.Text(
        string="Why it is not met",
        required=True,
        help="Replaces the note of the condition: the partner reads it on the portal.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.line_id._woonkans_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
