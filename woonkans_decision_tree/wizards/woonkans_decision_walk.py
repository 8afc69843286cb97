from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.woonkans_case.models.woonkans_trajectory_type import TARGET_GROUPS

from ..models import decision_engine as engine


class WoonkansDecisionWalk(models.TransientModel):
    """The backend wizard: one question a screen, back, review and result.

    The answers live on the run (``woonkans.decision.run``); this wizard only
    shows one screen of it at a time.
    """

    _name = "woonkans.decision.walk"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Walk the Woonkansboom"

    run_id = fields.Many2one("woonkans.decision.run", required=True, ondelete="cascade")
    tree_id = fields.Many2one(related="run_id.tree_id")
    screen = fields.Char(required=True, default="review")
    step = fields.Selection([("question", "Question"), ("review", "Review"), ("result", "Result")], default="question")
    node_id = fields.Many2one("woonkans.decision.node", string="Question")
    question_type = fields.Selection(related="node_id.question_type")
    question_text = fields.Text(compute="_compute_question", string="Question text")
    question_help = fields.Text(compute="_compute_question")
    progress = fields.Integer(compute="_compute_question")
    is_first = fields.Boolean(compute="_compute_question", help="The first question: there is nothing to go back to.")
    step_label = fields.Char(compute="_compute_question")
    option_id = fields.Many2one("woonkans.decision.option", string="Answer", domain="[('node_id', '=', node_id)]")
    option_ids = fields.Many2many("woonkans.decision.option", string="Answers", domain="[('node_id', '=', node_id)]")
    value_date = fields.Date(string="Date")
    value_number = fields.Float(string="Number")
    value_unknown = fields.Boolean(string="Unknown / still to check")
    review_html = fields.Html(compute="_compute_review_html", sanitize=False)
    path_node_ids = fields.Many2many("woonkans.decision.node", compute="_compute_review_html")
    jump_node_id = fields.Many2one(
        "woonkans.decision.node", string="Change the answer to", domain="[('id', 'in', path_node_ids)]"
    )
    result_html = fields.Html(related="run_id.result_html")
    advised_trajectory_id = fields.Many2one(related="run_id.advised_trajectory_id")
    case_id = fields.Many2one(related="run_id.case_id")
    action = fields.Selection([("new", "Start a new case"), ("attach", "Attach to an existing case")], default="new")
    # the contact rules leave a caseworker the clients of their own cases (and those they registered)
    client_id = fields.Many2one(
        "res.partner", string="Client", domain=[("is_company", "=", False), ("woonkans_is_client", "=", True)]
    )
    target_case_id = fields.Many2one("woonkans.case", string="Existing case")
    target_group = fields.Selection(TARGET_GROUPS)
    trajectory_type_id = fields.Many2one("woonkans.trajectory.type", string="Trajectory")
    is_override = fields.Boolean(compute="_compute_is_override")
    override_reason = fields.Text(string="Reason for another trajectory")

    @api.depends("node_id", "run_id", "screen")
    def _compute_question(self):
        for wizard in self:
            if not wizard.run_id or not wizard.node_id:
                wizard.question_text = wizard.question_help = wizard.step_label = False
                wizard.progress = 100 if wizard.step != "question" else 0
                wizard.is_first = False
                continue
            compiled, params, result = wizard.run_id._walk()
            node = compiled["nodes"][wizard.node_id.code]
            wizard.question_text = engine.fill(node["text"], params)
            wizard.question_help = engine.fill(node["help"], params)
            path = wizard.run_id._path_codes(result)
            position = path.index(node["code"]) if node["code"] in path else len(path)
            remaining = compiled["depth"].get(node["code"], 1)
            wizard.progress = int(round(100.0 * position / (position + remaining)))
            wizard.step_label = self.env._("Question %(n)s", n=position + 1)
            wizard.is_first = position == 0

    @api.depends("run_id", "screen")
    def _compute_review_html(self):
        for wizard in self:
            if not wizard.run_id:
                wizard.review_html = False
                wizard.path_node_ids = False
                continue
            _compiled, _params, result = wizard.run_id._walk()
            codes = [step["node"] for step in result["steps"]]
            nodes = self.env["woonkans.decision.node"].search(
                [("version_id", "=", wizard.run_id.version_id.id), ("code", "in", codes)]
            )
            wizard.path_node_ids = nodes
            items = Markup("").join(Markup("<li>%s</li>") % step["line"] for step in result["steps"])
            to_check = result["to_check"]
            wizard.review_html = Markup("<ol>%s</ol>") % items + (
                Markup("<p><strong>%s</strong> %s</p>")
                % (self.env._("To check:"), ", ".join(c["text"] for c in to_check))
                if to_check
                else Markup("")
            )

    @api.depends("trajectory_type_id", "advised_trajectory_id")
    def _compute_is_override(self):
        for wizard in self:
            wizard.is_override = bool(
                wizard.trajectory_type_id and wizard.trajectory_type_id != wizard.advised_trajectory_id
            )

    # ------------------------------------------------------------------
    # navigation
    # ------------------------------------------------------------------

    @api.model
    def _start(self, tree):
        run = self.env["woonkans.decision.run"]._start(
            tree, "backend", self.env["woonkans.decision.run"]._organisation_of(self.env.user)
        )
        wizard = self.create({"run_id": run.id, "screen": run.version_id.start_node_id.code})
        wizard._load(run.version_id.start_node_id.code)
        return wizard._reopen()

    @api.model
    def _from_run(self, run, action="new"):
        """The result screen of the finished ``run``, to start or attach a case later."""
        wizard = self.create({"run_id": run.id, "screen": "result", "action": action})
        wizard._load("result")
        return wizard._reopen()

    def _reopen(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.run_id.tree_id.name,
        }

    def _load(self, screen):
        """Show ``screen``: a question code (prefilled with its answer), 'review' or 'result'."""
        self.ensure_one()
        vals = {
            "screen": screen,
            "option_id": False,
            "option_ids": [(5,)],
            "value_date": False,
            "value_number": 0.0,
            "value_unknown": False,
            "jump_node_id": False,
        }
        if screen in ("review", "result"):
            vals.update(step=screen, node_id=False)
            if screen == "result":
                vals.update(
                    trajectory_type_id=self.run_id.advised_trajectory_id.id,
                    target_group=self.run_id._prefill()[0].get("target_group") or False,
                )
            self.write(vals)
            return
        node = self.env["woonkans.decision.node"].search(
            [("version_id", "=", self.run_id.version_id.id), ("code", "=", screen)], limit=1
        )
        vals.update(step="question", node_id=node.id)
        previous = (self.run_id.answers or {}).get(screen)
        if previous is not None:
            options = {o.code: o for o in node.option_ids}
            unknown = node.option_ids.filtered("is_unknown")[:1]
            if node.question_type == "multi":
                vals["option_ids"] = [Command.set([options[c].id for c in previous if c in options])]
            elif node.question_type in ("yesno", "single"):
                vals["option_id"] = options[previous].id if previous in options else False
            elif unknown and previous == unknown.code:
                vals["value_unknown"] = True
            elif node.question_type == "date":
                vals["value_date"] = previous
            else:
                vals["value_number"] = previous
        self.write(vals)

    def _raw_answer(self):
        node = self.node_id
        unknown = node.option_ids.filtered("is_unknown")[:1]
        if node.question_type == "multi":
            return self.option_ids.mapped("code")
        if node.question_type in ("yesno", "single"):
            return self.option_id.code or ""
        if self.value_unknown and unknown:
            return unknown.code
        if node.question_type == "date":
            return self.value_date.isoformat() if self.value_date else ""
        return self.value_number

    def action_next(self):
        self.ensure_one()
        code = self.screen
        result, error = self.run_id._answer(code, self._raw_answer())
        if error:
            raise UserError(error)
        self._load(self.run_id._next_screen(code, result))
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        result = self.run_id._walk()[2]
        previous = self.run_id._previous_screen(self.screen, result)
        if previous:
            self._load(previous)
        return self._reopen()

    def action_jump(self):
        self.ensure_one()
        if not self.jump_node_id:
            raise UserError(self.env._("Choose the question whose answer you want to change."))
        self._load(self.jump_node_id.code)
        return self._reopen()

    def action_finish(self):
        self.ensure_one()
        self.run_id._finish()
        self._load("result")
        return self._reopen()

    def action_save_as_scenario(self):
        """Record the finished walk as a policy scenario of the tree (coordinators)."""
        self.ensure_one()
        return self.run_id.action_save_as_scenario()

    def action_print(self):
        self.ensure_one()
        return self.run_id.action_print()

    def action_apply(self):
        """Start a case from the advice or attach it to an existing case."""
        self.ensure_one()
        run = self.run_id
        if self.action == "attach":
            if not self.target_case_id:
                raise UserError(self.env._("Choose the case to attach the advice to."))
            case = run.action_attach_case(self.target_case_id, self.trajectory_type_id, self.override_reason)
        else:
            if not self.client_id:
                raise UserError(self.env._("Choose the client of the new case."))
            case = run.action_create_case(
                self.client_id, self.trajectory_type_id, self.override_reason, self.target_group
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "woonkans.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }
