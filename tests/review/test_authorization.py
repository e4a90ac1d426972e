"""Who may use each review route: anonymous people, an editor, reviewers of Spanish and French, an admin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.review.conftest import EMAILS, HOME, add_reviewers, message_sid
from tests.staff.conftest import csrf, sign_in

ROLES = ("anonymous", "ssa_editor", "reviewer", "reviewer_fr", "admin")
SID = message_sid(HOME)
# (method, path with {locale}, endpoint, form fields); every route but the index is per language.
ROUTES = [
    ("GET", "/review/{locale}", "review.queue", {}),
    ("GET", "/review/{locale}/strings/" + SID, "review.editor", {}),
    (
        "POST",
        "/review/{locale}/strings/" + SID,
        "review.save",
        {"action": "draft", "text": "x", "stamp": "0"},
    ),
    ("GET", "/review/{locale}/strings/" + SID + "/preview", "review.preview", {}),
    ("GET", "/review/{locale}/glossary", "review.glossary", {}),
    ("POST", "/review/{locale}/glossary", "review.save_term", {"source": "", "target": ""}),
    ("POST", "/review/{locale}/glossary/delete", "review.delete_term", {"source": "nothing"}),
    ("GET", "/review/{locale}/transfer", "review.transfer", {}),
    ("GET", "/review/{locale}/export.po", "review.export", {}),
    ("POST", "/review/{locale}/import", "review.import_file", {}),
    ("POST", "/review/{locale}/import/not-a-token/apply", "review.apply_import", {}),
]
# Who may use the routes of each language.
ALLOWED = {"es": {"reviewer", "admin"}, "fr": {"reviewer_fr", "admin"}}


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from navigator import create_app

    app = create_app(
        {
            "DATABASE": str(tmp_path_factory.mktemp("review-matrix") / "navigator.db"),
            "TESTING": True,
            "SECRET_KEY": "review-matrix-secret",
        }
    )
    add_reviewers(app)
    yield app
    app.extensions["navigator.store"].close()


@pytest.fixture(scope="module")
def clients(matrix_app: Flask) -> dict[str, tuple[FlaskClient, str]]:
    """One client per role, with a CSRF token for its session."""
    found = {}
    for role in ROLES:
        client = matrix_app.test_client()
        if role != "anonymous":
            assert sign_in(client, EMAILS[role]).status_code == 303
        found[role] = (
            client,
            csrf(
                client.get("/staff/login" if role == "anonymous" else "/staff/password").get_data(
                    as_text=True
                )
            ),
        )
    return found


def test_the_matrix_covers_every_review_route(matrix_app: Flask) -> None:
    routes = {
        (method, rule.endpoint)
        for rule in matrix_app.url_map.iter_rules()
        if rule.endpoint.startswith("review.")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert routes == {(method, endpoint) for method, _, endpoint, _ in ROUTES} | {("GET", "review.index")}


def call(client: FlaskClient, token: str, method: str, path: str, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": token, **fields})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("locale", ["es", "fr"])
@pytest.mark.parametrize(
    ("method", "path", "endpoint", "fields"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_who_may_use_each_route(
    clients: dict[str, tuple[FlaskClient, str]],
    role: str,
    locale: str,
    method: str,
    path: str,
    endpoint: str,
    fields: dict[str, str],
) -> None:
    client, token = clients[role]
    response = call(client, token, method, path.format(locale=locale), fields)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body[:300]
    to_login = response.status_code in (302, 303) and response.headers["Location"].startswith("/staff/login")
    if role in ALLOWED[locale]:
        assert response.status_code != 403 and not to_login, f"{role} was refused {method} {path}"
    elif role == "anonymous":
        assert to_login, f"anonymous got {response.status_code} for {method} {path}"
    else:
        assert response.status_code == 403, f"{role} got {response.status_code} for {method} {path}"
        assert "cannot use the review pages" in body or "not a reviewer of this language" in body


@pytest.mark.parametrize("role", ROLES)
def test_the_list_of_languages_is_for_reviewers_and_admins(
    clients: dict[str, tuple[FlaskClient, str]], role: str
) -> None:
    client, _ = clients[role]
    response = client.get("/review/")
    if role == "anonymous":
        assert response.status_code == 303 and response.headers["Location"] == "/staff/login?next=/review/"
    elif role == "ssa_editor":
        assert response.status_code == 403
    else:
        assert response.status_code == 200


def test_each_reviewer_sees_only_their_languages(clients: dict[str, tuple[FlaskClient, str]]) -> None:
    spanish = clients["reviewer"][0].get("/review/").get_data(as_text=True)
    assert "/review/es" in spanish and "/review/fr" not in spanish
    admin = clients["admin"][0].get("/review/").get_data(as_text=True)
    assert all(f'href="/review/{code}"' in admin for code in ("en", "es", "fr", "zh_Hans", "ar"))


def test_a_spanish_reviewer_cannot_approve_french(
    matrix_app: Flask, clients: dict[str, tuple[FlaskClient, str]]
) -> None:
    store = matrix_app.extensions["navigator.store"]
    before = store.translation("fr", "messages", "", HOME)
    client, token = clients["reviewer"]
    stamp = store.translation_stamp("fr", "messages", "", HOME)
    response = client.post(
        f"/review/fr/strings/{SID}",
        data={"csrf_token": token, "action": "approve", "text": "Approuvé par erreur", "stamp": stamp},
    )
    assert response.status_code == 403
    assert store.translation("fr", "messages", "", HOME) == before


def test_an_unknown_language_or_string_is_not_found(clients: dict[str, tuple[FlaskClient, str]]) -> None:
    client, _ = clients["admin"]
    assert client.get("/review/xx").status_code == 404
    assert client.get("/review/es/strings/0000000000000000").status_code == 404
    assert client.get("/review/es/strings/" + "a" * 300).status_code == 404


def test_anonymous_people_are_sent_to_sign_in_and_come_back(matrix_app: Flask) -> None:
    client = matrix_app.test_client()
    response = client.get("/review/es?status=missing")
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/login?next=/review/es?status%3Dmissing"
    signed = sign_in(client, EMAILS["reviewer"], next="/review/es?status=missing")
    assert signed.headers["Location"] == "/review/es?status=missing"
