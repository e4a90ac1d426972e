"""Turn what a person typed or picked into a stored answer, or a reason it cannot be used."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from life_experiences.model import Question, State
from life_experiences.rules import UNSURE

EARLIEST_YEAR = 1900
MAX_TEXT = 40


@dataclass(frozen=True)
class AnswerError:
    """Why an answer cannot be used: a code the interface words, and the field to fix."""

    code: str
    field: str


Parsed = tuple[Any, AnswerError | None]


def parse(
    question: Question, form: Mapping[str, Sequence[str]], states: tuple[State, ...], today: date
) -> Parsed:
    """Read a question's answer from submitted fields (each a list of strings)."""

    def first(name: str) -> str:
        values = form.get(name) or [""]
        return str(values[0]).strip()[:MAX_TEXT]

    field = f"q-{question.id}"
    if question.allow_unsure and first("unsure") == "yes":
        return UNSURE, None
    if question.kind == "multi":
        picked = [str(v) for v in (form.get("answer") or [])][: len(question.options) + 1]
        if question.allow_unsure and UNSURE in picked:
            return UNSURE, None
        if not picked:
            return None, AnswerError("choose_one_or_more", field)
        if any(v not in question.option_values() for v in picked):
            return None, AnswerError("unknown_option", field)
        order = [o.value for o in question.options]
        return sorted(set(picked), key=order.index), None
    if question.kind in ("yes_no", "single", "state"):
        value = first("answer")
        if not value:
            return None, AnswerError("choose_one", field)
        if question.allow_unsure and value == UNSURE:
            return UNSURE, None
        if question.kind == "yes_no":
            allowed = {"yes", "no"}
        elif question.kind == "state":
            allowed = {s.code for s in states}
        else:
            allowed = question.option_values()
        if value not in allowed:
            return None, AnswerError("unknown_option", field)
        return value, None
    if question.kind == "number":
        raw = first("answer").replace(",", "").replace("$", "")
        if not raw:
            return None, AnswerError("number_missing", field)
        if not raw.isdigit():
            return None, AnswerError("number_not_whole", field)
        number = int(raw)
        if question.minimum is not None and number < question.minimum:
            return None, AnswerError("number_too_small", field)
        if question.maximum is not None and number > question.maximum:
            return None, AnswerError("number_too_large", field)
        return number, None
    return _parse_date(question, first("month"), first("day"), first("year"), today)


def _parse_date(question: Question, month: str, day: str, year: str, today: date) -> Parsed:
    base = f"q-{question.id}"
    if not (month or day or year):
        return None, AnswerError("date_missing", f"{base}-month")
    for name, part in (("month", month), ("day", day), ("year", year)):
        if not part:
            return None, AnswerError(f"date_missing_{name}", f"{base}-{name}")
        if not part.isdigit():
            return None, AnswerError("date_not_numbers", f"{base}-{name}")
    if len(year) != 4:
        return None, AnswerError("date_year_digits", f"{base}-year")
    if int(year) < EARLIEST_YEAR:
        return None, AnswerError("date_too_early", f"{base}-year")
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        return None, AnswerError("date_not_real", f"{base}-day")
    if when > today and not question.allow_future:
        return None, AnswerError("date_in_future", f"{base}-year")
    return when.isoformat(), None


def form_values(question: Question, value: Any) -> dict[str, Any]:
    """The field values that show a stored answer again in its form."""
    if value is None:
        return {}
    if value == UNSURE:
        return {"answer": UNSURE, "unsure": "yes"}
    if question.kind == "date":
        parts = str(value).split("-")
        return {"year": parts[0], "month": str(int(parts[1])), "day": str(int(parts[2]))}
    return {"answer": value}


def check_value(question: Question, value: Any, states: tuple[State, ...], today: date) -> str | None:
    """Why an API answer value is not acceptable for a question, or None when it is."""
    if value == UNSURE:
        return None if question.allow_unsure else "this question does not accept 'unsure'"
    if question.kind == "yes_no":
        return None if value in ("yes", "no") else "must be 'yes' or 'no'"
    if question.kind == "state":
        return None if value in {s.code for s in states} else "must be a two-letter state code"
    if question.kind == "single":
        return (
            None
            if value in question.option_values()
            else f"must be one of {sorted(question.option_values())}"
        )
    if question.kind == "multi":
        if (
            not isinstance(value, list)
            or not value
            or any(not isinstance(v, str) or v not in question.option_values() for v in value)
        ):
            return f"must be a non-empty list of {sorted(question.option_values())}"
        return None
    if question.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return "must be a number"
        if question.minimum is not None and value < question.minimum:
            return f"must be at least {question.minimum}"
        if question.maximum is not None and value > question.maximum:
            return f"must be at most {question.maximum}"
        return None
    if not isinstance(value, str) or len(value) != 10:
        return "must be a date written YYYY-MM-DD"
    try:
        when = date.fromisoformat(value)
    except ValueError:
        return "must be a real date written YYYY-MM-DD"
    if when.year < EARLIEST_YEAR:
        return f"must be in {EARLIEST_YEAR} or later"
    if when > today and not question.allow_future:
        return "must not be in the future"
    return None
