"""The rule language: three-valued evaluation, residuals and explanations."""

from __future__ import annotations

from datetime import date

from life_experiences import rules
from life_experiences.rules import Context, PovertyGuidelines

POVERTY = PovertyGuidelines(2025, 15650, 5500)
CTX = Context(date(2026, 11, 22), POVERTY)
VET = {"q": "served_in_military", "in": ["yes"], "label": "You served"}
OLD = {"q": "date_of_birth", "age_at_least": 65, "label": "You are 65 or older"}
KINDS = {
    "served_in_military": "yes_no",
    "date_of_birth": "date",
    "household_income": "number",
    "household_size": "number",
    "colour": "single",
}
OPTIONS = {"served_in_military": {"yes", "no"}, "colour": {"red", "blue"}}


def test_unanswered_and_unsure_are_unknown() -> None:
    assert rules.evaluate(VET, {}, CTX) is None
    assert rules.evaluate(VET, {"served_in_military": "unsure"}, CTX) is None
    assert rules.evaluate(VET, {"served_in_military": "yes"}, CTX) is True
    assert rules.evaluate(VET, {"served_in_military": "no"}, CTX) is False


def test_kleene_logic_for_all_any_not() -> None:
    both = {"all": [VET, OLD]}
    either = {"any": [VET, OLD]}
    veteran = {"served_in_military": "yes"}
    assert rules.evaluate(both, veteran, CTX) is None
    assert rules.evaluate(either, veteran, CTX) is True
    assert rules.evaluate(both, {"served_in_military": "no"}, CTX) is False
    assert rules.evaluate(either, {"served_in_military": "no"}, CTX) is None
    assert rules.evaluate({"not": VET, "label": "You did not serve"}, veteran, CTX) is False
    assert rules.evaluate({"all": []}, {}, CTX) is True


def test_age_counts_on_the_birthday_not_before() -> None:
    assert rules.evaluate(OLD, {"date_of_birth": "1961-11-22"}, CTX) is True
    assert rules.evaluate(OLD, {"date_of_birth": "1961-11-23"}, CTX) is False


def test_leap_day_birthday_turns_a_year_older_on_first_of_march() -> None:
    born = date(1960, 2, 29)
    assert rules.age_on(born, date(2025, 2, 28)) == 64
    assert rules.age_on(born, date(2025, 3, 1)) == 65
    assert rules.age_on(born, date(2024, 2, 29)) == 64


def test_within_days_is_inclusive_and_past_only() -> None:
    rule = {"q": "date_of_birth", "within_days": 60, "label": "recent"}
    assert rules.evaluate(rule, {"date_of_birth": "2026-09-23"}, CTX) is True
    assert rules.evaluate(rule, {"date_of_birth": "2026-09-22"}, CTX) is False
    assert rules.evaluate(rule, {"date_of_birth": "2026-11-23"}, CTX) is False


def test_income_as_a_percent_of_the_poverty_guideline() -> None:
    rule = {"q": "household_income", "fpl_at_most": 130, "size_q": "household_size", "label": "low"}
    # 130% for 2 people: (15650 + 5500) * 1.3 = 27495
    assert rules.evaluate(rule, {"household_income": 27495, "household_size": 2}, CTX) is True
    assert rules.evaluate(rule, {"household_income": 27496, "household_size": 2}, CTX) is False
    assert rules.evaluate(rule, {"household_income": 27496}, CTX) is None


def test_a_hidden_follow_up_does_not_hold() -> None:
    hidden = Context(CTX.today, POVERTY, frozenset({"served_in_military"}))
    assert rules.evaluate(VET, {}, hidden) is False


def test_residual_keeps_only_what_can_still_change_the_result() -> None:
    both = {"all": [VET, OLD]}
    assert rules.residual(both, {"served_in_military": "yes"}, CTX) == {"all": [OLD]}
    assert rules.residual(both, {"served_in_military": "no"}, CTX) is False
    # "I'm not sure" settles nothing, but there is nothing more to ask either.
    assert rules.residual(VET, {"served_in_military": "unsure"}, CTX) == {}


def test_explanation_names_met_unmet_and_missing_criteria() -> None:
    both = {"all": [VET, OLD]}
    why = rules.explain(both, {"served_in_military": "yes"}, CTX)
    assert why.met == ("You served",) and why.missing == ("You are 65 or older",)
    why = rules.explain(both, {"served_in_military": "no", "date_of_birth": "1950-01-01"}, CTX)
    assert why.unmet == ("You served",)


def test_validation_names_each_problem() -> None:
    assert rules.validate({"all": [VET]}, KINDS, OPTIONS) == []
    problems = rules.validate(
        {
            "any": [
                {"q": "nope", "in": ["x"], "label": "x"},
                {"q": "colour", "in": ["green"], "label": "x"},
                {"q": "date_of_birth", "age_at_least": 500, "label": "x"},
                {"q": "colour", "in": ["red"]},
                {"not": VET},
            ]
        },
        KINDS,
        OPTIONS,
    )
    text = "\n".join(problems)
    assert "unknown question id 'nope'" in text
    assert "no option value 'green'" in text
    assert "not a possible age" in text
    assert "needs a plain-language 'label'" in text
    assert "'not' rule needs a plain-language 'label'" in text
