"""Reviewers of several languages, signed-in clients, and helpers to use the review pages like a person."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from navigator import auth
from services_index.review_queue import string_id
from services_index.store import Store
from services_index.translations import CONTENT, MESSAGES
from tests.staff.conftest import ACCOUNTS, HASH, add_accounts, csrf, sign_in
from tests.staff.forms import submitted

# Besides the staff accounts (the "reviewer" there reviews Spanish):
REVIEWERS = {
    "reviewer_fr": ("reviewer-fr@example.gov", ["fr"]),
    "reviewer_en": ("plain@example.gov", ["en"]),
    "reviewer_en2": ("plain-two@example.gov", ["en", "es"]),
}
EMAILS = {**{role: a[0] for role, a in ACCOUNTS.items()}, **{role: r[0] for role, r in REVIEWERS.items()}}
HOME = "Approaching retirement and turning 65"
# What htmx sends when the editor's form is saved in place.
HTMX_PANEL = {"HX-Request": "true", "HX-Target": "editor-panel"}
SUMMARY = ("service:ssa-retirement-benefits", "summary")


def add_reviewers(app: Flask) -> None:
    """The staff accounts, and reviewers of French and English."""
    add_accounts(app)
    accounts = app.extensions["navigator.store"].accounts
    for email, locales in REVIEWERS.values():
        accounts.create_user(email, HASH, "reviewer", [], locales, "test", auth.utcnow())


@pytest.fixture()
def review_app(app: Flask) -> Flask:
    add_reviewers(app)
    return app


@pytest.fixture()
def store(review_app: Flask) -> Store:
    return review_app.extensions["navigator.store"]  # type: ignore[no-any-return]


@pytest.fixture()
def as_user(review_app: Flask) -> Callable[[str], FlaskClient]:
    """A new client signed in as one of the accounts, by role name."""

    def make(role: str) -> FlaskClient:
        client = review_app.test_client()
        response = sign_in(client, EMAILS[role])
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        return client

    return make


def message_sid(msgid: str) -> str:
    """The review id of an interface string."""
    return string_id(MESSAGES, "", msgid)


def content_sid(context: str, field: str) -> str:
    """The review id of a field of the index."""
    return string_id(CONTENT, context, field)


def editor_path(locale: str, sid: str) -> str:
    return f"/review/{locale}/strings/{sid}"


def soup_of(response: TestResponse) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html5lib")


def save(
    client: FlaskClient,
    locale: str,
    sid: str,
    action: str,
    text: str | None = None,
    htmx: bool = False,
    **fields: str,
) -> TestResponse:
    """Open the editor, change the text (when given), and press the button for ``action``."""
    path = editor_path(locale, sid)
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    data = submitted(soup_of(page), path)
    if text is not None:
        data["text"] = text
    for name, value in fields.items():
        data[name] = value
    data["action"] = action
    headers = HTMX_PANEL if htmx else {}
    return client.post(path, data=data, headers=headers)


def token_of(client: FlaskClient, path: str = "/review/") -> str:
    return csrf(client.get(path).get_data(as_text=True))


def text_of(response: TestResponse) -> str:
    return re.sub(r"\s+", " ", soup_of(response).get_text(" "))


def start_plan(client: FlaskClient, locale: str, slug: str) -> None:
    """Start a life experience on the public site in a language, as a person would."""
    page = client.get(f"/{locale}/life-experiences/{slug}")
    response = client.post(
        f"/{locale}/life-experiences/{slug}/start",
        data={"csrf_token": csrf(page.get_data(as_text=True)), "for": "self"},
    )
    assert response.status_code == 303
