"""One string at a time: English and translation side by side, checks, history, save and approve."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Response, flash, redirect, request, url_for
from jinja2_fragments.flask import render_block
from werkzeug.datastructures import MultiDict

from navigator.auth import utcnow
from navigator.db import get_store
from navigator.errors import error_page
from navigator.htmx import htmx_location, is_htmx, render
from navigator.review import strings
from navigator.review.blueprint import bp, signed_in
from navigator.review.queue import filters_from
from navigator.security import allow_body
from navigator.staff.forms import BadForm, Reader, check_fields, single
from services_index import review_queue, rewording
from services_index.diff import word_diff
from services_index.editing import EditError
from services_index.review_checks import Check, blocking
from services_index.review_queue import Source
from services_index.store import StoreError, TranslationConflict
from services_index.translations import Translation, plural_function

MAX_TEXT = 5000
MAX_COMMENT = 1000
MAX_STAMP = 100
FORM_BYTES = 256 * 1024
PANEL = "editor-panel"
PLURAL_ENGLISH = "Text with plural forms is reworded in its template file, not here"
TEXT_FIELD = re.compile(r"^text-\d$")
# What each button does: the status it saves, and the word kept in the history.
ACTIONS = {
    "draft": ("draft", "draft"),
    "approve": ("approved", "approved"),
    "reject": ("draft", "rejected"),
    "propose": ("needs_review", rewording.PROPOSED),
    "accept": ("approved", "accepted"),
}
ENGLISH_ACTIONS = ("draft", "propose", "accept", "reject")
TRANSLATION_ACTIONS = ("draft", "approve", "reject")
DONE = {
    "draft": "Saved as a draft.",
    "approve": "Approved. The public site shows this translation now.",
    "reject": "Rejected: the string is a draft again, with your comment in its history.",
    "propose": "Proposed. Another reviewer of English can now accept it.",
    "accept": "Accepted. The public site shows the new English now, and its translations are marked stale.",
}


def form_limits() -> int:
    """The largest editor form: a few long texts in any script."""
    return FORM_BYTES


@dataclass
class Submission:
    """A posted editor form, read and checked field by field."""

    action: str
    go_next: bool
    texts: list[str]
    comment: str
    stamp: str
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Editor:
    """Everything the editor shows for one string in one language."""

    locale: str
    source: Source
    row: Translation | None
    english: str
    stamp: str
    history: list[dict[str, Any]]
    texts: list[str]
    checks: list[Check] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    message: str = ""
    conflict: dict[str, Any] | None = None
    comment: str = ""

    @property
    def status(self) -> str:
        """The saved status of the string."""
        return review_queue.Item(self.source, self.row).status

    @property
    def first_field(self) -> str:
        """The id of the first text box, where errors about the text link to."""
        return "text" if len(self.texts) == 1 else "text-0"

    @property
    def proposer(self) -> str:
        """For English: who proposed the rewording waiting for review."""
        return rewording.proposer(self.history) if self.status == "needs_review" else ""


def form_count(source: Source, locale: str) -> int:
    """How many text boxes a string has: one, or one per plural form of the language."""
    if not source.plural:
        return 1
    return 2 if locale == "en" else int(plural_function(locale)[0])


def english_now(source: Source) -> str:
    """The English the public reads now: an accepted rewording, else the original."""
    reworded = get_store().translation("en", source.domain, source.context, source.field)
    if reworded is not None and reworded.status == "approved" and reworded.text:
        return reworded.text
    return source.english


def load(locale: str, source: Source) -> Editor:
    """The editor for a string as it is saved now."""
    store = get_store()
    key = (locale, source.domain, source.context, source.field)
    row = store.translation(*key)
    count = form_count(source, locale)
    texts = (list(row.plurals) if row and row.plurals else [row.text if row else ""]) + [""] * count
    return Editor(
        locale=locale,
        source=source,
        row=row,
        english=english_now(source) if locale != "en" else source.english,
        stamp=store.translation_stamp(*key),
        history=store.translation_history(*key),
        texts=texts[:count],
    )


def glossary(locale: str) -> list[review_queue.GlossaryTerm]:
    """The language's glossary as terms for the checks."""
    return review_queue.glossary_terms(get_store().glossary(locale))


def run_checks(editor: Editor, submitted: bool = False) -> list[Check]:
    """The checks of the texts in the editor, against the English the public reads now.

    An empty text is flagged only when it was submitted: a string nobody has translated yet is not an error.
    """
    if not submitted and not any(t.strip() for t in editor.texts):
        return []
    source = replace(editor.source, english=editor.english)
    return review_queue.check_texts(source, editor.texts, editor.locale, glossary(editor.locale))


def read_form(form: MultiDict[str, str], locale: str, count: int) -> Submission:
    """The posted fields, each checked for size and for being text (BadForm for forms we never send)."""
    check_fields(form, {"csrf_token", "action", "comment", "stamp", "text"}, (TEXT_FIELD,))
    action, _, then = single(form, "action").partition("+")
    allowed = ENGLISH_ACTIONS if locale == "en" else TRANSLATION_ACTIONS
    if action not in allowed or then not in ("", "next"):
        raise BadForm("Choose one of the buttons of the form.")
    reader = Reader(form)
    names = ["text"] if count == 1 else [f"text-{i}" for i in range(count)]
    texts = [reader.text(name, "The text", MAX_TEXT) for name in names]
    comment = reader.text("comment", "The comment", MAX_COMMENT)
    stamp = single(form, "stamp")
    if len(stamp) > MAX_STAMP:
        raise BadForm("The form is damaged. Reload the page and try again.")
    if action == "reject" and not comment and not reader.errors:
        reader.error("comment", "Write a comment that says why the text is rejected")
    return Submission(action, then == "next", texts, comment, stamp, reader.errors)


def queue_args() -> dict[str, str]:
    """The queue filters this editor was opened from, to keep in every link."""
    return filters_from(request.args).as_args()


def neighbours(locale: str, sid: str) -> tuple[str | None, str | None]:
    """The ids of the strings before and after this one in the filtered queue."""
    found, _ = review_queue.select(strings.items(locale), filters_from(request.args))
    before, after = review_queue.neighbours(found, sid)
    return (before.source.sid if before else None, after.source.sid if after else None)


def editor_url(locale: str, sid: str) -> str:
    """The editor of a string, keeping the queue filters."""
    return url_for("review.editor", locale=locale, sid=sid, **queue_args())


def show(editor: Editor, status: int = 200) -> Response:
    """The editor page, or only its panel when a save from the panel asked (htmx)."""
    previous, following = neighbours(editor.locale, editor.source.sid)
    context = {
        "editor": editor,
        "review_locale": editor.locale,
        "english_locale": editor.locale == "en",
        "plural_english": PLURAL_ENGLISH,
        "source": editor.source,
        "user": signed_in(),
        "previous_sid": previous,
        "next_sid": following,
        "args": queue_args(),
        "diff": stale_diff(editor),
        "terms": review_queue.terms_in(editor.source, glossary(editor.locale)),
        "active": "review",
    }
    if is_htmx() and request.headers.get("HX-Target") == PANEL:
        response = Response(render_block("review/editor.html", "panel", htmx=True, **context), status)
        response.headers.add("Vary", "HX-Request")
        return response
    return render("review/editor.html", status=status, **context)


def stale_diff(editor: Editor) -> list[Any]:
    """For a stale translation: the old English against the new, word by word."""
    if editor.row is None or editor.row.status != "stale" or not editor.row.previous_source:
        return []
    return word_diff(editor.row.previous_source, editor.english)


@bp.get("/<locale>/strings/<sid>")
def editor(locale: str, sid: str) -> Response:
    """The English and the translation side by side, with context, checks and history."""
    current = load(locale, strings.source(sid))
    current.checks = run_checks(current)
    return show(current)


@bp.post("/<locale>/strings/<sid>")
@allow_body(form_limits, form_memory=FORM_BYTES, form_parts=20)
def save(locale: str, sid: str) -> Response:
    """Save, approve, reject, propose or accept; a stale form gets a conflict, never an overwrite."""
    source = strings.source(sid)
    current = load(locale, source)
    try:
        sent = read_form(request.form, locale, len(current.texts))
    except BadForm as exc:
        return error_page(400, str(exc))
    _, following = neighbours(locale, sid)
    current.texts, current.comment = sent.texts, sent.comment
    current.checks = run_checks(current, submitted=True)
    current.errors = sent.errors + refusals(current, sent)
    if current.errors:
        # Keep the version this person started from, so a later save still notices other changes.
        current.stamp = sent.stamp
        return show(current, 422)
    if sent.stamp != current.stamp:
        return conflict(current, sent)
    try:
        write(current, sent)
    except TranslationConflict:
        return conflict(load(locale, source), sent)
    except (rewording.RewordError, EditError, StoreError) as exc:
        current.errors = [{"field": current.first_field, "message": str(exc)}]
        return show(current, 409)
    return done(locale, source, sent, following)


def refusals(editor: Editor, sent: Submission) -> list[dict[str, str]]:
    """Why this action cannot happen: an empty text, errors of the checks, or who may accept."""
    found: list[dict[str, str]] = []
    errors = blocking(editor.checks)
    if not any(t.strip() for t in sent.texts):
        found.append({"field": editor.first_field, "message": "Write the text before you save it"})
    elif sent.action in ("approve", "propose", "accept") and errors:
        found.append(
            {"field": editor.first_field, "message": f"Fix these errors before you {sent.action} the text"}
        )
        found.extend({"field": editor.first_field, "message": check.message} for check in errors)
    if editor.locale == "en" and editor.source.plural:
        found.append({"field": editor.first_field, "message": PLURAL_ENGLISH})
    if sent.action == "reject" and editor.row is None:
        found.append({"field": editor.first_field, "message": "There is no text to reject yet"})
    if sent.action == "accept":
        found.extend(acceptance_refusals(editor, sent))
    return found


def acceptance_refusals(editor: Editor, sent: Submission) -> list[dict[str, str]]:
    """A rewording is accepted by someone other than its proposer, exactly as it was proposed."""
    if editor.status != "needs_review" or editor.row is None:
        return [{"field": editor.first_field, "message": "There is no proposed rewording to accept"}]
    if editor.proposer == signed_in().email:
        return [
            {
                "field": editor.first_field,
                "message": "You proposed this rewording, so another reviewer of English "
                "or an admin accepts it",
            }
        ]
    if sent.texts[0].strip() != editor.row.text.strip():
        return [
            {
                "field": editor.first_field,
                "message": "You changed the proposed text. Propose your version instead, "
                "or undo your change to accept the proposal",
            }
        ]
    return []


def write(editor: Editor, sent: Submission) -> None:
    """Write the change: a translation row with its history, or an accepted English rewording."""
    store = get_store()
    user = signed_in()
    source = editor.source
    if sent.action == "accept":
        rewording.accept(store, source.domain, source.context, source.field, user.email, sent.comment)
        store.accounts.audit(
            user.email, "accept_rewording", utcnow(), source.domain, f"{source.context}#{source.field}"[:200]
        )
        return
    status, history_action = ACTIONS[sent.action]
    plural = bool(source.plural)
    row = Translation(
        locale=editor.locale,
        domain=source.domain,
        context=source.context,
        field=source.field,
        source=source.english,
        text=sent.texts[0],
        status=status,
        source_plural=source.plural,
        plurals=list(sent.texts) if plural and editor.locale != "en" else [],
        comment=source.comment,
    )
    store.save_translation(row, user.email, history_action, sent.comment, expected_stamp=sent.stamp)


def conflict(current: Editor, sent: Submission) -> Response:
    """409: someone saved since the editor was opened. Both texts are shown; nothing was written."""
    theirs = current.row.text if current.row else ""
    latest = current.history[0] if current.history else {}
    current.conflict = {
        "theirs": theirs,
        "theirs_plurals": list(current.row.plurals) if current.row else [],
        "status": current.status,
        "who": latest.get("author", ""),
        "when": latest.get("at", ""),
        "yours": sent.texts,
    }
    current.texts, current.comment = sent.texts, sent.comment
    current.checks = run_checks(current)
    return show(current, 409)


def done(locale: str, source: Source, sent: Submission, following: str | None) -> Response:
    """After a save: the editor again with a status message, or the next string of the queue."""
    message = DONE[sent.action]
    if sent.go_next:
        flash(message)
        target = (
            editor_url(locale, following)
            if following
            else url_for("review.queue", locale=locale, **queue_args())
        )
        return htmx_location(target) if is_htmx() else redirect(target, code=303)  # type: ignore[return-value]
    if is_htmx() and request.headers.get("HX-Target") == PANEL:
        current = load(locale, source)
        current.checks = run_checks(current)
        current.message = message
        return show(current)
    flash(message)
    return redirect(editor_url(locale, source.sid), code=303)  # type: ignore[return-value]
