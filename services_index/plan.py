"""A person's plan: services grouped by status, why, deadlines and one document checklist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from life_experiences import deadlines, engine, rules
from life_experiences.model import Bank, Question
from life_experiences.rules import Context
from services_index.model import Agency, Document, Service


@dataclass(frozen=True)
class PlanItem:
    """One service in a plan, with its status and the reasons for it."""

    service: Service
    agency: Agency
    status: str
    explanation: rules.Explanation
    deadline: deadlines.Deadline | None


@dataclass(frozen=True)
class Plan:
    """What a person gets at the end: every service in scope, and what to gather."""

    items: tuple[PlanItem, ...]
    documents: tuple[Document, ...]
    next_question: Question | None
    answers: Mapping[str, Any]

    def by_status(self, status: str) -> list[PlanItem]:
        """Items with one status, in the order they were ranked."""
        return [i for i in self.items if i.status == status]

    def deadlines(self) -> list[PlanItem]:
        """Items with a real date worth acting on, soonest first (not openings already past)."""
        dated = [
            (i.deadline.date, i)
            for i in self.items
            if i.deadline
            and i.deadline.date
            and i.status != engine.NOT_ELIGIBLE
            and not (i.deadline.kind == "opens" and i.deadline.passed)
        ]
        return [item for _, item in sorted(dated, key=lambda pair: pair[0])]


def build(
    bank: Bank,
    services: Sequence[Service],
    agencies: Mapping[str, Agency],
    documents: Mapping[str, Document],
    slugs: Sequence[str],
    answers: Mapping[str, Any],
    today: date,
) -> Plan:
    """Evaluate every service of the chosen life experiences against the answers."""
    assessment = engine.Assessment(bank, slugs, services, answers, Context(today, bank.poverty))
    answers, ctx = assessment.answers, assessment.ctx
    items: list[PlanItem] = []
    for service in engine.in_scope(services, slugs):
        # One pass over the rule gives both the status and the reasons for it.
        explanation = rules.explain(service.eligibility, answers, ctx)
        status = engine.status_for(explanation.value)
        due = deadlines.compute(service.deadline, answers, today) if service.deadline else None
        items.append(PlanItem(service, agencies[service.agency], status, explanation, due))
    order = {s: i for i, s in enumerate(engine.STATUS_ORDER)}
    # Within a status, services with more criteria met come first, then by name.
    items.sort(key=lambda i: (order[i.status], -len(i.explanation.met), i.service.name.lower()))
    gathered: dict[str, Document] = {}
    for item in items:
        if item.status == engine.NOT_ELIGIBLE:
            continue
        for doc in item.service.documents:
            if doc in documents:
                gathered.setdefault(doc, documents[doc])
    return Plan(tuple(items), tuple(gathered.values()), assessment.next_question(), answers)
