"""Staff accounts in the web app: argon2 passwords, throttled sign-in, sessions that time out, roles.

A signed-in session is a random token in an HttpOnly cookie; the database keeps only its hash,
when it started and when it was last used. Signing out, disabling an account or changing its
password ends sessions on the server, not just in the browser.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Response, abort, current_app, g, request

from navigator.db import get_store
from services_index import throttle
from services_index.accounts import Accounts, User, account_key
from services_index.editing import StaffEntry

COOKIE = "navigator_staff"
MIN_PASSWORD = 12
MAX_PASSWORD = 256
# A session ends after this long however active it is; the idle limit is configurable.
MAX_SESSION = timedelta(hours=12)
# Record activity at most this often, so reading pages does not write on every request.
TOUCH_EVERY = timedelta(seconds=60)
EDITING = ("admin", "editor")
ANY_ROLE = ("admin", "editor", "reviewer")
SAFE_NEXT = ("/staff", "/review")

hasher = PasswordHasher()
# Checked when the account does not exist, so a wrong email takes as long as a wrong password.
_DUMMY_HASH: list[str] = []


def dummy_hash() -> str:
    """A hash to check when the account does not exist, made on first need (argon2 takes 64 MiB)."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hasher.hash(secrets.token_hex(16)))
    return _DUMMY_HASH[0]


F = TypeVar("F", bound=Callable[..., Any])


def utcnow() -> datetime:
    """The current time in UTC (tests replace it to move the clock)."""
    return datetime.now(UTC)


def accounts() -> Accounts:
    """The account store."""
    return get_store().accounts


def hash_password(password: str) -> str:
    """An argon2id hash of a password."""
    return hasher.hash(password)


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password cannot be used, or None."""
    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"Use {MAX_PASSWORD} characters or fewer"
    if email and password.strip().lower() == email.strip().lower():
        return "Do not use your email address as your password"
    return None


def token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_key(address: str, secret: str) -> str:
    """The throttle key of a client: a keyed hash, so its address is never stored."""
    digest = hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()
    return "client:" + digest[:32]


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: a session token, or why not (and how long to wait)."""

    user: User | None = None
    token: str = ""
    problem: str = ""
    wait_seconds: int = 0
    locked: bool = False


def sign_in(email: str, password: str, address: str) -> SignIn:
    """Check a sign-in against throttling and the password; start a session when it succeeds."""
    store = accounts()
    now = utcnow()
    keys = {
        account_key(email): throttle.ACCOUNT,
        client_key(address, current_app.config["SECRET_KEY"]): throttle.CLIENT,
    }
    for key, policy in keys.items():
        verdict = throttle.verdict(store.attempts(key), now, policy)
        if not verdict.allowed:
            return SignIn(problem="throttled", wait_seconds=verdict.wait_seconds, locked=verdict.locked)
    found = store.user_by_email(email)
    user, stored = found if found else (None, dummy_hash())
    if not _verify(stored, password) or user is None or user.disabled:
        reason = (
            "no such account" if user is None else "account disabled" if user.disabled else "wrong password"
        )
        updated = store.record_failure(keys, user.email if user else "", now, reason)
        worst = max(
            (throttle.verdict(a, now, keys[k]) for k, a in updated.items()),
            key=lambda v: (v.locked, v.wait_seconds),
        )
        return SignIn(problem="wrong", wait_seconds=worst.wait_seconds, locked=worst.locked)
    if hasher.check_needs_rehash(stored):
        store.rehash(user.id, hash_password(password))
    token = secrets.token_urlsafe(32)
    store.start_session(user, token_hash(token), now)
    return SignIn(user=user, token=token)


def check_password(user: User, password: str) -> bool:
    """True when ``password`` is this account's password."""
    found = accounts().user_by_email(user.email)
    return found is not None and _verify(found[1], password)


def _verify(stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def current_user() -> User | None:
    """The signed-in staff member for this request, or None (looked up once per request)."""
    if "staff_user" in g:
        found: User | None = g.staff_user
        return found
    g.staff_user = None
    g.staff_session_ended = ""
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 200:
        return None
    hashed = token_hash(token)
    session = accounts().session(hashed)
    if session is None:
        g.staff_session_ended = "unknown"
        return None
    now = utcnow()
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    reason = ""
    if session.user.disabled:
        reason = "disabled"
    elif now - session.last_seen_at > idle:
        reason = "idle"
    elif now - session.created_at > MAX_SESSION:
        reason = "expired"
    if reason:
        accounts().end_session(hashed, session.user.email, now, reason)
        g.staff_session_ended = reason
        return None
    if now - session.last_seen_at > TOUCH_EVERY:
        accounts().touch_session(hashed, now)
    g.staff_user = session.user
    g.staff_token_hash = hashed
    return session.user


def set_session_cookie(response: Response, token: str) -> None:
    """Give the browser its session token: HttpOnly, SameSite=Strict, Secure behind HTTPS."""
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        path="/",
    )


def sign_out(response: Response) -> None:
    """End this request's session on the server and in the browser."""
    user = current_user()
    hashed = g.get("staff_token_hash")
    if user is not None and hashed:
        accounts().end_session(hashed, user.email, utcnow())
    response.delete_cookie(COOKIE, path="/", samesite="Strict", httponly=True)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a local path under /staff or /review, else None (no open redirects)."""
    if not target or len(target) > 500 or not target.startswith("/") or target.startswith("//"):
        return None
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or ".." in parts.path.split("/"):
        return None
    if not any(parts.path == root or parts.path.startswith(root + "/") for root in SAFE_NEXT):
        return None
    return target


def roles(*allowed: str) -> Callable[[F], F]:
    """Mark which roles may use a staff view; the blueprint checks it before every request."""

    def mark(view: F) -> F:
        view.staff_roles = allowed  # type: ignore[attr-defined]
        return view

    return mark


def allowed_roles(view: Callable[..., Any] | None) -> tuple[str, ...]:
    """The roles a view allows; views not marked are for admins only, so a forgotten mark fails closed."""
    found: tuple[str, ...] = getattr(view, "staff_roles", ("admin",))
    return found


def require_can_edit(user: User, entry: StaffEntry | str) -> None:
    """Stop with 403 unless ``user`` may see and change this entry (or entries of this agency)."""
    agency = entry if isinstance(entry, str) else entry.agency
    if not user.can_edit_agency(agency):
        abort(403)


def editable_agencies(user: User) -> set[str] | None:
    """The agencies whose entries this person may change (None: every agency)."""
    return None if user.is_admin else set(user.agencies) if user.role == "editor" else set()
