"""Cache the parts of pages that depend only on published content and language.

A service's description, channels and forms are the same for everyone who sees it in one
language, so they are rendered once per index version and locale. Nothing about a person
is ever part of a cached fragment or its key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import current_app, g, render_template, request
from markupsafe import Markup

from navigator.db import index_version
from navigator.i18n import current_locale
from services_index.store import StoreError

_lock = threading.Lock()
_cache: dict[tuple[Any, ...], Markup] = {}
_version: list[str] = [""]


def _locale_for_request() -> str | None:
    """This request's locale, after making sure the cache belongs to the current index version.

    None when the index cannot be read (an error page is being shown) or when a preview renders
    content that is not published: nothing is cached then.
    """
    if g.get("_fragments_uncached"):
        return None
    found: str | None = g.get("_fragment_locale")
    if found is None:
        try:
            version = index_version()
        except StoreError:
            return None
        if _version[0] != version:
            with _lock:
                if _version[0] != version:
                    _cache.clear()
                    _version[0] = version
        found = g._fragment_locale = current_locale()
    return found


def cached(key: tuple[Any, ...], render: Callable[[], str]) -> Markup:
    """The fragment for ``key`` in this locale and index version, rendering it if needed."""
    locale = _locale_for_request()
    if locale is None:
        return Markup(render())
    full_key = (locale, *key)
    found = _cache.get(full_key)
    if found is None:
        found = Markup(render())
        _cache[full_key] = found
    return found


def service_part(service: Any, agency: Any, part: str) -> Markup:
    """One person-independent part of a service card: ``intro`` or ``details``."""
    module = current_app.jinja_env.get_template("components/service_parts.html").module

    def render() -> str:
        return str(getattr(module, part)(service, agency))

    return cached(("service", service.id, service.revision, part), render)


DEADLINE_SLOT = Markup("<!--zqx-deadline-slot-->")
REASONS_SLOT = Markup("<!--zqx-reasons-slot-->")


def _macros() -> Any:
    return current_app.jinja_env.get_template("components/service.html").module


def service_card(item: Any) -> Markup:
    """A service in a plan: the shared frame, with this person's deadline and reasons in it."""
    service = item.service
    macros = _macros()

    def frame() -> str:
        return str(macros.card_frame(service, item.agency, item.status, DEADLINE_SLOT, REASONS_SLOT))

    card = cached(("card", service.id, service.revision, item.status), frame)
    why = item.explanation
    reasons = ""
    if why.met or why.unmet or why.missing:
        labels = "".join(
            cached(("reason", kind, label), lambda kind=kind, label=label: str(macros.reason(kind, label)))
            for kind, group in (("met", why.met), ("unmet", why.unmet), ("missing", why.missing))
            for label in group
        )
        reasons = str(macros.reasons(Markup(labels)))
    deadline = str(macros.deadline_block(item)) if item.deadline else ""
    # On plain strings: Markup.replace would escape the deadline and reasons, which are already HTML.
    filled = str(card).replace(str(DEADLINE_SLOT), deadline, 1).replace(str(REASONS_SLOT), reasons, 1)
    return Markup(filled)


def language_menu(oob: bool = False) -> Markup:
    """The language menu for this page (the same for everyone on a page without a query)."""

    def render() -> str:
        return render_template("components/language_menu.html", oob=oob)

    if request.args:
        return Markup(render())
    key = ("language-menu", request.endpoint, tuple(sorted((request.view_args or {}).items())), oob)
    return cached(key, render)


def uncached_card(item: Any) -> Markup:
    """A service card rendered fresh, for previews of entries that are not published."""
    before = g.get("_fragments_uncached")
    g._fragments_uncached = True
    try:
        return service_card(item)
    finally:
        g._fragments_uncached = before
