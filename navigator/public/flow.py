"""A person's progress, kept only in the signed session cookie."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flask import session

from life_experiences import engine
from life_experiences.model import Bank, Question
from life_experiences.rules import Context

KEY = "flow"


@dataclass
class Flow:
    """The chosen life experiences, the answers, and the order questions were answered in."""

    slugs: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)
    # True when someone answers for a person they help, so questions say "the person you help".
    helping: bool = False
    # Steps already added to the anonymous totals, so a reload is not counted twice.
    counted: list[str] = field(default_factory=list)

    @property
    def started(self) -> bool:
        """True once a life experience has been chosen."""
        return bool(self.slugs)

    def record(self, bank: Bank, qid: str, value: Any, ctx: Context) -> None:
        """Save an answer and drop answers to follow-ups that no longer apply."""
        self.answers[qid] = value
        if qid not in self.path:
            self.path.append(qid)
        self.answers = engine.clean(bank, self.slugs, self.answers, ctx)
        self.path = [q for q in self.path if q in self.answers]

    def add(self, slug: str) -> None:
        """Add another life experience; answers already given are kept and not asked again."""
        if slug not in self.slugs:
            self.slugs.append(slug)

    def worded(self, question: Question) -> Question:
        """The question in the wording for this person (themselves, or someone they help)."""
        if not self.helping:
            return question
        return replace(
            question, text=question.text_other or question.text, hint=question.hint_other or question.hint
        )

    def previous(self, qid: str | None) -> str | None:
        """The question answered before ``qid`` (or the last one answered)."""
        if qid in self.path:
            index = self.path.index(qid)
            return self.path[index - 1] if index > 0 else None
        return self.path[-1] if self.path else None


def load(bank: Bank) -> Flow:
    """The flow from the session, ignoring anything that does not fit the current bank."""
    return parse(bank, session.get(KEY) or {})


def parse(bank: Bank, raw: Any) -> Flow:
    """A flow from its compact form (session or share link), keeping only what fits the bank."""
    if not isinstance(raw, dict):
        return Flow()
    slugs = [s for s in raw.get("le", []) if isinstance(s, str) and s in bank.experiences]
    questions = set(engine.question_ids(bank, slugs))
    answers = raw.get("a") if isinstance(raw.get("a"), dict) else {}
    answers = {k: v for k, v in answers.items() if k in questions}
    path = [q for q in raw.get("p", []) if isinstance(q, str) and q in answers]
    counted = [c for c in raw.get("c", []) if isinstance(c, str)][:200]
    return Flow(slugs, answers, path, helping=raw.get("h") is True, counted=counted)


def save(flow: Flow) -> None:
    """Write the flow back into the cookie (compact keys keep the cookie small)."""
    session[KEY] = {"le": flow.slugs, "a": flow.answers, "p": flow.path, "h": flow.helping, "c": flow.counted}


def clear() -> None:
    """Forget everything about this person."""
    session.pop(KEY, None)
