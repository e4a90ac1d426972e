"""Narrow screens and 200% zoom: every page reflows without sideways scrolling and stays usable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import PAGE_TYPES, tour

pytestmark = pytest.mark.e2e

SCREENSHOTS = ("home", "question: date", "plan")


def open_page(browser: Browser, width: int, height: int, scale: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
    yield context.new_page()
    context.close()


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    """The narrowest common phone: 320 CSS pixels wide (WCAG 1.4.10 Reflow)."""
    yield from open_page(browser, 320, 640, 1)


@pytest.fixture()
def zoomed(browser: Browser) -> Iterator[Page]:
    """A 1280x800 window at 200% zoom: a 640x400 CSS viewport drawn with two device pixels per pixel."""
    yield from open_page(browser, 640, 400, 2)


def sideways(page: Page) -> list[str]:
    """What does not fit the window's width: the page's scroll width, elements cut off, text at the edge."""
    found: list[str] = page.evaluate(
        """() => {
          const width = window.innerWidth;
          const out = [];
          if (document.documentElement.scrollWidth > width) {
            out.push(`scroll width ${document.documentElement.scrollWidth} > ${width}`);
          }
          // USWDS gives the body overflow-x: hidden, so content that does not fit is cut off rather
          // than scrolled to, and the scroll width alone would not show it.
          for (const el of document.querySelectorAll('body *')) {
            // Text only for screen readers, and native inputs that USWDS draws on their labels.
            if (el.closest('.usa-sr-only') || el.matches('input[type=radio], input[type=checkbox]')) continue;
            if (!el.checkVisibility({visibilityProperty: true})) continue;
            const box = el.getBoundingClientRect();
            if (box.width < 2 || box.height < 2) continue;
            if (box.left < -1 || box.right > width + 1) {
              const classes = Array.from(el.classList);
              const name = [el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), ...classes].join('.');
              out.push(`${name} from ${Math.round(box.left)} to ${Math.round(box.right)}`);
            }
          }
          // Nor may text run up against the edge of the screen, where it is hard to read.
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!node.textContent.trim() || el.closest('.usa-sr-only')) continue;
            if (!el.checkVisibility({visibilityProperty: true})) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            const line = Array.from(range.getClientRects()).find(
              (box) => box.width >= 1 && (box.left < 4 || box.right > width - 4));
            if (line) {
              const text = node.textContent.trim().slice(0, 30);
              out.push(`text "${text}" from ${Math.round(line.left)} to ${Math.round(line.right)}`);
            }
          }
          return out.slice(0, 10);
        }"""
    )
    return found


def on_screen(page: Page, selector: str) -> bool:
    """Scroll ``selector`` into view; true when it is visible and wholly inside the window."""
    element = page.locator(selector).first
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    size = page.viewport_size
    return bool(
        element.is_visible()
        and box
        and size
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
    )


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_no_sideways_scrolling_at_320_pixels(
    phone: Page, live_server: str, state_server: str, locale: str
) -> None:
    wide: dict[str, list[str]] = {}

    def look(name: str) -> None:
        found = sideways(phone)
        if found:
            wide[name] = found
        if name in SCREENSHOTS:
            ARTIFACTS.mkdir(exist_ok=True)
            file = f"320-{locale}-{name.replace(': ', '-')}.png"
            phone.screenshot(path=str(ARTIFACTS / file), full_page=True)

    seen = tour(phone, live_server, state_server, locale, look)
    assert sorted(seen) == sorted(PAGE_TYPES)
    assert wide == {}


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_200_percent_zoom_reflows_and_questions_stay_usable(
    zoomed: Page, live_server: str, state_server: str, locale: str
) -> None:
    wide: dict[str, list[str]] = {}
    hidden: list[str] = []

    def look(name: str) -> None:
        found = sideways(zoomed)
        if found:
            wide[name] = found
        if name.startswith("question: "):
            # The heading and the button can be brought into view whole; the tour then answers
            # the question and presses the button.
            for selector in (".question-heading", "form.question-form button[type=submit]"):
                if not on_screen(zoomed, selector):
                    hidden.append(f"{name}: {selector}")

    seen = tour(zoomed, live_server, state_server, locale, look)
    assert sorted(seen) == sorted(PAGE_TYPES)
    assert wide == {}
    assert hidden == []
