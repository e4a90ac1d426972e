"""The staff blueprint and its one access check, run before every staff request."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, request, url_for
from flask_babel import gettext as _

from navigator import auth
from navigator.htmx import is_htmx
from navigator.staff.forms import BadForm
from navigator.staff.rule_form import RuleFormError

bp = Blueprint("staff", __name__)
# Anyone may reach these: the sign-in page itself.
OPEN = {"staff.login"}


@bp.url_value_preprocessor
def staff_pages_are_english(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Staff pages are in English, whatever the browser asks for."""
    # The URL prefix comes first in the locale order (navigator.i18n); links from staff pages to
    # public ones pass lang_code=None so they do not carry it.
    g.lang_prefix = "en"


@bp.before_request
def check_access() -> Response | None:
    """Signed in, with a role this view allows; objects are checked again in each view."""
    user = auth.current_user()
    if request.endpoint in OPEN:
        return None
    if user is None:
        return to_login()
    view = current_app.view_functions.get(request.endpoint or "")
    if user.role not in auth.allowed_roles(view):
        from navigator.errors import error_page

        return error_page(403, _("Your role (%(role)s) cannot use this page.", role=user.role))
    return None


def to_login() -> Response:
    """Send someone who is not signed in to the sign-in page, coming back here afterwards."""
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    params: dict[str, str] = {}
    if target and auth.safe_next(target):
        params["next"] = target
    ended = g.get("staff_session_ended")
    if ended in ("idle", "expired", "disabled"):
        params["ended"] = ended
    url = url_for("staff.login", **params)
    if is_htmx():
        response = Response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)  # type: ignore[return-value]


@bp.errorhandler(BadForm)
@bp.errorhandler(RuleFormError)
def form_not_ours(exc: Exception) -> Response:
    """A form our pages would never send (unknown or repeated fields): say so, and change nothing."""
    from navigator.errors import error_page

    return error_page(400, str(exc))


@bp.app_context_processor
def staff_helpers() -> dict[str, Any]:
    """Who is signed in (only when this request already looked it up)."""
    return {"staff_user": g.get("staff_user")}
