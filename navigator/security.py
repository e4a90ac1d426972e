"""Security headers, and a session that notices a tampered cookie instead of ignoring it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class CheckedSession(SecureCookieSession):
    """A session that remembers whether its cookie failed the signature check."""

    tampered = False


class PlainJSON:
    """Session values are plain JSON (lists, text, numbers): no type tags to scan on every request."""

    @staticmethod
    def dumps(value: Any) -> str:
        """Compact JSON."""
        return json.dumps(value, separators=(",", ":"), ensure_ascii=True)

    @staticmethod
    def loads(text: str | bytes) -> Any:
        """Parse JSON."""
        return json.loads(text)


class CheckedSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions; a bad signature is flagged so the app can say so."""

    session_class = CheckedSession
    serializer = PlainJSON()  # type: ignore[assignment]
    _signers: dict[tuple[int, str], Any]

    def get_signing_serializer(self, app: Flask) -> Any:
        """The signing serializer, made once per app and key (it derives its key with HMAC)."""
        if not app.secret_key:
            return None
        cache = self.__dict__.setdefault("_signers", {})
        key = (id(app), str(app.secret_key))
        found = cache.get(key)
        if found is None:
            found = cache[key] = super().get_signing_serializer(app)
        return found

    def open_session(self, app: Flask, request: Any) -> CheckedSession | None:
        """Load the session from its cookie, flagging a signature that does not match."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            return self.session_class(serializer.loads(value, max_age=max_age))
        except SignatureExpired:
            return self.session_class()
        except BadSignature:
            session = self.session_class()
            session.tampered = True
            return session


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON text without a raw <, > or &, so text that staff typed can never become markup."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Standard JSON, with those three characters written as \\u escapes (the values are unchanged)."""
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def add_headers(response: Response) -> Response:
    """Send the security headers on every response."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def csrf_token() -> str:
    """The CSRF token for this request's forms, made once per request (pages have many forms)."""
    from flask import g
    from flask_wtf.csrf import generate_csrf

    token: str | None = g.get("_csrf_for_forms")
    if token is None:
        token = g._csrf_for_forms = generate_csrf()
    return token


F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class BodyLimits:
    """How large a request to one view may be, and what to tell someone who sends more."""

    max_bytes: Callable[[], int]
    form_memory: int
    form_parts: int
    too_large: Callable[[], str] | None = None


def allow_body(
    max_bytes: Callable[[], int],
    # Werkzeug reads multipart bodies in 64 KiB chunks, so this must be well above that.
    form_memory: int = 256 * 1024,
    form_parts: int = 50,
    too_large: Callable[[], str] | None = None,
) -> Callable[[F], F]:
    """Let a view take a larger body than the app-wide limit (staff forms, file uploads)."""

    def mark(view: F) -> F:
        view.body_limits = BodyLimits(max_bytes, form_memory, form_parts, too_large)  # type: ignore[attr-defined]
        return view

    return mark


def apply_body_limits() -> Response | None:
    """Before anything reads the body (CSRF included), apply the view's own limits.

    A body that says it is too large is refused at once with a page that explains the limit.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    limits: BodyLimits | None = getattr(view, "body_limits", None)
    if limits is None:
        return None
    size = limits.max_bytes()
    request.max_content_length = size
    request.max_form_memory_size = limits.form_memory
    request.max_form_parts = limits.form_parts
    if request.content_length is not None and request.content_length > size:
        from navigator.errors import error_page

        return error_page(413, limits.too_large() if limits.too_large else None)
    return None
