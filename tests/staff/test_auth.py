"""Signing in and out: argon2 passwords, cookie flags, throttling, idle timeout, safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from navigator import auth
from services_index import throttle
from services_index.accounts import account_key
from tests.pages import check_page
from tests.staff.conftest import ACCOUNTS, PASSWORD, csrf, form_token, sign_in

EDITOR = ACCOUNTS["ssa_editor"][0]


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = auth.utcnow()

    def __call__(self) -> object:
        return self.now

    def advance(self, **span: float) -> None:
        self.now += timedelta(**span)


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(auth, "utcnow", found)
    return found


def audit_actions(app: Flask) -> list[str]:
    entries, _ = app.extensions["navigator.store"].accounts.audit_entries()
    return [e.action for e in entries]


def test_sign_in_page_meets_the_page_rules(staff_app: Flask) -> None:
    soup = check_page(staff_app.test_client().get("/staff/login"))
    assert soup.find("h1").get_text(strip=True) == "Sign in to the staff workspace"
    assert soup.find("input", attrs={"name": "password", "type": "password"})


def test_passwords_are_kept_as_argon2_hashes(staff_app: Flask) -> None:
    db = staff_app.extensions["navigator.store"].connect()
    hashes = [r[0] for r in db.execute("SELECT password_hash FROM users").fetchall()]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)


def test_an_editor_signs_in_and_out_and_the_old_cookie_stops_working(staff_app: Flask) -> None:
    client = staff_app.test_client()
    response = sign_in(client, EDITOR)
    assert response.status_code == 303 and response.headers["Location"] == "/staff/"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("navigator_staff="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    page = client.get("/staff/")
    assert page.status_code == 200 and "Signed in as editor@ssa.example.gov" in page.get_data(as_text=True)
    out = client.post("/staff/logout", data={"csrf_token": csrf(page.get_data(as_text=True))})
    assert out.status_code == 303 and out.headers["Location"] == "/staff/login"
    assert any(c.startswith("navigator_staff=;") for c in out.headers.getlist("Set-Cookie"))
    replay = staff_app.test_client()
    replay.set_cookie("navigator_staff", token)
    assert replay.get("/staff/").status_code == 303
    assert {"login", "logout"} <= set(audit_actions(staff_app))


def test_the_staff_cookie_is_secure_behind_https(staff_app: Flask) -> None:
    staff_app.config["SESSION_COOKIE_SECURE"] = True
    response = sign_in(staff_app.test_client(), EDITOR)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("navigator_staff="))
    assert "Secure" in cookie


def test_a_wrong_password_says_so_without_saying_which_part(staff_app: Flask) -> None:
    client = staff_app.test_client()
    for email in (EDITOR, "nobody@example.gov"):
        response = sign_in(client, email, "not the password")
        assert response.status_code == 401
        soup = check_page(response)
        assert "The email address or password is not right." in soup.select_one(".error-summary").get_text()
    assert audit_actions(staff_app).count("login_failed") == 2


def test_failures_slow_down_then_lock_the_account(staff_app: Flask, clock: Clock) -> None:
    client = staff_app.test_client()
    for _ in range(throttle.ACCOUNT.free_failures):
        assert sign_in(client, EDITOR, "wrong").status_code == 401
        clock.advance(seconds=1)
    # Now each try must wait, even with the right password.
    assert sign_in(client, EDITOR, "wrong").status_code == 401
    too_soon = sign_in(client, EDITOR)
    assert too_soon.status_code == 429 and "Wait 2 seconds" in too_soon.get_data(as_text=True)
    for _ in range(throttle.ACCOUNT.lock_after - throttle.ACCOUNT.free_failures - 1):
        clock.advance(seconds=throttle.ACCOUNT.max_delay_seconds)
        sign_in(client, EDITOR, "wrong")
    clock.advance(seconds=throttle.ACCOUNT.max_delay_seconds)
    locked = sign_in(client, EDITOR)
    assert locked.status_code == 429 and "Sign-in is locked" in locked.get_data(as_text=True)
    clock.advance(minutes=throttle.ACCOUNT.lock_minutes)
    assert sign_in(client, EDITOR).status_code == 303


def test_failures_from_one_client_lock_it_for_every_account(
    staff_app: Flask, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "CLIENT", throttle.Policy(free_failures=2, lock_after=3))
    client = staff_app.test_client()
    for n in range(3):
        assert sign_in(client, f"guess{n}@example.gov", "wrong").status_code == 401
        clock.advance(seconds=5)
    refused = sign_in(client, EDITOR)
    assert refused.status_code == 429 and "locked" in refused.get_data(as_text=True)
    keys = [
        r[0]
        for r in staff_app.extensions["navigator.store"].connect().execute("SELECT key FROM login_attempts")
    ]
    clients = [k for k in keys if k.startswith("client:")]
    # The client's address is never stored, only a keyed hash of it.
    assert len(clients) == 1 and "127.0.0.1" not in clients[0]


def test_a_session_ends_after_the_idle_time(staff_app: Flask, clock: Clock) -> None:
    client = staff_app.test_client()
    sign_in(client, EDITOR)
    clock.advance(minutes=20)
    assert client.get("/staff/services").status_code == 200
    clock.advance(minutes=20)
    assert client.get("/staff/services").status_code == 200  # 20 minutes since the last request
    clock.advance(minutes=31)
    response = client.get("/staff/services?q=snap")
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/login?next=/staff/services?q%3Dsnap&ended=idle"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "not active for 30 minutes" in page
    assert "logout" in audit_actions(staff_app)


def test_the_idle_time_is_configurable(staff_app: Flask, clock: Clock) -> None:
    staff_app.config["STAFF_IDLE_MINUTES"] = 5
    client = staff_app.test_client()
    sign_in(client, EDITOR)
    clock.advance(minutes=6)
    assert client.get("/staff/").status_code == 303


@pytest.mark.parametrize(
    ("target", "lands"),
    [
        ("/staff/services?q=snap", "/staff/services?q=snap"),
        ("/review/queue", "/review/queue"),
        ("//evil.example/staff", "/staff/"),
        ("https://evil.example/staff", "/staff/"),
        ("/\\evil.example", "/staff/"),
        ("/plan", "/staff/"),
        ("/staff/../plan", "/staff/"),
        ("/staffer", "/staff/"),
        ("javascript:alert(1)", "/staff/"),
    ],
)
def test_after_sign_in_only_local_staff_and_review_pages_are_followed(
    staff_app: Flask, target: str, lands: str
) -> None:
    response = sign_in(staff_app.test_client(), EDITOR, next=target)
    assert response.status_code == 303 and response.headers["Location"] == lands


def test_a_reviewer_lands_on_the_review_queue_of_their_language(staff_app: Flask) -> None:
    client = staff_app.test_client()
    response = sign_in(client, ACCOUNTS["reviewer"][0])
    assert response.headers["Location"] == "/review/es"
    soup = check_page(client.get("/review/es"))
    assert "review queue" in soup.find("h1").get_text()
    # The old landing page sends reviewers on to their queue too.
    assert client.get("/staff/welcome").headers["Location"] == "/review/es"
    assert client.get("/staff/services").status_code == 403


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(
    staff_app: Flask, signed_in: Callable[[str], FlaskClient]
) -> None:
    editor = signed_in("ssa_editor")
    accounts = staff_app.extensions["navigator.store"].accounts
    user, _ = accounts.user_by_email(EDITOR)
    accounts.update_user(user.id, "editor", ["ssa"], [], True, "test", auth.utcnow())
    assert editor.get("/staff/").status_code == 303
    assert sign_in(staff_app.test_client(), EDITOR).status_code == 401


def test_changing_the_password_ends_other_sessions(
    staff_app: Flask, signed_in: Callable[[str], FlaskClient]
) -> None:
    here = signed_in("ssa_editor")
    elsewhere = signed_in("ssa_editor")
    token = form_token(here)
    fields = {
        "csrf_token": token,
        "current": PASSWORD,
        "new": "a brand new long passphrase",
        "again": "different",
    }
    mismatch = here.post("/staff/password", data=fields)
    assert mismatch.status_code == 422 and "do not match" in mismatch.get_data(as_text=True)
    wrong = here.post("/staff/password", data={**fields, "current": "nope", "again": fields["new"]})
    assert wrong.status_code == 422 and "current password is not right" in wrong.get_data(as_text=True)
    short = here.post("/staff/password", data={**fields, "new": "short", "again": "short"})
    assert short.status_code == 422 and "at least 12 characters" in short.get_data(as_text=True)
    done = here.post("/staff/password", data={**fields, "again": fields["new"]})
    assert done.status_code == 303
    assert here.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 303
    assert sign_in(staff_app.test_client(), EDITOR, "a brand new long passphrase").status_code == 303
    assert "password_change" in audit_actions(staff_app)


def test_safe_next_accepts_only_local_paths_under_staff_or_review() -> None:
    assert auth.safe_next("/staff") == "/staff"
    assert auth.safe_next("/review/es") == "/review/es"
    for bad in (
        None,
        "",
        "staff",
        "//x",
        "/x",
        "/staff\r\nSet-Cookie: a=b",
        "/staff/\x00",
        "/staff/" + "a" * 600,
    ):
        assert auth.safe_next(bad) is None, bad


def test_old_sessions_and_old_failures_are_not_kept(staff_app: Flask, clock: Clock) -> None:
    db = staff_app.extensions["navigator.store"].connect()
    sign_in(staff_app.test_client(), EDITOR)
    sign_in(staff_app.test_client(), "someone@example.gov", "wrong")
    clock.advance(days=2)
    sign_in(staff_app.test_client(), "another@example.gov", "wrong")
    sign_in(staff_app.test_client(), EDITOR)
    assert db.execute("SELECT count(*) FROM staff_sessions").fetchone()[0] == 1
    keys = [r[0] for r in db.execute("SELECT key FROM login_attempts").fetchall()]
    assert account_key("someone@example.gov") not in keys and account_key("another@example.gov") in keys
    assert not any("example.gov" in k for k in keys)


def test_an_htmx_request_without_a_session_is_sent_to_sign_in(staff_app: Flask) -> None:
    client = staff_app.test_client()
    token = csrf(client.get("/staff/login").get_data(as_text=True))
    response = client.post(
        "/staff/reading-grade", data={"summary": "Hi."}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/staff/login")
