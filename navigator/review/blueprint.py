"""The review blueprint and its one access check: reviewers of the locale in the address, and admins."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, g, request

from navigator import auth
from navigator.errors import error_page
from navigator.staff.blueprint import to_login

bp = Blueprint("review", __name__)
REVIEWING = ("admin", "reviewer")


@bp.url_value_preprocessor
def review_pages_are_english(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Review pages are in English, whatever the browser asks for (previews choose their own locale)."""
    g.lang_prefix = "en"


@bp.before_request
def check_access() -> Response | None:
    """Signed in as a reviewer or admin, and allowed to review the locale in the address (if any)."""
    user = auth.current_user()
    if user is None:
        return to_login()
    if user.role not in REVIEWING:
        return error_page(403, f"Your role ({user.role}) cannot use the review pages.")
    locale = (request.view_args or {}).get("locale")
    if locale is not None:
        if locale not in current_app.config["LOCALES"]:
            abort(404)
        if not may_review(user, locale):
            return error_page(403, f"You are not a reviewer of this language ({locale}).")
    return None


def may_review(user: auth.User, locale: str) -> bool:
    """True when ``user`` may review and approve text in ``locale``."""
    return user.is_admin or (user.role == "reviewer" and locale in user.locales)


def reviewable_locales(user: auth.User) -> list[str]:
    """The configured locales this person may review, English first."""
    return [loc for loc in current_app.config["LOCALES"] if may_review(user, loc)]


def signed_in() -> auth.User:
    """The signed-in reviewer or admin (the blueprint has already checked there is one)."""
    user = auth.current_user()
    assert user is not None
    return user
