"""Languages in a real browser: a Spanish conversation, Arabic right to left, real glyphs, axe per locale."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from navigator.config import LOCALES
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import fill_current_question, run_axe, wait_for_next

pytestmark = pytest.mark.e2e


def first_question(page: Page, base: str, locale: str, slug: str = "retirement") -> None:
    page.goto(f"{base}/{locale}/life-experiences/{slug}")
    page.locator("label[for=for-self]").click()
    page.locator("form.start-form button[type=submit]").click()
    expect(page.locator("form.question-form")).to_be_visible()


def test_spanish_conversation_from_start_to_plan(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.locator(".language-menu__summary").click()
    page.get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator(".experience-list a[href='/es/life-experiences/retirement']").click()
    page.locator("label[for=for-self]").click()
    page.get_by_role("button", name="Empezar ahora").click()
    expect(page.locator("form.question-form")).to_be_visible()
    page.evaluate("window.__samePage = true")
    for _ in range(40):
        if not page.locator("form.question-form").count():
            break
        qid = fill_current_question(page)
        page.get_by_role("button", name="Continuar").click()
        wait_for_next(page, qid)
        assert not page.locator(".error-summary").count(), f"error after answering {qid}"
        expect(page).to_have_url(re.compile(r"/es/"))
    assert page.evaluate("window.__samePage === true")
    expect(page.locator("h1")).to_have_text("Revise sus respuestas")
    page.locator("a[href='/es/plan']").first.click()
    expect(page).to_have_url(re.compile(r"/es/plan$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".service-card").first).to_be_visible()
    # The language menu follows the page after htmx swaps: English is this plan in English.
    expect(page.locator("#language-menu a[hreflang=en]")).to_have_attribute("href", "/en/plan")
    assert "Seguro Social" in page.locator("main").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-es.png"), full_page=True)


def test_arabic_reads_right_to_left_and_stays_usable(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/ar/life-experiences/retirement")
    direction = page.evaluate("getComputedStyle(document.querySelector('main')).direction")
    assert direction == "rtl"
    # The radio buttons are drawn on the right of their labels: the layout is mirrored.
    label = page.locator("label[for=for-self]")
    marker = page.evaluate(
        "(el) => { const s = getComputedStyle(el, '::before'); return {right: s.right, left: s.left}; }",
        label.element_handle(),
    )
    assert marker["right"] == "0px", marker
    label_box = label.bounding_box()
    main_box = page.locator("main").bounding_box()
    assert label_box is not None and main_box is not None
    assert label_box["x"] + label_box["width"] > main_box["x"] + main_box["width"] - 40
    # Nothing spills sideways and the page still works: start, answer and move on.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    label.click()
    page.locator("form.start-form button[type=submit]").click()
    expect(page.locator("form.question-form")).to_be_visible()
    qid = fill_current_question(page)
    page.locator("form.question-form button[type=submit]").click()
    wait_for_next(page, qid)
    assert not page.locator(".error-summary").count()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "question-ar.png"), full_page=True)


SAMPLES = [("zh_Hans", "退休"), ("ko", "은퇴"), ("vi", "ư"), ("ar", "ال")]


@pytest.mark.parametrize(("locale", "sample"), SAMPLES)
def test_scripts_show_real_glyphs(browser: Browser, live_server: str, locale: str, sample: str) -> None:
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    page.goto(f"{live_server}/{locale}/")
    assert sample in page.locator("body").inner_text()
    # A missing font draws every character as the same empty box ("tofu"): compare widths of
    # two different characters of the script with the width of a character that has no glyph.
    widths = page.evaluate(
        """(chars) => {
          const c = document.createElement('canvas').getContext('2d');
          c.font = '32px ' + getComputedStyle(document.body).fontFamily;
          const draw = (t) => { c.clearRect(0, 0, 64, 64); c.fillText(t, 0, 40);
            return Array.from(c.getImageData(0, 0, 64, 64).data).join(','); };
          return chars.map(draw);
        }""",
        [sample[0], sample[-1] if len(sample) > 1 else sample[0], "\U000e01ef"],
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{locale}.png"), full_page=True)
    context.close()
    assert widths[0] != widths[2], f"{locale}: the glyph draws like a missing character"


@pytest.mark.parametrize("locale", LOCALES)
def test_question_page_has_no_accessibility_violations(page: Page, live_server: str, locale: str) -> None:
    first_question(page, live_server, locale)
    violations = run_axe(page)
    assert violations == [], violations
    # And the error summary, in that language.
    page.locator("form.question-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert run_axe(page) == []
