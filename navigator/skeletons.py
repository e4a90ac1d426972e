"""Whole pages rendered once and filled in per request.

A question page seen for the first time is the same for everyone who reaches it in one
language, except for a few values: the CSRF token, the question number, the estimated total
and the Back link. The page is rendered once with sentinel values in their places, and each
request substitutes its own. Nothing about a person is part of a key or of a cached page:
pages with a person's earlier answer filled in, or with an error, are always rendered fresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import escape

from navigator.db import index_version

# Values that cannot occur in rendered content: letters only (unchanged by HTML escaping) or
# numbers far beyond any question count.
CSRF = "zqxCsrfSentinelqxz"
BACK = "/zqxBackSentinelqxz"
NUMBER = 987654321
TOTAL = 987654322
LIMIT = 4000

_lock = threading.Lock()
_pages: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_version: list[str] = [""]


def sentinels() -> dict[str, Any]:
    """Template values to render a skeleton with."""
    return {"csrf": CSRF, "back": BACK, "number": NUMBER, "total": TOTAL}


def fill(page: str, csrf: str, back: str, number: int, total: int) -> str:
    """A skeleton with this request's values in place."""
    return (
        page.replace(CSRF, str(escape(csrf)))
        .replace(BACK, str(escape(back)))
        .replace(str(NUMBER), str(int(number)))
        .replace(str(TOTAL), str(int(total)))
    )


def skeleton(key: tuple[Any, ...], render: Callable[[], str]) -> str | None:
    """The cached skeleton for ``key``, rendering it when needed; None if it cannot be cached."""
    version = index_version()
    if _version[0] != version:
        with _lock:
            if _version[0] != version:
                _pages.clear()
                _version[0] = version
    found = _pages.get(key)
    if found is None:
        page = render()
        if not _usable(page, {CSRF: 2, BACK: 2, str(NUMBER): 1, str(TOTAL): 1}):
            return None
        with _lock:
            _pages[key] = page
            while len(_pages) > LIMIT:
                _pages.popitem(last=False)
        found = page
    return found


def _usable(page: str, expected: Mapping[str, int]) -> bool:
    """True when each sentinel occurs exactly as often as the template puts it there."""
    return all(page.count(sentinel) == times for sentinel, times in expected.items())
