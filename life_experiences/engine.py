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
    gates = {q: gate for q in qids if (gate := bank.questions[q].ask_if) is not None}
    while True:
        probe = Context(ctx.today, ctx.poverty, frozenset(hide))
        found = {q for q, gate in gates.items() if rules.evaluate(gate, answers, probe) is False}
        if found == hide:
            return frozenset(hide)
        hide = found


def clean(bank: Bank, slugs: Sequence[str], answers: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Drop answers to questions that are not in these life experiences or no longer apply."""
    kept = Assessment(bank, slugs, (), answers, ctx).answers
    return {q: answers[q] for q in kept}


def status_of(service: Screened, answers: Mapping[str, Any], ctx: Context) -> str:
    """likely, more_info or not_eligible for one service."""
    return status_for(rules.evaluate(service.eligibility, answers, ctx))


def status_for(value: rules.Truth) -> str:
    """The status a rule's value means."""
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


class Assessment:
    """One person's answers against the services of their life experiences.

    Works out hidden questions and what each service still depends on once, so a request
    can ask for the next question, progress and statuses without repeating the work.
    """

    def __init__(
        self,
        bank: Bank,
        slugs: Sequence[str],
        services: Iterable[Screened],
        answers: Mapping[str, Any],
        ctx: Context,
    ):
        self.bank = bank
        self.slugs = list(slugs)
        self.qids = question_ids(bank, self.slugs)
        self.services = in_scope(services, self.slugs)
        hide = hidden(bank, self.qids, answers, ctx)
        # Answers to questions that are not asked, or no longer apply, are left out.
        # Dates are parsed once here rather than at every rule that looks at them.
        self.answers = {
            q: rules.parse_date(answers[q]) or answers[q] if bank.questions[q].kind == "date" else answers[q]
            for q in self.qids
            if q in answers and q not in hide
        }
        self.ctx = Context(ctx.today, ctx.poverty, hide)
        self._counts: dict[str, int] | None = None

    def status(self, service: Screened) -> str:
        """likely, more_info or not_eligible for one service."""
        return status_of(service, self.answers, self.ctx)

    def _pending(self, service: Screened) -> set[str]:
        """Unanswered questions that could still change this service, with their gates."""
        answers, ctx = self.answers, self.ctx
        left = rules.residual(service.eligibility, answers, ctx)
        pending = rules.questions_in(left) if isinstance(left, dict) else set()
        source = service.deadline.from_question if service.deadline else None
        if source and left is not False and source not in ctx.hidden:
            pending.add(source)
        pending = {q for q in pending if q not in answers}
        # A follow-up can only be asked once its gate is settled: the gate matters as much.
        queue = list(pending)
        while queue:
            gate = self.bank.questions[queue.pop()].ask_if
            if gate is None:
                continue
            gate_left = rules.residual(gate, answers, ctx)
            if isinstance(gate_left, dict):
                for dep in rules.questions_in(gate_left) - pending:
                    if dep not in answers:
                        pending.add(dep)
                        queue.append(dep)
        return pending

    def scores(self) -> dict[str, int]:
        """For each relevant unanswered question, how many services it could still change."""
        if self._counts is None:
            counts: dict[str, int] = {}
            for service in self.services:
                for qid in self._pending(service):
                    counts[qid] = counts.get(qid, 0) + 1
            self._counts = counts
        return self._counts

    def next_question(self) -> Question | None:
        """The askable question that can change the most services (ties by default order)."""
        counts = self.scores()
        best: tuple[int, int] | None = None
        chosen: str | None = None
        for index, qid in enumerate(self.qids):
            if qid in self.answers or qid in self.ctx.hidden or counts.get(qid, 0) == 0:
                continue
            if not askable(self.bank.questions[qid], self.answers, self.ctx):
                continue
            key = (-counts[qid], index)
            if best is None or key < best:
                best, chosen = key, qid
        return self.bank.questions[chosen] if chosen else None

    def progress(self) -> Progress:
        """Answered so far, and answered plus the questions that may still be asked."""
        answered = sum(1 for q in self.qids if q in self.answers)
        return Progress(answered, answered + len(self.scores()))


def scores(
    bank: Bank, slugs: Sequence[str], services: Iterable[Screened], answers: Mapping[str, Any], ctx: Context
) -> dict[str, int]:
    """For each relevant unanswered question, how many services it could still change."""
    return Assessment(bank, slugs, services, answers, ctx).scores()


def next_question(
    bank: Bank, slugs: Sequence[str], services: Iterable[Screened], answers: Mapping[str, Any], ctx: Context
) -> Question | None:
    """The askable question that can change the most services (ties by default order), or None."""
    return Assessment(bank, slugs, services, answers, ctx).next_question()


def progress(
    bank: Bank, slugs: Sequence[str], services: Iterable[Screened], answers: Mapping[str, Any], ctx: Context
) -> Progress:
    """Answered so far, and answered plus the questions that may still be asked."""
    return Assessment(bank, slugs, services, answers, ctx).progress()
