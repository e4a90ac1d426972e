"""Import and export of entries: downloads, and uploads checked in a dry run before they apply."""

from __future__ import annotations

import secrets

from flask import Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from navigator import auth
from navigator.db import get_store
from navigator.errors import error_page
from navigator.htmx import render
from navigator.security import allow_body
from navigator.staff.blueprint import bp
from navigator.staff.forms import check_fields, single
from services_index import transfer
from services_index.editing import Conflict, EditError
from services_index.store import now

# Room for the form fields and multipart headers around the file itself.
ENVELOPE = 64 * 1024


def import_limit() -> int:
    """The largest upload accepted, file and form together."""
    limit: int = current_app.config["MAX_IMPORT_BYTES"] + ENVELOPE
    return limit


def too_large() -> str:
    """What to tell someone whose file is over the limit."""
    megabytes = current_app.config["MAX_IMPORT_BYTES"] / (1024 * 1024)
    return _(
        "The file is larger than %(size)s MB, the most we accept. Split it into smaller files "
        "and import them one at a time.",
        size=f"{megabytes:g}",
    )


def signed_in() -> auth.User:
    """The signed-in staff member."""
    user = auth.current_user()
    assert user is not None
    return user


@bp.get("/transfer")
@auth.roles(*auth.EDITING)
def transfer_page() -> Response:
    """Download entries, or upload a file to import."""
    return render(
        "staff/transfer.html",
        errors=[],
        limit=current_app.config["MAX_IMPORT_BYTES"],
        columns=transfer.CSV_COLUMNS,
        active="transfer",
    )


@bp.get("/export.<fmt>")
@auth.roles(*auth.EDITING)
def export(fmt: str) -> Response:
    """The published entries (or all, with ``scope=all``) this person may edit, as JSON or CSV."""
    if fmt not in ("json", "csv"):
        return error_page(404)
    scope = "all" if request.args.get("scope") == "all" else "published"
    user = signed_in()
    store = get_store()
    visible = [e for e in store.staff_entries() if user.can_edit_agency(e.agency)]
    found = transfer.records(visible, store.published_data(), scope)
    stamp = now()
    store.accounts.audit(
        user.email, "export", auth.utcnow(), "file", fmt, {"scope": scope, "entries": len(found)}
    )
    if fmt == "json":
        response = Response(transfer.to_json(found, scope, stamp), mimetype="application/json")
    else:
        response = Response(transfer.to_csv(found), mimetype="text/csv")
    day = stamp[:10]
    response.headers["Content-Disposition"] = f'attachment; filename="services-{scope}-{day}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/import")
@auth.roles(*auth.EDITING)
@allow_body(import_limit, form_memory=1024 * 1024, form_parts=10, too_large=too_large)
def import_file() -> Response:
    """Check an uploaded file and show what importing it would change (a dry run: nothing is written)."""
    user = signed_in()
    store = get_store()
    check_fields(request.form, {"csrf_token"}, ())
    check_fields(request.files, {"file"}, ())  # type: ignore[arg-type]
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return transfer_error([{"field": "file", "message": _("Choose a JSON or CSV file to import")}])
    limit = current_app.config["MAX_IMPORT_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        return error_page(413, too_large())
    rows, problems = transfer.read(data, upload.filename)
    current = {e.id: e for e in store.staff_entries()}
    result = transfer.plan(rows, current, store.entry_problems, auth.editable_agencies(user))
    result.problems = problems + result.problems
    token = ""
    if not result.problems and (result.added or result.changed):
        token = secrets.token_urlsafe(16)
        store.stage_import(token, user.email, upload.filename[:200], result.entries, result.bases)
    return render(
        "staff/import_report.html",
        status=422 if result.problems else 200,
        report=result,
        filename=upload.filename[:200],
        token=token,
        active="transfer",
    )


def transfer_error(errors: list[dict[str, str]]) -> Response:
    """The import page again with a problem next to the file input."""
    return render(
        "staff/transfer.html",
        status=422,
        errors=errors,
        limit=current_app.config["MAX_IMPORT_BYTES"],
        columns=transfer.CSV_COLUMNS,
        active="transfer",
    )


@bp.post("/import/<token>/apply")
@auth.roles(*auth.EDITING)
def apply_import(token: str) -> Response:
    """Apply a checked import: every entry as a new revision, all in one transaction, or nothing."""
    user = signed_in()
    store = get_store()
    staged = store.staged_import(token[:64], user.email)
    if staged is None:
        return error_page(
            404, _("This import was already applied, or it expired. Upload the file again to check it.")
        )
    check_fields(request.form, {"csrf_token", "publish"}, ())
    publish = single(request.form, "publish") == "yes"
    note = _("Imported from %(file)s", file=staged["filename"])
    try:
        results = store.import_services(staged["entries"], staged["bases"], user.email, note, publish)
    except Conflict as conflict:
        return error_page(
            409,
            _(
                "The entry %(id)s changed after you checked the file, so nothing was imported. "
                "Upload the file again to see what it would change now.",
                id=conflict.service_id,
            ),
        )
    except EditError as exc:
        return error_page(422, str(exc))
    store.drop_import(token)
    saved = sum(1 for r in results if r.saved)
    flash(
        _("Imported %(count)d entries, each as a new revision.", count=saved)
        + (" " + _("They are published.") if publish else " " + _("Publish them when they are ready."))
    )
    return redirect(url_for("staff.transfer_page"), code=303)  # type: ignore[return-value]
