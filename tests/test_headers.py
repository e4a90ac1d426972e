"""Every route sends the security headers, with a Content-Security-Policy that has no unsafe-inline."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

REQUIRED = {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"}


def sample_urls(app: Flask) -> list[str]:
    """One concrete URL for every GET route, filling in parameters with real values."""
    values = {
        "slug": "retirement",
        "qid": "date_of_birth",
        "service_id": "snap",
        "listing": "96.002",
        "lang_code": "en",
        "filename": "css/app.css",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values.get(m.group(1), "x"), str(rule.rule))
        urls.append(url)
    return sorted(set(urls)) + ["/no-such-page", "/api/v1/no-such-thing"]


def test_every_route_sends_the_security_headers(app: Flask, client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["flow"] = {"le": ["retirement"], "a": {"date_of_birth": "1960-01-01"}, "p": ["date_of_birth"]}
    checked = 0
    for url in sample_urls(app):
        response = client.get(url)
        missing = REQUIRED - set(response.headers.keys())
        assert not missing, f"{url} is missing {missing}"
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.status_code < 500, url
        response.close()
        checked += 1
    assert checked >= 25


def test_session_cookie_flags(client: FlaskClient) -> None:
    # The first page with a form puts a CSRF token in the session, which sets the cookie.
    cookie = client.get("/life-experiences/retirement").headers.get("Set-Cookie", "")
    assert cookie.startswith("navigator=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
