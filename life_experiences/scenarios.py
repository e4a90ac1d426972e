"""Golden scenarios: a persona's answers in, the expected services out.

A scenario file (``tests/scenarios/<slug>.yaml``) lists personas. Each is run through the
adaptive flow, answering only what the flow asks, and the statuses must match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from life_experiences import engine
from life_experiences.model import Bank
from life_experiences.rules import Context


@dataclass(frozen=True)
class Outcome:
    """What the flow did for one persona."""

    asked: tuple[str, ...]
    statuses: dict[str, str]
    problems: tuple[str, ...]


def run_flow(
    bank: Bank,
    slugs: Sequence[str],
    services: Iterable[engine.Screened],
    answers: dict[str, Any],
    today: date,
) -> tuple[list[str], dict[str, Any], list[str]]:
    """Answer what the flow asks from ``answers``; return questions asked, given answers, problems."""
    services = list(services)
    ctx = Context(today, bank.poverty)
    given: dict[str, Any] = {}
    asked: list[str] = []
    problems: list[str] = []
    while True:
        question = engine.next_question(bank, slugs, services, given, ctx)
        if question is None:
            break
        if question.id not in answers:
            problems.append(f"the flow asked {question.id!r}, which the persona does not answer")
            break
        asked.append(question.id)
        given[question.id] = answers[question.id]
        given = engine.clean(bank, slugs, given, ctx)
    return asked, given, problems


def run_persona(
    bank: Bank,
    services: Sequence[engine.Screened],
    slugs: Sequence[str],
    persona: dict[str, Any],
    today: date,
) -> Outcome:
    """Run one persona and compare with what it expects."""
    answers = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in persona["answers"].items()}
    asked, given, problems = run_flow(bank, slugs, services, answers, today)
    assessment = engine.Assessment(bank, slugs, services, given, Context(today, bank.poverty))
    statuses = {s.id: assessment.status(s) for s in assessment.services}
    for status in engine.STATUS_ORDER:
        expected = persona.get(status)
        if expected is None:
            continue
        for sid in expected:
            if sid not in statuses:
                problems.append(f"{sid!r} is not a service of {list(slugs)}")
            elif statuses[sid] != status:
                problems.append(f"{sid!r} expected {status}, got {statuses[sid]}")
    if persona.get("likely_exact", True) and "likely" in persona:
        extra = sorted(s for s, st in statuses.items() if st == engine.LIKELY and s not in persona["likely"])
        if extra:
            problems.append(f"also likely but not listed: {extra}")
    return Outcome(tuple(asked), statuses, tuple(problems))


def load(path: Path) -> dict[str, Any]:
    """Read one scenario file."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def check_file(bank: Bank, services: Sequence[engine.Screened], path: Path) -> list[str]:
    """Every problem with every persona in a scenario file, each prefixed with the persona."""
    data = load(path)
    slugs = data["life_experiences"]
    today = data["today"] if isinstance(data["today"], date) else date.fromisoformat(data["today"])
    problems: list[str] = []
    for persona in data["personas"]:
        outcome = run_persona(bank, services, slugs, persona, today)
        problems.extend(f"{path.name}: {persona['name']}: {p}" for p in outcome.problems)
    return problems
