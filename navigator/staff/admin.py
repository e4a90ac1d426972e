"""For admins: staff accounts, and the audit log of every staff action."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from navigator import auth
from navigator.db import get_store
from navigator.htmx import render
from navigator.staff.blueprint import bp
from navigator.staff.forms import Reader, check_fields, single
from services_index.accounts import MAX_EMAIL, ROLES, AccountError, User
from services_index.audit import ACTIONS, CSV_COLUMNS
from services_index.transfer import safe_cell

AUDIT_PAGE = 50


def audit_filters() -> tuple[str, str]:
    """The user and action the audit log is filtered by."""
    user = request.args.get("user", "")[:MAX_EMAIL]
    action = request.args.get("action", "")
    return user, action if action in ACTIONS else ""


@bp.get("/audit")
@auth.roles("admin")
def audit_log() -> Response:
    """Every staff action, newest first, by user and action, in pages."""
    user, action = audit_filters()
    raw = request.args.get("page", "1")
    page = max(1, int(raw)) if raw.isdigit() and len(raw) < 7 else 1
    accounts = get_store().accounts
    entries, total = accounts.audit_entries(user, action, (page - 1) * AUDIT_PAGE, AUDIT_PAGE)
    pages = max(1, math.ceil(total / AUDIT_PAGE))
    return render(
        "staff/audit.html",
        entries=entries,
        total=total,
        page=page,
        pages=pages,
        user=user,
        action=action,
        people=accounts.audit_people(),
        actions=ACTIONS,
        query_args={k: v for k, v in request.args.items() if k != "page"},
        active="audit",
    )


@bp.get("/audit.csv")
@auth.roles("admin")
def audit_csv() -> Response:
    """The audit log (with the same filters) as a CSV file."""
    user, action = audit_filters()
    entries, _total = get_store().accounts.audit_entries(user, action, 0, None)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow({k: safe_cell(str(v)) for k, v in entry.row().items()})
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/users")
@auth.roles("admin")
def users() -> Response:
    """Every staff account."""
    return render("staff/users.html", users=get_store().accounts.users(), active="users")


def user_form_context(account: User | None) -> dict[str, Any]:
    """What the account form chooses from, and its heading."""
    agencies = sorted(get_store().agencies().values(), key=lambda a: a.name)
    heading = _("Change %(email)s", email=account.email) if account else _("Add an account")
    return {
        "agency_pairs": [(a.id, f"{a.name} ({a.acronym})" if a.acronym else a.name) for a in agencies],
        "heading": heading,
    }


def read_account(form: Any, creating: bool) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The account fields of a posted form, with inline errors."""
    allowed = {"csrf_token", "role", "agencies", "locales", "password", "disabled"} | (
        {"email"} if creating else set()
    )
    check_fields(form, allowed, ())
    read = Reader(form)
    values: dict[str, Any] = {
        "role": read.text("role", _("Role"), 20),
        "agencies": read.many("agencies", _("Agencies"), get_store().agency_ids()),
        "locales": [
            x.strip() for x in read.text("locales", _("Languages"), 200).replace(",", " ").split() if x
        ],
        "disabled": read.flag("disabled"),
        "password": single(form, "password"),
    }
    if creating:
        values["email"] = read.text("email", _("Email address"), MAX_EMAIL, required=True)
    if values["role"] not in ROLES:
        read.error("role", _("Choose a role"))
    if values["password"] or creating:
        problem = auth.password_problem(values["password"], values.get("email", ""))
        if problem:
            read.error("password", problem)
    return values, read.errors


@bp.route("/users/new", methods=["GET", "POST"])
@auth.roles("admin")
def new_user() -> Response:
    """Create an account with a first password the person changes after signing in."""
    errors: list[dict[str, str]] = []
    values: dict[str, Any] = {"role": "editor", "agencies": [], "locales": []}
    if request.method == "POST":
        values, errors = read_account(request.form, creating=True)
        if not errors:
            try:
                get_store().accounts.create_user(
                    values["email"],
                    auth.hash_password(values["password"]),
                    values["role"],
                    values["agencies"],
                    values["locales"],
                    by=_signed_in().email,
                    now=auth.utcnow(),
                )
            except AccountError as exc:
                errors.append({"field": "email", "message": str(exc)})
            else:
                flash(_("Account created for %(email)s.", email=values["email"]))
                return redirect(url_for("staff.users"), code=303)  # type: ignore[return-value]
    return render(
        "staff/user_form.html",
        status=422 if errors else 200,
        errors=errors,
        values=values,
        account=None,
        active="users",
        **user_form_context(None),
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@auth.roles("admin")
def edit_user(user_id: int) -> Response:
    """Change an account's role, agencies, languages or access, or set a new password."""
    accounts = get_store().accounts
    account = accounts.user(user_id)
    if account is None:
        abort(404)
    errors: list[dict[str, str]] = []
    values: dict[str, Any] = {
        "role": account.role,
        "agencies": list(account.agencies),
        "locales": list(account.locales),
        "disabled": account.disabled,
    }
    if request.method == "POST":
        values, errors = read_account(request.form, creating=False)
        if not errors:
            me = _signed_in()
            try:
                accounts.update_user(
                    user_id,
                    values["role"],
                    values["agencies"],
                    values["locales"],
                    values["disabled"],
                    me.email,
                    auth.utcnow(),
                )
                if values["password"]:
                    accounts.set_password_hash(
                        user_id, auth.hash_password(values["password"]), me.email, auth.utcnow()
                    )
            except AccountError as exc:
                errors.append({"field": "role", "message": str(exc)})
            else:
                flash(_("Account %(email)s updated.", email=account.email))
                return redirect(url_for("staff.users"), code=303)  # type: ignore[return-value]
    return render(
        "staff/user_form.html",
        status=422 if errors else 200,
        errors=errors,
        values=values,
        account=account,
        active="users",
        **user_form_context(account),
    )


def _signed_in() -> User:
    user = auth.current_user()
    assert user is not None
    return user
