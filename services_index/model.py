"""Domain objects of the Federal Services Index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from life_experiences.deadlines import DeadlineRule
from life_experiences.rules import Rule


@dataclass(frozen=True)
class Agency:
    """A federal agency, with how to reach it."""

    id: str
    name: str
    acronym: str = ""
    website: str = ""
    phone: str = ""
    tty: str = ""
    phone_hours: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Form:
    """A form a person fills in, named by number and name."""

    number: str
    name: str
    url: str


@dataclass(frozen=True)
class Channels:
    """The ways to apply or get help: online, phone, TTY, in person, by mail."""

    online: str = ""
    phone: str = ""
    tty: str = ""
    phone_hours: str = ""
    in_person: str = ""
    in_person_url: str = ""
    mail: str = ""

    def any(self) -> bool:
        """True when at least one way to apply is given."""
        return bool(self.online or self.phone or self.in_person or self.mail)


@dataclass(frozen=True)
class Document:
    """A document to gather, shared across services so a checklist has no repeats."""

    id: str
    label: str


@dataclass(frozen=True)
class Service:
    """An entry of the index: one federal service, benefit or task."""

    id: str
    name: str
    agency: str
    summary: str
    life_experiences: tuple[str, ...]
    eligibility: Rule
    apply: Channels
    forms: tuple[Form, ...]
    documents: tuple[str, ...]
    deadline: DeadlineRule | None
    cost: str
    processing_time: str
    assistance_listing: str
    source_url: str
    last_verified: str
    english_only: bool
    url_es: str = ""
    status_url: str = ""
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    state: str = "published"
    revision: int = 1
    curated: bool = True
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def url(self) -> str:
        """Where a person goes next: the online application, else the official page."""
        return self.apply.online or self.source_url
