"""Answer questions in the browser the way a person would."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import AXE

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WCAG22 = [*WCAG, "wcag22aa"]


def fill_current_question(page: Page) -> str:
    """Fill in the question on screen with a plausible answer; return its id."""
    form = page.locator("form.question-form")
    qid = form.get_attribute("action").split("/questions/")[1].split("?")[0]  # type: ignore[union-attr]
    if form.locator("input[name=year]").count():
        when = date(1960, 3, 10) if qid == "date_of_birth" else date.today() - timedelta(days=20)
        form.locator("select[name=month]").select_option(str(when.month))
        form.locator("input[name=day]").fill(str(when.day))
        form.locator("input[name=year]").fill(str(when.year))
    elif form.locator("select[name=answer]").count():
        form.locator("select[name=answer]").select_option(index=1)
    elif form.locator("input[type=radio]").count():
        yes = form.locator("input[type=radio][value=yes]")
        choice = yes if yes.count() else form.locator("input[type=radio]").first
        # USWDS hides the native input and styles the label, which is what people click.
        form.locator(f"label[for='{choice.get_attribute('id')}']").click()
    elif form.locator("input[type=checkbox][name=answer]").count():
        first = form.locator("input[type=checkbox][name=answer]").first
        form.locator(f"label[for='{first.get_attribute('id')}']").click()
    else:
        # Amounts of money have a "$" before the box; other numbers are counts and ages.
        form.locator("input[name=answer]").fill("20000" if form.locator(".usa-input-prefix").count() else "3")
    return qid


def question_kind(page: Page) -> str:
    """The kind of field of the question on screen: radio, checkbox, date, number or state."""
    kind: str = page.evaluate(
        """() => {
          const form = document.querySelector('form.question-form');
          if (form.querySelector('input[name=year]')) return 'date';
          if (form.querySelector('select[name=answer]')) return 'state';
          if (form.querySelector('input[type=radio][name=answer]')) return 'radio';
          if (form.querySelector('input[type=checkbox][name=answer]')) return 'checkbox';
          return 'number';
        }"""
    )
    return kind


def run_axe(page: Page, tags: list[str] | None = None) -> list[dict[str, object]]:
    """Run axe-core on the page (WCAG 2.1 A and AA rules unless ``tags`` says) and return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP does not block it.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        tags or WCAG,
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]


def wait_for_next(page: Page, qid: str) -> None:
    """Wait until the question ``qid`` has been replaced (or an error summary appears)."""
    page.wait_for_function(
        "(qid) => !document.querySelector('form.question-form') || "
        "!document.querySelector('form.question-form').action.includes('/questions/' + qid)"
        " || document.querySelector('.error-summary')",
        arg=qid,
    )


def replaced(page: Page, act: Callable[[], None]) -> None:
    """Do ``act`` (submit a form, follow a link) and wait until new main content has arrived."""
    page.evaluate("document.querySelectorAll('#main-content > *').forEach(el => el.dataset.stale = '')")
    act()
    page.wait_for_function("() => !!document.querySelector('#main-content > *:not([data-stale])')")


def tab_to(page: Page, text: str, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the focused element reads ``text``, as a keyboard user would."""
    # A focused input is named by its label; anything else by its own text.
    name = (
        "(el => ((el.labels && el.labels.length) ? el.labels[0].textContent : el.textContent)"
        ".trim())(document.activeElement)"
    )
    for _ in range(80):
        if page.evaluate(name) == text:
            return
        page.keyboard.press(key)
    raise AssertionError(f"could not reach {text!r} with {key}")


def keyboard_answer(page: Page) -> None:
    """Tab into the field and answer with keys only; leave focus inside the form."""
    page.keyboard.press("Tab")
    tag, kind, name = page.evaluate(
        "[document.activeElement.tagName, document.activeElement.type, document.activeElement.name]"
    )
    if kind == "radio":
        # Space picks the first answer; the arrow keys move the choice down and back up again.
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
    elif kind == "checkbox":
        page.keyboard.press("Space")
    elif tag == "SELECT":
        page.keyboard.press("ArrowDown")
        if name == "month":
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
            page.keyboard.type("10")
            page.keyboard.press("Tab")
            page.keyboard.type("1960")
    else:
        page.keyboard.type("3")


# A life experience that asks every kind of question, and whose plan, with the amounts of money
# answered "I'm not sure", has services in all three groups.
TOUR_SLUG = "disaster"
QUESTION_KINDS = ("radio", "checkbox", "date", "number")
PAGE_TYPES = (
    "home",
    "search results",
    "no results",
    "privacy",
    "not found",
    "start",
    "start error",
    "question error",
    *(f"question: {kind}" for kind in QUESTION_KINDS),
    "review",
    "plan",
    "share",
    "share link",
    "shared plan",
    "feedback",
    "feedback error",
    "feedback thanks",
    "question: state",
)


def tour(page: Page, base: str, state_base: str, locale: str, look: Callable[[str], None]) -> list[str]:
    """Visit every public page type in ``locale`` in one person's visit, calling ``look(name)`` on each.

    Only the markup is relied on, never the words, so a language still being translated works.
    Returns the names of the pages looked at, in order.
    """
    seen: list[str] = []

    def at(name: str) -> None:
        look(name)
        seen.append(name)

    home = f"{base}/{locale}"
    page.goto(home + "/")
    at("home")
    page.goto(home + "/search?q=medicare")
    expect(page.locator(".result").first).to_be_visible()
    at("search results")
    page.goto(home + "/search?q=zzqxv+wobblefrump")
    expect(page.locator(".result")).to_have_count(0)
    at("no results")
    page.goto(home + "/privacy")
    at("privacy")
    response = page.goto(home + "/no-such-page")
    assert response is not None and response.status == 404
    at("not found")

    page.goto(f"{home}/life-experiences/{TOUR_SLUG}")
    at("start")
    replaced(page, lambda: page.locator("form.start-form button[type=submit]").click())
    expect(page.locator(".error-summary")).to_be_visible()
    at("start error")
    page.locator("label[for=for-self]").click()
    replaced(page, lambda: page.locator("form.start-form button[type=submit]").click())
    replaced(page, lambda: page.locator("form.question-form button[type=submit]").click())
    expect(page.locator(".error-summary")).to_be_visible()
    at("question error")
    for _ in range(40):
        if not page.locator("form.question-form").count():
            break
        kind = question_kind(page)
        if f"question: {kind}" not in seen:
            at(f"question: {kind}")
        if kind == "number":
            qid = page.locator("form.question-form input[name=answer]").get_attribute("id")
            page.locator(f"label[for='{qid}-unsure']").click()
        else:
            fill_current_question(page)
        replaced(page, lambda: page.locator("form.question-form button[type=submit]").click())
        assert not page.locator(".error-summary").count(), "a valid answer was refused"
    expect(page).to_have_url(re.compile(r"/review$"))
    at("review")

    page.goto(home + "/plan")
    for group in ("likely", "more", "not"):
        assert page.locator(f".status-group--{group} .service-card").count(), f"no {group} services"
    page.locator(".status-group--not details summary").click()
    expect(page.locator(".status-group--not .service-card").first).to_be_visible()
    at("plan")
    page.goto(home + "/share")
    at("share")
    page.locator("main form button[type=submit]").click()
    link = page.locator("#share-link")
    expect(link).to_be_visible()
    at("share link")
    page.goto(link.input_value())
    expect(page.locator(".service-card").first).to_be_visible()
    at("shared plan")
    page.goto(home + "/feedback")
    at("feedback")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    at("feedback error")
    page.locator("label[for=trust-yes]").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form")).to_have_count(0)
    at("feedback thanks")

    # Last, because this server's session cookie replaces the one above (same host, same key).
    page.goto(f"{state_base}/{locale}/life-experiences/{TOUR_SLUG}")
    page.locator("label[for=for-self]").click()
    replaced(page, lambda: page.locator("form.start-form button[type=submit]").click())
    page.goto(f"{state_base}/{locale}/questions/state")
    assert question_kind(page) == "state"
    at("question: state")
    return seen
