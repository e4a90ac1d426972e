"""Every public page type passes axe-core's WCAG 2.2 AA rules, in every language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from navigator.config import LOCALES
from tests.e2e.helpers import PAGE_TYPES, WCAG22, run_axe, tour

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("locale", LOCALES)
def test_every_public_page_has_no_accessibility_violations(
    page: Page, live_server: str, state_server: str, locale: str
) -> None:
    found: dict[str, list[dict[str, object]]] = {}

    def look(name: str) -> None:
        violations = run_axe(page, WCAG22)
        if violations:
            found[name] = violations

    seen = tour(page, live_server, state_server, locale, look)
    assert sorted(seen) == sorted(PAGE_TYPES)
    assert found == {}
