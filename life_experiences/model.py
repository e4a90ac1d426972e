"""Domain objects of the question bank and life experiences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from life_experiences.rules import PovertyGuidelines, Rule

QUESTION_KINDS = ("yes_no", "single", "multi", "date", "number", "state")


@dataclass(frozen=True)
class Option:
    """One answer a person can pick."""

    value: str
    label: str


@dataclass(frozen=True)
class Question:
    """One question of the shared bank; its wording is the same wherever it is used."""

    id: str
    kind: str
    text: str
    hint: str
    why: str
    # The same question asked of someone helping another person ("Was the person you help...").
    text_other: str = ""
    hint_other: str = ""
    options: tuple[Option, ...] = ()
    allow_unsure: bool = False
    ask_if: Rule | None = None
    minimum: int | None = None
    maximum: int | None = None
    prefix: str = ""
    allow_future: bool = False
    # Translators get context for the question from its id, kind and this comment.
    comment: str = ""

    def option_values(self) -> set[str]:
        """The values this question accepts (not counting "I'm not sure")."""
        return {o.value for o in self.options}

    def label_for(self, value: Any) -> str | None:
        """The option label for a value, when the question has options."""
        for option in self.options:
            if option.value == value:
                return option.label
        return None


@dataclass(frozen=True)
class LifeExperience:
    """A life experience: a situation a person is in, with the questions that sort it out."""

    slug: str
    title: str
    summary: str
    intro: str
    minutes: int
    questions: tuple[str, ...]
    related: tuple[str, ...] = ()
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class State:
    """A U.S. state, district or territory."""

    code: str
    name: str


@dataclass(frozen=True)
class Bank:
    """Everything under ``life_experiences/data``, loaded and validated."""

    questions: dict[str, Question]
    experiences: dict[str, LifeExperience]
    poverty: PovertyGuidelines
    states: tuple[State, ...]

    def options_for(self, qid: str) -> set[str]:
        """Option values of a question; states use their codes."""
        return accepted_values(self.questions[qid], self.states)


def accepted_values(question: Question, states: tuple[State, ...]) -> set[str]:
    """The choice values a question accepts: yes/no, state codes or its own options."""
    if question.kind == "state":
        return {s.code for s in states}
    if question.kind == "yes_no":
        return {"yes", "no"}
    return question.option_values()
