"""Golden scenarios: content designers add personas to tests/scenarios/*.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from life_experiences.model import Bank
from life_experiences.scenarios import load, run_persona
from services_index.content import Content

FILES = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))
CASES = [(path, persona["name"]) for path in FILES for persona in load(path)["personas"]]


def test_every_life_experience_has_at_least_six_personas(bank: Bank) -> None:
    counts = {}
    for path in FILES:
        data = load(path)
        for slug in data["life_experiences"]:
            counts[slug] = counts.get(slug, 0) + len(data["personas"])
    for slug in bank.experiences:
        assert counts.get(slug, 0) >= 6, slug


@pytest.mark.parametrize(("path", "name"), CASES, ids=[f"{p.stem}: {n}" for p, n in CASES])
def test_persona_gets_the_expected_services(bank: Bank, content: Content, path: Path, name: str) -> None:
    data = load(path)
    persona = next(p for p in data["personas"] if p["name"] == name)
    today = data["today"] if isinstance(data["today"], date) else date.fromisoformat(data["today"])
    outcome = run_persona(bank, list(content.services.values()), data["life_experiences"], persona, today)
    assert outcome.problems == ()
