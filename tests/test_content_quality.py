"""Content gates that CI enforces: plain language, a person to reach, complete facts."""

from __future__ import annotations

from life_experiences.model import Bank
from life_experiences.readability import grade
from services_index.content import Content

MAX_GRADE = 10


def test_every_public_summary_is_at_most_grade_ten(content: Content, bank: Bank) -> None:
    texts = {f"service {s.id}": s.summary for s in content.services.values()}
    texts |= {f"life experience {e.slug}": e.summary for e in bank.experiences.values()}
    texts |= {f"life experience {e.slug} intro": e.intro for e in bank.experiences.values()}
    too_hard = {name: grade(text) for name, text in texts.items() if grade(text) > MAX_GRADE}
    assert too_hard == {}


def test_every_service_says_how_to_reach_a_person(content: Content) -> None:
    missing = [
        s.id
        for s in content.services.values()
        if not (s.apply.phone or content.agencies[s.agency].phone or s.apply.in_person)
    ]
    assert missing == []


def test_every_question_explains_itself(bank: Bank) -> None:
    assert [q.id for q in bank.questions.values() if not q.why.strip()] == []


def test_every_life_experience_has_services_and_every_service_a_home(content: Content, bank: Bank) -> None:
    for slug in bank.experiences:
        assert sum(slug in s.life_experiences for s in content.services.values()) >= 5, slug
    for service in content.services.values():
        assert set(service.life_experiences) <= set(bank.experiences)
        if not service.life_experiences:
            assert service.keywords.get("en"), f"{service.id} is found only by search, so needs keywords"
