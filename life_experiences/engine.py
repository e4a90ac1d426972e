"""The adaptive flow: which question to ask next, and each service's status for the answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from life_experiences import rules
from life_experiences.deadlines import DeadlineRule
from life_experiences.model import Bank, Question
from life_experiences.rules import Context, Rule

LIKELY = "likely"
MORE_INFO = "more_info"
NOT_ELIGIBLE = "not_eligible"
STATUS_ORDER = (LIKELY, MORE_INFO, NOT_ELIGIBLE)


class Screened(Protocol):
    """What the engine needs of a service: its id, life experiences, rule and deadline."""

    @property
    def id(self) -> str: ...

    @property
    def life_experiences(self) -> Sequence[str]: ...

    @property
    def eligibility(self) -> Rule: ...

    @property
    def deadline(self) -> DeadlineRule | None: ...


def question_ids(bank: Bank, slugs: Iterable[str]) -> list[str]:
    """The questions of one or more life experiences, in default order, each once."""
    ordered: dict[str, None] = {}
    for slug in slugs:
        for qid in bank.experiences[slug].questions:
            ordered.setdefault(qid, None)
    return list(ordered)


ScreenedT = TypeVar("ScreenedT", bound=Screened)


def in_scope(services: Iterable[ScreenedT], slugs: Iterable[str]) -> list[ScreenedT]:
    """Services that belong to any of the chosen life experiences."""
    wanted = set(slugs)
    return [s for s in services if wanted.intersection(s.life_experiences)]


def hidden(bank: Bank, qids: Iterable[str], answers: Mapping[str, Any], ctx: Context) -> frozenset[str]:
    """Questions whose ``ask_if`` is false: they do not apply and their answers are dropped.

    Hiding a question can hide questions that depend on it, so this repeats until stable.
    """
    hide: set[str] = set()
    qids = list(qids)
    while True:
        probe = Context(ctx.today, ctx.poverty, frozenset(hide))
        found = {q for q in qids if bank.questions[q].ask_if is not None
                 and rules.evaluate(bank.questions[q].ask_if, answers, probe) is False}  # type: ignore[arg-type]
        if found == hide:
            return frozenset(hide)
        hide = found


def clean(bank: Bank, slugs: Iterable[str], answers: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Drop answers to questions that are not in these life experiences or no longer apply."""
    qids = question_ids(bank, slugs)
    hide = hidden(bank, qids, answers, ctx)
    return {q: answers[q] for q in qids if q in answers and q not in hide}


def context_for(bank: Bank, slugs: Iterable[str], answers: Mapping[str, Any], ctx: Context) -> Context:
    """The evaluation context with this person's hidden questions filled in."""
    return Context(ctx.today, ctx.poverty, hidden(bank, question_ids(bank, slugs), answers, ctx))


def status_of(service: Screened, answers: Mapping[str, Any], ctx: Context) -> str:
    """likely, more_info or not_eligible for one service."""
    value = rules.evaluate(service.eligibility, answers, ctx)
    return LIKELY if value is True else NOT_ELIGIBLE if value is False else MORE_INFO


def askable(question: Question, answers: Mapping[str, Any], ctx: Context) -> bool:
    """True when a question's gate holds, or is settled as unknown by "I'm not sure".

    A follow-up waits while its gate question is unanswered; if the person is not sure
    about the gate, the follow-up is still asked rather than left unknown forever.
    """
    if question.ask_if is None:
        return True
    left = rules.residual(question.ask_if, answers, ctx)
    return left is True or left == {}


@dataclass(frozen=True)
class Progress:
    """How far along a person is: questions answered and a fair estimate of the total."""

    answered: int
    estimated_total: int


def _pending(bank: Bank, service: Screened, answers: Mapping[str, Any], ctx: Context) -> set[str]:
    """Unanswered questions that could still change this service, with their gate questions."""
    left = rules.residual(service.eligibility, answers, ctx)
    pending = rules.questions_in(left) if isinstance(left, dict) else set()
    source = service.deadline.from_question if service.deadline else None
    if source and left is not False and source not in ctx.hidden:
        pending.add(source)
    pending = {q for q in pending if q not in answers}
    # A follow-up can only be asked once its gate is settled: the gate matters as much.
    queue = list(pending)
    while queue:
        gate = bank.questions[queue.pop()].ask_if
        if gate is None:
            continue
        gate_left = rules.residual(gate, answers, ctx)
        if isinstance(gate_left, dict):
            for dep in rules.questions_in(gate_left) - pending:
                if dep not in answers:
                    pending.add(dep)
                    queue.append(dep)
    return pending


def scores(bank: Bank, slugs: Sequence[str], services: Iterable[Screened],
           answers: Mapping[str, Any], ctx: Context) -> dict[str, int]:
    """For each relevant unanswered question, how many services it could still change."""
    ctx = context_for(bank, slugs, answers, ctx)
    counts: dict[str, int] = {}
    for service in in_scope(services, slugs):
        for qid in _pending(bank, service, answers, ctx):
            counts[qid] = counts.get(qid, 0) + 1
    return counts


def next_question(bank: Bank, slugs: Sequence[str], services: Iterable[Screened],
                  answers: Mapping[str, Any], ctx: Context) -> Question | None:
    """The askable question that can change the most services (ties by default order), or None."""
    qids = question_ids(bank, slugs)
    full = context_for(bank, slugs, answers, ctx)
    counts = scores(bank, slugs, services, answers, ctx)
    best: tuple[int, int] | None = None
    chosen: str | None = None
    for index, qid in enumerate(qids):
        if qid in answers or qid in full.hidden or counts.get(qid, 0) == 0:
            continue
        if not askable(bank.questions[qid], answers, full):
            continue
        key = (-counts[qid], index)
        if best is None or key < best:
            best, chosen = key, qid
    return bank.questions[chosen] if chosen else None


def progress(bank: Bank, slugs: Sequence[str], services: Iterable[Screened],
             answers: Mapping[str, Any], ctx: Context) -> Progress:
    """Answered so far, and answered plus the questions that may still be asked."""
    answered = sum(1 for q in question_ids(bank, slugs) if q in answers)
    remaining = len(scores(bank, slugs, services, answers, ctx))
    return Progress(answered, answered + remaining)
