"""Access to the index store and the question bank from a request."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, g

from life_experiences.model import Bank
from services_index.search import Searcher
from services_index.store import Store


def get_store() -> Store:
    """The app's index store."""
    store: Store = current_app.extensions["navigator.store"]
    return store


def get_bank() -> Bank:
    """The app's question bank and life experiences."""
    bank: Bank = current_app.extensions["navigator.bank"]
    return bank


def today() -> date:
    """Today's date in the configured time zone; all deadline maths uses it."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def get_searcher() -> Searcher:
    """The app's searcher (synonyms loaded once)."""
    found: Searcher | None = current_app.extensions.get("navigator.searcher")
    if found is None:
        found = current_app.extensions["navigator.searcher"] = Searcher(get_store())
    return found


def index_version() -> str:
    """The index version for this request (looked up once): caches of content and text key on it."""
    version: str | None = g.get("_index_version")
    if version is None:
        version = g._index_version = get_store().version()
    return version
