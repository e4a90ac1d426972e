"""Previews render one string's draft on its public page, uncached; the public sees approved text at once."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from services_index.store import Store
from tests.pages import check_page
from tests.review.conftest import HOME, SUMMARY, content_sid, message_sid, save, start_plan


def preview(client: FlaskClient, locale: str, sid: str) -> tuple[str, object]:
    response = client.get(f"/review/{locale}/strings/{sid}/preview")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True), check_page(response)


def test_a_service_field_is_previewed_on_its_card_in_the_language(
    review_app: Flask, as_user: Callable[[str], FlaskClient]
) -> None:
    review_app.config["SHOW_DRAFT_TRANSLATIONS"] = False
    client = as_user("reviewer_fr")
    save(
        client, "fr", content_sid(*SUMMARY), "draft", "Un paiement mensuel quand vous prenez votre retraite."
    )
    html, soup = preview(client, "fr", content_sid(*SUMMARY))
    assert soup.find("html")["lang"] == "fr"  # type: ignore[index]
    banner = soup.select_one(".review-preview-banner")  # type: ignore[attr-defined]
    assert banner is not None and "Preview" in banner.get_text() and banner["lang"] == "en"
    assert (
        "Un paiement mensuel quand vous prenez votre retraite." in soup.select_one(".service-card").get_text()
    )  # type: ignore[attr-defined]
    # The draft was rendered fresh and never cached: the public page still shows the English.
    public = review_app.test_client()
    start_plan(public, "fr", "retirement")
    plan = public.get("/fr/plan").get_data(as_text=True)
    assert "Un paiement mensuel" not in plan
    # Each person's reasons and deadline are put into the cached card as markup, not as escaped text.
    for html_page in (html, plan):
        assert "&lt;h4&gt;" not in html_page and "&lt;div class=" not in html_page
    assert soup.select_one(".service-card .criteria") is not None  # type: ignore[attr-defined]
    assert "You may be able to get a monthly payment when you retire." in plan


def test_a_question_string_is_previewed_on_the_question_page(as_user: Callable[[str], FlaskClient]) -> None:
    client = as_user("reviewer")
    question = "What is your date of birth?"
    save(client, "es", message_sid(question), "draft", "¿En qué fecha nació usted?")
    _, soup = preview(client, "es", message_sid(question))
    assert "¿En qué fecha nació usted?" in soup.select_one("main").get_text()  # type: ignore[attr-defined]
    assert soup.select_one("form.question-form") is not None  # type: ignore[attr-defined]


def test_a_life_experience_string_is_previewed_on_its_start_page(
    as_user: Callable[[str], FlaskClient],
) -> None:
    client = as_user("reviewer")
    save(client, "es", message_sid(HOME), "draft", "Jubilarse y cumplir 65 años (borrador)")
    _, soup = preview(client, "es", message_sid(HOME))
    assert soup.select_one("h1").get_text(strip=True) == "Jubilarse y cumplir 65 años (borrador)"  # type: ignore[attr-defined]
    assert soup.select_one("form.start-form") is not None  # type: ignore[attr-defined]


def test_an_interface_string_is_previewed_on_the_page_of_its_template(
    as_user: Callable[[str], FlaskClient],
) -> None:
    client = as_user("reviewer")
    save(client, "es", message_sid("Documents to gather"), "draft", "Papeles que debe reunir (borrador)")
    html, soup = preview(client, "es", message_sid("Documents to gather"))
    assert "Papeles que debe reunir (borrador)" in html
    assert soup.select_one(".service-card") is not None  # type: ignore[attr-defined]  # the plan page
    save(client, "es", message_sid("Page not found"), "draft", "No encontramos la página (borrador)")
    html, _ = preview(client, "es", message_sid("Page not found"))
    assert "No encontramos la página (borrador)" in html


def test_an_english_proposal_is_previewed_in_english(as_user: Callable[[str], FlaskClient]) -> None:
    client = as_user("reviewer_en")
    save(client, "en", message_sid(HOME), "propose", "Turning 65 and getting ready to retire")
    html, soup = preview(client, "en", message_sid(HOME))
    assert soup.find("html")["lang"] == "en"  # type: ignore[index]
    assert soup.select_one("h1").get_text(strip=True) == "Turning 65 and getting ready to retire"  # type: ignore[attr-defined]
    home = client.get("/").get_data(as_text=True)
    assert "Turning 65 and getting ready to retire" not in home


def test_the_public_sees_an_approved_translation_at_once_and_drafts_only_when_allowed(
    review_app: Flask, as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    review_app.config["SHOW_DRAFT_TRANSLATIONS"] = False
    public = review_app.test_client()
    before = public.get("/es/").get_data(as_text=True)
    client = as_user("reviewer")
    save(client, "es", message_sid(HOME), "draft", "Jubilación: borrador nuevo")
    assert "Jubilación: borrador nuevo" not in public.get("/es/").get_data(as_text=True)
    save(client, "es", message_sid(HOME), "approve", "Jubilación: texto aprobado")
    page = public.get("/es/").get_data(as_text=True)
    assert "Jubilación: texto aprobado" in page and page != before
    # Service content too, through the cached card fragments.
    save(client, "es", content_sid(*SUMMARY), "approve", "Un pago mensual al jubilarse (aprobado).")
    start_plan(public, "es", "retirement")
    assert "Un pago mensual al jubilarse (aprobado)." in public.get("/es/plan").get_data(as_text=True)
    # With drafts shown, a saved draft is public at once as well.
    review_app.config["SHOW_DRAFT_TRANSLATIONS"] = True
    save(client, "es", message_sid(HOME), "draft", "Jubilación: borrador visible")
    assert "Jubilación: borrador visible" in public.get("/es/").get_data(as_text=True)
