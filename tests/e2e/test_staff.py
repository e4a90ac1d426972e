"""The staff workspace in a real browser: edit, preview, publish, conflicts, accessibility, small screens."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect

from navigator import auth
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import run_axe

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
ADMIN = "admin@e2e.example.gov"
EDITOR = "editor@ssa.e2e.example.gov"
WCAG_22 = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
# SSA entries no other browser test relies on, one for each test that edits.
PUBLISHED = "ssa-my-social-security-account"
CONFLICTED = "ssa-spouse-benefits"


@pytest.fixture(scope="module")
def accounts(live_app: Flask) -> None:
    store = live_app.extensions["navigator.store"]
    hashed = auth.hash_password(PASSWORD)
    for email, role, agencies in ((ADMIN, "admin", []), (EDITOR, "editor", ["ssa"])):
        if store.accounts.user_by_email(email) is None:
            store.accounts.create_user(email, hashed, role, agencies, [], "e2e", auth.utcnow())


@pytest.fixture()
def second(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    yield context
    context.close()


def sign_in(page: Page, base: str, email: str, path: str = "/staff/") -> None:
    page.goto(base + path)
    expect(page).to_have_url(re.compile(r"/staff/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {email}")).to_be_visible()


def violations(page: Page, name: str, found: dict[str, list[dict[str, object]]]) -> None:
    found[name] = run_axe(page, WCAG_22)


def test_an_editor_edits_previews_publishes_and_the_public_sees_it(
    page: Page, live_server: str, accounts: None
) -> None:
    sign_in(page, live_server, EDITOR)
    page.get_by_role("link", name="Services", exact=True).click()
    page.get_by_label("Search").fill(PUBLISHED)
    page.get_by_role("button", name="Show services").click()
    page.get_by_role("link", name="my Social Security account").first.click()
    expect(page.locator("h1")).to_contain_text("Edit")
    page.locator("#name").fill("Open your Zephyrquill Social Security account")
    summary = page.get_by_label("Summary")
    summary.fill("")
    summary.press_sequentially("You can see your record and print letters. It is free.", delay=5)
    # The reading grade follows the typing (htmx, after a pause).
    expect(page.locator("#summary-grade")).to_contain_text("good (grade 8 or lower)")
    # Adding a condition moves focus to its first field; removing it moves focus on too.
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name="Add a condition", exact=True).click()
    rows = page.locator("#rule-editor .rule-condition")
    expect(rows.last.locator("select").first).to_be_focused()
    added = rows.count()
    rows.last.get_by_role("button", name=re.compile("Remove condition")).click()
    expect(page.locator("#rule-editor .rule-condition")).to_have_count(added - 1)
    assert page.evaluate("window.__samePage === true"), "the rule editor should not reload the page"
    page.get_by_role("button", name="Save changes").first.click()
    expect(page.locator(".staff-notice")).to_contain_text("Saved as revision 2")
    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page.locator(".preview-banner")).to_contain_text("Preview — not published")
    expect(page.locator(".preview-card")).to_contain_text("Open your Zephyrquill Social Security account")
    page.get_by_role("button", name="Publish revision 2").click()
    expect(page.locator(".staff-notice")).to_contain_text("Published")
    public = page.context.new_page()
    public.goto(live_server + "/search?q=zephyrquill")
    expect(public.locator(".result__name").first).to_have_text(
        "Open your Zephyrquill Social Security account"
    )
    api = public.request.get(live_server + f"/api/v1/services/{PUBLISHED}")
    assert json.loads(api.text())["summary"] == "You can see your record and print letters. It is free."


def test_two_people_editing_the_same_entry_get_a_conflict_not_a_lost_update(
    page: Page, second: BrowserContext, live_server: str, accounts: None
) -> None:
    other = second.new_page()
    sign_in(page, live_server, EDITOR, f"/staff/services/{CONFLICTED}")
    sign_in(other, live_server, ADMIN, f"/staff/services/{CONFLICTED}")
    page.get_by_label("Cost", exact=True).fill("Free for everyone")
    other.get_by_label("How long it takes", exact=True).fill("About two weeks")
    page.get_by_role("button", name="Save changes").first.click()
    expect(page.locator(".staff-notice")).to_contain_text("Changed: cost")
    other.get_by_role("button", name="Save changes").first.click()
    expect(other.locator("h2#conflict-heading")).to_have_text(
        "Someone else saved this entry while you were editing"
    )
    table = other.locator("table.diff-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Free for everyone")
    expect(table).to_contain_text("About two weeks")
    found: dict[str, list[dict[str, object]]] = {}
    violations(other, "conflict", found)
    ARTIFACTS.mkdir(exist_ok=True)
    other.screenshot(path=str(ARTIFACTS / "staff-conflict.png"), full_page=True)
    # The form holds their change and this person's, so saving now loses neither.
    expect(other.get_by_label("Cost", exact=True)).to_have_value("Free for everyone")
    expect(other.get_by_label("How long it takes", exact=True)).to_have_value("About two weeks")
    other.get_by_role("button", name="Save changes").first.click()
    expect(other.locator(".staff-notice")).to_contain_text("Saved as revision 3")
    assert found == {"conflict": []}


def test_staff_pages_have_no_accessibility_violations(page: Page, live_server: str, accounts: None) -> None:
    found: dict[str, list[dict[str, object]]] = {}
    page.goto(live_server + "/staff/login")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_focused()
    violations(page, "login with errors", found)
    sign_in(page, live_server, ADMIN)
    violations(page, "dashboard", found)
    page.goto(live_server + "/staff/services")
    violations(page, "service list", found)
    page.goto(live_server + "/staff/services/ssa-retirement-benefits")
    page.locator("#rule__r-0__value").fill("131")
    page.get_by_label("Last verified").fill("soon")
    page.get_by_role("button", name="Save changes").first.click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#rule__r-0__value-error")).to_contain_text("an age from 0 to 130")
    violations(page, "edit form with errors", found)
    page.goto(live_server + "/staff/services/ssa-retirement-benefits/history")
    violations(page, "history", found)
    page.goto(live_server + "/staff/services/ssa-retirement-benefits/revisions/1")
    violations(page, "revision diff", found)
    page.goto(live_server + "/staff/services/ssa-retirement-benefits/preview")
    violations(page, "preview", found)
    page.goto(live_server + "/staff/transfer")
    violations(page, "import and export", found)
    page.locator("#file").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv", "buffer": b"id,title\nx,y\n"}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("h1")).to_contain_text("Import check")
    violations(page, "import report with problems", found)
    page.goto(live_server + "/staff/transfer")
    page.locator("#file").set_input_files(
        {
            "name": "one.json",
            "mimeType": "application/json",
            "buffer": page.request.get(live_server + "/staff/export.json").body(),
        }
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("h1")).to_contain_text("Import check")
    violations(page, "import report", found)
    page.goto(live_server + "/staff/audit")
    violations(page, "audit log", found)
    page.goto(live_server + "/staff/users")
    violations(page, "users", found)
    page.goto(live_server + "/staff/users/new")
    violations(page, "new user", found)
    page.goto(live_server + "/staff/password")
    violations(page, "password", found)
    assert {name: v for name, v in found.items() if v} == {}


@pytest.mark.parametrize(
    "path",
    [
        "/staff/",
        "/staff/services",
        "/staff/services/ssa-retirement-benefits",
        "/staff/services/ssa-retirement-benefits/revisions/1",
        "/staff/audit",
        "/staff/users",
    ],
)
def test_staff_pages_work_320_pixels_wide(
    browser: Browser, live_server: str, accounts: None, path: str
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        sign_in(page, live_server, ADMIN, path)
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways at 320px: {width}px"
    finally:
        context.close()


def test_the_rule_editor_works_without_javascript(nojs_page: Page, live_server: str, accounts: None) -> None:
    page = nojs_page
    sign_in(page, live_server, EDITOR, "/staff/services/ssa-retirement-benefits")
    before = page.locator("#rule-editor .rule-condition").count()
    page.get_by_role("button", name="Add a condition", exact=True).click()
    expect(page.locator("#rule-editor .rule-condition")).to_have_count(before + 1)
    new = page.locator("#rule-editor .rule-condition").last
    new.get_by_label("Question").select_option("served_in_military")
    new.get_by_label("Compare the answer").select_option("in")
    new.get_by_label("Value").fill("maybe")
    new.get_by_label("Label people see").fill("Served in the military")
    page.get_by_role("button", name="Save changes").first.click()
    expect(page.locator(".error-summary")).to_contain_text("has no answer maybe")
    page.locator(".error-summary a").first.click()
    new = page.locator("#rule-editor .rule-condition").last
    new.get_by_label("Value").fill("yes")
    page.get_by_role("button", name="Save changes").first.click()
    expect(page.locator(".staff-notice")).to_contain_text("Changed: eligibility")
