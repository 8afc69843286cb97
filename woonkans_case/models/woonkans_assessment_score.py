from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCORES = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]


class WoonkansAssessmentScore(models.Model):
    """One domain's score in an assessment; stored flat so graphs show trends."""

    _name = "woonkans.assessment.score"
    _description = "Life-domain score"
    _inherit = ["woonkans.portal.readable.mixin", "woonkans.access.logged.mixin"]
    _woonkans_sensitive_fields = ("score", "score_value", "score_label")
    _order = "date desc, domain_sequence, id"

    assessment_id = fields.Many2one("woonkans.assessment", required=True, ondelete="cascade", index=True)
    case_id = fields.Many2one(related="assessment_id.case_id", store=True, index=True)
    company_id = fields.Many2one(related="assessment_id.company_id", store=True)
    date = fields.Date(related="assessment_id.date", store=True)
    version_id = fields.Many2one(related="assessment_id.version_id", store=True)
    domain_id = fields.Many2one("woonkans.life.domain", required=True, ondelete="restrict")
    domain_sequence = fields.Integer(related="domain_id.sequence", store=True)
    score = fields.Selection(SCORES, help="1 = acute problems … 5 = fully self-reliant.")
    score_value = fields.Integer(string="Score (number)", compute="_compute_score_value", store=True, aggregator="avg")
    score_label = fields.Char(compute="_compute_score_label")

    _domain_unique = models.Constraint("unique(assessment_id, domain_id)", "Each domain is scored once per assessment.")

    @api.depends("score")
    def _compute_score_value(self):
        for line in self:
            line.score_value = int(line.score) if line.score else 0

    @api.depends("score", "version_id")
    def _compute_score_label(self):
        for line in self:
            line.score_label = line.version_id._score_label(int(line.score)) if line.score else ""

    @api.constrains("domain_id", "version_id")
    def _check_domain_version(self):
        for line in self:
            if line.domain_id.version_id != line.version_id:
                raise ValidationError(self.env._("A domain of another assessment version cannot be scored here."))
