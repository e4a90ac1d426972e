"""Error pages in plain language: they say what to do, and never show a trace."""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from life_experiences.errors import DataFileError
from navigator.htmx import is_htmx, render
from navigator.i18n import gettext as _
from services_index.store import StoreError

log = logging.getLogger("navigator")


def messages(code: int) -> tuple[str, str]:
    """Title and advice for an error status."""
    table = {
        400: (
            _("We could not use that request"),
            _("Something in the request was not right. Go back and try again."),
        ),
        403: (_("You cannot see this page"), _("You do not have permission to see this page.")),
        404: (
            _("Page not found"),
            _(
                "Check the web address. If you followed a link here, go back to the home page "
                "and start again."
            ),
        ),
        405: (_("We could not use that request"), _("Go back to the page you were on and try again.")),
        413: (_("What you sent is too large"), _("Make your answer shorter and try again.")),
        429: (_("Too many tries"), _("Wait a few minutes, then try again.")),
        500: (
            _("Sorry, something went wrong on our side"),
            _("Nothing you entered was saved. Please try again in a few minutes."),
        ),
        503: (
            _("This service is not available right now"),
            _("We are working on it. Please try again later."),
        ),
    }
    return table.get(code, table[400] if 400 <= code < 500 else table[500])


def error_page(code: int, detail: str | None = None) -> Response:
    """Render the error page for a status, as JSON under /api/."""
    title, advice = messages(code)
    if request.path.startswith("/api/"):
        from flask import jsonify

        body = jsonify({"error": {"code": _api_code(code), "message": detail or advice}})
        body.status_code = code
        return body
    response = render("errors/error.html", status=code, title=title, advice=advice, detail=detail, code=code)
    if is_htmx():
        # Show the error in place of the main content, whatever the form targeted.
        response.headers["HX-Retarget"] = "#main-content"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _api_code(code: int) -> str:
    return {
        400: "bad_request",
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
        415: "unsupported_media_type",
        422: "invalid",
        503: "unavailable",
    }.get(code, "error")


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors, bad CSRF tokens, and unexpected failures."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Response:
        return error_page(
            400,
            _(
                "This form has expired or was not sent from this site. "
                "Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        allowed = sorted(getattr(exc, "valid_methods", None) or [])
        detail = _("This address accepts only %(methods)s.", methods=", ".join(allowed)) if allowed else None
        response = error_page(code, detail)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(sqlite3.OperationalError)
    def database_busy(exc: sqlite3.OperationalError) -> Response:
        # SQLite already waited (busy_timeout) before giving up.
        log.error("database unavailable on %s %s: %s", request.method, request.path, exc)
        return error_page(503, _("The service is busy. Wait a moment, then try again."))

    @app.errorhandler(StoreError)
    def store_error(exc: StoreError) -> Response:
        log.error("database unavailable: %s", exc)
        if app.config.get("READ_ONLY") and request.path.startswith(("/staff", "/review")):
            # A public node serves a read-only copy: changes are made on the primary.
            return error_page(
                503,
                "This copy of the navigator is read-only, so nothing can be changed or signed in to here. "
                "Staff and reviewers work on the primary server; ask your administrator for its address.",
            )
        return error_page(503)

    @app.errorhandler(DataFileError)
    def data_error(exc: DataFileError) -> Response:
        log.error("stored content is not valid: %s", exc)
        return error_page(503)

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError) -> Response:
        original = getattr(exc, "original_exception", None)
        # Only the type: an exception message could echo what a person typed.
        log.error("unexpected error on %s %s: %s", request.method, request.path, type(original).__name__)
        return error_page(500)
