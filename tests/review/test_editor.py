"""The editor of one string: context, saving with and without JavaScript, checks, conflicts and limits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from services_index.store import Store
from services_index.translations import CONTENT, MESSAGES
from tests.pages import check_page
from tests.review.conftest import (
    HOME,
    HTMX_PANEL,
    SUMMARY,
    content_sid,
    editor_path,
    message_sid,
    save,
    soup_of,
    text_of,
)
from tests.staff.forms import submitted

QUESTION = "What is your date of birth?"
PLACEHOLDER = "Question %(number)d of about %(total)d"


def test_the_editor_shows_the_english_the_translation_and_where_the_string_appears(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer")
    soup = check_page(client.get(editor_path("es", message_sid(QUESTION))))
    assert soup.select_one(".review-source .review-text").get_text() == QUESTION
    spanish = store.translation("es", MESSAGES, "", QUESTION)
    assert spanish is not None and soup.select_one("textarea#text").get_text() == spanish.text
    assert soup.select_one("textarea#text")["lang"] == "es"
    context = soup.select_one(".review-context").get_text(" ")
    assert "date_of_birth" in context and "life_experiences/data/questions/shared.yaml" in context
    assert "Question date_of_birth" in context  # the note for translators from the template
    service = check_page(client.get(editor_path("es", content_sid(*SUMMARY))))
    facts = service.select_one(".review-context").get_text(" ")
    assert "ssa-retirement-benefits" in facts and "summary" in facts
    assert "What 'Social Security retirement benefits' is, in plain words" in facts
    interface = check_page(client.get(editor_path("es", message_sid(PLACEHOLDER))))
    assert "templates/public/question.html" in interface.select_one(".review-context").get_text()


def test_saving_without_javascript_redirects_and_records_who_and_when(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer")
    response = save(client, "es", message_sid(HOME), "draft", "Cerca de la jubilación y de los 65 años")
    assert response.status_code == 303 and response.headers["Location"] == editor_path(
        "es", message_sid(HOME)
    )
    page = check_page(client.get(response.headers["Location"]))
    assert "Saved as a draft." in page.select_one("[role=status]").get_text()
    history = page.select_one(".review-history tbody tr").get_text(" ")
    assert "reviewer@example.gov" in history and "draft" in history
    row = store.translation("es", MESSAGES, "", HOME)
    assert row is not None and row.text == "Cerca de la jubilación y de los 65 años" and row.status == "draft"


def test_saving_with_htmx_swaps_the_panel_with_a_status_message_to_focus(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer")
    response = save(client, "es", message_sid(HOME), "approve", "Jubilación y 65 años", htmx=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="editor-panel"') and "<html" not in body
    panel = soup_of(response)
    message = panel.select_one("[data-focus-first]")
    assert message["role"] == "status" and "Approved" in message.get_text()
    assert panel.select_one(".review-status").get_text() == "Approved"
    # The panel carries the new version, so the next save from it is not a conflict.
    again = client.post(
        editor_path("es", message_sid(HOME)),
        data={**submitted(panel, editor_path("es", message_sid(HOME))), "action": "draft"},
        headers=HTMX_PANEL,
    )
    assert again.status_code == 200
    assert store.translation("es", MESSAGES, "", HOME).status == "draft"  # type: ignore[union-attr]


def test_save_and_go_to_next_moves_through_the_queue(as_user: Callable[[str], FlaskClient]) -> None:
    client = as_user("reviewer")
    queue = soup_of(client.get("/review/es?kind=life_experience"))
    first, second = [a["href"] for a in queue.select("tbody a")[:2]]
    page = client.get(first)
    data = submitted(soup_of(page), first.split("?")[0] + "?kind=life_experience")
    response = client.post(first, data={**data, "action": "approve+next"})
    assert response.status_code == 303 and response.headers["Location"] == second
    hx = client.post(
        second,
        data={**submitted(soup_of(client.get(second)), second), "action": "draft+next"},
        headers={"HX-Request": "true"},
    )
    assert hx.status_code == 200 and '"target": "#main-content"' in hx.headers["HX-Location"]
    # htmx then loads the next string's page into the main content: the whole main block, not a panel.
    target = hx.headers["HX-Location"].split('"path": "')[1].split('"')[0]
    loaded = client.get(target, headers={"HX-Request": "true", "HX-Target": "main-content"})
    body = loaded.get_data(as_text=True)
    assert "<html" not in body and "<h1" in body and 'id="editor-panel"' in body


@pytest.mark.parametrize(
    ("msgid", "locale", "text", "kind", "words"),
    [
        (PLACEHOLDER, "es", "Pregunta %(number)d de unas", "placeholders", "Placeholders must match"),
        ("Back", "es", "<b>Atrás", "markup", "opened and not closed"),
        (HOME, "es", HOME, "unchanged", "same as the English"),
        (HOME, "es", "Jubilación " * 40, "length", "times as long as the English"),
        (
            QUESTION,
            "es",
            "¿Cuál es la fecha de nacimiento que figura en sus documentos oficiales de identificación "
            "emitidos por autoridades gubernamentales competentes?",
            "reading",
            "Fernández-Huerta reading ease",
        ),
        (
            HOME,
            "en",
            "Getting older and nearing the age when Medicare eligibility begins",
            "reading",
            "Reading grade",
        ),
        (HOME, "en", HOME, "unchanged", "same as the current English"),
    ],
)
def test_every_check_is_shown_next_to_the_field(
    as_user: Callable[[str], FlaskClient], msgid: str, locale: str, text: str, kind: str, words: str
) -> None:
    client = as_user("reviewer_en2")
    response = save(client, locale, message_sid(msgid), "draft", text)
    assert response.status_code == 303
    soup = check_page(client.get(response.headers["Location"]))
    check = soup.select_one(f'#text-checks [data-check="{kind}"]')
    assert check is not None and words in check.get_text()
    assert "text-checks" in soup.select_one("textarea#text")["aria-describedby"].split()


def test_the_glossary_check_is_shown_next_to_the_field(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    store.save_glossary_term("es", "Social Security", "Seguro Social", "", "lead@example.gov")
    client = as_user("reviewer")
    response = save(
        client,
        "es",
        content_sid(*SUMMARY),
        "approve",
        "Puede recibir un pago mensual de la Seguridad Social.",
    )
    assert response.status_code == 303
    soup = check_page(client.get(editor_path("es", content_sid(*SUMMARY))))
    assert soup.select_one("#text-checks [data-check=glossary]") is None  # the summary does not say it
    name = content_sid("service:ssa-retirement-benefits", "name")
    save(client, "es", name, "draft", "Beneficios de jubilación de la Seguridad Social")
    soup = check_page(client.get(editor_path("es", name)))
    assert "“Social Security” is written “Seguro Social”" in soup.select_one("#text-checks").get_text()
    assert "Seguro Social" in soup.select_one(".review-context").get_text()  # terms of this text


def test_errors_block_approval_but_a_draft_is_saved(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer")
    sid = message_sid(PLACEHOLDER)
    before = store.translation("es", MESSAGES, "", PLACEHOLDER)
    refused = save(client, "es", sid, "approve", "Pregunta %(number)d")
    assert refused.status_code == 422
    soup = check_page(refused)
    summary = soup.select_one(".error-summary")
    assert summary["role"] == "alert" and summary.select_one('a[href="#text"]') is not None
    assert soup.select_one("textarea#text")["aria-invalid"] == "true"
    assert soup.select_one("textarea#text").get_text() == "Pregunta %(number)d"
    assert "Placeholders must match" in soup.select_one("#text-checks").get_text()
    assert store.translation("es", MESSAGES, "", PLACEHOLDER) == before
    drafted = save(client, "es", sid, "draft", "Pregunta %(number)d")
    assert drafted.status_code == 303
    assert store.translation("es", MESSAGES, "", PLACEHOLDER).text == "Pregunta %(number)d"  # type: ignore[union-attr]


def test_an_empty_text_is_never_saved(as_user: Callable[[str], FlaskClient], store: Store) -> None:
    client = as_user("reviewer")
    for action in ("draft", "approve"):
        response = save(client, "es", message_sid(HOME), action, "   ")
        assert response.status_code == 422
        assert "The text is empty" in check_page(response).select_one("#text-checks").get_text()
    assert store.translation("es", MESSAGES, "", HOME).text.strip()  # type: ignore[union-attr]


def test_rejecting_needs_a_comment_and_returns_the_string_to_draft(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer")
    sid = message_sid(HOME)
    save(client, "es", sid, "approve", "Jubilación y 65 años")
    no_comment = save(client, "es", sid, "reject")
    assert no_comment.status_code == 422
    assert check_page(no_comment).select_one(".error-summary a[href='#comment']") is not None
    rejected = save(client, "es", sid, "reject", comment="Use “cumplir 65 años”.")
    assert rejected.status_code == 303
    row = store.translation("es", MESSAGES, "", HOME)
    assert row is not None and row.status == "draft"
    latest = store.translation_history("es", MESSAGES, "", HOME)[0]
    assert latest["action"] == "rejected" and latest["comment"] == "Use “cumplir 65 años”."
    assert "Use “cumplir 65 años”." in text_of(client.get(editor_path("es", sid)))


def test_a_stale_save_shows_both_texts_and_overwrites_nothing(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    first, second = as_user("reviewer"), as_user("admin")
    path = editor_path("es", message_sid(HOME))
    mine = submitted(soup_of(first.get(path)), path)
    assert save(second, "es", message_sid(HOME), "approve", "Texto de la administradora").status_code == 303
    response = first.post(path, data={**mine, "text": "Mi texto", "action": "approve"})
    assert response.status_code == 409
    soup = check_page(response)
    conflict = soup.select_one(".review-conflict__texts").get_text(" ")
    assert "Texto de la administradora" in conflict and "Mi texto" in conflict
    assert "admin@example.gov" in soup.select_one(".review-conflict").get_text()
    assert store.translation("es", MESSAGES, "", HOME).text == "Texto de la administradora"  # type: ignore[union-attr]
    # The form now carries their version: saving again is a deliberate choice, and it works.
    again = first.post(path, data={**submitted(soup, path), "action": "approve"})
    assert again.status_code == 303
    assert store.translation("es", MESSAGES, "", HOME).text == "Mi texto"  # type: ignore[union-attr]


def test_a_conflict_is_found_for_a_string_someone_else_translated_first(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    first, second = as_user("reviewer_fr"), as_user("admin")
    path = editor_path("fr", content_sid(*SUMMARY))
    mine = submitted(soup_of(first.get(path)), path)
    assert mine["stamp"] == ""
    save(second, "fr", content_sid(*SUMMARY), "draft", "Le texte de l'admin")
    response = first.post(path, data={**mine, "text": "Mon texte", "action": "draft"}, headers=HTMX_PANEL)
    assert response.status_code == 409 and response.get_data(as_text=True).lstrip().startswith(
        '<div id="editor-panel"'
    )
    assert store.translation("fr", CONTENT, *SUMMARY).text == "Le texte de l'admin"  # type: ignore[union-attr]


def test_bad_input_gets_a_clear_answer_never_a_server_error(
    review_app: Flask, as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer")
    path = editor_path("es", message_sid(HOME))
    data = submitted(soup_of(client.get(path)), path)
    too_long = client.post(path, data={**data, "text": "a" * 5001, "action": "draft"})
    assert too_long.status_code == 422 and "5000 characters or fewer" in text_of(too_long)
    long_comment = client.post(path, data={**data, "comment": "c" * 1001, "action": "draft"})
    assert long_comment.status_code == 422 and "1000 characters or fewer" in text_of(long_comment)
    control = client.post(path, data={**data, "text": "a\x00b", "action": "draft"})
    assert control.status_code == 422 and "not text" in text_of(control)
    assert client.post(path, data={**data, "action": "publish"}).status_code == 400
    assert client.post(path, data={**data, "action": "draft", "extra": "x"}).status_code == 400
    repeated = client.post(
        path, data=MultiDict([*data.items(multi=True), ("text", "b"), ("action", "draft")])
    )
    assert repeated.status_code == 400
    assert client.post(path, data={**data, "action": "draft", "stamp": "s" * 500}).status_code == 400
    huge = client.post(path, data={**data, "text": "a" * 300_000, "action": "draft"})
    assert huge.status_code == 413
    assert client.post(path, data={"action": "draft", "text": "x"}).status_code == 400  # no CSRF token
    assert store.translation_history("es", MESSAGES, "", HOME) == []


def test_plural_strings_have_one_box_per_form_of_the_language(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    msgid = "It takes about %(num)d minute."
    client = as_user("reviewer")
    soup = check_page(client.get(editor_path("es", message_sid(msgid))))
    assert [t["id"] for t in soup.select("textarea.review-textarea")] == ["text-0", "text-1"]
    path = editor_path("es", message_sid(msgid))
    data = submitted(soup, path)
    data["text-0"], data["text-1"] = "Toma un minuto.", "Toma unos %(num)d minutos."
    response = client.post(path, data={**data, "action": "approve"})
    assert response.status_code == 303
    row = store.translation("es", MESSAGES, "", msgid)
    assert row is not None and row.plurals == ["Toma un minuto.", "Toma unos %(num)d minutos."]
