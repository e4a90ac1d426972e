"""Signing in and out, changing one's password, and the reviewers' landing page."""

from __future__ import annotations

import math

from flask import Response, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from navigator import auth
from navigator.htmx import render
from navigator.staff.blueprint import bp
from navigator.staff.forms import FormError, check_fields, text_field
from services_index import throttle
from services_index.accounts import MAX_EMAIL, account_key

ENDED = {
    "idle": lambda minutes: _(
        "You were signed out because you were not active for %(minutes)d minutes. Sign in again.",
        minutes=minutes,
    ),
    "expired": lambda minutes: _("Your session ended after 12 hours. Sign in again."),
    "disabled": lambda minutes: _("Your account has been disabled. Ask an admin if you need access."),
}


def landing(user: auth.User) -> str:
    """Where someone goes after signing in when they did not ask for a page.

    A reviewer of one language goes straight to its queue; of several, to the list of their languages.
    """
    if user.role != "reviewer":
        return url_for("staff.dashboard")
    if len(user.locales) == 1:
        return url_for("review.queue", locale=user.locales[0])
    return url_for("review.index")


def wait_message(seconds: int, locked: bool) -> str:
    """Plain words for how long to wait before trying again."""
    if locked:
        minutes = max(1, math.ceil(seconds / 60))
        return ngettext(
            "Sign-in is locked after too many failed tries. Try again in %(num)d minute, "
            "or ask an admin to reset your password.",
            "Sign-in is locked after too many failed tries. Try again in %(num)d minutes, "
            "or ask an admin to reset your password.",
            minutes,
        )
    return ngettext(
        "Wait %(num)d second before you try again.", "Wait %(num)d seconds before you try again.", seconds
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    """Sign in with email and password; throttled after failures."""
    user = auth.current_user()
    target = auth.safe_next(request.values.get("next"))
    if user is not None and request.method == "GET":
        return redirect(target or landing(user), code=303)  # type: ignore[return-value]
    errors: list[dict[str, str]] = []
    notice = ""
    ended = request.args.get("ended", "")
    if ended in ENDED:
        notice = ENDED[ended](current_app.config["STAFF_IDLE_MINUTES"])
    email = ""
    status = 200
    if request.method == "POST":
        check_fields(request.form, {"csrf_token", "email", "password", "next"}, ())
        try:
            email = text_field(request.form, "email", MAX_EMAIL, _("Email address"))
            password = text_field(request.form, "password", auth.MAX_PASSWORD, _("Password"), strip=False)
        except FormError as exc:
            errors.append({"field": exc.field, "message": exc.message})
            password = ""
        if not errors and (not email or not password):
            errors.append(
                {
                    "field": "email" if not email else "password",
                    "message": _("Enter your email address and password"),
                }
            )
        if not errors:
            result = auth.sign_in(email, password, request.remote_addr or "unknown")
            if result.user is not None:
                response = redirect(target or landing(result.user), code=303)
                auth.set_session_cookie(response, result.token)  # type: ignore[arg-type]
                return response  # type: ignore[return-value]
            if result.problem == "throttled":
                status = 429
                errors.append({"field": "email", "message": wait_message(result.wait_seconds, result.locked)})
            else:
                status = 401
                message = _("The email address or password is not right.")
                if result.wait_seconds:
                    message += " " + wait_message(result.wait_seconds, result.locked)
                errors.append({"field": "email", "message": message})
        else:
            status = 422
    return render(
        "staff/login.html", status=status, errors=errors, email=email, next=target or "", notice=notice
    )


@bp.route("/logout", methods=["POST"])
@auth.roles(*auth.ANY_ROLE)
def logout() -> Response:
    """Sign out: the session ends on the server too."""
    check_fields(request.form, {"csrf_token"}, ())
    response = redirect(url_for("staff.login"), code=303)
    auth.sign_out(response)  # type: ignore[arg-type]
    flash(_("You have signed out."))
    return response  # type: ignore[return-value]


@bp.route("/welcome")
@auth.roles(*auth.ANY_ROLE)
def welcome() -> Response:
    """The old landing page of reviewers: each person's starting page now."""
    user = auth.current_user()
    assert user is not None
    return redirect(landing(user), code=303)  # type: ignore[return-value]


@bp.route("/password", methods=["GET", "POST"])
@auth.roles(*auth.ANY_ROLE)
def password() -> Response:
    """Change one's own password (the current one is needed; other sessions end)."""
    user = auth.current_user()
    assert user is not None
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        check_fields(request.form, {"csrf_token", "current", "new", "again"}, ())
        try:
            current = text_field(
                request.form, "current", auth.MAX_PASSWORD, _("Current password"), strip=False
            )
            new = text_field(request.form, "new", auth.MAX_PASSWORD + 1, _("New password"), strip=False)
            again = text_field(
                request.form, "again", auth.MAX_PASSWORD + 1, _("New password again"), strip=False
            )
        except FormError as exc:
            errors.append({"field": exc.field, "message": exc.message})
            current = new = again = ""
        now = auth.utcnow()
        key = account_key(user.email)
        if not errors:
            verdict = throttle.verdict(auth.accounts().attempts(key), now, throttle.ACCOUNT)
            if not verdict.allowed:
                errors.append(
                    {"field": "current", "message": wait_message(verdict.wait_seconds, verdict.locked)}
                )
                status = 429
            elif not auth.check_password(user, current):
                auth.accounts().record_failure(
                    {key: throttle.ACCOUNT}, user.email, now, "wrong current password when changing it"
                )
                errors.append({"field": "current", "message": _("Your current password is not right")})
        if not errors:
            problem = auth.password_problem(new, user.email)
            if problem:
                errors.append({"field": "new", "message": problem})
            elif new != again:
                errors.append({"field": "again", "message": _("The new passwords do not match")})
        if not errors:
            auth.accounts().set_password_hash(
                user.id,
                auth.hash_password(new),
                user.email,
                now,
                action="password_change",
                keep_session=g.get("staff_token_hash"),
            )
            flash(_("Your password has been changed. Your other sessions have ended."))
            return redirect(landing(user), code=303)  # type: ignore[return-value]
        status = status if status != 200 else 422
    return render("staff/password.html", status=status, errors=errors)
