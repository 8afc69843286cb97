"""Trees that travel: one version of a tree as one JSON document, and back.

The document holds the tree (code, name, description, channels), its
parameters, the version's nodes and answers, the tree's scenarios and the
translations of every translated text for every active language besides
English. Trajectories, condition templates and organisation roles are referred
to by their stable codes, so another bureau's database with the same
woonkans_case data can import it. Import always makes a new draft.
"""

import json

from markupsafe import Markup

from odoo import Command
from odoo.exceptions import UserError

FORMAT = "woonkans.decision.tree"
FORMAT_VERSION = 1
TREE_FIELDS = ("name", "description", "portal_enabled", "public_enabled")
PARAMETER_FIELDS = ("name", "value", "config_parameter")
NODE_FIELDS = (
    "sequence",
    "kind",
    "question_type",
    "text",
    "short_text",
    "help_text",
    "check_text",
    "prefill_key",
    "outcome_kind",
    "target_group",
    "next_steps",
    "tenant_message",
    "explanation_template",
)
OPTION_FIELDS = (
    "sequence",
    "label",
    "is_unknown",
    "rule_operator",
    "rule_value",
    "rule_parameter_code",
    "met_condition_codes",
    "na_condition_codes",
    "explanation",
    "prefill",
    "blocking_criterion",
)
SCENARIO_FIELDS = (
    "name",
    "sequence",
    "description",
    "expected_outcome_code",
    "must_missing_codes",
    "must_not_missing_codes",
)
MAX_SIZE = 5 * 1024 * 1024


def _value(record, field_name):
    value = record[field_name]
    if isinstance(value, Markup):
        return str(value)
    return None if value is False else value


def _translated(model, field_names):
    return [f for f in field_names if getattr(model._fields[f], "translate", False)]


def _template_ref(template):
    return [template.trajectory_type_id.code, template.code]


def dumps(data):
    """The canonical text of an export: sorted keys, one item a line, UTF-8 as is."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def export_version(version):
    """One version of a tree, with its tree, parameters, scenarios and translations, as a dict."""
    version.ensure_one()
    env = version.env
    en = version.with_context(lang="en_US").sudo()
    tree = en.tree_id
    nodes = en.node_ids.sorted(lambda n: (n.sequence, n.id))
    scenarios = env["woonkans.decision.scenario"].sudo().with_context(lang="en_US", active_test=False)
    scenarios = scenarios.search([("tree_id", "=", tree.id)]).sorted(lambda s: (s.sequence, s.id))
    parameters = tree.parameter_ids.sorted("code")
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tree": dict({f: _value(tree, f) for f in TREE_FIELDS}, code=tree.code),
        "version": {"number": en.number, "note": en.note or None, "start": en.start_node_id.code or None},
        "parameters": [dict({f: _value(p, f) for f in PARAMETER_FIELDS}, code=p.code) for p in parameters],
        "nodes": [],
        "scenarios": [],
    }
    for node in nodes:
        item = {f: _value(node, f) for f in NODE_FIELDS}
        item.update(
            code=node.code,
            trajectory=node.trajectory_type_id.code or None,
            refer_to=node.organisation_role_id.code or None,
            conditions=[_template_ref(t) for t in node.condition_template_ids],
            options=[],
        )
        for option in node.option_ids.sorted(lambda o: (o.sequence, o.id)):
            entry = {f: _value(option, f) for f in OPTION_FIELDS}
            entry.update(
                code=option.code,
                next=option.next_node_id.code or None,
                blocking_conditions=[_template_ref(t) for t in option.blocking_condition_ids],
            )
            item["options"].append(entry)
        data["nodes"].append(item)
    for scenario in scenarios:
        item = {f: _value(scenario, f) for f in SCENARIO_FIELDS}
        item.update(answers=scenario.answers or {}, active=scenario.active)
        data["scenarios"].append(item)
    translations = {}
    for lang in sorted(code for code, _name in env["res.lang"].get_installed() if code != "en_US"):
        by_kind = {}
        _add_translations(by_kind, "tree", "tree", tree, TREE_FIELDS, lang)
        for p in parameters:
            _add_translations(by_kind, "parameters", p.code, p, PARAMETER_FIELDS, lang)
        for node in nodes:
            _add_translations(by_kind, "nodes", node.code, node, NODE_FIELDS, lang)
            for option in node.option_ids:
                _add_translations(by_kind, "options", f"{node.code}/{option.code}", option, OPTION_FIELDS, lang)
        for index, scenario in enumerate(scenarios):
            _add_translations(by_kind, "scenarios", str(index), scenario, SCENARIO_FIELDS, lang)
        if by_kind:
            translations[lang] = by_kind
    data["translations"] = translations
    return data


def _add_translations(by_kind, kind, key, record, field_names, lang):
    """Put the ``lang`` values of ``record``'s translated fields that differ from English in ``by_kind``."""
    other = record.with_context(lang=lang)
    values = {}
    for f in _translated(record, field_names):
        value, base = _value(other, f), _value(record, f)
        if value != base and value is not None:
            values[f] = value
    if values:
        by_kind.setdefault(kind, {})[key] = values


class _Refs:
    """Looks up trajectories, roles and condition templates by code; collects what is unknown."""

    def __init__(self, env):
        self.env = env
        self.unknown = []
        ctx = {"active_test": False}
        self.trajectories = {t.code: t for t in env["woonkans.trajectory.type"].with_context(**ctx).search([])}
        self.roles = {r.code: r for r in env["woonkans.organisation.role"].with_context(**ctx).search([])}
        self.templates = {
            (t.trajectory_type_id.code, t.code): t
            for t in env["woonkans.condition.template"].with_context(**ctx).search([])
        }

    def trajectory(self, code):
        if not code:
            return False
        if code not in self.trajectories:
            self.unknown.append(self.env._("trajectory %(code)s", code=code))
            return False
        return self.trajectories[code].id

    def role(self, code):
        if not code:
            return False
        if code not in self.roles:
            self.unknown.append(self.env._("organisation role %(code)s", code=code))
            return False
        return self.roles[code].id

    def templates_of(self, refs):
        ids = []
        for ref in refs or []:
            key = tuple(ref) if isinstance(ref, (list, tuple)) and len(ref) == 2 else None
            if key not in self.templates:
                self.unknown.append(self.env._("condition %(code)s", code="/".join(map(str, ref or []))))
                continue
            ids.append(self.templates[key].id)
        return [Command.set(ids)]


def _clean(vals, field_names):
    return {f: (False if vals.get(f) is None else vals.get(f)) for f in field_names if f in vals}


def parse(raw, env):
    """The export document in ``raw`` (bytes or text), or a clear UserError."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_SIZE:
            raise UserError(env._("The file is too large for a Woonkansboom export."))
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(env._("The file is not a Woonkansboom export: it is not UTF-8 text.")) from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise UserError(env._("The file is not a Woonkansboom export: it is not valid JSON.")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(env._("The file is not a Woonkansboom export."))
    if data.get("format_version") != FORMAT_VERSION:
        raise UserError(env._("This Woonkansboom export has a format this version of Odoo cannot read."))
    return data


def import_version(env, data, tree_code=None, tree_name=None):
    """Create a new draft from an export dict; returns the draft.

    The draft goes to the tree with ``tree_code`` (default: the code in the
    file), created with the file's name, parameters and scenarios when it does
    not exist yet. Any reference that does not exist here stops the import with
    the full list; nothing is saved then.
    """
    try:
        return _import_version(env, data, tree_code, tree_name)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UserError(
            env._("The file is not a complete Woonkansboom export (%(detail)s).", detail=str(exc)[:200])
        ) from None


def _import_version(env, data, tree_code, tree_name):  # noqa: C901 - one pass over the document
    env = env(context=dict(env.context, lang="en_US", active_test=False))
    codes = [item["code"] for item in data["nodes"]]
    codes += [f"{item['code']}/{option['code']}" for item in data["nodes"] for option in item.get("options") or []]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise UserError(env._("This export uses a code more than once: %(codes)s.", codes=", ".join(map(str, twice))))
    refs = _Refs(env)
    tree_data = data["tree"]
    code = (tree_code or tree_data["code"] or "").strip()
    if not code:
        raise UserError(env._("Give the tree a code."))
    Tree = env["woonkans.decision.tree"]
    tree = Tree.search([("code", "=", code)], limit=1)
    new_tree = not tree
    if new_tree:
        vals = _clean(tree_data, TREE_FIELDS)
        if tree_name:
            vals["name"] = tree_name
        vals["code"] = code
        vals["parameter_ids"] = [
            Command.create(dict(_clean(p, PARAMETER_FIELDS), code=p["code"])) for p in data.get("parameters") or []
        ]
        tree = Tree.create(vals)
    else:
        existing = set(tree.parameter_ids.mapped("code"))
        for p in data.get("parameters") or []:
            if p["code"] not in existing:
                env["woonkans.decision.parameter"].create(
                    dict(_clean(p, PARAMETER_FIELDS), code=p["code"], tree_id=tree.id)
                )
    version_data = data.get("version") or {}
    version = env["woonkans.decision.tree.version"].create(
        {"tree_id": tree.id, "note": version_data.get("note") or False}
    )
    node_vals, option_data = [], []
    for item in data["nodes"]:
        vals = _clean(item, NODE_FIELDS)
        vals.update(
            version_id=version.id,
            code=item["code"],
            trajectory_type_id=refs.trajectory(item.get("trajectory")),
            organisation_role_id=refs.role(item.get("refer_to")),
            condition_template_ids=refs.templates_of(item.get("conditions")),
        )
        node_vals.append(vals)
        option_data.append(item.get("options") or [])
    nodes = env["woonkans.decision.node"].create(node_vals)
    by_code = {node.code: node for node in nodes}
    option_vals = []
    for node, options in zip(nodes, option_data, strict=True):
        for item in options:
            vals = _clean(item, OPTION_FIELDS)
            target = item.get("next")
            if target and target not in by_code:
                refs.unknown.append(env._("node %(code)s", code=target))
            vals.update(
                node_id=node.id,
                code=item["code"],
                next_node_id=by_code[target].id if target in by_code else False,
                blocking_condition_ids=refs.templates_of(item.get("blocking_conditions")),
            )
            option_vals.append(vals)
    env["woonkans.decision.option"].create(option_vals)
    if refs.unknown:
        raise UserError(
            env._(
                "This export refers to what does not exist here: %(list)s.", list=", ".join(sorted(set(refs.unknown)))
            )
        )
    start = version_data.get("start")
    version.start_node_id = by_code[start].id if start in by_code else False
    Scenario = env["woonkans.decision.scenario"]
    known = set() if new_tree else set(Scenario.search([("tree_id", "=", tree.id)]).mapped("name"))
    scenarios = Scenario.browse()
    scenario_by_index = {}
    for index, item in enumerate(data.get("scenarios") or []):
        if item["name"] in known:
            continue
        vals = _clean(item, SCENARIO_FIELDS)
        vals.update(tree_id=tree.id, answers=item.get("answers") or {}, active=item.get("active", True))
        scenario = Scenario.create(vals)
        scenarios |= scenario
        scenario_by_index[str(index)] = scenario
    installed = {code for code, _name in env["res.lang"].get_installed()}
    options_by_key = {f"{o.node_id.code}/{o.code}": o for o in nodes.option_ids}
    for lang, by_kind in (data.get("translations") or {}).items():
        if lang not in installed or lang == "en_US":
            continue
        targets = {
            "tree": {"tree": tree} if new_tree else {},
            "parameters": {p.code: p for p in tree.parameter_ids} if new_tree else {},
            "nodes": by_code,
            "options": options_by_key,
            "scenarios": scenario_by_index,
        }
        for kind, items in by_kind.items():
            for key, values in items.items():
                record = targets.get(kind, {}).get(key)
                if record:
                    for f in _translated(record, values):
                        if not isinstance(values[f], str):
                            continue
                        field = record._fields[f]
                        if callable(field.translate):  # html: translated term by term
                            source = str(record.with_context(lang="en_US")[f] or "")
                            terms = field.get_translation_dictionary(source, {lang: values[f]})
                            record.update_field_translations(
                                f, {lang: {src: by_lang[lang] for src, by_lang in terms.items() if lang in by_lang}}
                            )
                        else:
                            record.update_field_translations(f, {lang: values[f]})
    return version
