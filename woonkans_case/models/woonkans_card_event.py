from odoo import api, fields, models
from odoo.tools import format_date


class WoonkansCardEvent(models.Model):
    """A yellow or red card: the escalation when agreements are broken.

    A yellow card is a formal warning; a red card means the agreement is
    ended and eviction follows.
    """

    _name = "woonkans.card.event"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Yellow or red card"
    _order = "date desc, id desc"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    card = fields.Selection([("yellow", "Yellow card"), ("red", "Red card")], required=True, default="yellow")
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Text(required=True)
    arrangement_id = fields.Many2one(
        "woonkans.payment.arrangement",
        string="Payment arrangement",
        domain="[('case_id', '=', case_id)]",
    )
    user_id = fields.Many2one("res.users", string="Given by", default=lambda self: self.env.user, readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        for event in events:
            env = event.case_id._woonkans_chatter_env()
            event.case_id.message_post(
                body=env._(
                    "%(card)s on %(date)s: %(reason)s",
                    card=dict(self._fields["card"]._description_selection(env))[event.card],
                    date=format_date(env, event.date),
                    reason=event.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return events
