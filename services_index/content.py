"""Load and validate seed content: agencies, documents and services under ``seed/``.

Every problem names the file, the entry and the field, and all problems are reported at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from life_experiences import deadlines, rules
from life_experiences.errors import DataFileError, Problem
from life_experiences.loader import read_yaml
from life_experiences.model import Bank
from services_index.entries import FIELDS as ENTRY_FIELDS
from services_index.model import Agency, Channels, Document, Form, Service

SEED_DIR = Path(__file__).parent / "seed"
SERVICE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LISTING = re.compile(r"^\d{2}\.\d{3}$")
# Every key a service entry may have: the editor's field list is the one definition.
SERVICE_KEYS = set(ENTRY_FIELDS)
APPLY_KEYS = {"online", "phone", "tty", "phone_hours", "in_person", "in_person_url", "mail"}
AGENCY_KEYS = {"id", "name", "acronym", "website", "phone", "tty", "phone_hours", "parent"}


@dataclass(frozen=True)
class Content:
    """All seed content, validated."""

    agencies: dict[str, Agency]
    documents: dict[str, Document]
    services: dict[str, Service]


def official_domains(seed_dir: Path = SEED_DIR) -> dict[str, str]:
    """Domains allowed besides .gov and .mil, each with the reason it is official."""
    problems: list[Problem] = []
    data = read_yaml(seed_dir / "official_domains.yaml", problems) or {}
    if problems:
        raise DataFileError(problems)
    return {str(k): str(v) for k, v in data.items()}


def url_problem(url: Any, allowed: dict[str, str]) -> str | None:
    """Why a URL is not an https link to an official site, or None when it is."""
    if not isinstance(url, str) or not url:
        return "must be a URL"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return f"must be an https URL, got {url!r}"
    host = parts.hostname.lower()
    if host.endswith(".gov") or host.endswith(".mil"):
        return None
    if any(host == d or host.endswith("." + d) for d in allowed):
        return None
    return f"{host} is not an official domain (.gov, .mil, or listed in official_domains.yaml)"


def _list_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def load_agencies(seed_dir: Path, problems: list[Problem], allowed: dict[str, str]) -> dict[str, Agency]:
    """Load every agency file."""
    found: dict[str, Agency] = {}
    origin: dict[str, str] = {}
    for path in _list_files(seed_dir / "agencies"):
        for index, raw in enumerate(read_yaml(path, problems) or []):
            entry = str(raw.get("id", f"#{index + 1}")) if isinstance(raw, dict) else f"#{index + 1}"
            where = (str(path), entry)
            if not isinstance(raw, dict):
                problems.append(Problem(*where, "-", "each agency must be a mapping"))
                continue
            for key in sorted(set(raw) - AGENCY_KEYS):
                problems.append(Problem(*where, key, "is not an agency field"))
            aid = raw.get("id")
            if not isinstance(aid, str) or not SERVICE_ID.match(aid):
                problems.append(Problem(*where, "id", "must be kebab-case"))
                continue
            if aid in found:
                problems.append(Problem(*where, "id", f"duplicate id, also in {origin[aid]}"))
                continue
            if not isinstance(raw.get("name"), str):
                problems.append(Problem(*where, "name", "is required"))
                continue
            if raw.get("website"):
                issue = url_problem(raw["website"], allowed)
                if issue:
                    problems.append(Problem(*where, "website", issue))
            fields = {k: str(v) for k, v in raw.items() if v is not None and k != "parent"}
            found[aid] = Agency(**fields, parent=str(raw["parent"]) if raw.get("parent") else None)
            origin[aid] = str(path)
    for aid, agency in found.items():
        if agency.parent and agency.parent not in found:
            problems.append(Problem(origin[aid], aid, "parent", f"unknown agency {agency.parent!r}"))
    return found


def load_documents(seed_dir: Path, problems: list[Problem]) -> dict[str, Document]:
    """Load every document file."""
    found: dict[str, Document] = {}
    origin: dict[str, str] = {}
    for path in _list_files(seed_dir / "documents"):
        for index, raw in enumerate(read_yaml(path, problems) or []):
            if (
                not isinstance(raw, dict)
                or not isinstance(raw.get("id"), str)
                or not isinstance(raw.get("label"), str)
            ):
                problems.append(Problem(str(path), f"#{index + 1}", "id/label", "both are required"))
                continue
            if raw["id"] in found:
                problems.append(
                    Problem(str(path), raw["id"], "id", f"duplicate id, also in {origin[raw['id']]}")
                )
                continue
            found[raw["id"]] = Document(raw["id"], raw["label"].strip())
            origin[raw["id"]] = str(path)
    return found


def parse_service(
    raw: Any,
    where: tuple[str, str],
    bank: Bank,
    agencies: dict[str, Agency],
    documents: dict[str, Document],
    allowed: dict[str, str],
    problems: list[Problem],
) -> Service | None:
    """Validate one service entry and build it, recording every problem found."""
    start = len(problems)

    def bad(fieldname: str, message: str) -> None:
        problems.append(Problem(where[0], where[1], fieldname, message))

    if not isinstance(raw, dict):
        bad("-", "each service must be a mapping")
        return None
    for key in sorted(set(raw) - SERVICE_KEYS):
        bad(key, "is not a service field")
    sid = raw.get("id")
    if not isinstance(sid, str) or not SERVICE_ID.match(sid):
        bad("id", "must be kebab-case letters and digits")
    for key in ("name", "summary", "cost", "processing_time"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            bad(key, "must be non-empty text")
    if raw.get("agency") not in agencies:
        bad("agency", f"unknown agency {raw.get('agency')!r}")
    slugs = raw.get("life_experiences")
    if not isinstance(slugs, list):
        bad("life_experiences", "needs a list of life experiences ([] for an everyday task found by search)")
        slugs = []
    for slug in slugs:
        if slug not in bank.experiences:
            bad("life_experiences", f"unknown life experience {slug!r}")
    kinds = {qid: q.kind for qid, q in bank.questions.items()}
    options = {qid: bank.options_for(qid) for qid in bank.questions}
    rule = raw.get("eligibility")
    rule_messages = rules.validate(rule, kinds, options)
    for message in rule_messages:
        bad("eligibility", message)
    if not rule_messages:
        for slug in slugs:
            if slug in bank.experiences:
                missing = rules.questions_in(rule) - set(bank.experiences[slug].questions)  # type: ignore[arg-type]
                for qid in sorted(missing):
                    bad("eligibility", f"question {qid!r} is not asked in life experience {slug!r}")
    apply_raw = raw.get("apply")
    channels = Channels()
    if not isinstance(apply_raw, dict):
        bad("apply", "needs at least one way to apply")
    else:
        for key in sorted(set(apply_raw) - APPLY_KEYS):
            bad(f"apply.{key}", "is not a way to apply")
        for key in ("online", "in_person_url"):
            if apply_raw.get(key):
                issue = url_problem(apply_raw[key], allowed)
                if issue:
                    bad(f"apply.{key}", issue)
        channels = Channels(**{k: str(v).strip() for k, v in apply_raw.items() if k in APPLY_KEYS and v})
        if not channels.any():
            bad("apply", "needs at least one of online, phone, in_person or mail")
    forms: list[Form] = []
    for i, form in enumerate(raw.get("forms") or []):
        if not isinstance(form, dict) or not all(
            isinstance(form.get(k), str) for k in ("number", "name", "url")
        ):
            bad(f"forms[{i}]", "needs number, name and url")
            continue
        issue = url_problem(form["url"], allowed)
        if issue:
            bad(f"forms[{i}].url", issue)
        forms.append(Form(form["number"].strip(), form["name"].strip(), form["url"]))
    docs = raw.get("documents") or []
    if not isinstance(docs, list):
        bad("documents", "must be a list of document ids")
        docs = []
    for doc in docs:
        if doc not in documents:
            bad("documents", f"unknown document {doc!r} (add it under seed/documents/)")
    deadline = None
    if raw.get("deadline") is not None:
        date_questions = {qid for qid, q in bank.questions.items() if q.kind == "date"}
        deadline, messages = deadlines.parse(raw["deadline"], date_questions)
        for message in messages:
            bad("deadline", message)
        if deadline and deadline.from_question:
            for slug in slugs:
                asked = bank.experiences[slug].questions if slug in bank.experiences else ()
                if slug in bank.experiences and deadline.from_question not in asked:
                    bad("deadline", f"{deadline.from_question!r} is not asked in {slug!r}")
    listing = str(raw.get("assistance_listing") or "")
    if listing and not LISTING.match(listing):
        bad("assistance_listing", f"must look like 10.551, got {listing!r}")
    for key in ("source_url", "url_es", "status_url"):
        if key == "source_url" or raw.get(key):
            issue = url_problem(raw.get(key), allowed)
            if issue:
                bad(key, issue)
    verified = raw.get("last_verified")
    if isinstance(verified, date):
        verified = verified.isoformat()
    if not isinstance(verified, str) or rules.parse_date(verified) is None:
        bad("last_verified", "must be a date YYYY-MM-DD")
    if not isinstance(raw.get("english_only", False), bool):
        bad("english_only", "must be true or false")
    keywords: dict[str, tuple[str, ...]] = {}
    for lang, words in (raw.get("keywords") or {}).items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            bad(f"keywords.{lang}", 'must be a list of text (put numbers like "65" in quotes)')
            continue
        keywords[str(lang)] = tuple(words)
    if len(problems) > start or not isinstance(sid, str) or not isinstance(rule, dict):
        return None
    return Service(
        id=sid,
        name=raw["name"].strip(),
        agency=raw["agency"],
        summary=raw["summary"].strip(),
        life_experiences=tuple(slugs),
        eligibility=rule,
        apply=channels,
        forms=tuple(forms),
        documents=tuple(docs),
        deadline=deadline,
        cost=raw["cost"].strip(),
        processing_time=raw["processing_time"].strip(),
        assistance_listing=listing,
        source_url=raw["source_url"],
        last_verified=str(verified),
        english_only=bool(raw.get("english_only", False)),
        url_es=raw.get("url_es") or "",
        status_url=raw.get("status_url") or "",
        keywords=keywords,
        raw=normalise(raw),
    )


def normalise(raw: dict[str, Any]) -> dict[str, Any]:
    """The entry as plain JSON-ready data (dates as text)."""
    out = dict(raw)
    if isinstance(out.get("last_verified"), date):
        out["last_verified"] = out["last_verified"].isoformat()
    if isinstance(out.get("deadline"), dict) and isinstance(out["deadline"].get("on"), date):
        out["deadline"] = {**out["deadline"], "on": out["deadline"]["on"].isoformat()}
    return out


def load_content(bank: Bank, seed_dir: Path = SEED_DIR) -> Content:
    """Load agencies, documents and services, or raise DataFileError naming every problem."""
    problems: list[Problem] = []
    allowed = official_domains(seed_dir)
    agencies = load_agencies(seed_dir, problems, allowed)
    documents = load_documents(seed_dir, problems)
    services: dict[str, Service] = {}
    origin: dict[str, str] = {}
    for path in _list_files(seed_dir / "services"):
        data = read_yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(Problem(str(path), "-", "-", "must be a list of services"))
            continue
        for index, raw in enumerate(data):
            entry = str(raw.get("id", f"#{index + 1}")) if isinstance(raw, dict) else f"#{index + 1}"
            service = parse_service(raw, (str(path), entry), bank, agencies, documents, allowed, problems)
            if service is None:
                continue
            if service.id in services:
                problems.append(
                    Problem(str(path), entry, "id", f"duplicate id, also in {origin[service.id]}")
                )
                continue
            services[service.id] = service
            origin[service.id] = str(path)
    for slug in bank.experiences:
        if not any(slug in s.life_experiences for s in services.values()):
            problems.append(
                Problem(
                    str(seed_dir / "services"),
                    slug,
                    "life_experiences",
                    "this life experience has no services",
                )
            )
    if problems:
        raise DataFileError(problems)
    return Content(agencies, documents, services)
