"""The strings reviewers work on, read once per template file and index version."""

from __future__ import annotations

import threading
from typing import Any

from babel.messages.catalog import Catalog
from flask import abort

from navigator.db import get_bank, get_store, index_version
from navigator.i18n_catalogs import TRANSLATIONS
from services_index import review_queue
from services_index.review_queue import Item, Source
from services_index.translations import CONTENT, MESSAGES, content_template, read_template

MESSAGES_TEMPLATE = TRANSLATIONS / "messages.pot"
_lock = threading.Lock()
_cache: dict[str, Any] = {}


def _messages_template() -> tuple[int, Catalog]:
    """``messages.pot``, parsed again only when the file changes."""
    stamp = MESSAGES_TEMPLATE.stat().st_mtime_ns
    found = _cache.get("template")
    if found is None or found[0] != stamp:
        found = _cache["template"] = (stamp, read_template(MESSAGES_TEMPLATE))
    return found  # type: ignore[no-any-return]


def _loaded() -> tuple[list[Source], dict[str, Source]]:
    """Every string, and the strings by id, for the current templates and index version."""
    with _lock:
        stamp, template = _messages_template()
        key = (stamp, index_version(), id(get_bank()))
        found = _cache.get("sources")
        if found is None or found[0] != key:
            store = get_store()
            services = {s.id: s for s in store.published_services()}
            listed = review_queue.message_sources(template, get_bank()) + review_queue.content_sources(
                store.current_content_texts(), services
            )
            found = _cache["sources"] = (key, listed, {s.sid: s for s in listed})
        return found[1], found[2]


def sources() -> list[Source]:
    """Every public string: interface text, questions and life experiences, then index content."""
    return _loaded()[0]


def source(sid: str) -> Source:
    """One string by its id (404 when there is no such string)."""
    found = _loaded()[1].get(sid[:32])
    if found is None:
        abort(404)
    return found


def items(locale: str) -> list[Item]:
    """Every string with its translation in ``locale``."""
    return review_queue.items_for(sources(), get_store().translations(locale))


def templates() -> dict[str, Catalog]:
    """The catalogs a locale's ``.po`` export is made from: interface text, and the index as it is now."""
    with _lock:
        template = _messages_template()[1]
    return {
        MESSAGES: template,
        CONTENT: content_template(get_store().current_content_texts()),
    }


def known_keys() -> set[tuple[str, str, str]]:
    """The key of every string an import may write."""
    return {s.key for s in sources()}
