from odoo import api, fields, models
from odoo.exceptions import UserError


class WoonkansCaseGateOverride(models.TransientModel):
    """Move a case past a stage gate although conditions are unmet (coordinators)."""

    _name = "woonkans.case.gate.override"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Override a stage gate"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade")
    stage_id = fields.Many2one(
        "woonkans.case.stage", string="Move to", required=True, domain=[("phase", "!=", "closed")]
    )
    blocking_line_ids = fields.Many2many(
        "woonkans.condition.line", string="Unmet conditions", compute="_compute_blocking_line_ids"
    )
    reason = fields.Text(required=True)

    @api.depends("case_id", "stage_id")
    def _compute_blocking_line_ids(self):
        for wizard in self:
            wizard.blocking_line_ids = (
                wizard.case_id._gate_blocking_lines(wizard.stage_id) if wizard.case_id and wizard.stage_id else False
            )

    def action_override(self):
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for overriding the stage gate."))
        self.case_id.with_context(woonkans_gate_override=reason).write({"stage_id": self.stage_id.id})
        return {"type": "ir.actions.act_window_close"}
