"""Security headers, and a session that notices a tampered cookie instead of ignoring it."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
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


class CheckedSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions; a bad signature is flagged so the app can say so."""

    session_class = CheckedSession

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
