"""Translations of interface text and index content, and their review status.

Two kinds of text are translated:

- ``messages``: interface text, questions and life experiences, extracted by ``pybabel`` into
  ``translations/messages.pot``. The English text is the message id.
- ``content``: the public fields of services, agencies and documents, one row per field,
  extracted from the index into ``translations/content.pot`` with a context such as
  ``service:ssa-retirement-benefits#summary``. When the English of a field changes, its
  translations become ``stale``.

The running database is the working copy. In the ``.po`` files kept in git the status is
written as a flag: ``#, approved`` or ``#, needs_review``; no flag means ``draft``, and
``fuzzy`` means the English changed since the translation was made (``stale``).
"""

from __future__ import annotations

import gettext
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from services_index.model import Agency, Document, Service

STATUSES = ("draft", "needs_review", "approved", "stale")
PUBLIC_WHEN_DRAFTS_SHOWN = ("draft", "needs_review", "approved")
PUBLIC_WHEN_APPROVED_ONLY = ("approved",)
MESSAGES = "messages"
CONTENT = "content"
# Locale codes as Babel knows them (Babel has no ``tl`` data; ``fil`` is Filipino).
BABEL_LOCALE = {"zh_Hans": "zh_Hans_CN", "zh_Hant": "zh_Hant_TW"}


@dataclass(frozen=True)
class ContentText:
    """One translatable field of an index entry, with its English and a note for translators."""

    context: str
    field: str
    source: str
    comment: str

    @property
    def msgctxt(self) -> str:
        """The context used in ``.po`` files."""
        return f"{self.context}#{self.field}"


@dataclass
class Translation:
    """One translated text in one locale, as kept in the database and in ``.po`` files."""

    locale: str
    domain: str
    context: str
    field: str
    source: str
    text: str
    status: str = "draft"
    source_plural: str = ""
    plurals: list[str] = dc_field(default_factory=list)
    previous_source: str = ""
    comment: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the row: one per message, or one per content field."""
        return (self.locale, self.domain, self.context, self.field)


def source_hash(text: str) -> str:
    """A short fingerprint of English text, to notice when it changes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def service_texts(service: Service) -> list[ContentText]:
    """The public text of a service that a person reads, field by field."""
    ctx = f"service:{service.id}"
    name = service.name
    found = [
        ContentText(ctx, "name", service.name, f"Name of a federal service ({service.agency})"),
        ContentText(ctx, "summary", service.summary, f"What '{name}' is, in plain words"),
        ContentText(ctx, "cost", service.cost, f"What '{name}' costs"),
        ContentText(ctx, "processing_time", service.processing_time, f"How long '{name}' takes"),
    ]
    ways = service.apply
    for key, note in (
        ("phone_hours", "when the phone line is open"),
        ("in_person", "how to get help in person"),
        ("mail", "how to apply by mail"),
    ):
        value = getattr(ways, key)
        if value:
            found.append(ContentText(ctx, f"apply.{key}", value, f"'{name}': {note}"))
    for form in service.forms:
        found.append(ContentText(ctx, f"forms.{form.number}", form.name, f"Name of form {form.number}"))
    if service.deadline:
        found.append(ContentText(ctx, "deadline.label", service.deadline.label, "Shown before a date"))
        if service.deadline.summary:
            found.append(
                ContentText(ctx, "deadline.summary", service.deadline.summary, f"'{name}': the time limit")
            )
    for path, label in rule_labels(service.eligibility):
        found.append(ContentText(ctx, f"eligibility{path}", label, f"'{name}': a condition people must meet"))
    return found


def rule_labels(rule: object, path: str = "") -> list[tuple[str, str]]:
    """Each ``label`` in a rule with its position, such as ``/all/1``."""
    found: list[tuple[str, str]] = []
    if isinstance(rule, dict):
        label = rule.get("label")
        if isinstance(label, str) and label:
            found.append((path or "/", label))
        for key in ("all", "any"):
            for index, child in enumerate(rule.get(key) or []):
                found.extend(rule_labels(child, f"{path}/{key}/{index}"))
        if "not" in rule:
            found.extend(rule_labels(rule["not"], f"{path}/not"))
    return found


def agency_texts(agency: Agency) -> list[ContentText]:
    """An agency's name and phone hours."""
    ctx = f"agency:{agency.id}"
    found = [ContentText(ctx, "name", agency.name, "Name of a federal agency")]
    if agency.phone_hours:
        found.append(
            ContentText(ctx, "phone_hours", agency.phone_hours, f"When {agency.name} answers the phone")
        )
    return found


def document_texts(document: Document) -> list[ContentText]:
    """A document's label in the checklist of things to gather."""
    return [ContentText(f"document:{document.id}", "label", document.label, "A document to gather")]


def content_texts(
    services: Iterable[Service], agencies: Iterable[Agency], documents: Iterable[Document]
) -> list[ContentText]:
    """Every translatable field of the index, in a stable order."""
    found: list[ContentText] = []
    for agency in sorted(agencies, key=lambda a: a.id):
        found.extend(agency_texts(agency))
    for document in sorted(documents, key=lambda d: d.id):
        found.extend(document_texts(document))
    for service in sorted(services, key=lambda s: s.id):
        found.extend(service_texts(service))
    return found


def content_template(texts: list[ContentText]) -> Catalog:
    """The ``content.pot`` catalog for the given fields."""
    catalog = Catalog(
        project="Federal Front Door", header_comment="# Index content to translate.", fuzzy=False
    )
    for text in texts:
        catalog.add(text.source, context=text.msgctxt, auto_comments=[text.comment])
    return catalog


def write_catalog(catalog: Catalog, path: Path, omit_header: bool = False) -> None:
    """Write a catalog the same way every time (no wrapping, sorted as added)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=omit_header, include_previous=True)


def status_of(message: Message) -> str:
    """The review status a ``.po`` entry's flags record."""
    if message.fuzzy:
        return "stale" if message.previous_id else "needs_review"
    if "approved" in message.flags:
        return "approved"
    if "needs_review" in message.flags:
        return "needs_review"
    return "draft"


def flags_for(status: str) -> set[str]:
    """The flags that record a status in a ``.po`` file."""
    return {"stale": {"fuzzy"}, "approved": {"approved"}, "needs_review": {"needs_review"}}.get(status, set())


def _text_of(message: Message) -> tuple[str, list[str]]:
    if isinstance(message.string, tuple | list):
        forms = [str(s) for s in message.string]
        return (forms[0] if forms else ""), forms
    return str(message.string or ""), []


def read_translations(path: Path, locale: str, domain: str) -> list[Translation]:
    """The translated entries of one ``.po`` file (untranslated entries are left out)."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=babel_locale(locale))
    found: list[Translation] = []
    for message in catalog:
        if not message.id:
            continue
        singular, plural_source = (
            (str(message.id[0]), str(message.id[1]))
            if isinstance(message.id, tuple | list)
            else (str(message.id), "")
        )
        text, forms = _text_of(message)
        if not text or (forms and not all(forms)):
            continue
        context, fieldname = split_context(message.context, singular, domain)
        previous = message.previous_id
        found.append(
            Translation(
                locale=locale,
                domain=domain,
                context=context,
                field=fieldname,
                source=singular,
                text=text,
                status=status_of(message),
                source_plural=plural_source,
                plurals=forms,
                previous_source=str(
                    previous[0] if isinstance(previous, list | tuple) and previous else previous or ""
                ),
                comment="\n".join(message.auto_comments),
            )
        )
    return found


def split_context(msgctxt: str | None, source: str, domain: str) -> tuple[str, str]:
    """The database context and field of a ``.po`` entry."""
    if domain == CONTENT:
        context, _, fieldname = (msgctxt or "").partition("#")
        return context, fieldname
    return msgctxt or "", source


def babel_locale(locale: str) -> str:
    """The Babel locale identifier for one of our locale codes."""
    return BABEL_LOCALE.get(locale, locale)


def plural_function(locale: str) -> tuple[int, object]:
    """How many plural forms a locale has, and the function choosing one for a number."""
    rule = get_plural(babel_locale(locale))
    return rule.num_plurals, gettext.c2py(rule.plural_expr)


class CatalogTranslations(gettext.NullTranslations):
    """Translations held in memory, built from the database's working copy."""

    def __init__(
        self,
        locale: str,
        singular: dict[str, str],
        plural: dict[str, list[str]],
        english: dict[str, str] | None = None,
    ):
        super().__init__()
        self.locale = locale
        self.singular = singular
        self.plural = plural
        # Reviewed rewordings of the English, shown where a translation is missing.
        self.english = english or {}
        self.count, self.choose = plural_function(locale)

    def gettext(self, message: str) -> str:
        found = self.singular.get(message)
        if found is None:
            return self.english.get(message, message)
        return found

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self.plural.get(msgid1)
        if forms:
            index = int(self.choose(n))  # type: ignore[operator]
            if 0 <= index < len(forms):
                return forms[index]
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(msgid1, msgid2, n)

    ugettext = gettext
    ungettext = ngettext

    def has(self, message: str) -> bool:
        """True when the text is shown in this catalog's language."""
        return self.locale == "en" or message in self.singular


def catalog_path(directory: Path, locale: str, domain: str) -> Path:
    """Where a locale's catalog of one domain lives."""
    return directory / locale / "LC_MESSAGES" / f"{domain}.po"


def load_translation_files(directory: Path, locales: Iterable[str]) -> list[Translation]:
    """Every translated entry of the catalogs in ``translations/`` for the given locales."""
    found: list[Translation] = []
    for locale in locales:
        for domain in (MESSAGES, CONTENT):
            path = catalog_path(directory, locale, domain)
            if path.exists():
                found.extend(read_translations(path, locale, domain))
    return found


def read_template(path: Path) -> Catalog:
    """A ``.pot`` template."""
    with path.open("rb") as handle:
        return read_po(handle)


def export_catalog(template: Catalog, rows: list[Translation], locale: str, domain: str) -> Catalog:
    """A locale's catalog: every template entry, filled from the working copy, status as flags."""
    by_key = {(r.context, r.field): r for r in rows if r.domain == domain}
    catalog = Catalog(locale=babel_locale(locale), project="Federal Front Door", fuzzy=False)
    catalog.locale_identifier  # noqa: B018 - validates the locale early
    for message in template:
        if not message.id:
            continue
        singular = str(message.id[0]) if isinstance(message.id, tuple | list) else str(message.id)
        context, fieldname = split_context(message.context, singular, domain)
        row = by_key.get((context, fieldname))
        string: str | tuple[str, ...] = ""
        flags = {f for f in message.flags if f.endswith("-format")}
        previous: list[str] = []
        if row is not None and (row.source == singular or domain == MESSAGES):
            string = tuple(row.plurals) if isinstance(message.id, tuple | list) and row.plurals else row.text
            flags |= flags_for(row.status)
            if row.status == "stale" and row.previous_source:
                previous = [row.previous_source]
        elif isinstance(message.id, tuple | list):
            string = ("",) * catalog.num_plurals
        catalog.add(
            message.id,
            string,
            locations=message.locations,
            flags=flags,
            auto_comments=message.auto_comments,
            previous_id=previous,
            context=message.context,
        )
    return catalog


def message_kind(message: Message) -> str:
    """``questions`` for text from the question bank and life experiences, else ``interface``."""
    if message.locations and all(loc[0].startswith("life_experiences/") for loc in message.locations):
        return "questions"
    return "interface"


CONTENT_PREFIXES = ("service:", "agency:", "document:")
BASE_MARK = "base "


@dataclass
class PoImport:
    """What importing a ``.po`` file would change, entry by entry."""

    new: list[Translation] = dc_field(default_factory=list)
    changed: list[Translation] = dc_field(default_factory=list)
    conflicts: list[tuple[Translation, Translation]] = dc_field(default_factory=list)
    unchanged: int = 0
    unknown: list[str] = dc_field(default_factory=list)
    problems: list[str] = dc_field(default_factory=list)

    @property
    def writable(self) -> list[Translation]:
        """The entries an import applies (conflicts are never applied silently)."""
        return [*self.new, *self.changed]


def domain_of(msgctxt: str | None) -> str:
    """Which kind of text a ``.po`` entry is, from its context."""
    if msgctxt and "#" in msgctxt and msgctxt.startswith(CONTENT_PREFIXES):
        return CONTENT
    return MESSAGES


def text_hash(text: str) -> str:
    """The short fingerprint written next to each exported entry."""
    return source_hash(text)


def locale_po(templates: dict[str, Catalog], rows: list[Translation], locale: str) -> bytes:
    """One ``.po`` file with every public text of a locale, for translators outside the site.

    Each entry keeps its context and comments, its status as a flag, and a ``# base`` line
    with a fingerprint of the translation it was exported with, so an import can tell a
    change made in the file from one made here in the meantime. The output depends only on
    the database's content, so exporting twice gives the same bytes.
    """
    combined = Catalog(
        locale=babel_locale(locale),
        project="Federal Front Door",
        version="1",
        fuzzy=False,
        creation_date=_FIXED_DATE,
        revision_date=_FIXED_DATE,
    )
    by_key = {(r.domain, r.context, r.field): r for r in rows}
    for domain in (MESSAGES, CONTENT):
        exported = export_catalog(templates[domain], rows, locale, domain)
        for message in exported:
            if not message.id:
                continue
            singular = str(message.id[0]) if isinstance(message.id, tuple | list) else str(message.id)
            context, fieldname = split_context(message.context, singular, domain)
            row = by_key.get((domain, context, fieldname))
            base = text_hash(row.text) if row is not None else text_hash("")
            combined.add(
                message.id,
                message.string,
                locations=message.locations,
                flags=message.flags,
                auto_comments=message.auto_comments,
                user_comments=[f"{BASE_MARK}{base}"],
                previous_id=message.previous_id,
                context=message.context,
            )
    buffer = io.BytesIO()
    write_po(buffer, combined, width=0, include_previous=True, sort_output=False)
    return buffer.getvalue()


_FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def read_locale_po(data: bytes, locale: str) -> tuple[list[tuple[Translation, str | None]], list[str]]:
    """Entries of an uploaded ``.po`` file with the base fingerprint each carries, and problems."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [f"The file is not UTF-8 text (byte {exc.start}). Save it as UTF-8 and try again."]
    try:
        catalog = read_po(io.StringIO(text), locale=babel_locale(locale), abort_invalid=True)
    except Exception as exc:  # noqa: BLE001 - babel raises several kinds; all mean a bad file
        return [], [f"The file is not a valid .po file: {exc}"]
    found: list[tuple[Translation, str | None]] = []
    for message in catalog:
        if not message.id:
            continue
        domain = domain_of(message.context)
        singular, plural_source = (
            (str(message.id[0]), str(message.id[1]))
            if isinstance(message.id, tuple | list)
            else (str(message.id), "")
        )
        text_value, forms = _text_of(message)
        context, fieldname = split_context(message.context, singular, domain)
        base = next(
            (c[len(BASE_MARK) :].strip() for c in message.user_comments if c.startswith(BASE_MARK)), None
        )
        found.append(
            (
                Translation(
                    locale=locale,
                    domain=domain,
                    context=context,
                    field=fieldname,
                    source=singular,
                    text=text_value,
                    status=status_of(message) if text_value else "draft",
                    source_plural=plural_source,
                    plurals=forms,
                ),
                base,
            )
        )
    return found, []


def compare_import(
    entries: list[tuple[Translation, str | None]],
    current: list[Translation],
    known: set[tuple[str, str, str]],
) -> PoImport:
    """Sort uploaded entries into new, changed, conflicting and unchanged (nothing is written)."""
    report = PoImport()
    by_key = {(r.domain, r.context, r.field): r for r in current}
    for entry, base in entries:
        key = (entry.domain, entry.context, entry.field)
        if key not in known:
            report.unknown.append(f"{entry.context + '#' if entry.context else ''}{entry.field[:60]}")
            continue
        if not entry.text:
            report.unchanged += 1
            continue
        here = by_key.get(key)
        if here is None:
            report.new.append(entry)
        elif here.text == entry.text and here.plurals == entry.plurals:
            report.unchanged += 1
        elif base is not None and base == text_hash(here.text):
            report.changed.append(entry)
        else:
            # Changed both here (since the file was exported) and in the file: a person decides.
            report.conflicts.append((here, entry))
    return report
