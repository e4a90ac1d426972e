"""What staff editing works with: an entry's working copy and state, and the outcomes of a save."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from life_experiences.errors import Problem
from services_index.entries import urls_in

STALE_DAYS = 180


@dataclass(frozen=True)
class StaffEntry:
    """A service as staff see it: the latest saved revision, its state, and what the public sees."""

    id: str
    name: str
    agency: str
    state: str
    revision: int
    published_revision: int | None
    updated_at: str
    updated_by: str
    data: dict[str, Any] = field(compare=False, repr=False)

    @property
    def life_experiences(self) -> tuple[str, ...]:
        """The life experiences the working copy belongs to."""
        found = self.data.get("life_experiences")
        return tuple(x for x in found if isinstance(x, str)) if isinstance(found, list) else ()

    @property
    def last_verified(self) -> str:
        """When the facts were last checked (YYYY-MM-DD, or empty)."""
        value = self.data.get("last_verified")
        return value if isinstance(value, str) else ""

    @property
    def unpublished_changes(self) -> bool:
        """True when the working copy is newer than what the public sees."""
        return self.state == "published" and self.published_revision != self.revision

    @property
    def awaiting_publishing(self) -> bool:
        """A draft, or a published entry with saved changes not yet published."""
        return self.state == "draft" or self.unpublished_changes

    def not_verified_since(self, today: date, days: int = STALE_DAYS) -> bool:
        """True when the facts were not checked in the last ``days`` days (or never)."""
        try:
            checked = date.fromisoformat(self.last_verified)
        except ValueError:
            return True
        return checked < today - timedelta(days=days)


def entry_from_row(row: dict[str, Any]) -> StaffEntry:
    """A staff entry from its ``services`` row."""
    return StaffEntry(
        id=row["id"],
        name=row["name"] or row["id"],
        agency=row["agency"],
        state=row["state"],
        revision=row["revision"],
        published_revision=row["published_revision"],
        updated_at=row["updated_at"] or "",
        updated_by=row["updated_by"] or "",
        data=json.loads(row["data"]),
    )


@dataclass(frozen=True)
class SaveResult:
    """What a save did: the revision now current, and which fields changed (none: nothing was saved)."""

    service_id: str
    revision: int
    changed: list[str]

    @property
    def saved(self) -> bool:
        """True when a new revision was written."""
        return bool(self.changed)


class EditError(Exception):
    """A change to an entry was refused; nothing was written."""


class Conflict(EditError):
    """Someone saved the entry after the revision this change was based on."""

    def __init__(self, service_id: str, based_on: int | None, current: StaffEntry | None):
        self.service_id = service_id
        self.based_on = based_on
        self.current = current
        now_at = current.revision if current else None
        super().__init__(f"{service_id}: based on revision {based_on}, but the index has revision {now_at}")


class InvalidEntry(EditError):
    """The entry cannot be published (or imported) until these problems are fixed."""

    def __init__(self, service_id: str, problems: list[Problem]):
        self.service_id = service_id
        self.problems = problems
        super().__init__(f"{service_id}: " + "; ".join(f"{p.field}: {p.message}" for p in problems))


class StillReferenced(EditError):
    """The entry cannot be archived while other content refers to it."""

    def __init__(self, service_id: str, referrers: list[str]):
        self.service_id = service_id
        self.referrers = referrers
        super().__init__(f"{service_id} is still referred to: " + "; ".join(referrers))


class WrongState(EditError):
    """The entry is not in a state that allows this step."""


@dataclass(frozen=True)
class Filters:
    """What the staff service list shows: by agency, life experience, state, problems and words."""

    agencies: frozenset[str] | None = None
    agency: str = ""
    life_experience: str = ""
    state: str = ""
    stale: bool = False
    broken: bool = False
    query: str = ""


def broken_in(entry: StaffEntry, broken_urls: dict[str, str]) -> dict[str, str]:
    """The entry's links whose last check failed, with what went wrong."""
    return {u: broken_urls[u] for u in urls_in(entry.data) if u in broken_urls}


def select(
    entries: list[StaffEntry], filters: Filters, today: date, broken_urls: dict[str, str]
) -> list[StaffEntry]:
    """The entries that match every filter, in the order given."""
    words = filters.query.lower().split()
    found = []
    for entry in entries:
        if filters.agencies is not None and entry.agency not in filters.agencies:
            continue
        if filters.agency and entry.agency != filters.agency:
            continue
        if filters.life_experience and filters.life_experience not in entry.life_experiences:
            continue
        if filters.state == "pending" and not entry.awaiting_publishing:
            continue
        if filters.state in ("draft", "published", "archived") and entry.state != filters.state:
            continue
        if filters.stale and (entry.state == "archived" or not entry.not_verified_since(today)):
            continue
        if filters.broken and not broken_in(entry, broken_urls):
            continue
        if words and not all(w in _searchable(entry) for w in words):
            continue
        found.append(entry)
    return found


def _searchable(entry: StaffEntry) -> str:
    keywords = entry.data.get("keywords")
    words = [w for ws in keywords.values() for w in ws] if isinstance(keywords, dict) else []
    parts = [entry.id, entry.name, str(entry.data.get("summary", "")), *map(str, words)]
    return " ".join(parts).lower()
