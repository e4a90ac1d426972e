"""The rule editor's rows: stored rules to rows and back, form fields to rules, and inline errors."""

from __future__ import annotations

from typing import Any

import pytest

from life_experiences.model import Bank
from navigator.staff import rule_form
from navigator.staff.rule_form import Node, RuleFormError
from services_index.content import Content


def fields(node: Node) -> dict[str, str]:
    """The form fields a browser sends for these rows."""
    out = {node.field_id("kind"): node.kind}
    if node.kind == "group":
        out[node.field_id("combine")] = node.combine
    else:
        for part in ("q", "op", "value", "label", "size_q"):
            out[node.field_id(part)] = getattr(node, part)
    if node.wrap:
        out[node.field_id("wrap")] = "yes"
    if node.negate:
        out[node.field_id("negate")] = "yes"
        out[node.field_id("negate_label")] = node.negate_label
    for child in node.children:
        out.update(fields(child))
    return out


def condition_form(**values: str) -> dict[str, str]:
    form = {"rule__r__kind": "group", "rule__r__combine": "all", "rule__r-0__kind": "condition"}
    form.update({f"rule__r-0__{k}": v for k, v in values.items()})
    return form


def errors_for(bank: Bank, form: dict[str, Any]) -> dict[str, str]:
    _, errors = rule_form.to_rule(rule_form.from_form(form), bank)
    return {e["field"]: e["message"] for e in errors}


def test_every_seed_rule_survives_the_editor_unchanged(bank: Bank, content: Content) -> None:
    for service in content.services.values():
        original = service.raw["eligibility"]
        rows = rule_form.from_rule(original)
        rebuilt, errors = rule_form.to_rule(rule_form.from_form(fields(rows)), bank)
        assert errors == [], (service.id, errors)
        assert rebuilt == original, service.id


def test_a_valid_condition_becomes_a_leaf(bank: Bank) -> None:
    form = condition_form(q="date_of_birth", op="age_at_least", value="62", label="Age 62 or older")
    rule, errors = rule_form.to_rule(rule_form.from_form(form), bank)
    assert errors == []
    assert rule == {"all": [{"q": "date_of_birth", "age_at_least": 62, "label": "Age 62 or older"}]}


def test_choice_values_are_a_comma_separated_list(bank: Bank) -> None:
    form = condition_form(q="marital_status", op="in", value="married, divorced", label="Married or divorced")
    rule, errors = rule_form.to_rule(rule_form.from_form(form), bank)
    assert errors == [] and rule["all"][0]["in"] == ["married", "divorced"]


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        (
            {"q": "no_such_question", "op": "in", "value": "yes"},
            "q",
            "There is no question “no_such_question”",
        ),
        ({"q": "served_in_military", "op": "in", "value": "maybe"}, "value", "has no answer maybe"),
        ({"q": "date_of_birth", "op": "age_at_least", "value": "-1"}, "value", "-1 is not a possible value"),
        ({"q": "date_of_birth", "op": "age_under", "value": "131"}, "value", "an age from 0 to 130"),
        ({"q": "date_of_birth", "op": "age_at_least", "value": "sixty"}, "value", "an age from 0 to 130"),
        ({"q": "household_size", "op": "lte", "value": "-4"}, "value", "zero or more"),
        (
            {"q": "household_size", "op": "age_at_least", "value": "4"},
            "op",
            "does not work with “household_size”",
        ),
        ({"q": "household_income", "op": "fpl_at_most", "value": "130"}, "size_q", "household size"),
        ({"q": "", "op": "in", "value": "yes"}, "q", "Choose a question"),
        ({"q": "served_in_military", "op": "", "value": "yes"}, "op", "Choose how to compare"),
    ],
)
def test_each_mistake_gets_an_error_next_to_its_input(
    bank: Bank, values: dict[str, str], field: str, says: str
) -> None:
    found = errors_for(bank, condition_form(label="A label", **values))
    assert f"rule__r-0__{field}" in found, found
    assert says in found[f"rule__r-0__{field}"]


def test_labels_are_required_and_turning_around_needs_its_own_label(bank: Bank) -> None:
    form = condition_form(q="served_in_military", op="in", value="yes", label="")
    form["rule__r-0__negate"] = "yes"
    found = errors_for(bank, form)
    assert "plain-language label" in found["rule__r-0__label"]
    assert "label for the opposite" in found["rule__r-0__negate_label"]


def test_nested_groups_and_turned_around_rows_build_the_rule_language(bank: Bank) -> None:
    form = {
        "rule__r__kind": "group",
        "rule__r__combine": "any",
        "rule__r-0__kind": "group",
        "rule__r-0__combine": "all",
        "rule__r-0-0__kind": "condition",
        "rule__r-0-0__q": "served_in_military",
        "rule__r-0-0__op": "in",
        "rule__r-0-0__value": "yes",
        "rule__r-0-0__label": "Served",
        "rule__r-1__kind": "condition",
        "rule__r-1__q": "household_income",
        "rule__r-1__op": "fpl_at_most",
        "rule__r-1__value": "130",
        "rule__r-1__size_q": "household_size",
        "rule__r-1__label": "Low income",
        "rule__r-1__negate": "yes",
        "rule__r-1__negate_label": "Not low income",
    }
    rule, errors = rule_form.to_rule(rule_form.from_form(form), bank)
    assert errors == []
    assert rule == {
        "any": [
            {"all": [{"q": "served_in_military", "in": ["yes"], "label": "Served"}]},
            {
                "not": {
                    "q": "household_income",
                    "fpl_at_most": 130,
                    "size_q": "household_size",
                    "label": "Low income",
                },
                "label": "Not low income",
            },
        ]
    }


def test_rows_are_added_and_removed_and_focus_follows() -> None:
    root = rule_form.from_rule({"all": [{"q": "a", "in": ["yes"], "label": "A"}]})
    root = rule_form.apply_action(root, "add-group:r")
    assert [c.kind for c in root.children] == ["condition", "group"]
    assert root.children[1].focus and root.children[1].path == "r-1"
    assert root.children[1].children[0].path == "r-1-0"
    root = rule_form.apply_action(root, "add-condition:r-1")
    assert len(root.children[1].children) == 2
    root = rule_form.apply_action(root, "remove:r-0")
    assert [c.path for c in root.children] == ["r-0"] and root.children[0].kind == "group"
    assert root.children[0].focus
    with pytest.raises(RuleFormError):
        rule_form.apply_action(root, "remove:r")
    with pytest.raises(RuleFormError):
        rule_form.apply_action(root, "add-condition:r-0-0")


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"rule__r__kind": "condition"},
        {"rule__r__kind": "group", "rule__r-3-1__kind": "condition"},
        {"rule__r__kind": "group", "rule__r__colour": "blue"},
        {"rule__r__kind": "group", "rule__x-1__kind": "condition"},
        {"rule__r__kind": "group", "rule__r-0__kind": "table"},
    ],
)
def test_fields_that_do_not_form_a_tree_are_refused(form: dict[str, str]) -> None:
    with pytest.raises(RuleFormError):
        rule_form.from_form(form)


def test_a_rule_that_is_too_large_is_refused(bank: Bank) -> None:
    leaf = {"q": "served_in_military", "in": ["yes"], "label": "Served"}
    big = rule_form.from_rule({"all": [leaf] * (rule_form.MAX_NODES + 1)})
    _, errors = rule_form.to_rule(big, bank)
    assert errors and "too large" in errors[0]["message"]
