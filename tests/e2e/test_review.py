"""The review workspace in a real browser: accessibility of its pages, and a Spanish reviewer's day."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from services_index.review_queue import string_id
from services_index.translations import MESSAGES
from tests.e2e.conftest import serving
from tests.e2e.helpers import WCAG22, run_axe
from tests.e2e.test_viewport import sideways
from tests.review.conftest import EMAILS, HOME, add_reviewers
from tests.staff.conftest import PASSWORD

pytestmark = pytest.mark.e2e

PLACEHOLDER = "Question %(number)d of about %(total)d"


@pytest.fixture(scope="module")
def review_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    """A server whose public site shows approved translations only, with reviewers' accounts."""
    from navigator import create_app

    db = tmp_path_factory.mktemp("e2e-review") / "navigator.db"
    app = create_app(
        {"DATABASE": str(db), "SECRET_KEY": "e2e-review-secret", "SHOW_DRAFT_TRANSLATIONS": False}
    )
    add_reviewers(app)
    with serving(app) as base:
        yield base, app


def sign_in(page: Page, base: str, role: str, target: str) -> None:
    """Sign in through the staff sign-in page and land on ``target``."""
    page.goto(f"{base}/staff/login?next={target}")
    page.fill("#email", EMAILS[role])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{target}")


def editor_url(base: str, locale: str, msgid: str) -> str:
    return f"{base}/review/{locale}/strings/{string_id(MESSAGES, '', msgid)}"


def test_review_pages_have_no_accessibility_violations(
    page: Page, review_server: tuple[str, Flask], tmp_path: Path
) -> None:
    base, _ = review_server
    sign_in(page, base, "reviewer", "/review/es")
    found: dict[str, list[dict[str, object]]] = {}

    def look(name: str) -> None:
        violations = run_axe(page, WCAG22)
        if violations:
            found[name] = violations

    look("queue")
    page.goto(f"{base}/review/")
    look("languages")
    page.goto(editor_url(base, "es", PLACEHOLDER))
    page.fill("#text", "Pregunta %(number)d")
    page.click("button[value=approve]")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#text-checks [data-check=placeholders]")).to_be_visible()
    look("editor with errors")
    page.goto(f"{base}/review/es/glossary")
    page.fill("#source", "Social Security")
    page.fill("#target", "Seguro Social")
    page.click("text=Save the term")
    expect(page.locator("tbody")).to_contain_text("Seguro Social")
    look("glossary")
    exported = page.request.get(f"{base}/review/es/export.po").body().decode()
    changed = re.sub(r'(msgid "Back"\nmsgstr ")[^"]*"', r'\1Volver (archivo)"', exported, count=1)
    upload = tmp_path / "es.po"
    upload.write_text(changed, encoding="utf-8")
    page.goto(f"{base}/review/es/transfer")
    page.set_input_files("#file", str(upload))
    page.click("text=Check the file")
    expect(page.locator("h1")).to_contain_text("Import check")
    expect(page.locator("#changed-heading")).to_be_visible()
    look("import report")
    page.goto(f"{base}/review/es/transfer")
    upload.write_bytes(b"\xff\xfe not a po file")
    page.set_input_files("#file", str(upload))
    page.click("text=Check the file")
    look("import report with problems")
    assert found == {}


def test_review_pages_reflow_at_320_pixels(browser: Browser, review_server: tuple[str, Flask]) -> None:
    base, _ = review_server
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        sign_in(page, base, "reviewer", "/review/es")
        assert sideways(page) == [], "queue"
        page.goto(editor_url(base, "es", HOME))
        assert sideways(page) == [], "editor"
        page.goto(f"{base}/review/es/glossary")
        assert sideways(page) == [], "glossary"
    finally:
        context.close()


def test_a_spanish_reviewer_approves_a_string_and_sees_it_on_the_public_page(
    page: Page, review_server: tuple[str, Flask]
) -> None:
    base, app = review_server
    public_before = page.request.get(f"{base}/es/").text()
    sign_in(page, base, "reviewer", "/review/es")
    page.fill("#q", "Approaching retirement")
    page.click("text=Show strings")
    page.click(f"tbody a:has-text('{HOME}')")
    expect(page.locator("h1")).to_have_text("Translate into Español (es)")
    approved = "Prepararse para jubilarse y cumplir 65 años"
    page.fill("#text", "Borrador que nadie aprobó")
    page.click("button[value=draft]")
    status = page.locator("#editor-panel [role=status]")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Saved as a draft.")
    expect(page.locator("#announcer")).to_contain_text("Saved as a draft.")
    # A draft is not public while only approved translations are shown.
    assert "Borrador que nadie aprobó" not in page.request.get(f"{base}/es/").text()
    page.fill("#text", approved)
    page.locator("button[value=approve]").focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Approved")
    expect(page.locator(".review-status").first).to_have_text("Approved")
    store = app.extensions["navigator.store"]
    row = store.translation("es", MESSAGES, "", HOME)
    assert row is not None and row.status == "approved" and row.text == approved
    page.goto(f"{base}/es/")
    expect(page.locator("main")).to_contain_text(approved)
    assert approved not in public_before


def test_j_and_k_move_through_the_queue_when_no_field_has_focus(
    page: Page, review_server: tuple[str, Flask]
) -> None:
    base, _ = review_server
    sign_in(page, base, "reviewer", "/review/es?kind=life_experience")
    first = page.locator("tbody a").first
    first.click()
    start = page.url
    page.locator("textarea#text").focus()
    page.keyboard.press("j")  # typing in the field does not move
    assert page.url == start
    page.locator("h1").focus()
    page.keyboard.press("j")
    page.wait_for_url(lambda url: url != start)
    assert "kind=life_experience" in page.url
    page.keyboard.press("k")
    page.wait_for_url(start)


def test_save_and_go_to_next_loads_the_next_string_with_the_keyboard(
    page: Page, review_server: tuple[str, Flask]
) -> None:
    base, _ = review_server
    sign_in(page, base, "reviewer", "/review/es?kind=life_experience")
    links = page.locator("tbody a")
    second = links.nth(1).get_attribute("href")
    links.first.click()
    page.fill("#text", "Un borrador para seguir")
    page.locator("button[value='draft+next']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{second}")
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator(".staff-notice")).to_contain_text("Saved as a draft.")
    expect(page.locator("#editor-panel")).to_have_count(1)
    assert page.locator("textarea#text").input_value() != "Un borrador para seguir"
