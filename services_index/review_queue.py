"""What plain-language reviewers work through: every public string of a locale, with its status.

A string is either interface text (``messages``: a message id from ``messages.pot``) or a
field of the index (``content``: ``service:<id>`` + field). Each has a short, stable id made
from its key, used in addresses of the review pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from life_experiences.model import Bank
from services_index.model import Service
from services_index.review_checks import Check, GlossaryTerm, check_translation, placeholders
from services_index.translations import (
    CONTENT,
    MESSAGES,
    ContentText,
    Translation,
    message_kind,
    source_hash,
    split_context,
)

MISSING = "missing"
QUEUE_STATUSES = (MISSING, "draft", "needs_review", "approved", "stale")
KINDS = ("interface", "question", "life_experience", "service", "agency", "document")
QUESTION_NOTE = re.compile(r"^Question ([a-z0-9_]+):")
EXPERIENCE_NOTE = re.compile(r"^Life experience ([a-z0-9-]+):")
EXPERIENCE_FILE = re.compile(r"life_experiences/data/experiences/([a-z0-9-]+)\.yaml")
STATES_FILE = "life_experiences/data/states.yaml"


def string_id(domain: str, context: str, field: str) -> str:
    """The short id of a string, stable as long as its key does not change."""
    return source_hash("\x1f".join((domain, context, field)))


@dataclass(frozen=True)
class Source:
    """One public string in English, with where it appears and a note for translators."""

    domain: str
    context: str
    field: str
    english: str
    kind: str
    plural: str = ""
    comment: str = ""
    locations: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    experiences: tuple[str, ...] = ()
    service: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """(domain, context, field): what identifies the string."""
        return (self.domain, self.context, self.field)

    @property
    def sid(self) -> str:
        """The string's id in review addresses."""
        return string_id(self.domain, self.context, self.field)

    @property
    def templates(self) -> tuple[str, ...]:
        """The template and code files the string appears in, without line numbers, in order."""
        return tuple(dict.fromkeys(loc.rsplit(":", 1)[0] for loc in self.locations))


@dataclass(frozen=True)
class Item:
    """A string of the queue and its translation in one locale (None when there is none yet)."""

    source: Source
    row: Translation | None

    @property
    def status(self) -> str:
        """``missing``, or the translation's review status."""
        if self.row is None or not self.row.text:
            return MISSING
        return self.row.status

    @property
    def text(self) -> str:
        """The translated text (empty when missing)."""
        return self.row.text if self.row is not None else ""


@dataclass(frozen=True)
class Filters:
    """What the queue shows: by status, kind, life experience, service, and words in either text."""

    status: str = ""
    kind: str = ""
    experience: str = ""
    service: str = ""
    query: str = ""

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (empty ones left out)."""
        found = {
            "status": self.status,
            "kind": self.kind,
            "experience": self.experience,
            "service": self.service,
            "q": self.query,
        }
        return {k: v for k, v in found.items() if v}


def _experiences_asking(bank: Bank, questions: Iterable[str]) -> tuple[str, ...]:
    """The life experiences that ask any of these questions."""
    wanted = set(questions)
    return tuple(slug for slug, exp in bank.experiences.items() if wanted & set(exp.questions))


def message_sources(template: Catalog, bank: Bank) -> list[Source]:
    """Every string of ``messages.pot``: interface text, questions and life experiences."""
    state_questions = tuple(q.id for q in bank.questions.values() if q.kind == "state")
    found: list[Source] = []
    for message in template:
        if not message.id:
            continue
        is_plural = isinstance(message.id, tuple | list)
        singular = str(message.id[0]) if is_plural else str(message.id)
        plural = str(message.id[1]) if is_plural else ""
        context, fieldname = split_context(message.context, singular, MESSAGES)
        locations = tuple(f"{path}:{line}" for path, line in message.locations)
        comments = list(message.auto_comments)
        kind = "interface"
        questions: tuple[str, ...] = ()
        experiences: tuple[str, ...] = ()
        if message_kind(message) == "questions":
            questions = tuple(dict.fromkeys(m.group(1) for c in comments if (m := QUESTION_NOTE.match(c))))
            slugs = [m.group(1) for c in comments if (m := EXPERIENCE_NOTE.match(c))]
            slugs += [m.group(1) for loc in locations if (m := EXPERIENCE_FILE.match(loc))]
            if any(loc.startswith(STATES_FILE) for loc in locations):
                questions = questions or state_questions
            if slugs and not questions:
                kind, experiences = "life_experience", tuple(dict.fromkeys(slugs))
            else:
                kind, experiences = "question", _experiences_asking(bank, questions)
        found.append(
            Source(
                MESSAGES,
                context,
                fieldname,
                singular,
                kind,
                plural=plural,
                comment="\n".join(comments),
                locations=locations,
                questions=questions,
                experiences=experiences,
            )
        )
    return found


def content_sources(texts: Iterable[ContentText], services: Mapping[str, Service]) -> list[Source]:
    """Every translatable field of the published index: services, agencies and documents."""
    found: list[Source] = []
    for text in texts:
        prefix, _, ident = text.context.partition(":")
        service = services.get(ident) if prefix == "service" else None
        found.append(
            Source(
                CONTENT,
                text.context,
                text.field,
                text.source,
                prefix,
                comment=text.comment,
                experiences=service.life_experiences if service else (),
                service=ident if prefix == "service" else "",
            )
        )
    return found


def items_for(sources: Iterable[Source], rows: Iterable[Translation]) -> list[Item]:
    """Each string with its translation from ``rows`` (rows of other strings are left out)."""
    by_key = {(r.domain, r.context, r.field): r for r in rows}
    return [Item(s, by_key.get(s.key)) for s in sources]


def _matches(item: Item, filters: Filters, words: list[str]) -> bool:
    """True when an item passes every filter but the status."""
    source = item.source
    if filters.kind and source.kind != filters.kind:
        return False
    if filters.experience and filters.experience not in source.experiences:
        return False
    if filters.service and source.service != filters.service:
        return False
    if words:
        haystack = f"{source.english}\n{source.plural}\n{item.text}".casefold()
        if not all(w in haystack for w in words):
            return False
    return True


def select(items: Iterable[Item], filters: Filters) -> tuple[list[Item], dict[str, int]]:
    """The items that match every filter, and how many of each status match the other filters."""
    words = filters.query.casefold().split()
    counts = dict.fromkeys(QUEUE_STATUSES, 0)
    found: list[Item] = []
    for item in items:
        if not _matches(item, filters, words):
            continue
        status = item.status
        counts[status] = counts.get(status, 0) + 1
        if not filters.status or status == filters.status:
            found.append(item)
    return found, counts


def status_counts(items: Iterable[Item]) -> dict[str, int]:
    """How many strings have each status."""
    return select(items, Filters())[1]


def neighbours(items: list[Item], sid: str) -> tuple[Item | None, Item | None]:
    """The strings before and after ``sid`` in a queue (None at either end, or when it is not there)."""
    for index, item in enumerate(items):
        if item.source.sid == sid:
            before = items[index - 1] if index > 0 else None
            after = items[index + 1] if index + 1 < len(items) else None
            return before, after
    return None, None


def glossary_terms(rows: Iterable[Mapping[str, str]]) -> list[GlossaryTerm]:
    """Glossary rows from the store as terms for the checks."""
    return [GlossaryTerm(r["source"], r["target"], r.get("note") or "") for r in rows]


def terms_in(source: Source, terms: Iterable[GlossaryTerm]) -> list[GlossaryTerm]:
    """The glossary terms that occur in a string's English."""
    english = f"{source.english}\n{source.plural}".lower()
    return [t for t in terms if t.source.lower() in english]


def check_texts(source: Source, texts: list[str], locale: str, glossary: list[GlossaryTerm]) -> list[Check]:
    """The checks of a translation: one text, or each plural form against the English it stands for.

    For ``en`` the text is a proposed rewording, checked against the English it would replace.
    """
    found: list[Check] = []
    for index, text in enumerate(texts):
        english = source.english if index == 0 and (len(texts) > 1 or not source.plural) else source.plural
        checks = check_translation(english, text, locale, glossary)
        if locale == "en" and text.strip() and text.strip() == english.strip():
            checks.insert(0, Check("unchanged", "warning", "This is the same as the current English."))
        for check in checks:
            if (
                source.plural
                and check.kind == "placeholders"
                and index == 0
                and _number_left_out(english, text)
            ):
                continue
            if check not in found:
                found.append(check)
    return found


def _number_left_out(english: str, text: str) -> bool:
    """A singular form may leave the number out ("one day" rather than "1 day")."""
    want, got = set(placeholders(english)), set(placeholders(text))
    return got <= want and want - got <= {"%(num)d"}


@dataclass(frozen=True)
class Incoming:
    """A translation read from an uploaded ``.po`` file, as it would be written, with its checks."""

    row: Translation
    checks: tuple[Check, ...]
    note: str = ""


def incoming(
    entry: Translation,
    source: Source,
    locale: str,
    glossary: list[GlossaryTerm],
    here: Translation | None = None,
) -> Incoming:
    """An uploaded translation made ready to write (``here`` is the translation it would replace).

    Made from older English than the index has now: it is written as ``stale``. Failing a check
    that blocks approval: it is written as a ``draft``, whatever status the file gave it.
    """
    row = Translation(
        locale=locale,
        domain=entry.domain,
        context=entry.context,
        field=entry.field,
        source=source.english,
        text=entry.text,
        status=entry.status,
        source_plural=source.plural,
        plurals=list(entry.plurals),
        comment=source.comment,
    )
    checks = tuple(check_texts(source, entry.plurals or [entry.text], locale, glossary))
    note = ""
    if entry.source.strip() != source.english.strip():
        row.status, row.previous_source = "stale", entry.source
        note = "Translated from older English: written as stale."
    elif row.status in ("approved", "needs_review") and any(c.severity == "error" for c in checks):
        row.status = "draft"
        note = "Fails a check that blocks approval: written as a draft."
    elif row.status == "stale" and here is not None:
        # Still marked as made from older English: keep what that English was, for the word diff.
        row.previous_source = here.previous_source
    return Incoming(row, checks, note)
