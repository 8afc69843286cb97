from odoo import fields, models
from odoo.exceptions import UserError

from .woonkans_decision_scenario import split_codes

RESULT_STATES = [("pass", "Passes"), ("fail", "Fails"), ("accepted", "New result accepted")]


class WoonkansDecisionScenarioResult(models.Model):
    """What one scenario gave on one version under review; kept with the version."""

    _name = "woonkans.decision.scenario.result"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Scenario result of a decision tree version"
    _order = "version_id, state, sequence, id"

    version_id = fields.Many2one("woonkans.decision.tree.version", required=True, ondelete="cascade", index=True)
    scenario_id = fields.Many2one("woonkans.decision.scenario", ondelete="set null", index=True)
    name = fields.Char(string="Scenario name", required=True)
    sequence = fields.Integer()
    state = fields.Selection(RESULT_STATES, required=True, default="pass", readonly=True)
    expected_outcome_code = fields.Char(string="Expected outcome", readonly=True)
    outcome_code = fields.Char(string="Outcome in this version", readonly=True)
    missing_codes = fields.Char(string="Missing in this version", readonly=True)
    path_codes = fields.Char(string="Questions asked", readonly=True)
    published_outcome_code = fields.Char(string="Outcome in the published version", readonly=True)
    published_missing_codes = fields.Char(string="Missing in the published version", readonly=True)
    changed = fields.Boolean(string="Changed from the published version", readonly=True)
    failure = fields.Text(string="Why it fails", readonly=True)
    accepted_by_id = fields.Many2one("res.users", readonly=True)
    date_accepted = fields.Datetime(readonly=True)

    def action_accept(self):
        """Accept this version's result: the scenario now expects it (logged on the scenario)."""
        for result in self:
            if result.version_id.state != "review":
                raise UserError(self.env._("Only a result of a version in review can be accepted."))
            if result.state != "fail":
                continue
            if not result.scenario_id:
                raise UserError(self.env._("The scenario of this result no longer exists."))
            if not result.outcome_code:
                raise UserError(
                    self.env._(
                        "%(scenario)s reaches no outcome in this version: correct the scenario's answers instead.",
                        scenario=result.name,
                    )
                )
            result.scenario_id._accept(result.outcome_code, split_codes(result.missing_codes), result.version_id)
            result.write({"state": "accepted", "accepted_by_id": self.env.uid, "date_accepted": fields.Datetime.now()})
            result.version_id._log_review(
                self.env._("New result accepted for scenario %(scenario)s.", scenario=result.name)
            )
        return True
