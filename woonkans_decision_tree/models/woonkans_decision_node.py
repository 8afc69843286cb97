from odoo import api, fields, models

from odoo.addons.woonkans_case.models.woonkans_trajectory_type import TARGET_GROUPS

QUESTION_TYPES = [
    ("yesno", "Yes / no"),
    ("single", "Single choice"),
    ("multi", "Multiple choice"),
    ("date", "Date"),
    ("number", "Number"),
]
OUTCOME_KINDS = [
    ("eligible", "Eligible"),
    ("provisional", "Provisional"),
    ("not_eligible", "Not (yet) eligible"),
    ("referral", "Referral"),
]


class WoonkansDecisionNode(models.Model):
    """A question or an outcome in one version of a decision tree."""

    _name = "woonkans.decision.node"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Decision tree node"
    _order = "version_id, sequence, id"
    _rec_name = "code"

    version_id = fields.Many2one("woonkans.decision.tree.version", required=True, ondelete="cascade", index=True)
    tree_id = fields.Many2one(related="version_id.tree_id", store=True, index=True)
    version_state = fields.Selection(related="version_id.state", string="Version state")
    code = fields.Char(
        required=True,
        help="Stable code: the API, statistics and version comparison use it. Keep it when you reword the text.",
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection([("question", "Question"), ("outcome", "Outcome")], required=True, default="question")
    question_type = fields.Selection(QUESTION_TYPES, default="single")
    text = fields.Text(required=True, translate=True, help="The question, or the title of the outcome.")
    short_text = fields.Char(
        translate=True, help="Short form used in explanations, e.g. 'Evicted' for 'When was the household evicted?'."
    )
    help_text = fields.Text(translate=True, help="Shown under the question.")
    check_text = fields.Char(
        string="To check", translate=True, help="What to check when the answer is unknown; defaults to the question."
    )
    prefill_key = fields.Char(
        help="Copies a date or number answer onto a new case or referral, e.g. eviction_date or court_date."
    )
    option_ids = fields.One2many("woonkans.decision.option", "node_id", string="Answers")
    # outcome
    outcome_kind = fields.Selection(OUTCOME_KINDS, default="eligible")
    trajectory_type_id = fields.Many2one("woonkans.trajectory.type", string="Advised trajectory", ondelete="restrict")
    target_group = fields.Selection(TARGET_GROUPS, help="Target group of a case started from this outcome.")
    condition_template_ids = fields.Many2many(
        "woonkans.condition.template",
        string="Conditions to meet",
        domain="[('trajectory_type_id', '=', trajectory_type_id)]",
        help="Conditions of the advised trajectory; those the answers do not satisfy are listed as missing.",
    )
    organisation_role_id = fields.Many2one("woonkans.organisation.role", string="Refer to", ondelete="restrict")
    next_steps = fields.Html(translate=True)
    tenant_message = fields.Html(string="What to tell the tenant", translate=True)
    explanation_template = fields.Text(
        string="Explanation",
        translate=True,
        help="Opening sentence of the explanation; {parameter} placeholders are filled in.",
    )
    incoming_count = fields.Integer(compute="_compute_incoming_count")

    _code_unique = models.Constraint("unique(version_id, code)", "A node code must be unique within its version.")

    def _compute_incoming_count(self):
        counts = dict(
            self.env["woonkans.decision.option"]._read_group(
                [("next_node_id", "in", self.ids)], ["next_node_id"], ["__count"]
            )
        )
        for node in self:
            node.incoming_count = counts.get(node, 0)

    @api.depends("code", "text", "short_text")
    @api.depends_context("woonkans_plain_names")
    def _compute_display_name(self):
        """``[code] text`` for the tree's editors; the text alone (the question, or the outcome's title) in the
        statistics and wizards, which set the ``woonkans_plain_names`` context."""
        plain = self.env.context.get("woonkans_plain_names")
        for node in self:
            text = (node.short_text or node.text or "").split("\n")[0]
            node.display_name = f"[{node.code}] {text[:60]}" if node.code and not plain else text[:60]

    @api.onchange("trajectory_type_id")
    def _onchange_trajectory_type_id(self):
        if self.trajectory_type_id:
            self.condition_template_ids = self.trajectory_type_id.condition_template_ids
            self.target_group = self.trajectory_type_id.target_group

    @api.model_create_multi
    def create(self, vals_list):
        versions = self.env["woonkans.decision.tree.version"].browse(
            [v.get("version_id") for v in vals_list if v.get("version_id")]
        )
        versions._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.version_id._check_editable()
        if "version_id" in vals:
            self.env["woonkans.decision.tree.version"].browse(vals["version_id"])._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        self.version_id._check_editable()

    def _problem_label(self):
        self.ensure_one()
        return f"{self.code} ({(self.short_text or self.text or '')[:50]})"
