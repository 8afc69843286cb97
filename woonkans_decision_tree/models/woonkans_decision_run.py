import uuid
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.woonkans_case.models import woonkans_form_mixin as form

from . import decision_engine as engine
from .woonkans_decision_node import OUTCOME_KINDS

CHANNELS = [("backend", "Backend"), ("portal", "Partner portal"), ("public", "Public page"), ("api", "API")]
RUN_STATES = [("in_progress", "In progress"), ("done", "Done"), ("abandoned", "Abandoned")]
# prefill keys a case accepts, with how to convert the value
CASE_PREFILL = {"target_group", "referral_reason", "eviction_date", "court_date"}


class WoonkansDecisionRun(models.Model):
    """One walk through a tree: the log used for evaluation and the advice itself.

    A run holds no personal data: only the organisation (never the person) and
    the answers, unless it is linked to a case.
    """

    _name = "woonkans.decision.run"
    _inherit = ["woonkans.form.mixin", "woonkans.portal.readable.mixin"]
    _description = "Woonkansboom run"
    _order = "id desc"
    _rec_names_search = ["tree_id.name", "outcome_code"]

    name = fields.Char(compute="_compute_name")
    tree_id = fields.Many2one("woonkans.decision.tree", required=True, ondelete="restrict", index=True)
    version_id = fields.Many2one("woonkans.decision.tree.version", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    channel = fields.Selection(CHANNELS, required=True, default="backend", index=True)
    state = fields.Selection(RUN_STATES, required=True, default="in_progress", index=True)
    organisation_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        index=True,
        ondelete="set null",
        help="The organisation of whoever walked the tree; never the person.",
    )
    access_token = fields.Char(required=True, copy=False, index=True, default=lambda self: uuid.uuid4().hex)
    answers = fields.Json(default=dict, help="Question code → answer, only the answers on the path.")
    answer_ids = fields.One2many("woonkans.decision.run.answer", "run_id", string="Path")
    answer_count = fields.Integer(compute="_compute_answer_count", store=True)
    current_node_id = fields.Many2one("woonkans.decision.node", string="Current question", ondelete="set null")
    abandoned_node_id = fields.Many2one(
        "woonkans.decision.node", string="Stopped at", ondelete="set null", index=True, readonly=True
    )
    outcome_node_id = fields.Many2one("woonkans.decision.node", string="Outcome", ondelete="restrict", index=True)
    outcome_code = fields.Char(related="outcome_node_id.code", store=True, string="Outcome code")
    outcome_kind = fields.Selection(OUTCOME_KINDS, readonly=True, index=True)
    advised_trajectory_id = fields.Many2one("woonkans.trajectory.type", readonly=True, index=True)
    chosen_trajectory_id = fields.Many2one("woonkans.trajectory.type", string="Chosen trajectory", index=True)
    override_reason = fields.Text(help="Why a trajectory other than the advised one was chosen.")
    is_override = fields.Boolean(compute="_compute_is_override", store=True, string="Advice overridden")
    to_check_count = fields.Integer(readonly=True)
    missing_count = fields.Integer(readonly=True)
    result = fields.Json(readonly=True, help="Explanation, missing conditions, to check and why not, as shown.")
    date_start = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    date_done = fields.Datetime(readonly=True)
    duration = fields.Float(string="Duration (minutes)", readonly=True, digits=(16, 1))
    case_id = fields.Many2one("woonkans.case", ondelete="set null", index=True)
    case_outcome = fields.Selection(related="case_id.outcome", store=True, string="Real result")
    case_trajectory_id = fields.Many2one(
        related="case_id.trajectory_type_id", store=True, string="Trajectory of the case"
    )
    result_html = fields.Html(compute="_compute_result_html", sanitize=False, string="Advice")
    case_client_id = fields.Many2one(
        "res.partner",
        compute="_compute_case_client_id",
        string="Client",
        groups="woonkans_case.group_woonkans_user",
        help="The client of the linked case, when you may read that case.",
    )
    can_use_advice = fields.Boolean(
        compute="_compute_can_use_advice", help="A finished staff run without a case can still start or join one."
    )

    @api.model
    def _woonkans_forms(self):
        """The Woonkansboom's screens (portal and public page); the answer itself is parsed per question type
        by the decision engine."""
        forms = super()._woonkans_forms()
        forms["woonkansboom_start"] = {"tree_id": form.Integer(minimum=1, maximum=2**31 - 1, required=True)}
        forms["woonkansboom_answer"] = {
            "node": form.Text(max_length=64, required=True),
            "answer": form.TextList(max_items=30, max_length=64),
            "unknown": form.Flag(),
        }
        return forms

    @api.model
    def _woonkans_portal_readable_fields(self):
        # an organisation's own advice; not the case it led to, nor staff's override
        return super()._woonkans_portal_readable_fields() | {
            "name",
            "tree_id",
            "version_id",
            "channel",
            "state",
            "organisation_id",
            "create_uid",
            "create_date",
            "access_token",
            "answers",
            "answer_ids",
            "answer_count",
            "current_node_id",
            "outcome_node_id",
            "outcome_code",
            "outcome_kind",
            "advised_trajectory_id",
            "to_check_count",
            "missing_count",
            "result",
            "result_html",
            "date_start",
            "date_done",
        }

    @api.depends("tree_id")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Run %(id)s", id=run.id or "")

    @api.model
    def _search_display_name(self, operator, value):
        """Match the tree's name, the outcome code, or the run number ("12" or "Run 12")."""
        domain = super()._search_display_name(operator, value)
        if operator in ("ilike", "=ilike", "=") and isinstance(value, str):
            digits = value.strip().split()[-1] if value.strip() else ""
            if digits.isascii() and digits.isdigit() and len(digits) < 12:
                domain = domain | Domain("id", "=", int(digits))
        return domain

    @api.depends("answer_ids")
    def _compute_answer_count(self):
        for run in self:
            run.answer_count = len(run.answer_ids)

    @api.depends("case_id")
    @api.depends_context("uid")
    def _compute_case_client_id(self):
        readable = self.case_id._filtered_access("read")
        for run in self:
            run.case_client_id = run.case_id.client_id if run.case_id in readable else False

    @api.depends("state", "case_id", "channel")
    def _compute_can_use_advice(self):
        for run in self:
            run.can_use_advice = run.state == "done" and not run.case_id and run.channel == "backend"

    @api.depends("advised_trajectory_id", "chosen_trajectory_id")
    def _compute_is_override(self):
        for run in self:
            run.is_override = bool(run.chosen_trajectory_id and run.chosen_trajectory_id != run.advised_trajectory_id)

    def _compute_result_html(self):
        for run in self:
            run.result_html = (
                self.env["ir.qweb"]._render("woonkans_decision_tree.decision_run_result", {"run": run, "heading": "h3"})
                if run.state == "done"
                else False
            )

    @api.constrains("chosen_trajectory_id", "override_reason")
    def _check_override_reason(self):
        for run in self:
            if run.is_override and not (run.override_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give a reason for choosing %(chosen)s instead of the advised trajectory.",
                        chosen=run.chosen_trajectory_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # walking
    # ------------------------------------------------------------------

    @api.model
    def _start(self, tree, channel, organisation=None):
        version = tree.sudo().published_version_id
        if not version:
            raise UserError(self.env._("The decision tree %(tree)s has no published version.", tree=tree.name))
        if channel != "backend":  # staff walking the tree in the back office are not limited
            self.env["woonkans.rate.limit"]._check_request("runs")
        return self.create(
            {
                "tree_id": tree.id,
                "version_id": version.id,
                "channel": channel,
                "organisation_id": organisation.id if organisation else False,
                "company_id": tree.company_id.id or self.env.company.id,
                "current_node_id": version.start_node_id.id,
            }
        )

    @api.model
    def _organisation_of(self, user):
        """The commercial partner of ``user`` when it is an organisation, never the person."""
        partner = user.commercial_partner_id
        return partner if partner.is_company else self.env["res.partner"]

    def _walk(self, answers=None):
        self.ensure_one()
        compiled = self.version_id._compiled()
        params = self.tree_id._parameters()
        result = engine.walk(
            compiled, self.answers if answers is None else answers, params, fields.Date.context_today(self), self.env._
        )
        return compiled, params, result

    def _path_codes(self, result=None):
        result = result or self._walk()[2]
        return [step["node"] for step in result["steps"]]

    def _answer(self, node_code, raw):
        """Record the answer to ``node_code``; drop answers no longer on the path.

        Returns (result, error message). The next screen is the node that
        follows ``node_code`` on the new path.
        """
        self.ensure_one()
        if self.state != "in_progress":
            raise UserError(self.env._("This run is finished; start a new one."))
        compiled, params, before = self._walk()
        reachable = set(self._path_codes(before)) | ({before["node"]} if before["node"] else set())
        if node_code not in reachable or compiled["nodes"].get(node_code, {}).get("kind") != "question":
            return before, self.env._("This question is not on the current path.")
        answers = dict(self.answers or {})
        answers[node_code] = raw
        compiled, params, result = self._walk(answers)
        if result["error"] and result["error"]["question"] == node_code:
            return result, result["error"]["message"]
        self._store_walk(compiled, result)
        return result, None

    def _store_walk(self, compiled, result):
        nodes = compiled["nodes"]
        lines = []
        for index, step in enumerate(result["steps"]):
            node = nodes[step["node"]]
            option = next(o for o in node["options"] if o["code"] == step["option"])
            value = step["value"]
            lines.append(
                {
                    "run_id": self.id,
                    "sequence": index + 1,
                    "node_id": node["id"],
                    "option_id": option["id"],
                    "value": ", ".join(value) if isinstance(value, list) else str(value),
                    "is_unknown": step["unknown"],
                }
            )
        self.answer_ids.sudo().unlink()
        self.env["woonkans.decision.run.answer"].sudo().create(lines)
        current = nodes.get(result["node"] or result["outcome"] or "")
        self.sudo().write({"answers": result["answers"], "current_node_id": current["id"] if current else False})

    def _next_screen(self, after_code, result):
        """The node code shown after ``after_code``, or 'review' at the end of the path."""
        path = self._path_codes(result)
        if after_code in path:
            index = path.index(after_code)
            if index + 1 < len(path):
                return path[index + 1]
        return result["node"] or "review"

    def _previous_screen(self, code, result):
        path = self._path_codes(result)
        if code == "review":
            return path[-1] if path else None
        if code in path:
            index = path.index(code)
            return path[index - 1] if index > 0 else None
        return path[-1] if path else None

    def _finish(self):
        """Close the walk at its outcome and store the advice as shown."""
        self.ensure_one()
        compiled, params, result = self._walk()
        if not result["outcome"]:
            raise UserError(self.env._("Answer the remaining questions first."))
        payload = self.version_id._result_payload(compiled, result, params)
        outcome = compiled["nodes"][result["outcome"]]
        now = fields.Datetime.now()
        self._store_walk(compiled, result)
        self.sudo().write(
            {
                "state": "done",
                "date_done": now,
                "duration": round((now - self.date_start).total_seconds() / 60.0, 1),
                "outcome_node_id": outcome["id"],
                "outcome_kind": outcome["outcome_kind"],
                "advised_trajectory_id": outcome["trajectory"]["id"] if outcome["trajectory"] else False,
                "result": {k: payload.get(k) for k in ("outcome", "explanation", "missing", "to_check", "why_not")},
                "missing_count": len(payload.get("missing") or []),
                "to_check_count": len(payload.get("to_check") or []),
                "current_node_id": False,
            }
        )
        return payload

    @api.model
    def _log_api_run(self, version, result):
        """Log a complete walk made through ``evaluate`` (channel api)."""
        self.env["woonkans.rate.limit"]._check_request("runs")
        compiled = version._compiled()
        outcome = compiled["nodes"][result["outcome"]]
        run = self.create(
            {
                "tree_id": version.tree_id.id,
                "version_id": version.id,
                "channel": "api",
                "company_id": version.tree_id.company_id.id or self.env.company.id,
                "organisation_id": self._organisation_of(self.env.user).id,
                "answers": result["answers"],
                "state": "done",
                "date_done": fields.Datetime.now(),
                "outcome_node_id": outcome["id"],
                "outcome_kind": outcome["outcome_kind"],
                "advised_trajectory_id": outcome["trajectory"]["id"] if outcome["trajectory"] else False,
                "to_check_count": len(result["to_check"]),
            }
        )
        return run

    @api.model
    def _cron_mark_abandoned(self, hours=24):
        """Runs left in progress for ``hours`` are abandoned at their current question."""
        limit = fields.Datetime.now() - timedelta(hours=hours)
        stale = self.sudo().search([("state", "=", "in_progress"), ("write_date", "<", limit)])
        for run in stale:
            run.write({"state": "abandoned", "abandoned_node_id": run.current_node_id.id})
        return len(stale)

    # ------------------------------------------------------------------
    # from advice to case
    # ------------------------------------------------------------------

    def _prefill(self):
        """Values the answers give for a case: target group, dates, reason."""
        self.ensure_one()
        compiled, _params, result = self._walk()
        values = {}
        for step in result["steps"]:
            node = compiled["nodes"][step["node"]]
            # later answers are more specific; within a step the first option wins
            for option in reversed(node["options"]):
                if option["code"] in step["options"]:
                    values.update(option["prefill"])
            if node.get("prefill_key") and not step["unknown"]:
                values[node["prefill_key"]] = step["value"]
        outcome = compiled["nodes"].get(result["outcome"] or "")
        if outcome and not values.get("target_group"):
            trajectory = self.env["woonkans.trajectory.type"].browse((outcome["trajectory"] or {}).get("id"))
            values["target_group"] = outcome["target_group"] or trajectory.target_group or None
        return values, result

    def _referral_prefill(self):
        """What the portal referral form (``/my/woonkans/new?run=<token>``) fills in.

        Returns a dict: ``target_group`` (evicted/sitting_tenant/vulnerable or
        None), ``trajectory_code`` and ``trajectory_type_id`` (the advice),
        ``eviction_date`` (ISO string or None), ``court_date``, ``referral_reason``
        (a woonkans.case referral reason or None), ``reason`` (plain-text
        summary of the advice for the referral's description), ``run_id`` and
        ``outcome_kind``. Look the run up with ``_from_portal_token``.
        """
        self.ensure_one()
        values, result = self._prefill()
        data = self.result or {}
        outcome = data.get("outcome") or {}
        lines = [outcome.get("title") or ""]
        lines += [self.env._("Because: %(line)s", line=line) for line in data.get("explanation") or []]
        if data.get("missing"):
            lines.append(self.env._("Still missing: %(list)s", list=", ".join(m["name"] for m in data["missing"])))
        if data.get("to_check"):
            lines.append(self.env._("To check: %(list)s", list=", ".join(c["text"] for c in data["to_check"])))
        return {
            "run_id": self.id,
            "outcome_kind": self.outcome_kind or None,
            "target_group": values.get("target_group") or None,
            "trajectory_code": self.advised_trajectory_id.code or None,
            "trajectory_type_id": self.advised_trajectory_id.id or None,
            "eviction_date": values.get("eviction_date") or None,
            "court_date": values.get("court_date") or None,
            "referral_reason": values.get("referral_reason") or None,
            "reason": "\n".join(line for line in lines if line),
        }

    @api.model
    def _from_portal_token(self, token, user=None):
        """The finished portal run with ``token`` walked by ``user``'s organisation (sudo), or empty."""
        user = user or self.env.user
        if not token or not isinstance(token, str) or len(token) > 64:
            return self.browse()
        run = self.sudo().search([("access_token", "=", token), ("channel", "=", "portal")], limit=1)
        organisation = self._organisation_of(user)
        if run and (run.create_uid == user or (organisation and run.organisation_id == organisation)):
            return run
        return self.browse()

    def _check_choice(self, trajectory, reason):
        self.ensure_one()
        if trajectory and trajectory != self.advised_trajectory_id and not (reason or "").strip():
            raise UserError(
                self.env._(
                    "You chose %(chosen)s instead of the advised %(advised)s: give a reason.",
                    chosen=trajectory.name,
                    advised=self.advised_trajectory_id.name or self.env._("no trajectory"),
                )
            )

    def _met_statuses(self):
        values, result = self._prefill()
        return result["met"], result["not_applicable"], values

    def _apply_to_case(self, case):
        """Mark the case's conditions the answers satisfy and log the advice on it."""
        met, not_applicable, _values = self._met_statuses()
        for line in case.condition_line_ids:
            if line.code in met and line.status == "open":
                line.status = "met"
            elif line.code in not_applicable and line.status == "open":
                line.status = "not_applicable"
        case.message_post(
            body=Markup("<p>%s</p>%s")
            % (
                self.env._("Woonkansboom advice attached (%(run)s).", run=self.name),
                self.result_html or "",
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _record_arg(self, model, value, label):
        """``value`` as a record of ``model``: a record, or an id as sent over RPC."""
        if isinstance(value, models.BaseModel):
            if value._name != model or len(value) > 1:
                raise UserError(self.env._("Give one %(what)s.", what=label))
            return value
        if value in (None, False):
            return self.env[model]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise UserError(self.env._("Give one %(what)s.", what=label))
        record = self.env[model].browse(value).exists()
        if not record:
            raise UserError(self.env._("The chosen %(what)s does not exist (any more).", what=label))
        return record

    def action_create_case(self, client, trajectory=None, reason=None, target_group=None):
        """Start a case from this advice. ``trajectory`` defaults to the advice.

        ``client`` and ``trajectory`` are records, or ids when called over RPC.
        """
        self.ensure_one()
        client = self._record_arg("res.partner", client, self.env._("client"))
        if not client:
            raise UserError(self.env._("Choose the client of the case."))
        trajectory = self._record_arg("woonkans.trajectory.type", trajectory, self.env._("trajectory"))
        if self.state != "done":
            raise UserError(self.env._("Finish the walk before starting a case."))
        if self.case_id:
            raise UserError(self.env._("This advice is already attached to %(case)s.", case=self.case_id.display_name))
        trajectory = trajectory or self.advised_trajectory_id
        self._check_choice(trajectory, reason)
        values, _result = self._prefill()
        group = target_group or values.get("target_group") or trajectory.target_group
        if not group:
            raise UserError(self.env._("Choose the target group of the case."))
        vals = {
            "client_id": client.id,
            "target_group": group,
            "trajectory_type_id": trajectory.id,
            "user_id": self.env.uid,
            "source": "decision_tree",
        }
        if values.get("referral_reason"):
            vals["referral_reason"] = values["referral_reason"]
        for key in ("eviction_date", "court_date"):
            if values.get(key):
                vals[key] = values[key]
        case = self.env["woonkans.case"].create(vals)
        self._link_case(case, trajectory, reason)
        return case

    def action_attach_case(self, case, trajectory=None, reason=None):
        """Attach this advice to an existing case (and give it a trajectory if it has none).

        ``case`` and ``trajectory`` are records, or ids when called over RPC.
        """
        self.ensure_one()
        case = self._record_arg("woonkans.case", case, self.env._("case"))
        if not case:
            raise UserError(self.env._("Choose the case to attach the advice to."))
        case.check_access("write")
        trajectory = self._record_arg("woonkans.trajectory.type", trajectory, self.env._("trajectory"))
        if self.state != "done":
            raise UserError(self.env._("Finish the walk before attaching the advice."))
        trajectory = trajectory or case.trajectory_type_id or self.advised_trajectory_id
        self._check_choice(trajectory, reason)
        if trajectory and case.trajectory_type_id != trajectory:
            case.trajectory_type_id = trajectory
        self._link_case(case, trajectory, reason)
        return case

    def _link_case(self, case, trajectory, reason):
        self.write(
            {
                "case_id": case.id,
                "chosen_trajectory_id": trajectory.id if trajectory else False,
                "override_reason": reason if trajectory and trajectory != self.advised_trajectory_id else False,
            }
        )
        self._apply_to_case(case)

    def action_open_case(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "woonkans.case",
            "res_id": self.case_id.id,
            "view_mode": "form",
        }

    def action_start_case(self):
        """Open the advice screen of the wizard to start a case from this finished run."""
        return self._open_use_advice("new")

    def action_attach_to_case(self):
        """Open the advice screen of the wizard to attach this finished run to a case."""
        return self._open_use_advice("attach")

    def _open_use_advice(self, action):
        self.ensure_one()
        if not self.can_use_advice:
            raise UserError(self.env._("Only a finished run without a case can start or join a case."))
        return self.env["woonkans.decision.walk"]._from_run(self, action)

    def action_save_as_scenario(self):
        """Record this finished run as a policy scenario of its tree, and open it."""
        self.ensure_one()
        return self.env["woonkans.decision.scenario"]._from_run(self).action_open()

    def action_print(self):
        self.ensure_one()
        return self.env.ref("woonkans_decision_tree.woonkans_decision_run_report_advice").report_action(self)
