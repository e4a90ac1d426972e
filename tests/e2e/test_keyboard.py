"""Keyboard and screen reader users: every life experience by keyboard alone, focus always
visible, and each new question (or error) focused and announced after an htmx swap."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from life_experiences.loader import load_bank
from tests.e2e.helpers import (
    QUESTION_KINDS,
    TOUR_SLUG,
    fill_current_question,
    keyboard_answer,
    question_kind,
    replaced,
    tab_to,
)

SLUGS = list(load_bank().experiences)
pytestmark = pytest.mark.e2e


def text_of(page: Page, selector: str) -> str:
    """The text of ``selector`` with its white space collapsed, as a screen reader reads it."""
    return " ".join((page.locator(selector).first.text_content() or "").split())


def start(page: Page, base: str, slug: str) -> None:
    """Start ``slug`` for oneself and wait for its first question."""
    page.goto(f"{base}/life-experiences/{slug}")
    page.locator("label[for=for-self]").click()
    replaced(page, lambda: page.get_by_role("button", name="Start now").click())


@pytest.mark.parametrize("slug", SLUGS)
def test_every_life_experience_by_keyboard_alone(page: Page, live_server: str, slug: str) -> None:
    page.goto(f"{live_server}/life-experiences/{slug}")
    tab_to(page, "Start now")
    # Shift+Tab goes back into the choices; the arrow keys move the choice down and back up.
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#for-self")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#for-other")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#for-self")).to_be_checked()
    tab_to(page, "Start now")
    replaced(page, lambda: page.keyboard.press("Enter"))
    for _ in range(40):
        if not page.locator("form.question-form").count():
            break
        # After each swap focus is on the new question, so Tab starts from there.
        expect(page.locator(".question-heading")).to_be_focused()
        keyboard_answer(page)
        tab_to(page, "Continue")
        replaced(page, lambda: page.keyboard.press("Enter"))
        assert not page.locator(".error-summary").count(), page.locator(".error-summary").text_content()
    expect(page.locator("h1")).to_have_text("Check your answers")
    tab_to(page, "See my plan")
    replaced(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("h1")).to_have_text("Your plan")
    expect(page.locator(".service-card").first).to_be_visible()


def bad_answer(page: Page, kind: str) -> None:
    """Give an answer the question cannot use: letters for a number, the 31st of February."""
    form = page.locator("form.question-form")
    if kind == "number":
        form.locator("input[name=answer]").fill("lots")
    else:
        form.locator("select[name=month]").select_option("2")
        form.locator("input[name=day]").fill("31")
        form.locator("input[name=year]").fill("2001")


def expect_focused_and_announced(page: Page, target: str, heading: str) -> None:
    """Focus is on ``target`` and the live region says ``heading``'s text."""
    expect(page.locator(target).first).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text(text_of(page, heading))


@pytest.mark.parametrize("slug", SLUGS)
def test_every_swap_moves_focus_and_is_announced(page: Page, live_server: str, slug: str) -> None:
    start(page, live_server, slug)
    expect_focused_and_announced(page, ".question-heading", ".question-heading")
    # Continue with no answer: the error summary takes focus and is read out.
    replaced(page, lambda: page.get_by_role("button", name="Continue").click())
    expect_focused_and_announced(page, ".error-summary", ".error-summary .usa-alert__heading")
    mistaken: set[str] = set()
    for _ in range(40):
        if not page.locator("form.question-form").count():
            break
        kind = question_kind(page)
        if kind in ("number", "date") and kind not in mistaken:
            mistaken.add(kind)
            bad_answer(page, kind)
            replaced(page, lambda: page.get_by_role("button", name="Continue").click())
            expect_focused_and_announced(page, ".error-summary", ".error-summary .usa-alert__heading")
            page.locator("form.question-form").evaluate("form => form.reset()")
        fill_current_question(page)
        replaced(page, lambda: page.get_by_role("button", name="Continue").click())
        assert not page.locator(".error-summary").count(), page.locator(".error-summary").text_content()
        if page.locator("form.question-form").count():
            expect_focused_and_announced(page, ".question-heading", ".question-heading")
        if page.locator(".transcript__item").count() == 1 and page.locator("form.question-form").count():
            # Back to the question just answered, and on again with the answer kept: swaps too.
            replaced(page, lambda: page.locator(".back-link").click())
            expect_focused_and_announced(page, ".question-heading", ".question-heading")
            replaced(page, lambda: page.get_by_role("button", name="Continue").click())
            expect_focused_and_announced(page, ".question-heading", ".question-heading")
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect_focused_and_announced(page, "h1", "h1")
    # Change an answer from the review page, keep it, and come back.
    replaced(page, lambda: page.locator(".answer-list__action a").first.click())
    expect_focused_and_announced(page, ".question-heading", ".question-heading")
    replaced(page, lambda: page.get_by_role("button", name="Continue").click())
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect_focused_and_announced(page, "h1", "h1")
    replaced(page, lambda: page.get_by_role("link", name="See my plan").click())
    expect(page.locator("h1")).to_have_text("Your plan")
    expect_focused_and_announced(page, "h1", "h1")


FOCUS_INDICATOR = """async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Let focus styles finish moving in (the skip link slides down).
  await Promise.all(el.getAnimations().map((animation) => animation.finished));
  // USWDS hides native radios and checkboxes and draws them, and their focus ring, on the label.
  const drawn = el.matches('input[type=radio], input[type=checkbox]') && el.labels.length;
  const style = drawn ? getComputedStyle(el.labels[0], '::before') : getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = !drawn && style.boxShadow !== 'none';
  // And the element is on screen, where the ring can be seen.
  const box = (drawn ? el.labels[0] : el).getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight
    && box.right > 0 && box.left < window.innerWidth;
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    ' "' + (el.labels && el.labels.length ? el.labels[0] : el).textContent.trim().slice(0, 40) + '"';
  return [name, (outline || shadow) && onScreen];
}"""


def focus_rings(page: Page) -> list[tuple[str, bool]]:
    """Tab from the top of the page to the end; for each element reached, whether focus shows."""
    # Shift+Tab back past the first element takes focus out of the page; Tab then starts at the top.
    for _ in range(80):
        if page.evaluate(FOCUS_INDICATOR) is None:
            break
        page.keyboard.press("Shift+Tab")
    reached: list[tuple[str, bool]] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUS_INDICATOR)
        # Past the last element focus goes round to the first again.
        if found is None or (reached and found[0] == reached[0][0]):
            break
        reached.append((found[0], found[1]))
    return reached


def test_focus_is_always_visible_on_question_pages(page: Page, live_server: str, state_server: str) -> None:
    start(page, live_server, TOUR_SLUG)
    unseen = set(QUESTION_KINDS)
    invisible: dict[str, list[str]] = {}
    for _ in range(40):
        if not page.locator("form.question-form").count() or not unseen:
            break
        # Focus moved to the question by the page itself shows too.
        heading = page.locator(".question-heading")
        expect(heading).to_be_focused()
        assert heading.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
        kind = question_kind(page)
        if kind in unseen:
            unseen.discard(kind)
            reached = focus_rings(page)
            assert any("Continue" in name for name, _ in reached), reached
            invisible[kind] = [name for name, shown in reached if not shown]
        fill_current_question(page)
        replaced(page, lambda: page.get_by_role("button", name="Continue").click())
    assert unseen == set()
    # The list of states is a question only the second server asks.
    start(page, state_server, TOUR_SLUG)
    page.goto(f"{state_server}/questions/state")
    reached = focus_rings(page)
    assert any(name.startswith("select#q-state") for name, _ in reached), reached
    invisible["state"] = [name for name, shown in reached if not shown]
    assert invisible == dict.fromkeys((*QUESTION_KINDS, "state"), [])
