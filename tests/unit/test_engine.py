"""The adaptive flow: only questions that can matter are asked, in a stable order."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from life_experiences import engine
from life_experiences.model import Bank, Question
from life_experiences.rules import UNSURE, Context
from life_experiences.scenarios import run_flow
from services_index.content import Content

TODAY = date(2026, 11, 22)
SLUGS = [
    "retirement",
    "disaster",
    "having-a-child",
    "death-of-a-loved-one",
    "disability",
    "military-transition",
    "financial-shock",
    "small-business",
]


def values_for(question: Question, bank: Bank) -> st.SearchStrategy[Any]:
    """Every kind of answer a person could give to a question."""
    choices: st.SearchStrategy[Any]
    if question.kind in ("yes_no", "single", "state"):
        choices = st.sampled_from(sorted(bank.options_for(question.id)))
    elif question.kind == "multi":
        choices = st.lists(st.sampled_from(sorted(question.option_values())), min_size=1, unique=True)
    elif question.kind == "date":
        choices = st.dates(date(1920, 1, 1), TODAY).map(date.isoformat)
    else:
        low = question.minimum or 0
        high = min(question.maximum or 200_000, 200_000)
        choices = st.sampled_from([low, low + 1, 2, 4, 8, 15_000, 30_000, 60_000, 150_000, high])
    if question.allow_unsure:
        return st.one_of(choices, st.just(UNSURE))
    return choices


@st.composite
def people(draw: st.DrawFn, bank: Bank, slug: str) -> dict[str, Any]:
    """A person who would answer every question of a life experience."""
    return {q: draw(values_for(bank.questions[q], bank)) for q in bank.experiences[slug].questions}


def statuses(bank: Bank, content: Content, slug: str, answers: dict[str, Any]) -> dict[str, str]:
    assessment = engine.Assessment(
        bank, [slug], content.services.values(), answers, Context(TODAY, bank.poverty)
    )
    return {s.id: assessment.status(s) for s in assessment.services}


@pytest.mark.parametrize("slug", SLUGS)
def test_skipped_questions_never_change_a_final_status(bank: Bank, content: Content, slug: str) -> None:
    services = list(content.services.values())

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(person=people(bank, slug), other=people(bank, slug))
    def check(person: dict[str, Any], other: dict[str, Any]) -> None:
        asked, answers, problems = run_flow(bank, [slug], services, person, TODAY)
        assert not problems
        assert len(asked) <= len(bank.experiences[slug].questions)
        assert len(set(asked)) == len(asked)
        final = statuses(bank, content, slug, answers)
        # Answer every question the flow skipped, any way at all: nothing may change.
        skipped = {q: v for q, v in other.items() if q not in answers}
        assert statuses(bank, content, slug, {**answers, **skipped}) == final

    check()


@pytest.mark.parametrize("slug", SLUGS)
def test_first_question_is_the_one_that_matters_most(bank: Bank, content: Content, slug: str) -> None:
    services = list(content.services.values())
    ctx = Context(TODAY, bank.poverty)
    first = engine.next_question(bank, [slug], services, {}, ctx)
    assert first is not None
    counts = engine.scores(bank, [slug], services, {}, ctx)
    assert counts[first.id] == max(counts[q] for q in counts if bank.questions[q].ask_if is None)


def test_hidden_follow_up_answers_are_dropped(bank: Bank) -> None:
    ctx = Context(TODAY, bank.poverty)
    answers = {"marital_status": "married", "spouse_worked": "yes"}
    assert engine.clean(bank, ["retirement"], answers, ctx) == answers
    changed = {**answers, "marital_status": "single"}
    assert engine.clean(bank, ["retirement"], changed, ctx) == {"marital_status": "single"}


def test_follow_up_is_asked_only_after_its_gate(bank: Bank, content: Content) -> None:
    services = list(content.services.values())
    ctx = Context(TODAY, bank.poverty)
    person = {"served_in_military": "no"}
    asked, answers, _ = run_flow(
        bank,
        ["retirement"],
        services,
        {
            **{q: UNSURE for q in bank.experiences["retirement"].questions},
            "date_of_birth": (TODAY - timedelta(days=366 * 70)).isoformat(),
            "marital_status": "single",
            "worked_years": "ten_or_more",
            "citizenship": "citizen",
            **person,
        },
        TODAY,
    )
    assert "served_wartime" not in asked
    assert "spouse_worked" not in asked
    assert engine.next_question(bank, ["retirement"], services, answers, ctx) is None


def test_unknown_status_when_unsure(bank: Bank, content: Content) -> None:
    result = statuses(bank, content, "retirement", {"date_of_birth": "1955-05-05", "worked_years": UNSURE})
    assert result["ssa-retirement-benefits"] == engine.MORE_INFO
