"""Each life experience from the front door to a plan, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import fill_current_question, run_axe, wait_for_next

SLUGS = ["retirement", "disaster", "having-a-child"]
pytestmark = pytest.mark.e2e


def open_start(page: Page, base: str, slug: str) -> None:
    page.goto(base + "/")
    page.locator(f".experience-list a[href='/life-experiences/{slug}']").click()
    expect(page.locator("h1")).to_be_visible()
    page.locator("label[for=for-self]").click()
    page.get_by_role("button", name="Start now").click()


@pytest.mark.parametrize("slug", SLUGS)
def test_conversation_with_javascript(page: Page, live_server: str, slug: str) -> None:
    open_start(page, live_server, slug)
    expect(page.locator("form.question-form")).to_be_visible()
    # A marker on window survives only if no full page load happens.
    page.evaluate("window.__samePage = true")
    for answered in range(1, 41):
        if not page.locator("form.question-form").count():
            break
        qid = fill_current_question(page)
        page.get_by_role("button", name="Continue").click()
        wait_for_next(page, qid)
        assert not page.locator(".error-summary").count(), f"error after answering {qid}"
        if page.locator("form.question-form").count():
            # The transcript keeps every answer above the next question, focus is on the question.
            expect(page.locator(".transcript__item")).to_have_count(answered)
            expect(page.locator(".question-heading")).to_be_focused()
            expect(page).to_have_url(re.compile(r"/questions/"))
    assert page.evaluate("window.__samePage === true"), "htmx should not reload the page"
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator("h1")).to_be_focused()
    page.get_by_role("link", name="See my plan").click()
    expect(page.locator("h1")).to_have_text("Your plan")
    expect(page).to_have_url(re.compile(r"/plan$"))
    expect(page.locator("#likely-heading")).to_be_visible()
    assert page.evaluate("window.__samePage === true")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"plan-{slug}.png"), full_page=True)


@pytest.mark.parametrize("slug", SLUGS)
def test_flow_without_javascript(nojs_page: Page, live_server: str, slug: str) -> None:
    page = nojs_page
    open_start(page, live_server, slug)
    for _ in range(40):
        if not page.locator("form.question-form").count():
            break
        fill_current_question(page)
        page.get_by_role("button", name="Continue").click()
        assert not page.locator(".error-summary").count()
    expect(page.locator("h1")).to_have_text("Check your answers")
    page.get_by_role("link", name="See my plan").click()
    expect(page.locator("h1")).to_have_text("Your plan")
    assert page.locator(".service-card").count() > 0
    # Start over clears everything and returns to the front door.
    page.get_by_role("button", name="Start over and clear my answers").click()
    expect(page.locator("h1")).to_have_text("Find federal help for what is happening in your life")


def test_no_accessibility_violations_on_each_page_type(page: Page, live_server: str) -> None:
    found: dict[str, list[dict[str, object]]] = {}
    page.goto(live_server + "/")
    found["home"] = run_axe(page)
    page.goto(live_server + "/life-experiences/retirement")
    found["start"] = run_axe(page)
    page.get_by_role("button", name="Start now").click()
    expect(page.locator(".error-summary")).to_be_visible()
    found["start error"] = run_axe(page)
    page.locator("label[for=for-self]").click()
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("form.question-form")).to_be_visible()
    found["question"] = run_axe(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_be_visible()
    found["error"] = run_axe(page)
    for _ in range(40):
        if not page.locator("form.question-form").count():
            break
        qid = fill_current_question(page)
        page.get_by_role("button", name="Continue").click()
        wait_for_next(page, qid)
    expect(page.locator("h1")).to_have_text("Check your answers")
    found["review"] = run_axe(page)
    page.goto(live_server + "/plan")
    page.locator("details summary").last.click()
    found["plan"] = run_axe(page)
    page.goto(live_server + "/no-such-page")
    found["not found"] = run_axe(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_plan_prints_cleanly_and_swaps_are_announced(page: Page, live_server: str) -> None:
    page.goto(live_server + "/life-experiences/having-a-child")
    page.locator("label[for=for-self]").click()
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("form.question-form")).to_be_visible()
    fill_current_question(page)
    page.get_by_role("button", name="Continue").click()
    # The live region tells screen reader users where they are after each swap.
    expect(page.locator("#announcer")).to_contain_text(re.compile(r"Question \d+ of about \d+"))
    page.goto(live_server + "/plan")
    page.emulate_media(media="print")
    for selector in (".site-header", ".usa-banner", ".plan-actions", ".site-footer"):
        assert not page.locator(selector).first.is_visible(), selector
    # Links are written out on paper.
    after = page.evaluate("""() => {
        const link = document.querySelector('.service-card a[href^="http"]');
        return getComputedStyle(link, '::after').content; }""")
    assert "http" in after
    page.emulate_media(media="screen")
    assert page.locator(".plan-actions").is_visible()


def test_live_suggestions_work_from_the_keyboard(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    box = page.locator("#q-home")
    box.focus()
    page.keyboard.type("my house flooded", delay=20)
    first = page.locator("#q-home-suggestions .suggestions__item").first
    expect(first).to_be_visible()
    expect(page.locator("#q-home-status")).to_contain_text("suggestion")
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    expect(first).to_contain_text("Surviving a disaster")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/life-experiences/disaster$"))


def test_without_javascript_search_is_a_results_page(nojs_page: Page, live_server: str) -> None:
    nojs_page.goto(live_server + "/")
    nojs_page.locator("#q-home").fill("lost my job cant pay rent")
    nojs_page.get_by_role("button", name="Search").click()
    expect(nojs_page.locator("h1")).to_contain_text("Results for")
    expect(nojs_page.locator(".best-match")).to_contain_text("Losing a job or income")


def test_every_request_stays_on_this_server(page: Page, live_server: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("/", "/life-experiences/retirement", "/search?q=medicare", "/privacy"):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
    page.goto(live_server + "/")
    page.locator("#q-home").fill("passport")
    page.wait_for_load_state("networkidle")
    open_start(page, live_server, "retirement")
    fill_current_question(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")
    outside = [url for url in requested if not url.startswith(live_server)]
    assert requested and outside == []
