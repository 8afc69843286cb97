"""The Woonkansboom walk, in plain Python.

The ORM compiles a published version once into plain dicts
(``woonkans.decision.tree.version._compiled``); the walk below then runs in
memory, so one evaluation costs the same few queries whatever the tree's size.

Answer semantics (also documented in readme/USAGE.md):

* ``yesno`` / ``single``: the answer is an option code.
* ``multi``: a list of option codes (a single code is accepted). Every chosen
  option counts for the explanation and the conditions it marks met; the walk
  follows the next node of the chosen option with the lowest sequence, so put
  the option that matters most first.
* ``date``: an ISO date (``YYYY-MM-DD``); ``number``: a number. The options
  are rules tried in sequence (``within_years`` of today, ``older_years``,
  ``future``, ``past``, ``lt``/``le``/``eq``/``ge``/``gt``, ``otherwise``); the
  first matching rule routes. N is a fixed value or a tree parameter.
* Blocking conditions: an answer may name the conditions it fails (condition
  templates, or a policy criterion in words). The walk collects them along the
  path; the outcome lists them under "what is missing", each with the answer
  that blocked (``blocked_by``), so a "not yet" says what to do.
* Every question has an option flagged unknown. Its code (``unknown`` in the
  default tree) is accepted for any type; the walk continues along that
  option's provisional route and the question is listed in ``to_check``.
"""

# The walk has no environment: callers pass their env._ as ``_``.
# pylint: disable=prefer-env-translation

import datetime
import string

from dateutil.relativedelta import relativedelta

from odoo.addons.woonkans_case.models import woonkans_form_mixin as form

DATE_OPERATORS = ("within_years", "older_years", "future", "past", "otherwise")
NUMBER_OPERATORS = ("lt", "le", "eq", "ge", "gt", "otherwise")


class _SafeDict(dict):
    def __missing__(self, key):
        return "{" + key + "}"


_FORMATTER = string.Formatter()


def fmt_number(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fill(text, params):
    """Replace ``{parameter_code}`` placeholders; leave anything else alone."""
    if not text or "{" not in text:
        return text or ""
    try:
        return _FORMATTER.vformat(text, (), _SafeDict({k: fmt_number(v) for k, v in params.items()}))
    except (ValueError, IndexError, AttributeError):
        return text


def _rule_matches(option, value, params, today):
    operator = option["operator"] or "otherwise"
    if operator == "otherwise":
        return True
    limit = params.get(option["param"], option["value"]) if option["param"] else option["value"]
    limit = limit or 0.0
    if isinstance(value, datetime.date):
        years = int(limit)
        if operator == "within_years":
            return today - relativedelta(years=years) <= value <= today
        if operator == "older_years":
            return value < today - relativedelta(years=years)
        if operator == "future":
            return value > today
        if operator == "past":
            return value <= today
        return False
    comparisons = {
        "lt": value < limit,
        "le": value <= limit,
        "eq": value == limit,
        "ge": value >= limit,
        "gt": value > limit,
    }
    return comparisons.get(operator, False)


def parse_answer(node, raw, _):  # noqa: C901 - one branch per question type
    """Return (chosen options, normalised value) or raise ValueError(message)."""
    options = node["options"]
    unknown = next((o for o in options if o["is_unknown"]), None)
    by_code = {o["code"]: o for o in options}
    qtype = node["type"]
    if qtype == "multi":
        codes = raw if isinstance(raw, (list, tuple)) else [raw]
        codes = [c for c in codes if c not in (None, "")]
        if not codes:
            raise ValueError(_("Choose at least one answer."))
        chosen = []
        if len(codes) > 50:
            raise ValueError(_("Choose at most 50 answers."))
        for code in codes:
            if not isinstance(code, str) or code not in by_code:
                raise ValueError(_("%(answer)s is not one of the answers.", answer=str(code)[:40]))
            if by_code[code] not in chosen:
                chosen.append(by_code[code])
        chosen.sort(key=lambda o: o["sequence"])
        return chosen, [o["code"] for o in chosen]
    if isinstance(raw, (list, tuple)):
        raise ValueError(_("Give one answer."))
    if unknown and raw == unknown["code"]:
        return [unknown], unknown["code"]
    if qtype in ("yesno", "single"):
        if not isinstance(raw, str) or raw not in by_code:
            raise ValueError(_("Choose one of the answers."))
        return [by_code[raw]], raw
    if qtype == "date":
        try:
            value = form.parse_iso_date(raw)
        except form.FormError:
            value = None
        if value is None:
            raise ValueError(_("Enter a date as YYYY-MM-DD."))
        return value, value.isoformat()
    if qtype == "number":
        # ASCII digits only, at most 15: no '²', '①' or '٣', no number of 5,000 digits
        try:
            value = form.parse_number(raw)
        except form.FormError:
            value = None
        if value is None:
            raise ValueError(_("Enter a number."))
        return value, int(value) if value.is_integer() else value
    raise ValueError(_("This question cannot be answered."))


def route(node, parsed, params, today):
    """The routing option for a parsed answer, plus all options that count."""
    if isinstance(parsed, list):
        return parsed[0], parsed
    for option in node["options"]:
        if not option["is_unknown"] and _rule_matches(option, parsed, params, today):
            return option, [option]
    return None, []


def step_line(node, chosen, value, params, _):
    name = node["short"] or node["text"]
    labels = ", ".join(fill(o["label"], params) for o in chosen)
    if len(chosen) == 1 and chosen[0]["explanation"]:
        return fill(chosen[0]["explanation"], params)
    if node["type"] in ("date", "number") and not chosen[0]["is_unknown"]:
        shown = fmt_number(value) if node["type"] == "number" else value
        return _("%(question)s → %(value)s (%(answer)s)", question=name, value=shown, answer=labels)
    return _("%(question)s → %(answer)s", question=name, answer=labels)


def walk(compiled, answers, params, today, _):
    """Walk ``compiled`` with ``answers`` (question code -> raw answer)."""
    answers = answers or {}
    nodes = compiled["nodes"]
    steps = []
    met, not_applicable = set(), set()
    to_check = []
    blocked = []
    kept = {}
    error = None
    current = compiled["start"]
    seen = set()
    while current and current not in seen:
        seen.add(current)
        node = nodes[current]
        if node["kind"] == "outcome":
            break
        if current not in answers:
            break
        try:
            parsed, value = parse_answer(node, answers[current], _)
            option, chosen = route(node, parsed, params, today)
            if option is None or not option["next"]:
                raise ValueError(_("No route fits this answer; answer unknown and check it later."))
        except ValueError as exc:
            error = {"question": current, "message": str(exc)}
            break
        kept[current] = value
        unknown = any(o["is_unknown"] for o in chosen)
        for o in chosen:
            met.update(o["met"])
            not_applicable.update(o["na"])
        if unknown:
            to_check.append({"question": current, "text": fill(node["check_text"] or node["text"], params)})
        line = step_line(node, chosen, value, params, _)
        for o in chosen:
            for code, name in o["blocks"]:
                blocked.append({"code": code, "name": name, "question": current, "line": line})
        steps.append(
            {
                "node": current,
                "option": option["code"],
                "options": [o["code"] for o in chosen],
                "value": value,
                "unknown": unknown,
                "line": line,
            }
        )
        current = option["next"]
    node = nodes.get(current) if current else None
    outcome = node if node and node["kind"] == "outcome" and current not in {s["node"] for s in steps} else None
    return {
        "steps": steps,
        "node": None if outcome else current,
        "outcome": outcome["code"] if outcome else None,
        "error": error,
        "answers": kept,
        "ignored": sorted(code for code in answers if code not in kept),
        "met": met,
        "not_applicable": not_applicable,
        "to_check": to_check,
        "blocked": blocked,
    }


def missing(compiled, result, params=None):
    """The outcome's conditions not met on the path, then the conditions answers failed.

    A condition an answer failed carries ``blocked_by``: the explanation line of
    that answer.
    """
    outcome = compiled["nodes"].get(result["outcome"] or "")
    if not outcome:
        return []
    done = result["met"] | result["not_applicable"]
    blockers = {}
    for item in result.get("blocked", ()):
        blockers.setdefault(item["code"], item)
    items, seen = [], set()
    for code, name in list(outcome["conditions"]) + [(b["code"], b["name"]) for b in blockers.values()]:
        if code in done or code in seen:
            continue
        seen.add(code)
        item = {"code": code, "name": fill(name, params or {})}
        if code in blockers:
            item["blocked_by"] = blockers[code]["line"]
        items.append(item)
    return items


def why_not(compiled, result, _):
    """One line for each trajectory of the tree that was not advised."""
    outcome = compiled["nodes"].get(result["outcome"] or "")
    advised = outcome["trajectory"]["code"] if outcome and outcome["trajectory"] else None
    path = [s["node"] for s in result["steps"]] + ([result["outcome"]] if outcome else [])
    reach = compiled["reach"]
    lines = []
    for code, name in compiled["trajectories"]:
        if code == advised:
            continue
        last = None
        for index, node_code in enumerate(path):
            if code in reach.get(node_code, ()):
                last = index
        if last is None:
            reason = _("Not reachable from the first question of this tree.")
        elif last < len(result["steps"]) and result["steps"][last]["unknown"]:
            reason = _("Not assessed: the provisional route was taken at %(step)s", step=result["steps"][last]["line"])
        elif last < len(result["steps"]):
            reason = _("Ruled out by: %(step)s", step=result["steps"][last]["line"])
        else:
            reason = _("Not reached yet.")
        lines.append({"trajectory": code, "name": name, "reason": reason})
    return lines


def progress(compiled, result):
    answered = len(result["steps"])
    if result["outcome"]:
        return 100
    remaining = compiled["depth"].get(result["node"], 1) or 1
    return int(round(100.0 * answered / (answered + remaining)))
