from odoo import api, fields, models


class WoonkansDecisionVersionCompare(models.TransientModel):
    """Show what changed between two versions of a tree, by stable codes."""

    _name = "woonkans.decision.version.compare"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Compare decision tree versions"

    version_id = fields.Many2one("woonkans.decision.tree.version", string="Old version", required=True)
    other_version_id = fields.Many2one(
        "woonkans.decision.tree.version",
        string="New version",
        required=True,
        domain="[('tree_id', '=', tree_id)]",
    )
    tree_id = fields.Many2one(related="version_id.tree_id")
    diff_html = fields.Html(compute="_compute_diff_html", sanitize=False, string="Changes")

    @api.depends("version_id", "other_version_id")
    def _compute_diff_html(self):
        for wizard in self:
            if not (wizard.version_id and wizard.other_version_id):
                wizard.diff_html = False
                continue
            wizard.diff_html = self.env["ir.qweb"]._render(
                "woonkans_decision_tree.decision_version_diff",
                {"diff": wizard.version_id._diff(wizard.other_version_id), "wizard": wizard},
            )
