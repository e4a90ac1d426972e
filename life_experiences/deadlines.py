"""Deadline maths: turn a deadline rule and the answers into a real calendar date.

All dates are calendar dates in one time zone (America/New_York unless configured); the
caller supplies "today" in that zone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from life_experiences.rules import Answers, parse_date

DEADLINE_KEYS = {
    "from",
    "on",
    "years",
    "months",
    "days",
    "end_of_month",
    "born_first_counts_previous",
    "label",
    "summary",
    "kind",
}
# A deadline is the last day to act; an opening is the first day you can.
KINDS = ("deadline", "opens")


@dataclass(frozen=True)
class DeadlineRule:
    """How a service's deadline is found: a fixed date, or an offset from a date answer."""

    label: str
    summary: str
    from_question: str | None = None
    on: date | None = None
    years: int = 0
    months: int = 0
    days: int = 0
    end_of_month: bool = False
    # Medicare treats a person born on the 1st as turning 65 in the month before.
    born_first_counts_previous: bool = False
    kind: str = "deadline"


@dataclass(frozen=True)
class Deadline:
    """A date for one person (when the answers allow it), with the general rule.

    ``passed`` means the date is before today: too late for a deadline, already open for an opening.
    """

    label: str
    summary: str
    date: date | None
    passed: bool
    kind: str = "deadline"


def add_months(day: date, months: int) -> date:
    """Add calendar months, keeping the day where it exists and otherwise the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def end_of_month(day: date) -> date:
    """The last day of the month ``day`` falls in."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def deadline_date(rule: DeadlineRule, answers: Answers) -> date | None:
    """The deadline's date for these answers, or None when they do not allow one."""
    if rule.on is not None:
        return rule.on
    if rule.from_question is None:
        return None
    start = parse_date(answers.get(rule.from_question))
    if start is None:
        return None
    if rule.born_first_counts_previous and start.day == 1:
        start -= timedelta(days=1)
    result = add_months(start, rule.years * 12 + rule.months)
    if rule.end_of_month:
        result = end_of_month(result)
    return result + timedelta(days=rule.days)


def compute(rule: DeadlineRule, answers: Answers, today: date) -> Deadline:
    """Work out the deadline for one person."""
    when = deadline_date(rule, answers)
    return Deadline(rule.label, rule.summary, when, passed=when is not None and when < today, kind=rule.kind)


def parse(raw: Any, date_questions: set[str]) -> tuple[DeadlineRule | None, list[str]]:
    """Build a DeadlineRule from data, returning it with a message per problem."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        return None, ["must be a mapping with 'label' and 'summary'"]
    unknown = set(raw) - DEADLINE_KEYS
    if unknown:
        problems.append(f"unknown keys {sorted(unknown)}")
    for key in ("label", "summary"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(f"needs '{key}' as plain text")
    source = raw.get("from")
    on = raw.get("on")
    if source is not None and on is not None:
        problems.append("give 'from' or 'on', not both")
    if source is not None and source not in date_questions:
        problems.append(f"'from' must name a date question, {source!r} is not one")
    fixed: date | None = None
    if on is not None:
        fixed = on if isinstance(on, date) else parse_date(on)
        if fixed is None:
            problems.append(f"'on' must be a date YYYY-MM-DD, got {on!r}")
    kind = raw.get("kind", "deadline")
    if kind not in KINDS:
        problems.append(f"'kind' must be one of {', '.join(KINDS)}")
    numbers = {}
    for key in ("years", "months", "days"):
        value = raw.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 150 * 366:
            problems.append(f"'{key}' must be a whole number")
            value = 0
        numbers[key] = value
    if problems:
        return None, problems
    return (
        DeadlineRule(
            label=raw["label"].strip(),
            summary=raw["summary"].strip(),
            from_question=source,
            on=fixed,
            end_of_month=bool(raw.get("end_of_month", False)),
            born_first_counts_previous=bool(raw.get("born_first_counts_previous", False)),
            kind=kind,
            **numbers,
        ),
        [],
    )
