"""Answer questions in the browser the way a person would."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page

from tests.e2e.conftest import AXE

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


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
        form.locator("input[name=answer]").fill("3" if qid == "household_size" else "20000")
    return qid


def run_axe(page: Page, tags: list[str] = WCAG) -> list[dict[str, object]]:
    """Run axe-core on the page and return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP does not block it.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", tags
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
