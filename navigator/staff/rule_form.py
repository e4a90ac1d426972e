"""The eligibility rule as form rows: groups (all / any) of conditions (question, operator, value).

Every node has a path (``r``, ``r-0``, ``r-0-2``…) and its inputs are named ``rule__<path>__<part>``,
so the whole tree travels in one ordinary form post and works without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from life_experiences import rules
from life_experiences.model import Bank

PREFIX = "rule__"
PATH = re.compile(r"^r(-\d{1,3}){0,8}$")
PARTS = {"kind", "combine", "q", "op", "value", "label", "size_q", "negate", "negate_label", "wrap"}
MAX_NODES = 80
MAX_DEPTH = 6
MAX_LABEL = 300
MAX_VALUE = 500
MAX_AGE = 130
MAX_DAYS = 130 * 366
OPERATORS = {
    "in": "is one of",
    "age_at_least": "age is at least (years)",
    "age_under": "age is under (years)",
    "within_days": "was within the last (days)",
    "gte": "is at least",
    "lte": "is at most",
    "gt": "is more than",
    "lt": "is less than",
    "fpl_at_most": "is at most this % of the poverty guideline",
}


class RuleFormError(ValueError):
    """The rule fields do not form a tree (a tampered or broken form); the message says what is wrong."""


@dataclass
class Node:
    """One row of the rule editor: a group of rows, or a condition on one answer."""

    path: str
    kind: str = "condition"
    combine: str = "all"
    children: list[Node] = field(default_factory=list)
    q: str = ""
    op: str = ""
    value: str = ""
    label: str = ""
    size_q: str = ""
    negate: bool = False
    negate_label: str = ""
    focus: bool = False
    # The stored rule was a single condition, shown inside a group so rows can be added to it.
    wrap: bool = False

    def field_id(self, part: str) -> str:
        """The name and id of one of this node's inputs."""
        return f"{PREFIX}{self.path}__{part}"

    def count(self) -> int:
        """How many nodes this subtree holds."""
        return 1 + sum(c.count() for c in self.children)

    def depth(self) -> int:
        """How deep this subtree goes (1 for a single node)."""
        return 1 + max((c.depth() for c in self.children), default=0)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_rule(rule: Any, path: str = "r") -> Node:
    """The editor rows for a stored rule; the top is always a group."""
    node = _node(rule, path)
    if path == "r" and (node.kind != "group" or node.negate):
        node = Node("r", kind="group", combine="all", children=[node], wrap=True)
    return repath(node)


def _node(rule: Any, path: str) -> Node:
    if not isinstance(rule, dict):
        return Node(path, kind="group")
    if "not" in rule:
        inner = _node(rule["not"], path)
        if inner.negate:
            inner = Node(path, kind="group", combine="all", children=[inner])
        inner.negate = True
        inner.negate_label = str(rule.get("label") or "")
        return inner
    if "all" in rule or "any" in rule:
        combine = "all" if "all" in rule else "any"
        children = rule[combine] if isinstance(rule[combine], list) else []
        return Node(path, kind="group", combine=combine, children=[_node(c, path) for c in children])
    op = next((k for k in rule if k in rules.LEAF_OPERATORS), "")
    value = rule.get(op)
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else _number_text(value) if op else ""
    return Node(
        path,
        q=str(rule.get("q", "")),
        op=op,
        value=text,
        label=str(rule.get("label", "")),
        size_q=str(rule.get("size_q", "")),
    )


def repath(node: Node, path: str = "r") -> Node:
    """Give every node the path of its position (after rows were added or removed)."""
    node.path = path
    for i, child in enumerate(node.children):
        repath(child, f"{path}-{i}")
    return node


def from_form(form: Mapping[str, Any]) -> Node:
    """The rule rows posted with a form; raises RuleFormError when they do not form a tree."""
    parts: dict[str, dict[str, str]] = {}
    for name in form:
        if not name.startswith(PREFIX):
            continue
        path, _, part = name[len(PREFIX) :].partition("__")
        if not PATH.match(path) or part not in PARTS:
            raise RuleFormError(f"the form has a field we do not know: {name}")
        parts.setdefault(path, {})[part] = str(form[name])
    if "r" not in parts:
        raise RuleFormError("the eligibility rule is missing from the form")
    nodes = {path: _from_parts(path, values) for path, values in parts.items()}
    for path in sorted(nodes, key=lambda p: [int(x) for x in p.split("-")[1:]]):
        if path == "r":
            continue
        parent = nodes.get(path.rsplit("-", 1)[0])
        if parent is None or parent.kind != "group":
            raise RuleFormError(f"the rule row {path} has no group to belong to")
        parent.children.append(nodes[path])
    return repath(nodes["r"])


def _from_parts(path: str, values: dict[str, str]) -> Node:
    kind = values.get("kind", "condition")
    if kind not in ("group", "condition"):
        raise RuleFormError(f"the rule row {path} is neither a group nor a condition")
    if path == "r" and kind != "group":
        raise RuleFormError("the top of the rule must be a group")
    return Node(
        path,
        kind=kind,
        combine=values.get("combine", "all"),
        q=values.get("q", "").strip(),
        op=values.get("op", "").strip(),
        value=values.get("value", "").strip(),
        label=values.get("label", "").strip(),
        size_q=values.get("size_q", "").strip(),
        negate=values.get("negate") == "yes",
        negate_label=values.get("negate_label", "").strip(),
        wrap=values.get("wrap") == "yes",
    )


def find(node: Node, path: str) -> Node | None:
    """The node at ``path``, or None."""
    if node.path == path:
        return node
    for child in node.children:
        found = find(child, path)
        if found:
            return found
    return None


def apply_action(root: Node, action: str) -> Node:
    """Add or remove a row: ``add-condition:<path>``, ``add-group:<path>``, ``remove:<path>``."""
    verb, _, path = action.partition(":")
    target = find(root, path)
    if target is None:
        raise RuleFormError(f"there is no rule row {path}")
    if verb in ("add-condition", "add-group"):
        if target.kind != "group":
            raise RuleFormError("rows can only be added to a group")
        new = Node("", kind="condition", focus=True)
        if verb == "add-group":
            new = Node("", kind="group", focus=True, children=[Node("", kind="condition")])
        target.children.append(new)
    elif verb == "remove":
        if path == "r":
            raise RuleFormError("the top group cannot be removed")
        parent = find(root, path.rsplit("-", 1)[0])
        assert parent is not None
        index = parent.children.index(target)
        parent.children.remove(target)
        # Focus goes to the row that took its place, else to the group.
        (parent.children[min(index, len(parent.children) - 1)] if parent.children else parent).focus = True
    else:
        raise RuleFormError(f"unknown rule editor action {action!r}")
    return repath(root)


def to_rule(root: Node, bank: Bank) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The stored rule for the rows, and an inline error per row that is not right."""
    errors: list[dict[str, str]] = []
    if root.count() > MAX_NODES or root.depth() > MAX_DEPTH:
        errors.append(
            {
                "field": root.field_id("combine"),
                "message": _(
                    "The rule is too large: use at most %(rows)d rows, and groups at most %(depth)d deep",
                    rows=MAX_NODES,
                    depth=MAX_DEPTH - 1,
                ),
            }
        )
        return {"all": []}, errors
    rule = _to_rule(root, bank, errors)
    if root.wrap and not root.negate and root.combine == "all" and len(root.children) == 1:
        # Stored as one condition (or one turned-around row): keep it that way.
        rule = rule["all"][0]
    if not errors:
        kinds = {qid: q.kind for qid, q in bank.questions.items()}
        options = {qid: bank.options_for(qid) for qid in bank.questions}
        for message in rules.validate(rule, kinds, options):
            errors.append({"field": root.field_id("combine"), "message": message})
    return rule, errors


def _to_rule(node: Node, bank: Bank, errors: list[dict[str, str]]) -> dict[str, Any]:
    if node.kind == "group":
        if node.combine not in ("all", "any"):
            errors.append({"field": node.field_id("combine"), "message": _("Choose “all” or “any”")})
        combine = node.combine if node.combine in ("all", "any") else "all"
        built: dict[str, Any] = {combine: [_to_rule(c, bank, errors) for c in node.children]}
    else:
        built = _condition(node, bank, errors)
    if node.negate:
        if not node.negate_label:
            errors.append(
                {
                    "field": node.field_id("negate_label"),
                    "message": _("Write a label for the opposite, such as “Not getting SSI now”"),
                }
            )
        elif len(node.negate_label) > MAX_LABEL:
            errors.append(
                {
                    "field": node.field_id("negate_label"),
                    "message": _("Use %(max)d characters or fewer", max=MAX_LABEL),
                }
            )
        return {"not": built, "label": node.negate_label}
    return built


def _condition(node: Node, bank: Bank, errors: list[dict[str, str]]) -> dict[str, Any]:
    """One condition as a rule leaf, with an error next to each input that is not right."""

    def bad(part: str, message: str) -> None:
        errors.append({"field": node.field_id(part), "message": message})

    leaf: dict[str, Any] = {"q": node.q, "label": node.label}
    question = bank.questions.get(node.q)
    if not node.q:
        bad("q", _("Choose a question"))
    elif question is None:
        bad("q", _("There is no question “%(q)s”. Choose one from the list", q=node.q))
    if not node.label:
        bad("label", _("Write a plain-language label, such as “You served in the military”"))
    elif len(node.label) > MAX_LABEL:
        bad("label", _("Use %(max)d characters or fewer in the label", max=MAX_LABEL))
    if node.op not in rules.LEAF_OPERATORS:
        bad("op", _("Choose how to compare the answer"))
        return leaf
    if len(node.value) > MAX_VALUE:
        bad("value", _("Use %(max)d characters or fewer", max=MAX_VALUE))
        return leaf
    if question is None:
        return leaf
    family = rules.LEAF_OPERATORS[node.op]
    kind_for = {"choice": rules.CHOICE_KINDS, "date": rules.DATE_KINDS, "number": rules.NUMBER_KINDS}
    if question.kind not in kind_for[family]:
        bad(
            "op",
            _(
                "“%(op)s” does not work with “%(q)s”, which is a %(kind)s question",
                op=_(OPERATORS[node.op]),
                q=node.q,
                kind=question.kind,
            ),
        )
        return leaf
    value = _value(node, bank, bad)
    if value is not None:
        leaf[node.op] = value
    if node.op == "fpl_at_most":
        size = bank.questions.get(node.size_q)
        if size is None or size.kind not in rules.NUMBER_KINDS:
            bad("size_q", _("Choose the number question that gives the household size"))
        else:
            leaf["size_q"] = node.size_q
    return leaf


def _value(node: Node, bank: Bank, bad: Any) -> Any:
    """The comparison value typed for a condition, checked against its question."""
    text = node.value
    if node.op == "in":
        values = [v.strip() for v in text.split(",") if v.strip()]
        allowed = bank.options_for(node.q)
        if not values:
            bad(
                "value",
                _(
                    "Enter one or more answers, separated by commas: %(answers)s",
                    answers=", ".join(sorted(allowed)),
                ),
            )
            return None
        wrong = [v for v in values if v not in allowed]
        if wrong:
            bad(
                "value",
                _(
                    "“%(q)s” has no answer %(wrong)s. Use one or more of: %(answers)s",
                    q=node.q,
                    wrong=", ".join(wrong),
                    answers=", ".join(sorted(allowed)),
                ),
            )
            return None
        return values
    if rules.LEAF_OPERATORS[node.op] == "date":
        days = node.op == "within_days"
        limit = MAX_DAYS if days else MAX_AGE
        what = (
            _("Enter a number of days from 0 to %(max)d", max=MAX_DAYS)
            if days
            else _("Enter an age from 0 to %(max)d, in whole years", max=MAX_AGE)
        )
        try:
            number = int(text)
        except ValueError:
            bad("value", what)
            return None
        if not 0 <= number <= limit:
            bad("value", _("%(value)d is not a possible value here.", value=number) + " " + what)
            return None
        return number
    try:
        amount = float(text)
    except ValueError:
        bad("value", _("Enter a number, such as 4 or 130"))
        return None
    if amount != amount or amount in (float("inf"), float("-inf")) or amount < 0:
        bad("value", _("Enter a number of zero or more"))
        return None
    if node.op == "fpl_at_most" and amount > 1000:
        bad("value", _("Enter a percentage of the poverty guideline up to 1000"))
        return None
    return int(amount) if amount.is_integer() else amount


def choices_hint(node: Node, bank: Bank) -> str:
    """The answers a condition's question accepts, to show beside its value."""
    question = bank.questions.get(node.q)
    if question is None:
        return ""
    if question.kind in rules.CHOICE_KINDS:
        return _("Answers: %(answers)s", answers=", ".join(sorted(bank.options_for(node.q))))
    if question.kind in rules.DATE_KINDS:
        return _("A date question: compare an age in years (0 to 130) or a number of days")
    return _("A number question: compare with a number of zero or more")
