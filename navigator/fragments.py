"""Cache the parts of pages that depend only on published content and language.

A service's description, channels and forms are the same for everyone who sees it in one
language, so they are rendered once per index version and locale. Nothing about a person
is ever part of a cached fragment or its key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import current_app
from markupsafe import Markup

from navigator.db import index_version
from navigator.i18n import current_locale

_lock = threading.Lock()
_cache: dict[tuple[Any, ...], Markup] = {}
_version: list[str] = [""]


def cached(key: tuple[Any, ...], render: Callable[[], str]) -> Markup:
    """The fragment for ``key`` in this locale and index version, rendering it if needed."""
    version = index_version()
    full_key = (current_locale(), *key)
    if _version[0] != version:
        with _lock:
            if _version[0] != version:
                _cache.clear()
                _version[0] = version
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
