"""The list of languages a person reviews, and each language's queue of strings."""

from __future__ import annotations

import math
from typing import Any

from flask import Response, request

from life_experiences.readability import grade
from navigator.db import get_bank, get_store
from navigator.htmx import render
from navigator.i18n import LANGUAGE_NAMES
from navigator.review import strings
from navigator.review.blueprint import bp, reviewable_locales, signed_in
from services_index import review_queue
from services_index.review_queue import KINDS, QUEUE_STATUSES, Filters

PER_PAGE = 50
STATUS_LABELS = {
    "missing": "Missing",
    "draft": "Draft",
    "needs_review": "Needs review",
    "approved": "Approved",
    "stale": "Stale",
}
# For English the statuses describe proposed rewordings of the original text.
ENGLISH_LABELS = {**STATUS_LABELS, "missing": "Original", "needs_review": "Proposed", "approved": "Accepted"}
KIND_LABELS = {
    "interface": "Interface",
    "question": "Question",
    "life_experience": "Life experience",
    "service": "Service",
    "agency": "Agency",
    "document": "Document",
}


@bp.record_once
def install_helpers(state: Any) -> None:
    """Names of statuses, kinds and languages, for review templates and the macros they import."""
    state.app.jinja_env.globals.update(
        status_label=status_label, language_name=language_name, kind_labels=KIND_LABELS
    )


def status_label(status: str, locale: str) -> str:
    """A status in words; English strings are originals, proposals and accepted rewordings."""
    return (ENGLISH_LABELS if locale == "en" else STATUS_LABELS).get(status, status)


def language_name(locale: str) -> str:
    """A locale's name, with its code: "Español (es)"."""
    return f"{LANGUAGE_NAMES.get(locale, locale)} ({locale})"


def filters_from(args: Any) -> Filters:
    """The queue filters in a request, each limited to the values the queue offers."""
    status = args.get("status", "")
    kind = args.get("kind", "")
    experience = args.get("experience", "")
    return Filters(
        status=status if status in QUEUE_STATUSES else "",
        kind=kind if kind in KINDS else "",
        experience=experience if experience in get_bank().experiences else "",
        service=args.get("service", "")[:120],
        query=" ".join(args.get("q", "")[:200].split()),
    )


def page_number(pages: int) -> int:
    """The page asked for, within 1..pages."""
    raw = request.args.get("page", "1")
    return min(max(1, int(raw)) if raw.isdigit() and len(raw) < 6 else 1, pages)


@bp.get("/")
def index() -> Response:
    """The languages this person may review, with how many strings have each status."""
    user = signed_in()
    rows = []
    for locale in reviewable_locales(user):
        counts = review_queue.status_counts(strings.items(locale))
        rows.append({"locale": locale, "counts": counts, "total": sum(counts.values())})
    return render("review/index.html", rows=rows, statuses=QUEUE_STATUSES, active="review")


@bp.get("/<locale>")
def queue(locale: str) -> Response:
    """Every public string of a language with its status: filtered, searched and in pages."""
    filters = filters_from(request.args)
    found, counts = review_queue.select(strings.items(locale), filters)
    pages = max(1, math.ceil(len(found) / PER_PAGE))
    page = page_number(pages)
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    store = get_store()
    return render(
        "review/queue.html",
        review_locale=locale,
        items=shown,
        total=len(found),
        counts=counts,
        page=page,
        pages=pages,
        filters=filters,
        count_args={k: v for k, v in filters.as_args().items() if k != "status"},
        statuses=QUEUE_STATUSES,
        kinds=KINDS,
        experiences=get_bank().experiences,
        services=sorted(store.published_services(), key=lambda s: s.name.lower()),
        grades={i.source.sid: grade(i.source.english) for i in shown} if locale == "en" else {},
        active="review",
    )
