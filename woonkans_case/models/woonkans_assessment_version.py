from odoo import fields, models


class WoonkansAssessmentVersion(models.Model):
    """A version of a life-domain instrument, e.g. the ZRM 2017 (13 domains).

    Every score keeps its version: ZRM scores of different versions are not comparable.
    """

    _name = "woonkans.assessment.version"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Life-domain assessment version"
    _order = "sequence, id desc"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    domain_ids = fields.One2many("woonkans.life.domain", "version_id", string="Domains")
    label_1 = fields.Char(string="Score 1", required=True, translate=True)
    label_2 = fields.Char(string="Score 2", required=True, translate=True)
    label_3 = fields.Char(string="Score 3", required=True, translate=True)
    label_4 = fields.Char(string="Score 4", required=True, translate=True)
    label_5 = fields.Char(string="Score 5", required=True, translate=True)
    note = fields.Text(translate=True)

    _code_unique = models.Constraint("unique(code)", "The code of an assessment version must be unique.")

    def _score_label(self, score):
        self.ensure_one()
        return self[f"label_{score}"] if score in (1, 2, 3, 4, 5) else ""
