from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from . import decision_engine as engine


class WoonkansDecisionTree(models.Model):
    """A decision tree's identity; its questions live in versions."""

    _name = "woonkans.decision.tree"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Decision tree"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by integrations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Html(translate=True, help="Shown above the first question.")
    portal_enabled = fields.Boolean(
        string="On the partner portal", default=True, help="Partner professionals can walk it at /my/woonkansboom."
    )
    public_enabled = fields.Boolean(
        string="On the public page",
        help="Anyone can walk it at /woonkansboom without an account. Public runs store no personal data.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    public_url = fields.Char(compute="_compute_public_url", string="Address of the public page")
    parameter_ids = fields.One2many("woonkans.decision.parameter", "tree_id", string="Parameters", copy=True)
    version_ids = fields.One2many("woonkans.decision.tree.version", "tree_id", string="Versions")
    published_version_id = fields.Many2one(
        "woonkans.decision.tree.version",
        compute="_compute_published_version_id",
        store=True,
        string="Published version",
    )
    scenario_ids = fields.One2many("woonkans.decision.scenario", "tree_id", string="Scenarios")
    scenario_count = fields.Integer(compute="_compute_counts")
    version_count = fields.Integer(compute="_compute_counts")
    run_count = fields.Integer(compute="_compute_counts")

    _code_unique = models.Constraint("unique(code)", "The code of a decision tree must be unique.")

    @api.depends("version_ids.state")
    def _compute_published_version_id(self):
        for tree in self:
            tree.published_version_id = tree.version_ids.filtered(lambda v: v.state == "published")[:1]

    def _compute_counts(self):
        runs = dict(
            self.env["woonkans.decision.run"]._read_group([("tree_id", "in", self.ids)], ["tree_id"], ["__count"])
        )
        for tree in self:
            tree.version_count = len(tree.version_ids)
            tree.scenario_count = len(tree.scenario_ids)
            tree.run_count = runs.get(tree, 0)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_walk(self):
        self.ensure_one()
        return self.env["woonkans.decision.walk"]._start(self)

    @api.model
    def action_walk_default(self):
        tree = self.search([("published_version_id", "!=", False)], limit=1)
        if not tree:
            raise UserError(self.env._("No decision tree has a published version yet."))
        return tree.action_walk()

    def action_view_versions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "woonkans_decision_tree.woonkans_decision_tree_version_action"
        )
        action["domain"] = [("tree_id", "=", self.id)]
        action["context"] = {"default_tree_id": self.id}
        return action

    def action_view_scenarios(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "woonkans_decision_tree.woonkans_decision_scenario_action"
        )
        action["domain"] = [("tree_id", "=", self.id)]
        action["context"] = {"default_tree_id": self.id}
        return action

    def _compute_public_url(self):
        url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/") + "/woonkansboom"
        for tree in self:
            tree.public_url = url

    def action_view_runs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("woonkans_decision_tree.woonkans_decision_run_action")
        action["domain"] = [("tree_id", "=", self.id)]
        return action

    def action_new_draft(self):
        """Start a first (empty) draft, or a draft copied from the newest version."""
        self.ensure_one()
        source = self.published_version_id or self.version_ids.sorted("number")[-1:]
        if source:
            return source.action_new_draft()
        version = self.env["woonkans.decision.tree.version"].create({"tree_id": self.id})
        return version._open_form()

    # ------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------

    @tools.ormcache("tree_id")
    def _evaluation_data(self, tree_id):
        """(published version id, parameter definitions) of a tree, cached.

        Cleared whenever a version changes state or a parameter changes, so an
        evaluation reads nothing from the database but the setting values
        (themselves cached by ir.config_parameter).
        """
        tree = self.browse(tree_id).sudo()
        definitions = tuple((p.code, p.value, p.config_parameter or None) for p in tree.parameter_ids)
        return tree.published_version_id.id, definitions

    def _parameters(self):
        """Parameter values by code (settings override stored values)."""
        self.ensure_one()
        get_param = self.env["ir.config_parameter"].sudo().get_param
        values = {}
        for code, value, key in self._evaluation_data(self.id)[1]:
            raw = get_param(key) if key else None
            try:
                values[code] = float(raw) if raw not in (None, False, "") else value
            except ValueError:
                values[code] = value
        return values

    def _published_compiled(self):
        self.ensure_one()
        version = self.env["woonkans.decision.tree.version"].sudo().browse(self._evaluation_data(self.id)[0])
        if not version:
            raise UserError(self.env._("The decision tree %(tree)s has no published version.", tree=self.name))
        return version, version._compiled_cached(version.id, self.env.lang or "en_US")

    def evaluate(self, answers=None):
        """Evaluate the published version with ``answers``; see readme/USAGE.md.

        A walk that reaches an outcome is logged as a run (channel api), always:
        whoever calls this over JSON-RPC cannot switch the log off.

        :param dict answers: stable question code -> answer code, list of codes
            (multiple choice), ISO date or number.
        :returns: a JSON-serialisable dict with either ``question`` (the next
            question to ask) or ``outcome`` with ``explanation``, ``missing`` and
            ``to_check``.
        """
        if len(self) != 1:
            raise UserError(self.env._("Evaluate one decision tree at a time: give exactly one tree id."))
        return self._evaluate(answers, log=True)

    def _evaluate(self, answers=None, log=True):
        """``evaluate`` for trusted server code, which may leave the run unlogged with ``log=False``.

        Not reachable over RPC (private method); no context key switches the log off.
        """
        self.ensure_one()
        self.check_access("read")
        if answers is not None and not isinstance(answers, dict):
            raise UserError(self.env._("Answers must be a mapping of question codes to answers."))
        version, compiled = self._published_compiled()
        params = self._parameters()
        result = engine.walk(compiled, answers or {}, params, fields.Date.context_today(self), self.env._)
        payload = version._result_payload(compiled, result, params)
        if result["outcome"] and log:
            self.env["woonkans.decision.run"].sudo()._log_api_run(version, result)
        return payload
