"""Preview one string's draft on the public page where it appears, in its language, uncached.

The public catalog of the language is copied with this one string replaced by the saved draft
(``navigator.i18n.overlay_catalog``), and the page is rendered with fragment caches off, so the
preview never leaks into what the public sees. ``base.html`` shows a "Preview" banner on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Response, g, url_for
from flask_babel import force_locale
from markupsafe import Markup

from life_experiences import answers as answer_parsing
from life_experiences.model import LifeExperience
from navigator.db import get_bank, get_store
from navigator.errors import error_page, messages
from navigator.fragments import uncached_card
from navigator.htmx import render
from navigator.i18n import LANGUAGE_NAMES, overlay_catalog
from navigator.public import flow as flows
from navigator.public.views import plan_page, search_hits
from navigator.review import strings
from navigator.review.blueprint import bp
from navigator.review.editor import editor_url
from navigator.review.queue import status_label
from navigator.staff.services import sample_item
from services_index.model import Service
from services_index.review_queue import Item, Source

# The public page that shows the text of each template or code file best.
PAGES = {
    "templates/public/index.html": "index",
    "templates/components/search.html": "index",
    "templates/base.html": "index",
    "templates/components/language_menu.html": "index",
    "templates/public/start.html": "start",
    "templates/public/question.html": "question",
    "templates/components/questions.html": "question",
    "templates/components/page.html": "question",
    "navigator/public/views.py": "question",
    "templates/public/review.html": "review",
    "templates/public/plan.html": "plan",
    "templates/components/service.html": "plan",
    "templates/components/service_parts.html": "plan",
    "templates/public/search.html": "search",
    "templates/public/_suggestions.html": "search",
    "templates/public/feedback.html": "feedback",
    "templates/public/privacy.html": "privacy",
    "templates/public/share.html": "share",
    "templates/errors/error.html": "error",
    "navigator/errors.py": "error",
}
SAMPLE_SEARCH = "retirement"
ERROR_CODES = (404, 400, 403, 405, 413, 429, 500, 503)


@contextmanager
def previewing(locale: str, item: Item, back: str) -> Iterator[None]:
    """Render the rest of the request in ``locale`` with this string's draft in the catalog, uncached."""
    row = item.row
    keys = (
        "lang_prefix",
        "_locale",
        "_translations",
        "_fragment_locale",
        "_fragments_uncached",
        "review_preview",
    )
    saved = {k: g.pop(k) for k in keys if k in g}
    g.lang_prefix = locale
    g._locale = locale
    g._fragments_uncached = True
    status = status_label(item.status, locale)
    language = LANGUAGE_NAMES.get(locale, locale)
    g.review_preview = {
        "back": back,
        "explanation": f"This page is in {language} with the saved text of one string ({status}) "
        "as the public would see it once approved. Links and buttons lead to the public site.",
    }
    try:
        with force_locale(locale):
            if row is not None and row.text:
                g._review_overlay = overlay_catalog(locale, item.source.english, row.text, row.plurals)
            yield
    finally:
        for key in (*keys, "_review_overlay"):
            g.pop(key, None)
        for key, value in saved.items():
            setattr(g, key, value)


def page(locale: str, item: Item, back: str) -> Response:
    """The public page (or component) where the string appears, with its draft applied."""
    with previewing(locale, item, back):
        response = _renderer(item.source, item.text or item.source.english)()
        response.status_code = 200
    response.headers["Cache-Control"] = "no-store"
    return response


def _renderer(source: Source, shown: str) -> Callable[[], Response]:
    """How to show a string: its service card, question, life experience, or the page it is on."""
    ident = source.context.partition(":")[2]
    if source.kind == "service":
        return lambda: _card(ident)
    if source.kind == "agency":
        service = next((s for s in _services() if s.agency == ident), None)
        return (lambda: _card(service.id)) if service else _index
    if source.kind == "document":
        service = next((s for s in _services() if ident in s.documents and s.life_experiences), None)
        return (lambda: _plan(service.life_experiences[0])) if service else _index
    if source.kind == "life_experience" and source.experiences:
        return lambda: _start(source.experiences[0])
    if source.kind == "question" and source.questions:
        return lambda: _question(source.questions[0], source.english)
    for template in source.templates:
        name = PAGES.get(template)
        if name == "error":
            return lambda: _error(shown)
        if name:
            return _PAGE_RENDERERS[name]
    return _index


def _services() -> list[Service]:
    """Published services, by id."""
    return sorted(get_store().published_services(), key=lambda s: s.id)


def _first_experience() -> LifeExperience:
    """The first life experience, for pages that need one."""
    return next(iter(get_bank().experiences.values()))


def _card(service_id: str) -> Response:
    """One service card as a plan shows it, rendered fresh."""
    service = get_store().service(service_id)
    if service is None:
        return _index()
    card = uncached_card(sample_item(service))
    return render("review/preview_card.html", card=Markup(card), service=service)


def _index() -> Response:
    """The home page."""
    bank = get_bank()
    return render("public/index.html", experiences=list(bank.experiences.values()), flow=flows.Flow())


def _start(slug: str | None = None) -> Response:
    """A life experience's start page."""
    bank = get_bank()
    experience = bank.experiences.get(slug or "") or _first_experience()
    count = sum(1 for s in get_store().published_services() if experience.slug in s.life_experiences)
    return render(
        "public/start.html",
        experience=experience,
        service_count=count,
        errors=[],
        can_add=False,
        flow=flows.Flow(),
    )


def _question(qid: str | None = None, english: str = "") -> Response:
    """A question page as a person first sees it (asked of someone helping, when the text says so)."""
    bank = get_bank()
    question = bank.questions.get(qid or "") or bank.questions[_first_experience().questions[0]]
    experience = next(
        (e for e in bank.experiences.values() if question.id in e.questions), _first_experience()
    )
    helping = bool(english) and english in (question.text_other, question.hint_other)
    current = flows.Flow(slugs=[experience.slug], helping=helping)
    return render(
        "public/question.html",
        number=1,
        total=len(experience.questions),
        back=url_for("public.start", slug=experience.slug),
        transcript=[],
        flow=current,
        question=current.worded(question),
        errors=[],
        values=answer_parsing.form_values(question, None),
        back_to_review=False,
        states=bank.states,
        experience=experience,
    )


def _review() -> Response:
    """The page where a person checks their answers."""
    experience = _first_experience()
    return render(
        "public/review.html",
        transcript=[],
        pending=None,
        flow=flows.Flow(slugs=[experience.slug]),
        experience=experience,
    )


def _plan(slug: str | None = None) -> Response:
    """A plan for a life experience, before any answer."""
    return plan_page(flows.Flow(slugs=[slug or _first_experience().slug]))


def _search() -> Response:
    """The search results page for a sample search."""
    bank = get_bank()
    hits = search_hits(SAMPLE_SEARCH, 12)
    best = next((h["id"] for h in hits if h["type"] == "life_experience"), None)
    return render(
        "public/search.html",
        query=SAMPLE_SEARCH,
        hits=hits,
        best=bank.experiences.get(best) if best else None,
        services=[h for h in hits if h["type"] != "life_experience"][:10],
        experiences=list(bank.experiences.values()),
        flow=flows.Flow(),
    )


def _error(shown: str) -> Response:
    """The error page whose words include the text (the "page not found" page otherwise)."""
    code = next((c for c in ERROR_CODES if any(shown in m for m in messages(c))), 404)
    return error_page(code)


_PAGE_RENDERERS: dict[str, Callable[[], Response]] = {
    "index": _index,
    "start": _start,
    "question": _question,
    "review": _review,
    "plan": _plan,
    "search": _search,
    "feedback": lambda: render("public/feedback.html", thanks=False, errors=[], values={}),
    "privacy": lambda: render("public/privacy.html"),
    "share": lambda: render("public/share.html", link=None),
}


@bp.get("/<locale>/strings/<sid>/preview")
def preview(locale: str, sid: str) -> Response:
    """The public page where a string appears, in its language, with its saved draft applied."""
    source = strings.source(sid)
    row = get_store().translation(locale, source.domain, source.context, source.field)
    return page(locale, Item(source, row), editor_url(locale, sid))
