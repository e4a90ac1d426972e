"""Access to the index store and the question bank from a request."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

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
