from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from . import decision_engine as engine
from . import decision_transfer as transfer

STATES = [("draft", "Draft"), ("review", "In review"), ("published", "Published"), ("archived", "Archived")]
# fields the state machine itself may change on a version in review, published or archived
STATE_FIELDS = {
    "state",
    "date_published",
    "published_by_id",
    "date_archived",
    "date_review",
    "reviewed_by_id",
    "message_main_attachment_id",
}
# what may still change while a version is in review: its change summary
REVIEW_FIELDS = {"note"}
NODE_DIFF_FIELDS = (
    "kind",
    "question_type",
    "text",
    "help_text",
    "outcome_kind",
    "trajectory_type_id",
    "organisation_role_id",
    "condition_template_ids",
    "next_steps",
    "tenant_message",
    "explanation_template",
)
OPTION_DIFF_FIELDS = (
    "label",
    "next_node_id",
    "is_unknown",
    "rule_operator",
    "rule_value",
    "rule_parameter_code",
    "met_condition_codes",
    "na_condition_codes",
    "blocking_condition_ids",
    "blocking_criterion",
)


class WoonkansDecisionTreeVersion(models.Model):
    """One version of a tree: draft → in review → published (immutable) → archived.

    In review, every scenario of the tree runs against the version; publishing
    needs a change summary and no failing scenario (or an accepted new result).
    """

    _name = "woonkans.decision.tree.version"
    _description = "Decision tree version"
    _inherit = ["mail.thread", "woonkans.portal.readable.mixin"]
    _order = "tree_id, number desc"
    _rec_names_search = ["tree_id.name"]

    tree_id = fields.Many2one("woonkans.decision.tree", required=True, ondelete="cascade", index=True)
    number = fields.Integer(readonly=True, copy=False)
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, copy=False, index=True, tracking=True
    )
    note = fields.Text(
        string="Change summary", help="What changed in this version, and why; required to publish.", tracking=True
    )
    start_node_id = fields.Many2one(
        "woonkans.decision.node", string="First question", domain="[('version_id', '=', id)]", ondelete="set null"
    )
    node_ids = fields.One2many("woonkans.decision.node", "version_id", string="Nodes")
    question_count = fields.Integer(compute="_compute_counts")
    outcome_count = fields.Integer(compute="_compute_counts")
    date_published = fields.Datetime(readonly=True, copy=False)
    published_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_archived = fields.Datetime(readonly=True, copy=False)
    date_review = fields.Datetime(string="Sent for review", readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", string="Sent for review by", readonly=True, copy=False)
    scenario_result_ids = fields.One2many(
        "woonkans.decision.scenario.result", "version_id", string="Scenario results", readonly=True
    )
    scenario_fail_count = fields.Integer(compute="_compute_scenario_counts", string="Failing scenarios")
    scenario_pass_count = fields.Integer(compute="_compute_scenario_counts", string="Passing scenarios")
    review_html = fields.Html(string="Review", compute="_compute_review_html", sanitize=False)
    map_html = fields.Html(string="Map", compute="_compute_map_html", sanitize=False)
    problem_html = fields.Html(string="Problems", compute="_compute_problem_html", sanitize=False)
    warning_html = fields.Html(string="Warnings", compute="_compute_problem_html", sanitize=False)

    _number_unique = models.Constraint("unique(tree_id, number)", "A version number must be unique within its tree.")
    _one_published = models.UniqueIndex(
        "(tree_id) WHERE state = 'published'", "Only one version of a tree can be published at a time."
    )

    @api.model
    def _search_display_name(self, operator, value):
        """Match the tree's name, or the version number ("3" or "v3")."""
        domain = super()._search_display_name(operator, value)
        if operator in ("ilike", "=ilike", "=") and isinstance(value, str):
            digits = value.strip().lower().removeprefix("v")
            if digits.isascii() and digits.isdigit() and len(digits) < 9:
                domain = domain | Domain("number", "=", int(digits))
        return domain

    @api.depends("tree_id.name", "number", "state")
    def _compute_display_name(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for version in self:
            version.display_name = self.env._(
                "%(tree)s v%(number)s (%(state)s)",
                tree=version.tree_id.name or "",
                number=version.number,
                state=labels.get(version.state, ""),
            )

    @api.depends("node_ids.kind")
    def _compute_counts(self):
        for version in self:
            version.question_count = len(version.node_ids.filtered(lambda n: n.kind == "question"))
            version.outcome_count = len(version.node_ids) - version.question_count

    @api.depends("scenario_result_ids.state")
    def _compute_scenario_counts(self):
        for version in self:
            states = version.scenario_result_ids.mapped("state")
            version.scenario_fail_count = states.count("fail")
            version.scenario_pass_count = len(states) - states.count("fail")

    def _compute_review_html(self):
        for version in self:
            if version.state == "draft" or not version.date_review:
                version.review_html = False
                continue
            version.review_html = self.env["ir.qweb"]._render(
                "woonkans_decision_tree.decision_version_review", version._review_values()
            )

    def _compute_map_html(self):
        for version in self:
            version.map_html = version._render_map()

    def _compute_problem_html(self):
        for version in self:
            problems = version._validation_problems() if version.state == "draft" else []
            warnings = version._validation_warnings() if version.state == "draft" else []
            version.problem_html = _html_list(problems)
            version.warning_html = _html_list(warnings)

    # ------------------------------------------------------------------
    # CRUD: published and archived versions are immutable
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("number") and vals.get("tree_id"):
                last = self.search([("tree_id", "=", vals["tree_id"])], order="number desc", limit=1)
                vals["number"] = (
                    (last.number or 0)
                    + 1
                    + sum(
                        1
                        for other in vals_list
                        if other is not vals and other.get("tree_id") == vals["tree_id"] and other.get("number")
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        changed = set(vals) - STATE_FIELDS
        if changed:
            self._check_editable(review_ok=changed <= REVIEW_FIELDS)
        result = super().write(vals)
        if "state" in vals:
            self.env.registry.clear_cache()  # published version of the tree changed
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(version.state != "draft" for version in self):
            raise UserError(self.env._("A published or archived version cannot be deleted; it is kept for the record."))

    def _check_editable(self, review_ok=False):
        frozen = self.filtered(lambda v: v.state != "draft" and not (review_ok and v.state == "review"))
        if frozen:
            if frozen[0].state == "review":
                raise UserError(
                    self.env._(
                        "%(version)s is in review and cannot be changed. Use 'Back to draft' to edit it.",
                        version=frozen[0].display_name,
                    )
                )
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(version)s is %(state)s and cannot be changed. Use 'New draft' to edit a copy.",
                    version=frozen[0].display_name,
                    state=labels[frozen[0].state].lower(),
                )
            )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def _open_form(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_submit_review(self):
        """Draft → in review: run every scenario of the tree against this version."""
        for version in self:
            if version.state != "draft":
                raise UserError(self.env._("Only a draft can be sent for review."))
            version.write({"state": "review", "date_review": fields.Datetime.now(), "reviewed_by_id": self.env.uid})
            version._run_scenarios()
            version._log_review(
                self.env._(
                    "Sent for review: %(passed)s of %(total)s scenarios pass, %(changed)s changed from the "
                    "published version.",
                    passed=version.scenario_pass_count,
                    total=len(version.scenario_result_ids),
                    changed=len(version.scenario_result_ids.filtered("changed")),
                )
            )
        return True

    def action_back_to_draft(self):
        for version in self:
            if version.state != "review":
                raise UserError(self.env._("Only a version in review can go back to draft."))
            version.scenario_result_ids.sudo().unlink()
            version.write({"state": "draft", "date_review": False, "reviewed_by_id": False})
            version._log_review(self.env._("Back to draft for more changes."))
        return True

    def action_rerun_scenarios(self):
        for version in self:
            if version.state != "review":
                raise UserError(self.env._("Scenarios run again only on a version in review."))
            version._run_scenarios()
        return True

    def action_publish(self):
        """In review → published. A draft is reviewed on the way (for data files and scripts)."""
        for version in self:
            if version.state == "draft":
                version.action_submit_review()
            if version.state != "review":
                raise UserError(self.env._("Only a draft or a version in review can be published."))
            problems = version._publish_blockers()
            if problems:
                raise ValidationError(
                    self.env._("%(version)s cannot be published:", version=version.display_name)
                    + "\n- "
                    + "\n- ".join(problems)
                )
            previous = version.tree_id.version_ids.filtered(lambda v: v.state == "published")
            previous.write({"state": "archived", "date_archived": fields.Datetime.now()})
            previous.flush_recordset()  # archived before the new one is published: one published per tree
            version.write(
                {"state": "published", "date_published": fields.Datetime.now(), "published_by_id": self.env.uid}
            )
            results = version.scenario_result_ids
            version._log_review(
                self.env._(
                    "Published. Change summary: %(note)s Scenarios: %(passed)s pass, %(accepted)s new results "
                    "accepted.",
                    note=version.note,
                    passed=len(results.filtered(lambda r: r.state == "pass")),
                    accepted=len(results.filtered(lambda r: r.state == "accepted")),
                )
            )
        return True

    def _publish_blockers(self):
        """Why this version cannot be published now, as readable lines."""
        self.ensure_one()
        problems = self._validation_problems()
        if not (self.note or "").strip():
            problems.append(self.env._("Write a change summary: what changed in this version, and why."))
        for result in self.scenario_result_ids.filtered(lambda r: r.state == "fail"):
            problems.append(
                self.env._(
                    "Scenario %(scenario)s fails: %(failure)s Correct the tree, or accept the new result.",
                    scenario=result.name,
                    failure=result.failure or "",
                )
            )
        return problems

    def _run_scenarios(self):
        """(Re)create this version's scenario results, compared with the published version."""
        self.ensure_one()
        published = self.tree_id.sudo().published_version_id
        if published == self:
            published = published.browse()
        scenarios = self.env["woonkans.decision.scenario"].sudo().search([("tree_id", "=", self.tree_id.id)])
        accepted = {r.scenario_id: r for r in self.scenario_result_ids if r.state == "accepted"}
        self.scenario_result_ids.sudo().unlink()
        vals_list = []
        for scenario in scenarios:
            result = scenario._evaluate(self)
            failures = scenario._failures(result)
            before = scenario._evaluate(published) if published else None
            changed = bool(before) and (
                before["outcome"] != result["outcome"] or set(before["missing"]) != set(result["missing"])
            )
            previous = accepted.get(scenario)
            state = "pass" if not failures else "fail"
            vals = {
                "version_id": self.id,
                "scenario_id": scenario.id,
                "name": scenario.name,
                "sequence": scenario.sequence,
                "state": state,
                "expected_outcome_code": scenario.expected_outcome_code,
                "outcome_code": result["outcome"] or False,
                "missing_codes": ",".join(result["missing"]) or False,
                "path_codes": ",".join(result["path"]) or False,
                "published_outcome_code": before["outcome"] if before else False,
                "published_missing_codes": (",".join(before["missing"]) or False) if before else False,
                "changed": changed,
                "failure": "\n".join(failures) or False,
            }
            if previous and state == "pass":
                vals.update(
                    state="accepted", accepted_by_id=previous.accepted_by_id.id, date_accepted=previous.date_accepted
                )
            vals_list.append(vals)
        self.env["woonkans.decision.scenario.result"].sudo().create(vals_list)

    def _log_review(self, text):
        self.ensure_one()
        self.message_post(body=Markup("<p>%s</p>") % text, subtype_xmlid="mail.mt_note")

    def _unexercised_questions(self):
        """The questions of this version that no scenario result passes through."""
        self.ensure_one()
        asked = {code for r in self.scenario_result_ids for code in (r.path_codes or "").split(",") if code}
        return self.node_ids.filtered(lambda n: n.kind == "question" and n.code not in asked)

    def _validation_warnings(self):
        """What does not block publishing but deserves a look."""
        self.ensure_one()
        warnings = []
        options = self.node_ids.option_ids
        for node in self.node_ids.filtered(lambda n: n.kind == "outcome" and n.outcome_kind == "not_eligible"):
            if node.condition_template_ids:
                continue
            for option in options.filtered(
                lambda o, node=node: o.next_node_id == node and not (o.blocking_condition_ids or o.blocking_criterion)
            ):
                warnings.append(
                    self.env._(
                        "Not-eligible outcome %(node)s lists nothing under 'what is missing' when reached through "
                        "answer %(answer)s of %(question)s: name the condition that answer fails.",
                        node=node._problem_label(),
                        answer=option.code,
                        question=option.node_id.code,
                    )
                )
        return warnings

    def _review_values(self):
        self.ensure_one()
        published = self.tree_id.published_version_id
        if published == self:
            published = published.browse()
        results = self.scenario_result_ids
        return {
            "version": self,
            "published": published,
            "problems": self._validation_problems() if self.state == "review" else [],
            "warnings": self._validation_warnings(),
            "changed": results.filtered("changed"),
            "failing": results.filtered(lambda r: r.state == "fail"),
            "accepted": results.filtered(lambda r: r.state == "accepted"),
            "results": results,
            "unexercised": self._unexercised_questions(),
            "diff": published._diff(self) if published else None,
        }

    def action_archive_version(self):
        for version in self:
            if version.state != "published":
                raise UserError(self.env._("Only the published version can be archived."))
        self.write({"state": "archived", "date_archived": fields.Datetime.now()})
        return True

    def action_new_draft(self):
        """Copy this version's nodes and options into a new draft and open it."""
        self.ensure_one()
        draft = self._copy_as_draft()
        return draft._open_form()

    def _copy_as_draft(self):
        self.ensure_one()
        draft = self.create({"tree_id": self.tree_id.id, "note": False})
        mapping = {}
        for node in self.node_ids:
            mapping[node] = node.with_context(woonkans_decision_copy=True).copy({"version_id": draft.id})
        option_vals = []
        for node, new_node in mapping.items():
            for option in node.option_ids:
                vals = option.copy_data({"node_id": new_node.id})[0]
                vals["next_node_id"] = mapping[option.next_node_id].id if option.next_node_id in mapping else False
                option_vals.append(vals)
        self.env["woonkans.decision.option"].create(option_vals)
        draft.start_node_id = mapping.get(self.start_node_id, self.env["woonkans.decision.node"])
        return draft

    def action_export_json(self):
        """Download this version, with its tree, parameters, scenarios and translations, as JSON."""
        self.ensure_one()
        text = transfer.dumps(transfer.export_version(self))
        name = f"{self.tree_id.code}-v{self.number}.json"
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": text.encode("utf-8"),
                    "mimetype": "application/json",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env.ref("woonkans_decision_tree.woonkans_decision_tree_version_report_xlsx").report_action(self)

    def action_compare(self):
        self.ensure_one()
        other = self.tree_id.version_ids.filtered(lambda v: v.number < self.number).sorted("number")[-1:]
        wizard = self.env["woonkans.decision.version.compare"].create(
            {"version_id": other.id or self.id, "other_version_id": self.id}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Compare versions"),
        }

    # ------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------

    def _validation_problems(self):  # noqa: C901 - one flat check per publishing rule
        """Every reason this version cannot be published, as readable lines."""
        self.ensure_one()
        problems = []
        nodes = self.node_ids
        if not nodes:
            return [self.env._("The version has no questions or outcomes.")]
        start = self.start_node_id
        if not start:
            problems.append(self.env._("Choose the first question."))
        codes = {}
        for node in nodes:
            codes.setdefault(node.code, []).append(node)
        for code, same in codes.items():
            if len(same) > 1:
                problems.append(self.env._("The code %(code)s is used by more than one node.", code=code))
        edges = {node: node.option_ids.next_node_id for node in nodes}
        for node in nodes:
            label = node._problem_label()
            if node.kind == "question":
                options = node.option_ids
                if not options.filtered(lambda o: not o.is_unknown):
                    problems.append(self.env._("%(node)s has no answers.", node=label))
                unknown = options.filtered("is_unknown")
                if not unknown:
                    problems.append(self.env._("%(node)s has no 'unknown / still to check' answer.", node=label))
                elif len(unknown) > 1:
                    problems.append(self.env._("%(node)s has more than one 'unknown' answer.", node=label))
                for option in options.filtered(lambda o: not o.next_node_id):
                    problems.append(
                        self.env._(
                            "Dead end: answer %(answer)s of %(node)s leads nowhere.", answer=option.code, node=label
                        )
                    )
                for option in options.filtered(lambda o: o.next_node_id and o.next_node_id.version_id != self):
                    problems.append(
                        self.env._(
                            "Answer %(answer)s of %(node)s leads to another version.", answer=option.code, node=label
                        )
                    )
                option_codes = options.mapped("code")
                if len(option_codes) != len(set(option_codes)):
                    problems.append(self.env._("%(node)s has two answers with the same code.", node=label))
                if node.question_type in ("date", "number"):
                    rules = options.filtered(lambda o: not o.is_unknown)
                    if not rules.filtered(lambda o: o.rule_operator == "otherwise"):
                        problems.append(
                            self.env._(
                                "Dead end: %(node)s needs an 'otherwise' answer for values no rule matches.", node=label
                            )
                        )
                    params = set(self.tree_id.parameter_ids.mapped("code"))
                    for option in rules.filtered(
                        lambda o, params=params: o.rule_parameter_code and o.rule_parameter_code not in params
                    ):
                        problems.append(
                            self.env._(
                                "Answer %(answer)s of %(node)s refers to the unknown parameter %(param)s.",
                                answer=option.code,
                                node=label,
                                param=option.rule_parameter_code,
                            )
                        )
            elif node.option_ids:
                problems.append(self.env._("Outcome %(node)s must not have answers.", node=label))
        if start:
            reached, stack = set(), [start]
            while stack:
                node = stack.pop()
                if node in reached:
                    continue
                reached.add(node)
                stack.extend(n for n in edges.get(node, ()) if n in edges)
            for node in nodes - self.env["woonkans.decision.node"].union(*reached):
                if node.kind == "outcome":
                    problems.append(self.env._("Outcome %(node)s can never be reached.", node=node._problem_label()))
                else:
                    problems.append(self.env._("Question %(node)s can never be reached.", node=node._problem_label()))
            cycle = self._find_cycle(start, edges)
            if cycle:
                problems.append(self.env._("Cycle: %(path)s.", path=" → ".join(cycle.mapped("code"))))
        return problems

    @api.model
    def _find_cycle(self, start, edges):
        """Return the nodes of one cycle reachable from ``start``, or None."""
        colour = {}
        path = []

        def visit(node):
            colour[node] = 1
            path.append(node)
            for nxt in edges.get(node, ()):
                if colour.get(nxt) == 1:
                    return path[path.index(nxt) :] + [nxt]
                if not colour.get(nxt) and nxt in edges:
                    found = visit(nxt)
                    if found:
                        return found
            colour[node] = 2
            path.pop()
            return None

        found = visit(start)
        return self.env["woonkans.decision.node"].concat(*found) if found else None

    # ------------------------------------------------------------------
    # compilation and results
    # ------------------------------------------------------------------

    def _compiled(self):
        self.ensure_one()
        if self.state == "draft":
            return self._compile()
        return self._compiled_cached(self.id, self.env.lang or "en_US")

    @tools.ormcache("version_id", "lang")
    def _compiled_cached(self, version_id, lang):
        return self.browse(version_id).with_context(lang=lang)._compile()

    def _compile(self):
        """Read the whole version in a few queries into plain, immutable-by-convention dicts."""
        self.ensure_one()
        version = self.sudo()
        node_rows = version.env["woonkans.decision.node"].search_read(
            [("version_id", "=", version.id)],
            [
                "code",
                "kind",
                "question_type",
                "text",
                "short_text",
                "help_text",
                "check_text",
                "sequence",
                "outcome_kind",
                "trajectory_type_id",
                "organisation_role_id",
                "condition_template_ids",
                "next_steps",
                "tenant_message",
                "explanation_template",
                "target_group",
                "prefill_key",
            ],
            order="sequence, id",
        )
        option_rows = version.env["woonkans.decision.option"].search_read(
            [("version_id", "=", version.id)],
            [
                "node_id",
                "code",
                "label",
                "sequence",
                "next_node_id",
                "is_unknown",
                "rule_operator",
                "rule_value",
                "rule_parameter_code",
                "met_condition_codes",
                "na_condition_codes",
                "explanation",
                "prefill",
                "blocking_condition_ids",
                "blocking_criterion",
            ],
            order="sequence, id",
        )
        template_ids = {tid for row in node_rows for tid in row["condition_template_ids"]}
        template_ids |= {tid for row in option_rows for tid in row["blocking_condition_ids"]}
        templates = {
            t["id"]: (t["code"], t["name"])
            for t in version.env["woonkans.condition.template"].browse(template_ids).read(["code", "name", "sequence"])
        }
        trajectory_ids = {row["trajectory_type_id"][0] for row in node_rows if row["trajectory_type_id"]}
        trajectories = {
            t["id"]: t
            for t in version.env["woonkans.trajectory.type"].browse(trajectory_ids).read(["code", "name", "sequence"])
        }
        role_ids = {row["organisation_role_id"][0] for row in node_rows if row["organisation_role_id"]}
        roles = {r["id"]: r for r in version.env["woonkans.organisation.role"].browse(role_ids).read(["code", "name"])}
        code_by_id = {row["id"]: row["code"] for row in node_rows}
        nodes = {}
        for row in node_rows:
            trajectory = trajectories.get(row["trajectory_type_id"] and row["trajectory_type_id"][0])
            role = roles.get(row["organisation_role_id"] and row["organisation_role_id"][0])
            nodes[row["code"]] = {
                "id": row["id"],
                "code": row["code"],
                "kind": row["kind"],
                "type": row["question_type"],
                "text": row["text"] or "",
                "short": row["short_text"] or "",
                "help": row["help_text"] or "",
                "check_text": row["check_text"] or "",
                "options": [],
                "outcome_kind": row["outcome_kind"],
                "trajectory": {"id": trajectory["id"], "code": trajectory["code"], "name": trajectory["name"]}
                if trajectory
                else None,
                "role": {"code": role["code"], "name": role["name"]} if role else None,
                "conditions": [templates[tid] for tid in row["condition_template_ids"] if tid in templates],
                "next_steps": str(row["next_steps"] or ""),
                "tenant_message": str(row["tenant_message"] or ""),
                "explanation_template": row["explanation_template"] or "",
                "target_group": row["target_group"] or None,
                "prefill_key": row["prefill_key"] or None,
            }
        for row in option_rows:
            node_code = code_by_id.get(row["node_id"][0])
            if node_code is None:
                continue
            nodes[node_code]["options"].append(
                {
                    "id": row["id"],
                    "code": row["code"],
                    "label": row["label"] or row["code"],
                    "sequence": row["sequence"],
                    "next": code_by_id.get(row["next_node_id"] and row["next_node_id"][0]),
                    "is_unknown": row["is_unknown"],
                    "operator": row["rule_operator"],
                    "value": row["rule_value"],
                    "param": row["rule_parameter_code"] or None,
                    "met": tuple(_split_codes(row["met_condition_codes"])),
                    "na": tuple(_split_codes(row["na_condition_codes"])),
                    "explanation": row["explanation"] or "",
                    "prefill": dict(_split_prefill(row["prefill"])),
                    "blocks": tuple(
                        [templates[tid] for tid in row["blocking_condition_ids"] if tid in templates]
                        + (
                            [(f"{node_code}/{row['code']}", row["blocking_criterion"])]
                            if row["blocking_criterion"]
                            else []
                        )
                    ),
                }
            )
        reach, depth = _reach_and_depth(nodes)
        ordered = sorted(trajectories.values(), key=lambda t: (t["sequence"], t["id"]))
        return {
            "version_id": version.id,
            "tree_code": version.tree_id.code,
            "number": version.number,
            "start": code_by_id.get(version.start_node_id.id),
            "nodes": nodes,
            "reach": reach,
            "depth": depth,
            "trajectories": [(t["code"], t["name"]) for t in ordered],
        }

    def _result_payload(self, compiled, result, params):
        """The JSON-serialisable answer of ``evaluate`` for one walk result."""
        payload = {
            "tree": compiled["tree_code"],
            "version": compiled["number"],
            "complete": bool(result["outcome"]),
            "answers": result["answers"],
            "ignored": result["ignored"],
            "explanation": [step["line"] for step in result["steps"]],
            "to_check": result["to_check"],
            "progress": engine.progress(compiled, result),
        }
        if result["error"]:
            payload["error"] = result["error"]
        if result["outcome"]:
            node = compiled["nodes"][result["outcome"]]
            trajectory = node["trajectory"]
            payload["outcome"] = {
                "code": node["code"],
                "kind": node["outcome_kind"],
                "title": engine.fill(node["text"], params),
                "summary": engine.fill(node["explanation_template"], params),
                "trajectory": trajectory["code"] if trajectory else None,
                "trajectory_name": trajectory["name"] if trajectory else None,
                "refer_to": node["role"]["code"] if node["role"] else None,
                "refer_to_name": node["role"]["name"] if node["role"] else None,
                "next_steps": engine.fill(node["next_steps"], params),
                "tell_tenant": engine.fill(node["tenant_message"], params),
            }
            payload["missing"] = engine.missing(compiled, result, params)
            payload["why_not"] = engine.why_not(compiled, result, self.env._)
        elif result["node"]:
            node = compiled["nodes"][result["node"]]
            payload["question"] = {
                "code": node["code"],
                "type": node["type"],
                "text": engine.fill(node["text"], params),
                "help": engine.fill(node["help"], params),
                "options": [
                    {"code": o["code"], "label": engine.fill(o["label"], params), "is_unknown": o["is_unknown"]}
                    for o in node["options"]
                ],
            }
        return payload

    # ------------------------------------------------------------------
    # map, print and diff
    # ------------------------------------------------------------------

    def _map_tree(self):
        """Nested dicts from the first question for the map and the PDF; shared nodes appear once."""
        self.ensure_one()
        seen = set()

        def build(node, depth):
            item = {"node": node, "options": [], "again": node.id in seen}
            if item["again"] or depth > 60:
                return item
            seen.add(node.id)
            for option in node.option_ids:
                item["options"].append(
                    {"option": option, "child": build(option.next_node_id, depth + 1) if option.next_node_id else None}
                )
            return item

        return build(self.start_node_id, 0) if self.start_node_id else None

    def _render_map(self):
        self.ensure_one()
        if not self.start_node_id:
            return False
        return self.env["ir.qweb"]._render(
            "woonkans_decision_tree.decision_tree_map", {"root": self._map_tree(), "version": self}
        )

    def _diff(self, other):
        """What changed from ``self`` (old) to ``other`` (new), keyed by stable codes."""
        self.ensure_one()
        old_nodes = {n.code: n for n in self.node_ids}
        new_nodes = {n.code: n for n in other.node_ids}
        diff = {"added": [], "removed": [], "changed": []}
        for code in sorted(new_nodes.keys() - old_nodes.keys()):
            diff["added"].append({"what": new_nodes[code].kind, "code": code, "text": new_nodes[code].text})
        for code in sorted(old_nodes.keys() - new_nodes.keys()):
            diff["removed"].append({"what": old_nodes[code].kind, "code": code, "text": old_nodes[code].text})
        for code in sorted(old_nodes.keys() & new_nodes.keys()):
            old, new = old_nodes[code], new_nodes[code]
            changed = [f for f in NODE_DIFF_FIELDS if _comparable(old, f) != _comparable(new, f)]
            if changed:
                diff["changed"].append(
                    {
                        "what": new.kind,
                        "code": code,
                        "text": new.text,
                        "fields": [new._fields[f].string for f in changed],
                    }
                )
            old_options = {o.code: o for o in old.option_ids}
            new_options = {o.code: o for o in new.option_ids}
            for ocode in sorted(new_options.keys() - old_options.keys()):
                diff["added"].append({"what": "answer", "code": f"{code}/{ocode}", "text": new_options[ocode].label})
            for ocode in sorted(old_options.keys() - new_options.keys()):
                diff["removed"].append({"what": "answer", "code": f"{code}/{ocode}", "text": old_options[ocode].label})
            for ocode in sorted(old_options.keys() & new_options.keys()):
                o_old, o_new = old_options[ocode], new_options[ocode]
                changed = [f for f in OPTION_DIFF_FIELDS if _comparable(o_old, f) != _comparable(o_new, f)]
                if changed:
                    diff["changed"].append(
                        {
                            "what": "answer",
                            "code": f"{code}/{ocode}",
                            "text": o_new.label,
                            "fields": [o_new._fields[f].string for f in changed],
                        }
                    )
        return diff


def _html_list(lines):
    return Markup("<ul>%s</ul>") % Markup("").join(Markup("<li>%s</li>") % line for line in lines) if lines else False


def _comparable(record, field_name):
    value = record[field_name]
    field = record._fields[field_name]
    if field.type == "many2one":
        return value.code if "code" in value._fields else value.id
    if field.type == "many2many":
        return sorted(value.mapped("code"))
    return value or False


def _split_codes(text):
    return [c.strip() for c in (text or "").replace(";", ",").split(",") if c.strip()]


def _split_prefill(text):
    for pair in _split_codes(text):
        if "=" in pair:
            key, value = pair.split("=", 1)
            yield key.strip(), value.strip()


def _reach_and_depth(nodes):
    """Trajectory codes reachable from each node, and the most questions left."""
    reach, depth, busy = {}, {}, set()

    def visit(code):
        if code in reach:
            return
        if code in busy:  # cycle in a draft: stop here
            reach[code], depth[code] = frozenset(), 0
            return
        busy.add(code)
        node = nodes[code]
        found = set()
        if node["kind"] == "outcome":
            if node["trajectory"]:
                found.add(node["trajectory"]["code"])
            longest = 0
        else:
            longest = 1
            for option in node["options"]:
                if option["next"] and option["next"] in nodes:
                    visit(option["next"])
                    found |= reach[option["next"]]
                    longest = max(longest, 1 + depth[option["next"]])
        busy.discard(code)
        reach[code], depth[code] = frozenset(found), longest
        return

    for code in nodes:
        visit(code)
    return reach, depth
