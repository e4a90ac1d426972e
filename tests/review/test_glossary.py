"""Each language's glossary: its reviewers add, change and delete terms, and the checks use them."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from services_index.store import Store
from tests.pages import check_page
from tests.review.conftest import content_sid, editor_path, save, soup_of, text_of, token_of
from tests.staff.forms import submitted

NAME = ("service:medicare-part-a-b-enrollment", "name")


def add_term(client: FlaskClient, locale: str, source: str, target: str, note: str = ""):  # type: ignore[no-untyped-def]
    path = f"/review/{locale}/glossary"
    return client.post(
        path, data={"csrf_token": token_of(client, path), "source": source, "target": target, "note": note}
    )


def test_reviewers_add_change_and_delete_terms(as_user: Callable[[str], FlaskClient], store: Store) -> None:
    client = as_user("reviewer")
    assert add_term(client, "es", "Social Security", "Seguridad Social").status_code == 303
    assert add_term(client, "es", "Medicare", "Medicare", "A name: it stays in English").status_code == 303
    page = check_page(client.get("/review/es/glossary"))
    rows = [r.get_text(" ", strip=True) for r in page.select("tbody tr")]
    assert rows[0].startswith("Medicare Medicare A name: it stays in English reviewer@example.gov")
    assert rows[1].startswith("Social Security Seguridad Social")
    # Editing fills the form; saving the same English changes the term.
    edit = check_page(client.get("/review/es/glossary?edit=Social+Security"))
    assert edit.select_one("#source")["value"] == "Social Security"
    data = submitted(edit, "/review/es/glossary")
    data["target"] = "Seguro Social"
    assert client.post("/review/es/glossary", data=data).status_code == 303
    assert [t["target"] for t in store.glossary("es")] == ["Medicare", "Seguro Social"]
    # The first delete button is the first term's: Medicare.
    listing = soup_of(client.get("/review/es/glossary"))
    response = client.post(
        "/review/es/glossary/delete", data=submitted(listing, "/review/es/glossary/delete")
    )
    assert response.status_code == 303
    assert [t["source"] for t in store.glossary("es")] == ["Social Security"]
    assert "Deleted the term “Medicare”." in text_of(client.get("/review/es/glossary"))
    assert store.glossary("fr") == []


def test_a_term_needs_both_texts_within_limits(as_user: Callable[[str], FlaskClient], store: Store) -> None:
    client = as_user("reviewer")
    empty = add_term(client, "es", "", "")
    assert empty.status_code == 422
    soup = check_page(empty)
    assert [a["href"] for a in soup.select(".error-summary a")] == ["#source", "#target"]
    assert soup.select_one("#source")["aria-invalid"] == "true"
    long = add_term(client, "es", "x" * 201, "y", "z" * 501)
    assert long.status_code == 422 and "200 characters or fewer" in text_of(long)
    assert "500 characters or fewer" in text_of(long)
    path = "/review/es/glossary"
    token = token_of(client, path)
    assert (
        client.post(path, data={"csrf_token": token, "source": "a", "target": "b", "x": "1"}).status_code
        == 400
    )
    missing = client.post(path + "/delete", data={"csrf_token": token, "source": "Nothing here"})
    assert missing.status_code == 404
    assert store.glossary("es") == []


def test_the_checks_warn_when_a_translation_does_not_follow_the_glossary(
    as_user: Callable[[str], FlaskClient],
) -> None:
    client = as_user("reviewer")
    add_term(client, "es", "Medicare", "Medicare", "A name: it stays in English")
    save(client, "es", content_sid(*NAME), "draft", "Inscribirse en las Partes A y B de Seguro Médico")
    soup = check_page(client.get(editor_path("es", content_sid(*NAME))))
    assert "“Medicare” is written “Medicare”" in soup.select_one("#text-checks").get_text()
    save(client, "es", content_sid(*NAME), "draft", "Inscribirse en las Partes A y B de Medicare")
    soup = check_page(client.get(editor_path("es", content_sid(*NAME))))
    checks = soup.select_one("#text-checks")
    assert checks is None or "glossary" not in str(checks)


def test_a_reviewer_of_another_language_cannot_change_the_glossary(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer_fr")
    token = token_of(client, "/review/fr/glossary")
    response = client.post("/review/es/glossary", data={"csrf_token": token, "source": "a", "target": "b"})
    assert response.status_code == 403
    assert store.glossary("es") == []
