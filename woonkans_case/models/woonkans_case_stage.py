from odoo import api, fields, models

PHASES = [
    ("referral", "Referral"),
    ("intake", "Intake"),
    ("plan", "Plan"),
    ("execution", "Execution"),
    ("evaluation", "Evaluation"),
    ("closed", "Closed"),
]


class WoonkansCaseStage(models.Model):
    """A column of the case pipeline; each belongs to one fixed phase.

    Bureaus rename and split stages freely; the phase is what the code,
    the stage gates and the reports rely on.
    """

    _name = "woonkans.case.stage"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Case stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    phase = fields.Selection(PHASES, required=True, default="intake")
    fold = fields.Boolean(string="Folded in kanban")
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    is_closed = fields.Boolean(compute="_compute_is_closed", store=True)

    @api.depends("phase")
    def _compute_is_closed(self):
        for stage in self:
            stage.is_closed = stage.phase == "closed"

    @api.model
    def _woonkans_portal_readable_fields(self):
        return super()._woonkans_portal_readable_fields() | {"name", "sequence", "phase", "fold", "is_closed"}
