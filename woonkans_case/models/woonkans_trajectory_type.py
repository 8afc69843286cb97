from odoo import api, fields, models

TARGET_GROUPS = [
    ("evicted", "Evicted household"),
    ("sitting_tenant", "Sitting tenant"),
    ("vulnerable", "Vulnerable person"),
]


class WoonkansTrajectoryType(models.Model):
    """A kind of trajectory with its durations and condition checklist."""

    _name = "woonkans.trajectory.type"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Trajectory type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by integrations and other add-ons.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Html(translate=True)
    target_group = fields.Selection(
        TARGET_GROUPS,
        help="The target group this trajectory is usually for; empty means any.",
    )
    default_duration_months = fields.Integer(
        string="Default duration (months)",
        default=24,
        help="Sets the planned end of a case when the trajectory starts.",
    )
    max_duration_months = fields.Integer(
        string="Maximum duration (months)",
        default=60,
        help="A trajectory may never run longer than this.",
    )
    retention_years = fields.Integer(
        string="Retention after closure (years)",
        default=2,
        help="How long a closed case is kept before it is due for destruction. "
        "Retention runs per case, not per person.",
    )
    is_early_signal = fields.Boolean(
        help="Cases of this type record the landlord's early-signal steps "
        "(Besluit gemeentelijke schuldhulpverlening, art. 2).",
    )
    has_tenancy_agreement = fields.Boolean(
        string="Uses a tenancy agreement",
        help="Cases of this type normally hold a conditional tenancy or last-chance agreement.",
    )
    condition_template_ids = fields.One2many(
        "woonkans.condition.template", "trajectory_type_id", string="Condition checklist"
    )
    condition_template_count = fields.Integer(compute="_compute_condition_template_count")
    case_count = fields.Integer(compute="_compute_case_count")

    _code_unique = models.Constraint("unique(code)", "The code of a trajectory type must be unique.")
    _durations_positive = models.Constraint(
        "CHECK(default_duration_months > 0 AND max_duration_months >= default_duration_months"
        " AND retention_years >= 0)",
        "The default duration must be positive and not longer than the maximum duration.",
    )

    @api.depends("condition_template_ids")
    def _compute_condition_template_count(self):
        for trajectory in self:
            trajectory.condition_template_count = len(trajectory.condition_template_ids)

    def _compute_case_count(self):
        counts = dict(
            self.env["woonkans.case"]._read_group(
                [("trajectory_type_id", "in", self.ids)], ["trajectory_type_id"], ["__count"]
            )
        )
        for trajectory in self:
            trajectory.case_count = counts.get(trajectory, 0)

    @api.model
    def _woonkans_portal_readable_fields(self):
        return super()._woonkans_portal_readable_fields() | {"name", "sequence", "target_group"}
