from odoo import fields, models


class WoonkansTeam(models.Model):
    _name = "woonkans.team"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Woonkans team"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    leader_id = fields.Many2one("res.users", string="Coordinator", domain=[("share", "=", False)])
    member_ids = fields.Many2many(
        "res.users",
        "woonkans_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
    )
    notify_referrals = fields.Boolean(
        string="Notify of new referrals",
        default=True,
        help="Members get an activity when a partner refers a client through the portal.",
    )
