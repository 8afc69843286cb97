from odoo import api, fields, models

from . import decision_engine as engine

OPERATORS = [
    ("within_years", "Date within N years before today"),
    ("older_years", "Date more than N years ago"),
    ("future", "Date after today"),
    ("past", "Date today or earlier"),
    ("lt", "Number below N"),
    ("le", "Number at most N"),
    ("eq", "Number equal to N"),
    ("ge", "Number at least N"),
    ("gt", "Number above N"),
    ("otherwise", "Otherwise (any other value)"),
]


class WoonkansDecisionOption(models.Model):
    """An answer to a question and the node it leads to.

    For date and number questions an answer is a rule; rules are tried in sequence.
    """

    _name = "woonkans.decision.option"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Decision tree answer"
    _order = "node_id, sequence, id"
    _rec_name = "label"

    node_id = fields.Many2one("woonkans.decision.node", required=True, ondelete="cascade", index=True)
    version_id = fields.Many2one(related="node_id.version_id", store=True, index=True)
    code = fields.Char(required=True, help="Stable code the API accepts as the answer.")
    label = fields.Char(required=True, translate=True, help="{parameter} placeholders are filled in.")
    sequence = fields.Integer(default=10)
    next_node_id = fields.Many2one(
        "woonkans.decision.node",
        string="Leads to",
        domain="[('version_id', '=', version_id), ('id', '!=', node_id)]",
        ondelete="set null",
        index=True,
    )
    is_unknown = fields.Boolean(
        string="Unknown / still to check",
        help="The provisional route: the walk goes on and the outcome lists this question under 'to check'.",
    )
    rule_operator = fields.Selection(OPERATORS, string="Rule")
    rule_value = fields.Float(string="N", digits=(16, 2))
    rule_parameter_code = fields.Char(
        string="N from parameter", help="Code of a tree parameter; its value is N (e.g. second_chance_years)."
    )
    met_condition_codes = fields.Char(
        string="Conditions met",
        help="Comma-separated condition codes this answer satisfies (e.g. woningnet_registered).",
    )
    na_condition_codes = fields.Char(
        string="Conditions not applicable", help="Comma-separated condition codes this answer makes not applicable."
    )
    blocking_condition_ids = fields.Many2many(
        "woonkans.condition.template",
        "woonkans_decision_option_blocking_rel",
        "option_id",
        "template_id",
        string="Conditions this answer fails",
        help="Listed under 'what is missing' on the outcome this answer leads to, with this answer as the reason.",
    )
    blocking_criterion = fields.Char(
        string="Policy criterion this answer fails",
        translate=True,
        help="For a criterion that is not a condition of a trajectory, e.g. 'Evicted less than "
        "{second_chance_years} years ago'; listed under 'what is missing' like a condition.",
    )
    explanation = fields.Char(
        translate=True, help="Line in the explanation when this answer is given; defaults to 'question → answer'."
    )
    prefill = fields.Char(
        help="Values for a case or referral started from the advice, e.g. target_group=evicted,referral_reason=arrears."
    )

    _code_unique = models.Constraint("unique(node_id, code)", "An answer code must be unique within its question.")

    @api.depends("label", "node_id.tree_id")
    def _compute_display_name(self):
        params_by_tree = {}
        for option in self:
            tree = option.node_id.tree_id
            if tree not in params_by_tree:
                params_by_tree[tree] = tree._parameters() if tree else {}
            option.display_name = engine.fill(option.label or "", params_by_tree[tree])

    @api.model_create_multi
    def create(self, vals_list):
        nodes = self.env["woonkans.decision.node"].browse([v["node_id"] for v in vals_list if v.get("node_id")])
        nodes.version_id._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.version_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        self.version_id._check_editable()
