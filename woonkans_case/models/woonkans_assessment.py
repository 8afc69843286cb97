from odoo import Command, api, fields, models


class WoonkansAssessment(models.Model):
    """A dated life-domain assessment of a case's client: one score per domain."""

    _name = "woonkans.assessment"
    _description = "Life-domain assessment"
    _inherit = ["woonkans.portal.readable.mixin", "woonkans.access.logged.mixin"]
    _woonkans_sensitive_fields = ("note", "score_ids", "average_score", "acute_count")
    _order = "date desc, id desc"

    case_id = fields.Many2one("woonkans.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    version_id = fields.Many2one(
        "woonkans.assessment.version",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env["woonkans.assessment.version"].search([], limit=1),
    )
    user_id = fields.Many2one("res.users", string="Assessed by", default=lambda self: self.env.user)
    score_ids = fields.One2many("woonkans.assessment.score", "assessment_id", string="Scores", copy=True)
    average_score = fields.Float(compute="_compute_average_score", store=True, aggregator="avg")
    acute_count = fields.Integer(string="Domains in acute problems", compute="_compute_average_score", store=True)
    note = fields.Text(help="Sensitive: never shown on the portal.")

    _date_case_version_unique = models.Constraint(
        "unique(case_id, date, version_id)", "A case can have one assessment a day per version."
    )

    @api.depends("score_ids.score")
    def _compute_average_score(self):
        for assessment in self:
            scores = [int(s) for s in assessment.score_ids.mapped("score") if s]
            assessment.average_score = sum(scores) / len(scores) if scores else 0.0
            assessment.acute_count = scores.count(1)

    @api.onchange("version_id")
    def _onchange_version_id(self):
        if self.version_id and not self.score_ids:
            self.score_ids = [Command.create({"domain_id": domain.id}) for domain in self.version_id.domain_ids]

    @api.model_create_multi
    def create(self, vals_list):
        assessments = super().create(vals_list)
        for assessment in assessments:
            missing = assessment.version_id.domain_ids - assessment.score_ids.domain_id
            if missing:
                self.env["woonkans.assessment.score"].create(
                    [{"assessment_id": assessment.id, "domain_id": domain.id} for domain in missing]
                )
        return assessments

    def _compute_display_name(self):
        for assessment in self:
            assessment.display_name = f"{assessment.version_id.name or ''} {assessment.date or ''}".strip()
