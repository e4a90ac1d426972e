"""Staff accounts for every role, and clients signed in as each."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from navigator import auth

PASSWORD = "correct horse battery staple"
# Hashed once: argon2 is slow on purpose.
HASH = auth.hash_password(PASSWORD)
ACCOUNTS = {
    "admin": ("admin@example.gov", "admin", [], []),
    "ssa_editor": ("editor@ssa.example.gov", "editor", ["ssa"], []),
    "va_editor": ("editor@va.example.gov", "editor", ["va"], []),
    "reviewer": ("reviewer@example.gov", "reviewer", [], ["es"]),
}


def add_accounts(app: Flask) -> None:
    """Create one account per role in the app's database."""
    accounts = app.extensions["navigator.store"].accounts
    for email, role, agencies, locales in ACCOUNTS.values():
        accounts.create_user(email, HASH, role, agencies, locales, "test", auth.utcnow())


def csrf(page: str) -> str:
    """The CSRF token in a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **extra: str) -> TestResponse:
    """Sign in through the form, as a person would."""
    token = csrf(client.get("/staff/login").get_data(as_text=True))
    return client.post(
        "/staff/login", data={"csrf_token": token, "email": email, "password": password, **extra}
    )


@pytest.fixture()
def staff_app(app: Flask) -> Flask:
    add_accounts(app)
    return app


@pytest.fixture()
def signed_in(staff_app: Flask) -> Callable[[str], FlaskClient]:
    """A new client signed in as one of the ACCOUNTS."""

    def make(role: str) -> FlaskClient:
        client = staff_app.test_client()
        response = sign_in(client, ACCOUNTS[role][0])
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return client

    return make


def form_token(client: FlaskClient, path: str = "/staff/password") -> str:
    """A CSRF token for this client's session."""
    return csrf(client.get(path).get_data(as_text=True))
