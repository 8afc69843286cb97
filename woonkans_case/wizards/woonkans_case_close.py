from odoo import api, fields, models
from odoo.exceptions import UserError


class WoonkansCaseClose(models.TransientModel):
    """Close a case with a reason; without all parties' consent only a coordinator may."""

    _name = "woonkans.case.close"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Close a case"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade")
    closure_reason_id = fields.Many2one("woonkans.closure.reason", required=True)
    outcome = fields.Selection(related="closure_reason_id.outcome")
    closure_note = fields.Text(string="Note")
    stage_id = fields.Many2one(
        "woonkans.case.stage",
        string="Closing stage",
        required=True,
        domain=[("phase", "=", "closed")],
        default=lambda self: self.env["woonkans.case.stage"].search([("phase", "=", "closed")], limit=1),
    )
    missing_party_ids = fields.Many2many(
        "woonkans.case.party", string="Parties without consent", compute="_compute_missing_party_ids"
    )
    override_reason = fields.Text(
        string="Reason to close without full consent",
        help="Only coordinators can close a case when not all parties agreed.",
    )
    is_coordinator = fields.Boolean(compute="_compute_is_coordinator")

    @api.depends("case_id")
    def _compute_missing_party_ids(self):
        for wizard in self:
            wizard.missing_party_ids = wizard.case_id._parties_without_consent()

    def _compute_is_coordinator(self):
        value = self.env.user.has_group("woonkans_case.group_woonkans_coordinator")
        for wizard in self:
            wizard.is_coordinator = value

    def action_close(self):
        self.ensure_one()
        case = self.case_id
        vals = {
            "closure_reason_id": self.closure_reason_id.id,
            "closure_note": self.closure_note,
            "stage_id": self.stage_id.id,
        }
        if self.missing_party_ids:
            if not (self.override_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Not all parties agreed to close: %(parties)s. Record their consent on the case, "
                        "or (as a coordinator) give a reason to close anyway.",
                        parties=", ".join(self.missing_party_ids.partner_id.mapped("display_name")),
                    )
                )
            vals.update(closure_override_reason=self.override_reason, closure_override_user_id=self.env.uid)
        case.write(vals)
        if self.missing_party_ids:
            case.message_post(
                body=self.env._(
                    "Closed by %(user)s without consent of %(parties)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    parties=", ".join(self.missing_party_ids.partner_id.mapped("display_name")),
                    reason=self.override_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
