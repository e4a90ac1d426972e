"""Deadline maths in one time zone, at birthday, leap-day and year-end boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from life_experiences import deadlines
from life_experiences.deadlines import DeadlineRule

MEDICARE = DeadlineRule(
    label="Ends",
    summary="IEP",
    from_question="dob",
    years=65,
    months=3,
    end_of_month=True,
    born_first_counts_previous=True,
)
SIXTY_DAYS = DeadlineRule(label="By", summary="60 days", from_question="born", days=60)


@pytest.mark.parametrize(
    ("born", "ends"),
    [
        ("1961-07-15", date(2026, 10, 31)),  # turns 65 in July: ends 3 months after July
        ("1961-07-01", date(2026, 9, 30)),  # born on the 1st: treated as turning 65 in June
        ("1961-07-02", date(2026, 10, 31)),
        ("1961-10-20", date(2027, 1, 31)),  # crosses the year end
        ("1962-01-01", date(2027, 3, 31)),  # 1 January: counts as December, ends in March
        ("1960-02-29", date(2025, 5, 31)),  # leap-day birthday
    ],
)
def test_medicare_initial_enrollment_period_end(born: str, ends: date) -> None:
    assert deadlines.deadline_date(MEDICARE, {"dob": born}) == ends


@pytest.mark.parametrize(
    ("born", "due"),
    [
        ("2026-01-01", date(2026, 3, 2)),
        ("2024-01-01", date(2024, 3, 1)),  # leap year
        ("2026-11-15", date(2027, 1, 14)),  # crosses the year end
    ],
)
def test_sixty_days_after_an_event(born: str, due: date) -> None:
    assert deadlines.deadline_date(SIXTY_DAYS, {"born": born}) == due


def test_adding_months_keeps_the_last_valid_day() -> None:
    assert deadlines.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert deadlines.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert deadlines.add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert deadlines.add_months(date(2025, 1, 15), -1) == date(2024, 12, 15)


def test_no_date_without_the_answer_and_passed_dates_are_flagged() -> None:
    assert deadlines.compute(SIXTY_DAYS, {}, date(2026, 1, 1)).date is None
    due = deadlines.compute(SIXTY_DAYS, {"born": "2026-01-01"}, date(2026, 3, 3))
    assert due.passed and due.date == date(2026, 3, 2)
    assert not deadlines.compute(SIXTY_DAYS, {"born": "2026-01-01"}, date(2026, 3, 2)).passed


def test_parse_reports_each_problem() -> None:
    rule, problems = deadlines.parse({"label": "x", "summary": "y", "from": "nope", "weeks": 2}, {"dob"})
    assert rule is None
    assert any("unknown keys ['weeks']" in p for p in problems)
    assert any("'from' must name a date question" in p for p in problems)


def test_an_opening_date_is_not_a_missed_deadline() -> None:
    opens, problems = deadlines.parse(
        {
            "label": "You can apply from",
            "summary": "s",
            "from": "dob",
            "years": 61,
            "months": 8,
            "kind": "opens",
        },
        {"dob"},
    )
    assert problems == [] and opens is not None
    due = deadlines.compute(opens, {"dob": "1960-03-10"}, date(2026, 11, 22))
    assert due.kind == "opens" and due.passed and due.date == date(2021, 11, 10)
    _, problems = deadlines.parse({"label": "x", "summary": "y", "kind": "maybe"}, set())
    assert any("'kind' must be one of" in p for p in problems)
