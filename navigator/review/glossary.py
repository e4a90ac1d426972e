"""Each language's glossary, kept by its reviewers: "Social Security" is written "Seguro Social"."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for

from navigator.auth import utcnow
from navigator.db import get_store
from navigator.errors import error_page
from navigator.htmx import render
from navigator.review.blueprint import bp, signed_in
from navigator.staff.forms import BadForm, Reader, check_fields

MAX_TERM = 200
MAX_NOTE = 500


def page(locale: str, values: dict[str, str], errors: list[dict[str, str]], status: int = 200) -> Response:
    """The glossary with its form (filled in to edit a term, or with errors)."""
    return render(
        "review/glossary.html",
        status=status,
        review_locale=locale,
        terms=get_store().glossary(locale),
        values=values,
        errors=errors,
        active="review",
    )


@bp.get("/<locale>/glossary")
def glossary(locale: str) -> Response:
    """Every term of the language's glossary; ``?edit=<term>`` fills the form with one of them."""
    chosen = request.args.get("edit", "")[:MAX_TERM]
    found = next((t for t in get_store().glossary(locale) if t["source"] == chosen), None)
    values = {k: found[k] or "" for k in ("source", "target", "note")} if found else {}
    return page(locale, values, [])


@bp.post("/<locale>/glossary")
def save_term(locale: str) -> Response:
    """Add a term, or change the one with the same English."""
    try:
        check_fields(request.form, {"csrf_token", "source", "target", "note"}, ())
        reader = Reader(request.form)
        source = reader.text("source", "The English term", MAX_TERM, required=True)
        target = reader.text("target", "How it is written", MAX_TERM, required=True)
        note = reader.text("note", "The note", MAX_NOTE)
    except BadForm as exc:
        return error_page(400, str(exc))
    if reader.errors:
        return page(locale, {"source": source, "target": target, "note": note}, reader.errors, 422)
    user = signed_in()
    get_store().save_glossary_term(locale, source, target, note, user.email)
    get_store().accounts.audit(user.email, "glossary_save", utcnow(), "glossary", f"{locale}:{source}"[:200])
    flash(f"Saved the term “{source}”.")
    return redirect(url_for("review.glossary", locale=locale), code=303)  # type: ignore[return-value]


@bp.post("/<locale>/glossary/delete")
def delete_term(locale: str) -> Response:
    """Remove one term."""
    try:
        check_fields(request.form, {"csrf_token", "source"}, ())
        reader = Reader(request.form)
        source = reader.text("source", "The English term", MAX_TERM, required=True)
    except BadForm as exc:
        return error_page(400, str(exc))
    if reader.errors:
        return error_page(400, reader.errors[0]["message"])
    user = signed_in()
    if not any(t["source"] == source for t in get_store().glossary(locale)):
        return error_page(404, "There is no such term in this glossary.")
    get_store().delete_glossary_term(locale, source)
    get_store().accounts.audit(
        user.email, "glossary_delete", utcnow(), "glossary", f"{locale}:{source}"[:200]
    )
    flash(f"Deleted the term “{source}”.")
    return redirect(url_for("review.glossary", locale=locale), code=303)  # type: ignore[return-value]
