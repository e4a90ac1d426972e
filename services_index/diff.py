"""Field-by-field differences between two versions of a service entry, for people to read."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services_index.entries import FIELDS, canonical, changed_fields, flatten


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its name and its text before and after (empty when absent)."""

    field: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


def _order(name: str) -> tuple[int, str]:
    top = name.split(".")[0].split("[")[0]
    return (FIELDS.index(top) if top in FIELDS else len(FIELDS), name)


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[FieldChange]:
    """Every field whose text differs between two entries, in field order."""
    old = dict(flatten(before or {}))
    new = dict(flatten(after))
    names = sorted(set(old) | set(new), key=_order)
    return [FieldChange(n, old.get(n, ""), new.get(n, "")) for n in names if old.get(n, "") != new.get(n, "")]


@dataclass(frozen=True)
class ConflictRow:
    """One field of a conflict: the saved text (theirs), the submitted text (yours), and who changed it."""

    field: str
    theirs: str
    yours: str
    changed_by_them: bool
    changed_by_you: bool


def conflict(
    base: Mapping[str, Any] | None, theirs: Mapping[str, Any], yours: Mapping[str, Any]
) -> list[ConflictRow]:
    """Fields where the saved entry and the submitted one differ, marking who changed each since ``base``."""
    original = dict(flatten(base or {}))
    saved = dict(flatten(theirs))
    mine = dict(flatten(yours))
    names = sorted(set(saved) | set(mine), key=_order)
    return [
        ConflictRow(
            n,
            saved.get(n, ""),
            mine.get(n, ""),
            saved.get(n, "") != original.get(n, ""),
            mine.get(n, "") != original.get(n, ""),
        )
        for n in names
        if saved.get(n, "") != mine.get(n, "")
    ]


def merge(
    base: Mapping[str, Any] | None, theirs: Mapping[str, Any], yours: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Their entry with your changes since ``base`` applied, and the fields you both changed.

    For fields you both changed, yours is kept: the person decides with both versions in view.
    """
    mine = changed_fields(base, yours)
    their_changes = set(changed_fields(base, theirs))
    merged = canonical(theirs)
    for key in mine:
        if key in yours:
            merged[key] = yours[key]
        else:
            merged.pop(key, None)
    return merged, [k for k in mine if k in their_changes]


# Words and single punctuation marks, each with the spaces after it: a diff of these reads like an edit.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+", re.UNICODE)


@dataclass(frozen=True)
class WordChange:
    """A run of text in a word-level diff: ``same``, ``removed`` (only in the old text) or ``added``."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> list[WordChange]:
    """The old and new text as one sequence of unchanged, removed and added runs of words."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    found: list[WordChange] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            found.append(WordChange("same", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            found.append(WordChange("removed", "".join(before[a1:a2])))
        if b2 > b1:
            found.append(WordChange("added", "".join(after[b1:b2])))
    return found
