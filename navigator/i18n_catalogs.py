"""Catalog checks and coverage, shared by ``navigator translations`` and the tests.

The template catalogs are ``translations/messages.pot`` (made by ``pybabel extract``) and
``translations/content.pot`` (made from the index by ``navigator translations extract-content``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from services_index.translations import (
    CONTENT,
    MESSAGES,
    Translation,
    catalog_path,
    content_template,
    content_texts,
    message_kind,
    read_template,
    read_translations,
    split_context,
    write_catalog,
)

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
COVERAGE_FILE = TRANSLATIONS / "coverage.json"
KINDS = ("interface", "questions", "services")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
EXTRACT_ARGS = [
    "-F",
    "babel.cfg",
    "-k",
    "_",
    "-k",
    "gettext",
    "-k",
    "ngettext:1,2",
    "--add-comments=Translators:",
    "--sort-by-file",
    "--no-wrap",
    "--omit-header",
]


def extract_messages(output: Path) -> None:
    """Run ``pybabel extract`` for interface text, questions and life experiences."""
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", *EXTRACT_ARGS, "-o", str(output), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def extract_content(output: Path) -> None:
    """Write the template of index content (seed services, agencies and documents)."""
    from life_experiences.loader import load_bank
    from services_index.content import load_content

    content = load_content(load_bank())
    texts = content_texts(content.services.values(), content.agencies.values(), content.documents.values())
    write_catalog(content_template(texts), output, omit_header=True)


def stale_templates() -> list[str]:
    """Template catalogs that differ from what extraction produces now."""
    stale: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("messages.pot", extract_messages), ("content.pot", extract_content)):
            fresh = Path(tmp) / name
            make(fresh)
            kept = TRANSLATIONS / name
            if not kept.exists() or kept.read_bytes() != fresh.read_bytes():
                stale.append(name)
    return stale


def placeholders(text: str) -> list[str]:
    """The placeholders in a text, sorted."""
    return sorted(PLACEHOLDER.findall(text))


def placeholder_problems(rows: list[Translation]) -> list[str]:
    """Translations whose placeholders differ from their English."""
    problems: list[str] = []
    for row in rows:
        expected = placeholders(row.source)
        forms = row.plurals or [row.text]
        plural_expected = placeholders(row.source_plural) if row.source_plural else expected
        for index, form in enumerate(forms):
            want = expected if index == 0 and not row.plurals else plural_expected
            got = placeholders(form)
            # A singular form may leave the number out ("one day" rather than "1 day").
            if row.plurals and set(got) <= set(want) and set(want) - set(got) <= {"%(num)d"}:
                continue
            if got != want:
                where = (
                    f"{row.locale}/{row.domain}: {row.context + '#' if row.context else ''}{row.field[:60]!r}"
                )
                problems.append(f"{where}: placeholders {got} differ from the English {want}")
    return problems


@dataclass(frozen=True)
class Coverage:
    """How much of each kind of text a locale has translated (stale entries do not count)."""

    locale: str
    totals: dict[str, int]
    translated: dict[str, int]
    statuses: dict[str, int]

    def percent(self, kind: str) -> float:
        """Share translated, 0 to 100, one decimal."""
        total = self.totals.get(kind, 0)
        return round(100.0 * self.translated.get(kind, 0) / total, 1) if total else 100.0


def template_keys() -> dict[tuple[str, str, str], str]:
    """Every entry of both templates, as (domain, context, field), with its kind."""
    keys: dict[tuple[str, str, str], str] = {}
    for domain, name in ((MESSAGES, "messages.pot"), (CONTENT, "content.pot")):
        template: Catalog = read_template(TRANSLATIONS / name)
        for message in template:
            if not message.id:
                continue
            singular = str(message.id[0]) if isinstance(message.id, tuple | list) else str(message.id)
            context, fieldname = split_context(message.context, singular, domain)
            keys[(domain, context, fieldname)] = "services" if domain == CONTENT else message_kind(message)
    return keys


def coverage(locale: str, rows: list[Translation], keys: dict[tuple[str, str, str], str]) -> Coverage:
    """Coverage of one locale's rows against the templates."""
    totals = {kind: 0 for kind in KINDS}
    for kind in keys.values():
        totals[kind] += 1
    translated = {kind: 0 for kind in KINDS}
    statuses: dict[str, int] = {}
    for row in rows:
        kind = keys.get((row.domain, row.context, row.field))
        if kind is None:
            continue
        statuses[row.status] = statuses.get(row.status, 0) + 1
        if row.status != "stale" and row.text:
            translated[kind] += 1
    return Coverage(locale, totals, translated, statuses)


def file_rows(locale: str) -> list[Translation]:
    """A locale's translations as kept in ``translations/``."""
    rows: list[Translation] = []
    for domain in (MESSAGES, CONTENT):
        path = catalog_path(TRANSLATIONS, locale, domain)
        if path.exists():
            rows.extend(read_translations(path, locale, domain))
    return rows


def recorded_coverage() -> dict[str, dict[str, float]]:
    """The coverage levels recorded in ``translations/coverage.json`` (the floor CI holds)."""
    if not COVERAGE_FILE.exists():
        return {}
    data: dict[str, dict[str, float]] = json.loads(COVERAGE_FILE.read_text(encoding="utf-8"))
    return data


def coverage_drops(found: list[Coverage]) -> list[str]:
    """Locales and kinds whose coverage is below the recorded level."""
    recorded = recorded_coverage()
    drops: list[str] = []
    for item in found:
        for kind in KINDS:
            floor = recorded.get(item.locale, {}).get(kind, 0.0)
            if item.percent(kind) < floor:
                drops.append(f"{item.locale} {kind}: {item.percent(kind)}% is below the recorded {floor}%")
    return drops


def record_coverage(found: list[Coverage]) -> None:
    """Write the current levels as the new floor."""
    data = {item.locale: {kind: item.percent(kind) for kind in KINDS} for item in found}
    COVERAGE_FILE.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
