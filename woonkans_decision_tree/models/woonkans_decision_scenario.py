import datetime
import json
import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import decision_engine as engine

# a date answer relative to the day the scenario runs: today-730d, today+30d
RELATIVE_DATE = re.compile(r"^today([+-])(\d{1,5})d$")


def split_codes(text):
    return [c.strip() for c in (text or "").replace(";", ",").split(",") if c.strip()]


class WoonkansDecisionScenario(models.Model):
    """A policy scenario: answers with the advice they must give, a regression test of the tree.

    Every scenario runs against a draft in review; publishing is blocked while
    one fails, unless the coordinator accepts the new result.
    """

    _name = "woonkans.decision.scenario"
    _description = "Decision tree policy scenario"
    _inherit = ["mail.thread", "woonkans.portal.readable.mixin"]
    _order = "tree_id, sequence, id"

    tree_id = fields.Many2one("woonkans.decision.tree", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        string="In words",
        translate=True,
        help="The situation in words, e.g. 'evicted 3 years ago for arrears, arrangement kept'.",
    )
    answers = fields.Json(
        string="Answers (data)",
        required=True,
        default=dict,
        help="Question code → answer. A date may be relative to the day of the check: today-730d.",
    )
    answers_text = fields.Text(
        string="Answers",
        compute="_compute_answers_text",
        inverse="_inverse_answers_text",
        help='Question code → answer, as JSON. A date may be relative to the day of the check: "today-730d".',
    )
    expected_outcome_code = fields.Char(string="Expected outcome", required=True, tracking=True)
    expected_outcome_name = fields.Char(compute="_compute_published_result", string="Expected outcome title")
    must_missing_codes = fields.Char(
        string="Must be listed as missing",
        tracking=True,
        help="Comma-separated condition codes that must appear under 'what is missing'.",
    )
    must_not_missing_codes = fields.Char(
        string="Must not be listed as missing",
        tracking=True,
        help="Comma-separated condition codes that must not appear under 'what is missing'.",
    )
    source_run_id = fields.Many2one(
        "woonkans.decision.run", string="Recorded from", ondelete="set null", readonly=True, index=True
    )
    published_outcome_code = fields.Char(compute="_compute_published_result", string="Outcome in the published version")
    published_failure = fields.Text(compute="_compute_published_result", string="Fails in the published version")
    published_passes = fields.Boolean(compute="_compute_published_result", string="Passes in the published version")

    def _compute_answers_text(self):
        for scenario in self:
            scenario.answers_text = json.dumps(scenario.answers or {}, indent=1, ensure_ascii=False, sort_keys=True)

    def _inverse_answers_text(self):
        for scenario in self:
            scenario.answers = self._parse_answers_text(scenario.answers_text)

    def _compute_published_result(self):
        for scenario in self:
            version = scenario.tree_id.sudo().published_version_id
            if not version:
                scenario.published_outcome_code = scenario.published_failure = False
                scenario.expected_outcome_name = False
                scenario.published_passes = False
                continue
            compiled = version._compiled()
            outcome = compiled["nodes"].get(scenario.expected_outcome_code or "")
            scenario.expected_outcome_name = outcome["text"] if outcome and outcome["kind"] == "outcome" else False
            result = scenario._evaluate(version)
            failures = scenario._failures(result)
            scenario.published_outcome_code = result["outcome"]
            scenario.published_failure = "\n".join(failures) or False
            scenario.published_passes = not failures

    @api.constrains("answers")
    def _check_answers(self):
        for scenario in self:
            if not isinstance(scenario.answers, dict):
                raise ValidationError(
                    self.env._("The answers of a scenario are a mapping of question codes to answers.")
                )

    @api.model
    def _parse_answers_text(self, text):
        try:
            answers = json.loads(text or "{}")
        except (ValueError, RecursionError):
            raise UserError(
                self.env._('Write the answers as JSON, e.g. {"situation": "evicted", "ev_date": "today-730d"}.')
            ) from None
        if not isinstance(answers, dict) or not all(isinstance(k, str) for k in answers):
            raise UserError(self.env._("The answers of a scenario are a mapping of question codes to answers."))
        return answers

    # ------------------------------------------------------------------
    # running
    # ------------------------------------------------------------------

    def _resolved_answers(self, today):
        """The answers with relative dates (today-730d) turned into ISO dates."""
        self.ensure_one()
        resolved = {}
        for code, value in (self.answers or {}).items():
            match = RELATIVE_DATE.match(value) if isinstance(value, str) else None
            if match:
                days = int(match.group(2)) * (1 if match.group(1) == "+" else -1)
                value = (today + datetime.timedelta(days=days)).isoformat()
            resolved[code] = value
        return resolved

    def _evaluate(self, version):
        """Walk ``version`` with the scenario's answers: outcome, missing codes, path and error."""
        self.ensure_one()
        version = version.sudo()
        compiled = version._compiled()
        params = version.tree_id._parameters()
        today = fields.Date.context_today(self)
        result = engine.walk(compiled, self._resolved_answers(today), params, today, self.env._)
        return {
            "outcome": result["outcome"] or False,
            "missing": [m["code"] for m in engine.missing(compiled, result, params)],
            "path": [step["node"] for step in result["steps"]],
            "stopped_at": result["node"] or False,
            "error": result["error"]["message"] if result["error"] else False,
        }

    def _failures(self, result):
        """Readable reasons why ``result`` (of ``_evaluate``) does not meet the scenario."""
        self.ensure_one()
        failures = []
        if result["error"]:
            failures.append(self.env._("An answer is refused: %(error)s", error=result["error"]))
        if not result["outcome"]:
            failures.append(
                self.env._("The answers stop at question %(question)s.", question=result["stopped_at"] or "?")
            )
        elif result["outcome"] != self.expected_outcome_code:
            failures.append(
                self.env._(
                    "Outcome %(outcome)s instead of %(expected)s.",
                    outcome=result["outcome"],
                    expected=self.expected_outcome_code,
                )
            )
        missing = set(result["missing"])
        for code in split_codes(self.must_missing_codes):
            if code not in missing:
                failures.append(self.env._("%(code)s is not listed as missing.", code=code))
        for code in split_codes(self.must_not_missing_codes):
            if code in missing:
                failures.append(self.env._("%(code)s is listed as missing.", code=code))
        return failures

    def _accept(self, outcome_code, missing_codes, version):
        """Make the scenario expect ``outcome_code`` and ``missing_codes``, and log it."""
        self.ensure_one()
        missing = set(missing_codes)
        old = self.expected_outcome_code
        self.write(
            {
                "expected_outcome_code": outcome_code,
                "must_missing_codes": ",".join(c for c in split_codes(self.must_missing_codes) if c in missing)
                or False,
                "must_not_missing_codes": ",".join(
                    c for c in split_codes(self.must_not_missing_codes) if c not in missing
                )
                or False,
            }
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "New result accepted for %(version)s: outcome %(old)s → %(new)s, missing: %(missing)s.",
                version=version.display_name,
                old=old,
                new=outcome_code,
                missing=", ".join(missing_codes) or "-",
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # recording from a run
    # ------------------------------------------------------------------

    @api.model
    def _from_run(self, run):
        """A new scenario with the answers and the advice of the finished ``run``."""
        if run.state != "done" or not run.outcome_node_id:
            raise UserError(self.env._("Only a finished run can be saved as a scenario."))
        compiled = run.version_id._compiled()
        today = fields.Date.context_today(self)
        answers = {}
        for code, value in (run.answers or {}).items():
            node = compiled["nodes"].get(code)
            if node and node["type"] == "date" and isinstance(value, str):
                try:
                    date = datetime.date.fromisoformat(value)
                except ValueError:
                    date = None
                if date:
                    days = (date - today).days
                    value = f"today{'+' if days >= 0 else '-'}{abs(days)}d"
            answers[code] = value
        data = run.result or {}
        outcome = data.get("outcome") or {}
        scenario = self.create(
            {
                "tree_id": run.tree_id.id,
                "name": self.env._("%(outcome)s (from %(run)s)", outcome=outcome.get("title") or "", run=run.name),
                "description": "\n".join(data.get("explanation") or []),
                "answers": answers,
                "expected_outcome_code": run.outcome_node_id.code,
                "must_missing_codes": ",".join(m["code"] for m in data.get("missing") or []) or False,
                "source_run_id": run.id,
            }
        )
        scenario.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Recorded from %(run)s (%(channel)s), %(version)s.",
                run=run.name,
                channel=dict(run._fields["channel"]._description_selection(self.env)).get(run.channel, ""),
                version=run.version_id.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return scenario

    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
