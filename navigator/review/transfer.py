"""The ``.po`` round trip with outside translators: download a language, upload it back, see what changes.

An upload is only compared at first (new, changed, conflicting, unchanged strings); nothing is
written until the reviewer applies it, and a conflict is written only when they choose the file's
version of it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict
from typing import Any

from flask import Response, current_app, flash, redirect, request, url_for

from navigator.auth import utcnow
from navigator.db import get_store
from navigator.errors import error_page
from navigator.htmx import render
from navigator.i18n import from_accept_language
from navigator.review import strings
from navigator.review.blueprint import bp, signed_in
from navigator.security import allow_body
from navigator.staff.forms import BadForm, check_fields, single
from services_index import review_queue
from services_index.translations import Translation, compare_import, locale_po, read_locale_po

ENVELOPE = 64 * 1024
LANGUAGE_HEADER = re.compile(r'"Language: ([A-Za-z_@-]{1,40})\\n"')
CONFLICT_FIELD = re.compile(r"^conflict-\d{1,5}$")
APPLY_BYTES = 1024 * 1024


def import_limit() -> int:
    """The largest upload accepted, file and form together."""
    limit: int = current_app.config["MAX_IMPORT_BYTES"] + ENVELOPE
    return limit


def too_large() -> str:
    """What to tell someone whose file is over the limit."""
    megabytes = current_app.config["MAX_IMPORT_BYTES"] / (1024 * 1024)
    return (
        f"The file is larger than {megabytes:g} MB, the most we accept. Nothing was imported. "
        "Split it into smaller files, or leave out strings that did not change."
    )


def staging_owner(locale: str) -> str:
    """Who a staged upload belongs to: this person, for this language (staff imports never see it)."""
    return f"{signed_in().email}#po:{locale}"


def transfer_page(locale: str, errors: list[dict[str, str]], status: int = 200) -> Response:
    """Download and upload, with a problem next to the file input when there is one."""
    return render(
        "review/transfer.html",
        status=status,
        review_locale=locale,
        errors=errors,
        limit=current_app.config["MAX_IMPORT_BYTES"],
        active="review",
    )


@bp.get("/<locale>/transfer")
def transfer(locale: str) -> Response:
    """Export the language as a ``.po`` file, or import one."""
    return transfer_page(locale, [])


@bp.get("/<locale>/export.po")
def export(locale: str) -> Response:
    """Every public string of the language as one ``.po`` file, with contexts, notes and statuses."""
    user = signed_in()
    store = get_store()
    data = locale_po(strings.templates(), store.translations(locale), locale)
    store.accounts.audit(user.email, "export", utcnow(), "translations", locale)
    response = Response(data, mimetype="text/x-gettext-translation")
    response.headers["Content-Disposition"] = f'attachment; filename="federal-front-door-{locale}.po"'
    response.headers["Cache-Control"] = "no-store"
    return response


def language_problem(data: bytes, locale: str) -> str | None:
    """A problem when the file says it is in another of our languages."""
    found = LANGUAGE_HEADER.search(data[:4096].decode("utf-8", "replace"))
    if not found:
        return None
    named = from_accept_language([(found.group(1), 1.0)], current_app.config["LOCALES"])
    if named is not None and named != locale:
        return (
            f"The file is in another language ({found.group(1)}), not {locale}. "
            "Import it on that language's page."
        )
    return None


@bp.post("/<locale>/import")
@allow_body(import_limit, form_memory=512 * 1024, form_parts=10, too_large=too_large)
def import_file(locale: str) -> Response:
    """Compare an uploaded ``.po`` file with the strings here (nothing is written yet).

    The form memory limit is above the parser's read size: multipart parsing buffers that much at once.
    """
    try:
        check_fields(request.form, {"csrf_token"}, ())
        check_fields(request.files, {"file"}, ())  # type: ignore[arg-type]
    except BadForm as exc:
        return error_page(400, str(exc))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return transfer_page(locale, [{"field": "file", "message": "Choose a .po file to import"}], 422)
    filename = upload.filename[:200]
    if not filename.lower().endswith(".po"):
        return transfer_page(
            locale, [{"field": "file", "message": "Choose a .po file (its name ends in .po)"}], 422
        )
    limit = current_app.config["MAX_IMPORT_BYTES"]
    try:
        data = upload.stream.read(limit + 1)
    finally:
        upload.close()
    if len(data) > limit:
        return error_page(413, too_large())
    entries, problems = read_locale_po(data, locale)
    problem = None if problems else language_problem(data, locale)
    if problem:
        problems = [problem]
    if problems:
        return render(
            "review/import_report.html",
            status=422,
            review_locale=locale,
            filename=filename,
            problems=problems,
            active="review",
        )
    return report_page(locale, filename, entries)


def report_page(locale: str, filename: str, entries: list[tuple[Translation, str | None]]) -> Response:
    """What the upload would change; the changes are kept for a day until they are applied."""
    store = get_store()
    current = store.translations(locale)
    here = {(r.domain, r.context, r.field): r for r in current}
    report = compare_import(entries, current, strings.known_keys())
    sources = {s.key: s for s in strings.sources()}
    glossary = review_queue.glossary_terms(store.glossary(locale))

    def ready(entry: Translation) -> review_queue.Incoming:
        """An uploaded translation made ready to write."""
        key = (entry.domain, entry.context, entry.field)
        return review_queue.incoming(entry, sources[key], locale, glossary, here.get(key))

    new = [ready(e) for e in report.new]
    changed = [ready(e) for e in report.changed]
    conflicts = [(mine, ready(theirs)) for mine, theirs in report.conflicts]
    token = ""
    if new or changed or conflicts:
        token = secrets.token_urlsafe(16)
        staged = (
            [_staged("new", i, "") for i in new]
            + [_staged("changed", i, here[_key(i.row)].text) for i in changed]
            + [_staged("conflict", i, mine.text) for mine, i in conflicts]
        )
        store.stage_import(token, staging_owner(locale), filename, staged, {})
    return render(
        "review/import_report.html",
        review_locale=locale,
        filename=filename,
        problems=[],
        report=report,
        new=new,
        changed=changed,
        conflicts=conflicts,
        conflict_offset=len(new) + len(changed),
        sources=sources,
        token=token,
        active="review",
    )


def _key(row: Translation) -> tuple[str, str, str]:
    """What identifies a translation: domain, context and field."""
    return (row.domain, row.context, row.field)


def _staged(kind: str, item: review_queue.Incoming, expect: str) -> dict[str, Any]:
    """One change kept until the import is applied, with the text it replaces as it was then."""
    return {"kind": kind, "row": asdict(item.row), "expect": expect}


def apply_limit() -> int:
    """The apply form: one choice per conflict."""
    return APPLY_BYTES


@bp.post("/<locale>/import/<token>/apply")
@allow_body(apply_limit, form_memory=APPLY_BYTES, form_parts=10000)
def apply_import(locale: str, token: str) -> Response:
    """Write the new and changed strings, and each conflict whose file version was chosen; all or nothing."""
    store = get_store()
    staged = store.staged_import(token[:64], staging_owner(locale))
    if staged is None:
        return error_page(404, "This import was already applied, or it expired. Upload the file again.")
    try:
        check_fields(request.form, {"csrf_token"}, (CONFLICT_FIELD,))
        choices = [single(request.form, f"conflict-{i}") for i in range(len(staged["entries"]))]
    except BadForm as exc:
        return error_page(400, str(exc))
    if any(c not in ("", "here", "file") for c in choices):
        return error_page(400, "Choose this site's text or the file's text for each conflict.")
    current = {_key(r): r.text for r in store.translations(locale)}
    rows, moved, kept = chosen_rows(staged["entries"], choices, current)
    user = signed_in()
    written = store.apply_translation_import(rows, user.email, f"Imported from {staged['filename']}")
    store.drop_import(token[:64])
    store.accounts.audit(user.email, "import", utcnow(), "translations", locale, {"written": written})
    message = f"Imported {written} string{'' if written == 1 else 's'} from {staged['filename']}."
    if kept:
        message += f" Kept this site's text for {kept} conflict{'' if kept == 1 else 's'}."
    if moved:
        message += (
            f" {moved} string{' was' if moved == 1 else 's were'} changed here after the check, "
            "so the file's text was not written for them."
        )
    flash(message)
    return redirect(url_for("review.transfer", locale=locale), code=303)  # type: ignore[return-value]


def chosen_rows(
    entries: list[dict[str, Any]], choices: list[str], current: dict[tuple[str, str, str], str]
) -> tuple[list[Translation], int, int]:
    """The rows to write: new and changed ones, and conflicts resolved in favour of the file.

    Returns the rows, how many were changed here since the check (left alone), and how many
    conflicts keep this site's text.
    """
    rows: list[Translation] = []
    moved = kept = 0
    for entry, choice in zip(entries, choices, strict=True):
        if entry["kind"] == "conflict" and choice != "file":
            kept += 1
            continue
        row = Translation(**entry["row"])
        if current.get(_key(row), "") != entry["expect"]:
            moved += 1
            continue
        rows.append(row)
    return rows, moved, kept
