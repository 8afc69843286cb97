from odoo import fields, models


class WoonkansConditionTemplate(models.Model):
    """One condition of a trajectory's checklist, copied onto each case."""

    _name = "woonkans.condition.template"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Condition template"
    _order = "trajectory_type_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable code: other add-ons and integrations mark conditions met by this code.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    trajectory_type_id = fields.Many2one("woonkans.trajectory.type", required=True, ondelete="cascade", index=True)
    description = fields.Text(translate=True)
    required_stage_id = fields.Many2one(
        "woonkans.case.stage",
        string="Required before stage",
        help="A case cannot move to this stage or any later one while the condition is unmet.",
    )
    due_days = fields.Integer(
        string="Due after (days)",
        help="Days after the case gets its trajectory; 0 means no due date.",
    )
    responsible_role_id = fields.Many2one(
        "woonkans.party.role",
        string="Responsible party role",
        help="The party with this role on the case becomes responsible for the condition.",
    )
    kind = fields.Selection(
        [("manual", "Checked by hand"), ("payment", "Payment arrangement kept")],
        default="manual",
        required=True,
        help="A payment condition is met automatically while the case's payment "
        "arrangement has been kept for the required number of months.",
    )
    months_required = fields.Integer(
        string="Months kept",
        default=3,
        help="For payment conditions: consecutive months paid on time or late, none missed.",
    )
    only_with_children = fields.Boolean(
        string="Only with children in the household",
        help="Not applicable when the household has no children (e.g. consulting Veilig Thuis).",
    )

    _code_unique = models.Constraint(
        "unique(trajectory_type_id, code)",
        "A condition code must be unique within its trajectory type.",
    )
