from odoo import api, fields, models


class WoonkansDecisionRunAnswer(models.Model):
    """One answered question of a run: the paths taken, for statistics."""

    _name = "woonkans.decision.run.answer"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Woonkansboom run answer"
    _order = "run_id, sequence"

    run_id = fields.Many2one("woonkans.decision.run", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer()
    tree_id = fields.Many2one(related="run_id.tree_id", store=True, index=True)
    version_id = fields.Many2one(related="run_id.version_id", store=True)
    organisation_id = fields.Many2one(related="run_id.organisation_id", store=True)
    channel = fields.Selection(related="run_id.channel", store=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    create_date = fields.Datetime(readonly=True)
    node_id = fields.Many2one(
        "woonkans.decision.node", string="Question", required=True, ondelete="cascade", index=True
    )
    node_code = fields.Char(related="node_id.code", store=True, string="Question code")
    option_id = fields.Many2one("woonkans.decision.option", string="Answer", ondelete="cascade")
    option_code = fields.Char(related="option_id.code", store=True, string="Answer code")
    value = fields.Char()
    is_unknown = fields.Boolean(string="Unknown")

    @api.model
    def _woonkans_portal_readable_fields(self):
        return super()._woonkans_portal_readable_fields() | {
            "run_id",
            "sequence",
            "tree_id",
            "version_id",
            "organisation_id",
            "channel",
            "create_date",
            "node_id",
            "node_code",
            "option_id",
            "option_code",
            "value",
            "is_unknown",
        }
