"""The rule language: validation, three-valued evaluation, partial evaluation and explanations.

A rule is JSON: ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": rule, "label": ...}`` or a
leaf that tests one answer, such as ``{"q": "served_in_military", "in": ["yes"], "label": ...}``.
Evaluation gives True, False or None (unknown: unanswered or "I'm not sure").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

Rule = dict[str, Any]
Answers = Mapping[str, Any]
Truth = bool | None

UNSURE = "unsure"

LEAF_OPERATORS = {
    "in": "choice",
    "age_at_least": "date",
    "age_under": "date",
    "within_days": "date",
    "gte": "number",
    "lte": "number",
    "gt": "number",
    "lt": "number",
    "fpl_at_most": "number",
}
DATE_KINDS = {"date"}
CHOICE_KINDS = {"yes_no", "single", "multi", "state"}
NUMBER_KINDS = {"number"}


@dataclass(frozen=True)
class PovertyGuidelines:
    """Yearly HHS poverty guideline: base for one person plus an amount per extra person."""

    year: int
    base: int
    per_person: int

    def for_household(self, size: int) -> int:
        """Return the yearly guideline for a household of ``size`` people."""
        return self.base + self.per_person * max(size - 1, 0)


@dataclass(frozen=True)
class Context:
    """What evaluation needs besides the answers."""

    today: date
    poverty: PovertyGuidelines
    hidden: frozenset[str] = field(default_factory=frozenset)


def age_on(born: date, today: date) -> int:
    """Whole years from ``born`` to ``today``; a 29 February birthday counts from 1 March."""
    years = today.year - born.year
    if (today.month, today.day) < (born.month, born.day):
        years -= 1
    return years


def parse_date(value: Any) -> date | None:
    """Parse a stored ``YYYY-MM-DD`` answer (or pass a date through), or return None."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def is_leaf(rule: Rule) -> bool:
    """True when the rule tests an answer rather than combining rules."""
    return "q" in rule


def leaf_operator(rule: Rule) -> str:
    """The operator of a leaf (``in``, ``age_at_least``...)."""
    return next(k for k in rule if k in LEAF_OPERATORS)


def validate(rule: Any, kinds: Mapping[str, str], options: Mapping[str, set[str]]) -> list[str]:
    """Return a message per problem with ``rule`` against the question bank (empty when valid)."""
    problems: list[str] = []
    _validate(rule, kinds, options, "rule", problems)
    return problems


def _validate(
    rule: Any,
    kinds: Mapping[str, str],
    options: Mapping[str, set[str]],
    where: str,
    problems: list[str],
) -> None:
    if not isinstance(rule, dict):
        problems.append(f"{where}: a rule must be a mapping, got {type(rule).__name__}")
        return
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        extra = set(rule) - {key, "label"}
        if extra:
            problems.append(f"{where}: unexpected keys {sorted(extra)} beside {key!r}")
        children = rule[key]
        if not isinstance(children, list):
            problems.append(f"{where}.{key}: must be a list of rules")
            return
        for i, child in enumerate(children):
            _validate(child, kinds, options, f"{where}.{key}[{i}]", problems)
        return
    if "not" in rule:
        if not isinstance(rule.get("label"), str) or not rule["label"].strip():
            problems.append(f"{where}: a 'not' rule needs a plain-language 'label'")
        _validate(rule["not"], kinds, options, f"{where}.not", problems)
        return
    if "q" not in rule:
        problems.append(f"{where}: expected 'all', 'any', 'not' or a leaf with 'q'")
        return
    qid = rule["q"]
    if qid not in kinds:
        problems.append(f"{where}: unknown question id {qid!r}")
        return
    if not isinstance(rule.get("label"), str) or not rule["label"].strip():
        problems.append(f"{where}: leaf on {qid!r} needs a plain-language 'label'")
    ops = [k for k in rule if k in LEAF_OPERATORS]
    extra = set(rule) - set(LEAF_OPERATORS) - {"q", "label", "size_q"}
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    if len(ops) != 1:
        problems.append(f"{where}: a leaf needs exactly one operator of {sorted(LEAF_OPERATORS)}")
        return
    op = ops[0]
    value = rule[op]
    kind = kinds[qid]
    family = LEAF_OPERATORS[op]
    if family == "choice":
        if kind not in CHOICE_KINDS:
            problems.append(f"{where}: 'in' needs a choice question, {qid!r} is {kind}")
            return
        if not isinstance(value, list) or not value:
            problems.append(f"{where}: 'in' needs a non-empty list of option values")
            return
        for v in value:
            if v not in options.get(qid, set()):
                problems.append(f"{where}: {qid!r} has no option value {v!r}")
    elif family == "date":
        if kind not in DATE_KINDS:
            problems.append(f"{where}: {op!r} needs a date question, {qid!r} is {kind}")
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 130 * 366:
            problems.append(f"{where}: {op!r} needs a whole number in a possible range")
        elif op != "within_days" and value > 130:
            problems.append(f"{where}: {op!r} {value} is not a possible age")
    else:
        if kind not in NUMBER_KINDS:
            problems.append(f"{where}: {op!r} needs a number question, {qid!r} is {kind}")
        elif not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            problems.append(f"{where}: {op!r} needs a number of zero or more")
        if op == "fpl_at_most":
            size_q = rule.get("size_q")
            if not isinstance(size_q, str) or kinds.get(size_q) not in NUMBER_KINDS:
                problems.append(f"{where}: 'fpl_at_most' needs 'size_q', a number question")
    if op != "fpl_at_most" and "size_q" in rule:
        problems.append(f"{where}: 'size_q' only goes with 'fpl_at_most'")


def questions_in(rule: Rule | bool) -> set[str]:
    """Every question id a rule refers to."""
    found: set[str] = set()
    if isinstance(rule, bool) or not rule:
        return found
    for leaf in leaves(rule):
        found.add(leaf["q"])
        if "size_q" in leaf:
            found.add(leaf["size_q"])
    return found


def leaves(rule: Rule) -> Iterator[Rule]:
    """Yield every leaf of a rule."""
    if "all" in rule or "any" in rule:
        children: list[Rule] = rule["all"] if "all" in rule else rule["any"]
        for child in children:
            yield from leaves(child)
    elif "not" in rule:
        yield from leaves(rule["not"])
    else:
        yield rule


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def evaluate_leaf(rule: Rule, answers: Answers, ctx: Context) -> Truth:
    """Evaluate one leaf: True, False, or None when the answer is missing or unsure."""
    qid = rule["q"]
    if qid in ctx.hidden:
        # A hidden follow-up does not apply to this person, so its condition does not hold.
        return False
    value = answers.get(qid)
    if value is None or value == UNSURE:
        return None
    op = leaf_operator(rule)
    target = rule[op]
    if op == "in":
        if isinstance(value, list):
            return any(v in target for v in value)
        return bool(value in target)
    if LEAF_OPERATORS[op] == "date":
        when = parse_date(value)
        if when is None:
            return None
        if op == "within_days":
            return bool(0 <= (ctx.today - when).days <= target)
        age = age_on(when, ctx.today)
        return bool(age >= target) if op == "age_at_least" else bool(age < target)
    number = _number(value)
    if number is None:
        return None
    if op == "fpl_at_most":
        size_q = rule["size_q"]
        if size_q in ctx.hidden:
            return False
        size = _number(answers.get(size_q))
        if size is None or size < 1:
            return None
        limit = ctx.poverty.for_household(int(size)) * target / 100
        return bool(number <= limit)
    comparisons = {
        "gte": number >= target,
        "lte": number <= target,
        "gt": number > target,
        "lt": number < target,
    }
    return bool(comparisons[op])


def evaluate(rule: Rule, answers: Answers, ctx: Context) -> Truth:
    """Three-valued evaluation (Kleene logic) of a rule over the answers."""
    if "all" in rule:
        result: Truth = True
        for child in rule["all"]:
            value = evaluate(child, answers, ctx)
            if value is False:
                return False
            if value is None:
                result = None
        return result
    if "any" in rule:
        result = False
        for child in rule["any"]:
            value = evaluate(child, answers, ctx)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    if "not" in rule:
        value = evaluate(rule["not"], answers, ctx)
        return None if value is None else not value
    return evaluate_leaf(rule, answers, ctx)


def residual(rule: Rule, answers: Answers, ctx: Context) -> Rule | bool:
    """Partially evaluate a rule: what is left to decide once known answers are applied.

    Returns True or False when the answers already settle it; otherwise the smaller rule that
    still depends on unanswered questions. Leaves left unknown only by "I'm not sure" stay
    unknown but are not part of the residual, since asking again would not change them.
    """
    if "all" in rule or "any" in rule:
        is_all = "all" in rule
        left: list[Rule] = []
        settled_unknown = False
        for child in rule["all" if is_all else "any"]:
            part = residual(child, answers, ctx)
            if part is (not is_all):
                return not is_all
            if part is is_all:
                continue
            if part == {}:
                settled_unknown = True
                continue
            assert isinstance(part, dict)
            left.append(part)
        if not left:
            return {} if settled_unknown else is_all
        return {"all" if is_all else "any": left}
    if "not" in rule:
        inner = residual(rule["not"], answers, ctx)
        if isinstance(inner, bool):
            return not inner
        return inner if inner == {} else {"not": inner, "label": rule.get("label", "")}
    value = evaluate_leaf(rule, answers, ctx)
    if value is not None:
        return value
    pending = {rule["q"], *([rule["size_q"]] if "size_q" in rule else [])}
    if any(answers.get(q) is None for q in pending):
        return rule
    # Unknown because of "I'm not sure" (or an unusable value): nothing more to ask.
    return {}


@dataclass(frozen=True)
class Explanation:
    """Plain-language criteria behind a status."""

    met: tuple[str, ...]
    unmet: tuple[str, ...]
    missing: tuple[str, ...]
    # The value of the whole rule: True, False, or None while something is unknown.
    value: Truth = None


def explain(rule: Rule, answers: Answers, ctx: Context) -> Explanation:
    """Say which criteria are met, unmet and still missing, in the rule's own labels."""
    met: list[str] = []
    unmet: list[str] = []
    missing: list[str] = []
    values: dict[int, Truth] = {}
    value = _evaluate_all(rule, answers, ctx, values)
    _explain(rule, value, values, met, unmet, missing)
    return Explanation(_dedupe(met), _dedupe(unmet), _dedupe(missing), value)


def _evaluate_all(rule: Rule, answers: Answers, ctx: Context, values: dict[int, Truth]) -> Truth:
    """Evaluate every node of a rule once (no short cut), remembering each node's value."""
    result: Truth
    if "all" in rule or "any" in rule:
        is_all = "all" in rule
        found = [_evaluate_all(child, answers, ctx, values) for child in rule["all" if is_all else "any"]]
        if is_all:
            result = False if False in found else None if None in found else True
        else:
            result = True if True in found else None if None in found else False
    elif "not" in rule:
        inner = _evaluate_all(rule["not"], answers, ctx, values)
        result = None if inner is None else not inner
    else:
        result = evaluate_leaf(rule, answers, ctx)
    values[id(rule)] = result
    return result


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _explain(
    rule: Rule,
    value: Truth,
    values: dict[int, Truth],
    met: list[str],
    unmet: list[str],
    missing: list[str],
) -> None:
    """Collect the labels that decide ``rule``, whose value is already known."""
    if "all" in rule or "any" in rule:
        is_all = "all" in rule
        children: list[Rule] = rule["all"] if is_all else rule["any"]
        for child in children:
            child_value = values[id(child)]
            # Only the children that decide the result explain it.
            if value is True and child_value is not True:
                continue
            if value is False and child_value is not False and is_all:
                continue
            if value is None and child_value is True and not is_all:
                continue
            _explain(child, child_value, values, met, unmet, missing)
        return
    label = rule.get("label", "")
    if value is True:
        met.append(label)
    elif value is False:
        unmet.append(label)
    else:
        missing.append(label)
