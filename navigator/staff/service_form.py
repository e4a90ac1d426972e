"""The service edit form: every field of an entry as inputs, and back to an entry with inline errors."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from life_experiences import deadlines
from life_experiences.errors import Problem
from life_experiences.model import Bank
from navigator.staff import rule_form
from navigator.staff.forms import Reader, check_fields, single
from services_index.content import APPLY_KEYS, LISTING, SERVICE_ID

LIMITS = {
    "id": 80,
    "name": 200,
    "summary": 2000,
    "cost": 300,
    "processing_time": 300,
    "assistance_listing": 10,
    "source_url": 2000,
    "url_es": 2000,
    "status_url": 2000,
    "last_verified": 10,
    "note": 500,
}
APPLY_LIMITS = {
    "online": 2000,
    "phone": 50,
    "tty": 50,
    "phone_hours": 300,
    "in_person": 1000,
    "in_person_url": 2000,
    "mail": 1000,
}
APPLY_ORDER = ("online", "phone", "tty", "phone_hours", "in_person", "in_person_url", "mail")
DEADLINE_TEXT = {"label": 200, "summary": 1000}
MAX_FORMS = 20
FORM_LIMITS = {"number": 50, "name": 300, "url": 2000}
MAX_KEYWORDS = 60
MAX_KEYWORD = 100
FIELDS = {
    "csrf_token",
    "action",
    "based_on",
    "id",
    "name",
    "agency",
    "summary",
    "life_experiences",
    "documents",
    "cost",
    "processing_time",
    "assistance_listing",
    "source_url",
    "url_es",
    "status_url",
    "last_verified",
    "english_only",
    "note",
    "forms_count",
    *(f"apply-{k}" for k in APPLY_KEYS),
    *(f"deadline-{k}" for k in ("label", "summary", "kind", "from", "on", "years", "months", "days")),
    "deadline-end_of_month",
    "deadline-born_first_counts_previous",
}
PATTERNS = (
    re.compile(r"^forms-\d{1,2}-(number|name|url)$"),
    re.compile(r"^keywords-[a-z]{2,3}(_[A-Z][a-z]{3}|_[A-Z]{2})?$"),
    re.compile(r"^rule__"),
)
# Where each field of a stored entry is edited, so a content problem can link to its input.
PROBLEM_FIELDS = {
    "eligibility": "rule__r__combine",
    "life_experiences": "life_experiences",
    "documents": "documents",
    "deadline": "deadline-label",
    "apply": "apply-online",
    "keywords": "keywords-en",
}


@dataclass
class ServiceForm:
    """What the edit form shows: plain values by input name, the rule rows, form rows and keywords."""

    values: dict[str, Any]
    rule: rule_form.Node
    forms: list[dict[str, str]]
    keywords: dict[str, str]
    errors: list[dict[str, str]] = field(default_factory=list)

    def error_for(self, name: str) -> str:
        """The inline error of one input, or empty."""
        return next((e["message"] for e in self.errors if e["field"] == name), "")


def keyword_languages(entry: Mapping[str, Any], locales: Collection[str]) -> list[str]:
    """Languages to offer keywords in: English and Spanish, the configured ones, and any already used."""
    found = ["en", "es", *locales]
    keywords = entry.get("keywords")
    if isinstance(keywords, dict):
        found += [str(k) for k in keywords]
    return list(dict.fromkeys(found))


def from_entry(entry: Mapping[str, Any], locales: Collection[str]) -> ServiceForm:
    """The form for a stored entry."""
    values: dict[str, Any] = {k: _plain(entry.get(k)) for k in LIMITS if k not in ("note", "id")}
    values.update(
        {
            "agency": _plain(entry.get("agency")),
            "life_experiences": list(entry.get("life_experiences") or []),
            "documents": list(entry.get("documents") or []),
            "english_only": bool(entry.get("english_only")),
        }
    )
    apply = entry.get("apply") if isinstance(entry.get("apply"), dict) else {}
    for key in APPLY_ORDER:
        values[f"apply-{key}"] = _plain(apply.get(key))  # type: ignore[union-attr]
    deadline = entry.get("deadline") if isinstance(entry.get("deadline"), dict) else {}
    assert isinstance(deadline, dict)
    for key in ("label", "summary", "from", "on"):
        values[f"deadline-{key}"] = _plain(deadline.get(key))
    values["deadline-kind"] = _plain(deadline.get("kind")) or "deadline"
    for key in ("years", "months", "days"):
        values[f"deadline-{key}"] = _plain(deadline.get(key)) if deadline.get(key) else ""
    values["deadline-end_of_month"] = bool(deadline.get("end_of_month"))
    values["deadline-born_first_counts_previous"] = bool(deadline.get("born_first_counts_previous"))
    forms = [
        {k: _plain(f.get(k)) for k in FORM_LIMITS} for f in entry.get("forms") or [] if isinstance(f, dict)
    ]
    keywords_raw = entry.get("keywords") if isinstance(entry.get("keywords"), dict) else {}
    assert isinstance(keywords_raw, dict)
    keywords = {
        lang: "\n".join(str(w) for w in keywords_raw.get(lang) or [])
        for lang in keyword_languages(entry, locales)
    }
    return ServiceForm(values, rule_form.from_rule(entry.get("eligibility")), forms, keywords)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Choices:
    """What the form may choose from: agencies this person may use, life experiences, documents."""

    agencies: Collection[str]
    documents: Collection[str]
    locales: Collection[str]


def parse(
    form: MultiDict[str, str], service_id: str, bank: Bank, choices: Choices, today: date
) -> tuple[ServiceForm, dict[str, Any]]:
    """The entry a posted form describes, and the form to show again with an error per wrong field.

    Raises BadForm (or RuleFormError) for a form our page would never send.
    """
    check_fields(form, FIELDS - {"id"}, PATTERNS)
    read = Reader(form)
    entry: dict[str, Any] = {"id": service_id}
    for key in ("name", "summary", "cost", "processing_time"):
        entry[key] = read.text(key, _label(key), LIMITS[key], required=key == "name")
    entry["agency"] = read.text("agency", _("Agency"), 80)
    if entry["agency"] not in choices.agencies:
        read.error("agency", _("Choose one of the agencies you can edit"))
    entry["life_experiences"] = read.many("life_experiences", _("Life experiences"), bank.experiences)
    rule_root = rule_form.from_form(form)
    action = single(form, "action")
    if action.startswith("rule-"):
        rule_root = rule_form.apply_action(rule_root, action[len("rule-") :])
    rule, rule_errors = rule_form.to_rule(rule_root, bank)
    entry["eligibility"] = rule
    entry["apply"] = {}
    for key in APPLY_ORDER:
        value = read.text(f"apply-{key}", _label(f"apply-{key}"), APPLY_LIMITS[key])
        if value:
            entry["apply"][key] = value
    for key in ("online", "in_person_url"):
        _check_url(read, f"apply-{key}", entry["apply"].get(key, ""))
    forms = _forms(read, form, action == "add-form")
    entry["forms"] = [f for f in forms if any(f.values())]
    entry["documents"] = read.many("documents", _("Documents"), choices.documents)
    deadline = _deadline(read, bank)
    if deadline:
        entry["deadline"] = deadline
    listing = read.text("assistance_listing", _label("assistance_listing"), LIMITS["assistance_listing"])
    if listing and not LISTING.match(listing):
        read.error("assistance_listing", _("Enter an Assistance Listing number like 10.551"))
    entry["assistance_listing"] = listing
    for key in ("source_url", "url_es", "status_url"):
        entry[key] = read.text(key, _label(key), LIMITS[key])
        _check_url(read, key, entry[key])
    entry["last_verified"] = _verified(read, today)
    entry["english_only"] = read.flag("english_only")
    entry["keywords"], keywords_text = _keywords(read, form, choices.locales)
    read.text("note", _label("note"), LIMITS["note"])
    # Show again exactly what was typed, so nothing is lost when there is a problem.
    many = ("csrf_token", "action", "life_experiences", "documents")
    values: dict[str, Any] = {name: single(form, name) for name in FIELDS if name not in many}
    values["life_experiences"] = form.getlist("life_experiences")
    values["documents"] = form.getlist("documents")
    for name in ("english_only", "deadline-end_of_month", "deadline-born_first_counts_previous"):
        values[name] = single(form, name) == "yes"
    values["deadline-kind"] = values["deadline-kind"] or "deadline"
    return ServiceForm(values, rule_root, forms, keywords_text, read.errors + rule_errors), entry


def _keywords(
    read: Reader, form: MultiDict[str, str], locales: Collection[str]
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Keywords per language (one a line), and the text typed for each language."""
    languages = keyword_languages({}, locales) + [
        n.split("-", 1)[1] for n in form if n.startswith("keywords-")
    ]
    found: dict[str, list[str]] = {}
    typed: dict[str, str] = {}
    for lang in dict.fromkeys(languages):
        name = f"keywords-{lang}"
        typed[lang] = read.text(name, _("Keywords (%(lang)s)", lang=lang), MAX_KEYWORDS * (MAX_KEYWORD + 2))
        words = [w.strip() for w in typed[lang].splitlines() if w.strip()]
        if len(words) > MAX_KEYWORDS or any(len(w) > MAX_KEYWORD for w in words):
            read.error(
                name,
                _(
                    "Use at most %(count)d keywords of %(max)d characters each",
                    count=MAX_KEYWORDS,
                    max=MAX_KEYWORD,
                ),
            )
        if words:
            found[lang] = list(dict.fromkeys(words))
    return found, typed


def parse_new(
    form: MultiDict[str, str], choices: Choices, taken: Collection[str]
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """A new draft from the short "new service" form: id, name and agency."""
    check_fields(form, {"csrf_token", "id", "name", "agency"}, ())
    read = Reader(form)
    service_id = read.text("id", _label("id"), LIMITS["id"], required=True)
    if service_id and not SERVICE_ID.match(service_id):
        read.error("id", _("Use lower-case letters and digits joined by hyphens, like snap-benefits"))
    elif service_id in taken:
        read.error("id", _("There is already an entry with this id. Choose another"))
    name = read.text("name", _label("name"), LIMITS["name"], required=True)
    agency = read.text("agency", _("Agency"), 80)
    if agency not in choices.agencies:
        read.error("agency", _("Choose one of the agencies you can edit"))
    entry = {
        "id": service_id,
        "name": name,
        "agency": agency,
        "summary": "",
        "life_experiences": [],
        "eligibility": {"all": []},
        "apply": {},
        "cost": "",
        "processing_time": "",
        "source_url": "",
        "last_verified": "",
        "english_only": False,
    }
    return entry, read.errors


def _label(key: str) -> str:
    labels = {
        "id": _("Id"),
        "name": _("Name"),
        "summary": _("Summary"),
        "cost": _("Cost"),
        "processing_time": _("How long it takes"),
        "assistance_listing": _("Assistance Listing number"),
        "source_url": _("Official source page"),
        "url_es": _("Spanish page"),
        "status_url": _("Application status page"),
        "last_verified": _("Last verified"),
        "note": _("Note about this change"),
        "apply-online": _("Apply online (web address)"),
        "apply-phone": _("Phone"),
        "apply-tty": _("TTY"),
        "apply-phone_hours": _("Phone hours"),
        "apply-in_person": _("In person"),
        "apply-in_person_url": _("Find an office (web address)"),
        "apply-mail": _("By mail"),
    }
    return labels.get(key, key)


def _check_url(read: Reader, name: str, value: str) -> None:
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or " " in value:
        read.error(name, _("Enter a full web address that starts with https://"))


def _forms(read: Reader, form: MultiDict[str, str], add_row: bool) -> list[dict[str, str]]:
    """The rows of the forms table (blank rows kept, so the page shows what was typed)."""
    numbers = sorted({int(n.split("-")[1]) for n in form if n.startswith("forms-")})
    if len(numbers) > MAX_FORMS:
        read.error("forms-0-number", _("List at most %(max)d forms", max=MAX_FORMS))
        numbers = numbers[:MAX_FORMS]
    rows = []
    for n in numbers:
        row = {
            k: read.text(f"forms-{n}-{k}", _("Form %(part)s", part=k), FORM_LIMITS[k]) for k in FORM_LIMITS
        }
        if any(row.values()):
            for key, value in row.items():
                if not value:
                    read.error(
                        f"forms-{len(rows)}-{key}", _("Enter the form's %(part)s, or clear the row", part=key)
                    )
            _check_url(read, f"forms-{len(rows)}-url", row["url"])
        rows.append(row)
    if add_row and len(rows) < MAX_FORMS:
        rows.append({k: "" for k in FORM_LIMITS})
    return rows


def _deadline(read: Reader, bank: Bank) -> dict[str, Any] | None:
    """The deadline fields as a deadline rule, or None when they are all empty."""
    text = {
        k: read.text(f"deadline-{k}", _("Deadline %(part)s", part=k), v) for k, v in DEADLINE_TEXT.items()
    }
    source = read.text("deadline-from", _("Deadline counted from"), 80)
    on = read.text("deadline-on", _("Deadline date"), 10)
    kind = read.text("deadline-kind", _("Deadline kind"), 20) or "deadline"
    numbers = {
        "years": read.whole_number("deadline-years", _("Years"), -150, 150),
        "months": read.whole_number("deadline-months", _("Months"), -1800, 1800),
        "days": read.whole_number("deadline-days", _("Days"), -50000, 50000),
    }
    end_of_month = read.flag("deadline-end_of_month")
    born_first = read.flag("deadline-born_first_counts_previous")
    if not any([*text.values(), source, on, *(n for n in numbers.values() if n)]):
        return None
    deadline: dict[str, Any] = {"label": text["label"], "summary": text["summary"]}
    if kind != "deadline":
        deadline["kind"] = kind
    if source:
        deadline["from"] = source
    if on:
        deadline["on"] = on
    deadline.update({k: v for k, v in numbers.items() if v})
    if end_of_month:
        deadline["end_of_month"] = True
    if born_first:
        deadline["born_first_counts_previous"] = True
    if not text["label"]:
        read.error("deadline-label", _("Enter what the date means, such as “Apply by”"))
    if not text["summary"]:
        read.error("deadline-summary", _("Explain the deadline in a sentence"))
    date_questions = {qid for qid, q in bank.questions.items() if q.kind == "date"}
    for problem in deadlines.parse(deadline, date_questions)[1]:
        target = (
            "deadline-on"
            if "'on'" in problem
            else "deadline-from"
            if "'from'" in problem
            else "deadline-kind"
        )
        read.error(target, _("Deadline: %(problem)s", problem=problem))
    return deadline


def _verified(read: Reader, today: date) -> str:
    text = read.text("last_verified", _label("last_verified"), LIMITS["last_verified"])
    if not text:
        return ""
    try:
        checked = date.fromisoformat(text)
    except ValueError:
        read.error("last_verified", _("Enter the date as YYYY-MM-DD, for example 2026-11-22"))
        return text
    # A day of slack: people in other time zones may already be on the next day.
    if checked > today + timedelta(days=1):
        read.error("last_verified", _("The date you last checked the facts cannot be in the future"))
    return text


def problem_links(problems: list[Problem]) -> list[dict[str, str]]:
    """Content problems as links to the inputs where they are fixed."""
    found = []
    for problem in problems:
        top = problem.field.split(".")[0].split("[")[0]
        target = PROBLEM_FIELDS.get(top, top)
        if problem.field.startswith("apply."):
            target = "apply-" + problem.field.split(".", 1)[1]
        forms_row = re.match(r"forms\[(\d+)\](?:\.(\w+))?", problem.field)
        if forms_row:
            target = f"forms-{forms_row.group(1)}-{forms_row.group(2) or 'number'}"
        keywords = re.match(r"keywords\.(\w+)", problem.field)
        if keywords:
            target = f"keywords-{keywords.group(1)}"
        found.append({"field": target, "message": f"{problem.field}: {problem.message}"})
    return found
