"""Checks run on every translation or rewording a reviewer saves, shown next to the text.

Errors stop an approval (a broken placeholder breaks the page); warnings ask a person to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from life_experiences.readability import fernandez_huerta, grade

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
VOID = {"br", "img", "input", "hr", "meta", "link", "wbr"}
ENGLISH_GRADE_LIMIT = 8.0
SPANISH_EASE_LIMIT = 60.0


@dataclass(frozen=True)
class Check:
    """One finding: ``error`` blocks approval, ``warning`` and ``info`` inform."""

    kind: str
    severity: str
    message: str


@dataclass(frozen=True)
class GlossaryTerm:
    """A term and how it must be written in one language ("Social Security" → "Seguro Social")."""

    source: str
    target: str
    note: str = ""


def placeholders(text: str) -> list[str]:
    """The placeholders of a text, sorted."""
    return sorted(PLACEHOLDER.findall(text))


def tags(text: str) -> tuple[list[str], bool]:
    """Tag names in order (closing tags with a slash), and whether they nest properly."""
    found: list[str] = []
    stack: list[str] = []
    balanced = True
    for closing, name, self_closing in TAG.findall(text):
        name = name.lower()
        found.append(("/" if closing else "") + name)
        if name in VOID or self_closing:
            continue
        if closing:
            if not stack or stack.pop() != name:
                balanced = False
        else:
            stack.append(name)
    return found, balanced and not stack


def check_translation(
    source: str, text: str, locale: str, glossary: list[GlossaryTerm] | tuple[GlossaryTerm, ...] = ()
) -> list[Check]:
    """Every check for a translation (or, with ``locale`` "en", for a rewording of the English)."""
    found: list[Check] = []
    stripped = text.strip()
    if not stripped:
        return [Check("empty", "error", "The text is empty. Write the text, or leave the string as it is.")]
    want, got = placeholders(source), placeholders(text)
    if want != got:
        found.append(
            Check(
                "placeholders",
                "error",
                f"Placeholders must match the English exactly: expected {', '.join(want) or 'none'}, "
                f"found {', '.join(got) or 'none'}.",
            )
        )
    source_tags, _ = tags(source)
    text_tags, balanced = tags(text)
    if not balanced:
        found.append(
            Check("markup", "error", "A tag is opened and not closed (or closed twice). Check < and >.")
        )
    elif sorted(source_tags) != sorted(text_tags):
        found.append(Check("markup", "error", "The text must keep the same tags as the English."))
    if locale != "en" and stripped == source.strip() and re.search(r"[A-Za-z]{3}", source):
        found.append(Check("unchanged", "warning", "This is the same as the English. Is that on purpose?"))
    if len(source) >= 20:
        ratio = len(stripped) / max(len(source.strip()), 1)
        if ratio > 2.5 or ratio < 0.3:
            found.append(
                Check(
                    "length",
                    "warning",
                    f"This is {ratio:.1f} times as long as the English. "
                    "Check that nothing was added or left out.",
                )
            )
    lowered_source, lowered_text = source.lower(), text.lower()
    for term in glossary:
        if term.source.lower() in lowered_source and term.target.lower() not in lowered_text:
            found.append(
                Check("glossary", "warning", f"The glossary says “{term.source}” is written “{term.target}”.")
            )
    found.extend(reading_level(text, locale))
    return found


def reading_level(text: str, locale: str) -> list[Check]:
    """Reading level where we can measure it: English grade, Spanish reading ease."""
    if len(text.split()) < 8:
        return []
    if locale == "en":
        level = grade(text)
        severity = "warning" if level > ENGLISH_GRADE_LIMIT else "info"
        return [
            Check("reading", severity, f"Reading grade {level} (aim for {ENGLISH_GRADE_LIMIT:g} or lower).")
        ]
    if locale == "es":
        ease = fernandez_huerta(text)
        severity = "warning" if ease < SPANISH_EASE_LIMIT else "info"
        return [
            Check(
                "reading",
                severity,
                f"Fernández-Huerta reading ease {ease} (aim for {SPANISH_EASE_LIMIT:g} or higher).",
            )
        ]
    return []


def blocking(checks: list[Check]) -> list[Check]:
    """The checks that stop a text from being approved."""
    return [c for c in checks if c.severity == "error"]
