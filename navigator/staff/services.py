"""Service entries: the list, the edit form with its rule editor, preview, workflow and history."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from life_experiences import deadlines, engine, rules
from life_experiences.readability import grade
from navigator import auth
from navigator.db import get_bank, get_store, today
from navigator.htmx import render
from navigator.security import allow_body
from navigator.staff import rule_form, service_form
from navigator.staff.blueprint import bp
from navigator.staff.forms import BadForm, check_fields, single
from services_index import diff, editing
from services_index.editing import Conflict, InvalidEntry, StaffEntry, StillReferenced, WrongState
from services_index.model import Service
from services_index.plan import PlanItem

PER_PAGE = 25
STAFF_FORM_BYTES = 512 * 1024


def staff_form_limits() -> int:
    """The largest staff edit form (a long entry with many rule rows is still far below it)."""
    return STAFF_FORM_BYTES


def signed_in() -> auth.User:
    """The signed-in staff member (the blueprint has already checked there is one)."""
    user = auth.current_user()
    assert user is not None
    return user


def load_entry(service_id: str) -> StaffEntry:
    """The entry, when it exists and this person may see it (404 / 403 otherwise)."""
    entry = get_store().staff_entry(service_id)
    if entry is None:
        abort(404)
    auth.require_can_edit(signed_in(), entry)
    return entry


def choices(user: auth.User) -> service_form.Choices:
    """What this person may choose in the edit form."""
    store = get_store()
    agencies = store.agency_ids() if user.is_admin else set(user.agencies) & store.agency_ids()
    return service_form.Choices(agencies, set(store.documents()), current_app.config["LOCALES"])


def page_number() -> int:
    """The page asked for (1 when missing or not a number)."""
    raw = request.args.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() and len(raw) < 6 else 1


@bp.get("/services")
@auth.roles(*auth.EDITING)
def services() -> Response:
    """Every entry this person may edit, filtered, searched and in pages."""
    user = signed_in()
    store = get_store()
    args = request.args
    filters = editing.Filters(
        agencies=None if user.is_admin else frozenset(user.agencies),
        agency=args.get("agency", "")[:80],
        life_experience=args.get("life_experience", "")[:80],
        state=args.get("state", "")[:20],
        stale=args.get("stale") == "yes",
        broken=args.get("broken") == "yes",
        query=args.get("q", "")[:200],
    )
    broken = store.broken_links()
    found = editing.select(store.staff_entries(), filters, today(), broken)
    pages = max(1, math.ceil(len(found) / PER_PAGE))
    page = min(page_number(), pages)
    agencies = store.agencies()
    visible_agencies = sorted(
        (a for a in agencies.values() if filters.agencies is None or a.id in filters.agencies),
        key=lambda a: a.name,
    )
    return render(
        "staff/services.html",
        entries=found[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(found),
        page=page,
        pages=pages,
        filters=filters,
        agencies=agencies,
        agency_choices=visible_agencies,
        experiences=get_bank().experiences,
        broken={e.id: editing.broken_in(e, broken) for e in found},
        today=today(),
        query_args={k: v for k, v in args.items() if k != "page"},
        active="services",
    )


@bp.route("/services/new", methods=["GET", "POST"])
@auth.roles(*auth.EDITING)
def new_service() -> Response:
    """Start a new entry as a draft: id, name and agency first, then the full form."""
    user = signed_in()
    store = get_store()
    allowed = choices(user)
    errors: list[dict[str, str]] = []
    values: dict[str, Any] = {}
    if request.method == "POST":
        entry, errors = service_form.parse_new(request.form, allowed, {e.id for e in store.staff_entries()})
        values = {k: single(request.form, k) for k in ("id", "name", "agency")}
        if not errors:
            try:
                store.save_service(entry, None, user.email, _("Created"))
            except Conflict:
                errors.append(
                    {"field": "id", "message": _("There is already an entry with this id. Choose another")}
                )
            else:
                flash(_("Draft created. Fill in the rest of the entry, then publish it."))
                return redirect(url_for("staff.edit", service_id=entry["id"]), code=303)  # type: ignore[return-value]
    return render(
        "staff/new.html",
        status=422 if errors else 200,
        errors=errors,
        values=values,
        agency_options=editor_context(allowed)["agency_options"],
        active="services",
    )


def edit_page(
    entry: StaffEntry, form: service_form.ServiceForm, based_on: int, status: int = 200, **extra: Any
) -> Response:
    """The edit form for an entry, with any errors, and what stops it being published."""
    store = get_store()
    user = signed_in()
    allowed = choices(user)
    problems = service_form.problem_links(store.entry_problems(entry.data))
    context = editor_context(allowed)
    # Chosen items come first, in their stored order: the order is part of the entry.
    for key, options in (("life_experiences", "experience_options"), ("documents", "document_options")):
        context[options] = chosen_first(context[options], form.values.get(key) or [])
    return render(
        "staff/edit.html",
        status=status,
        entry=entry,
        form=form,
        rule=form.rule,
        based_on=based_on,
        errors=form.errors,
        problems=problems,
        grades=reading_grades(form.values),
        **context,
        active="services",
        **extra,
    )


def editor_context(allowed: service_form.Choices) -> dict[str, Any]:
    """What the edit form's inputs choose from, as (value, text) pairs."""
    store = get_store()
    bank = get_bank()
    agencies = sorted(
        (a for a in store.agencies().values() if a.id in allowed.agencies), key=lambda a: a.name
    )
    documents = sorted(store.documents().values(), key=lambda d: d.label.lower())
    return {
        "agency_options": [(a.id, f"{a.name} ({a.acronym})" if a.acronym else a.name) for a in agencies],
        "experience_options": [(slug, e.title) for slug, e in bank.experiences.items()],
        "document_options": [(d.id, d.label) for d in documents],
        "date_options": sorted((q.id, q.id) for q in bank.questions.values() if q.kind == "date"),
        "questions": sorted(bank.questions.values(), key=lambda q: q.id),
        "operators": rule_form.OPERATORS,
        "hint_for": lambda node: rule_form.choices_hint(node, bank),
    }


def chosen_first(options: list[tuple[str, str]], chosen: list[str]) -> list[tuple[str, str]]:
    """Checkbox options with the chosen ones first, in the order they were chosen."""
    text = dict(options)
    return [(v, text[v]) for v in chosen if v in text] + [(v, t) for v, t in options if v not in chosen]


def reading_grades(values: dict[str, Any]) -> dict[str, float | None]:
    """The reading grade of each summary field, as typed."""
    return {
        name: grade(values.get(name) or "") if (values.get(name) or "").strip() else None
        for name in ("summary", "deadline-summary")
    }


@bp.route("/services/<service_id>", methods=["GET", "POST"])
@auth.roles(*auth.EDITING)
@allow_body(staff_form_limits, form_parts=2000)
def edit(service_id: str) -> Response:
    """Show the edit form; save it as a new revision, or show a conflict when someone saved first."""
    entry = load_entry(service_id)
    user = signed_in()
    locales = current_app.config["LOCALES"]
    if request.method == "GET":
        return edit_page(entry, service_form.from_entry(entry.data, locales), entry.revision)
    based_on = _revision_field("based_on")
    form, changed = service_form.parse(request.form, service_id, get_bank(), choices(user), today())
    action = single(request.form, "action") or "save"
    if action != "save":
        # Adding or removing a row only redraws the form; nothing is saved.
        form.errors = []
        return edit_page(entry, form, based_on)
    if form.errors:
        return edit_page(entry, form, based_on, status=422)
    try:
        result = get_store().save_service(changed, based_on, user.email, single(request.form, "note").strip())
    except Conflict as conflict:
        return conflict_page(entry, conflict, changed)
    if result.saved:
        flash(
            _(
                "Saved as revision %(revision)d. Changed: %(fields)s.",
                revision=result.revision,
                fields=", ".join(result.changed),
            )
        )
    else:
        flash(_("Nothing changed, so no new revision was saved."))
    return redirect(url_for("staff.edit", service_id=service_id), code=303)  # type: ignore[return-value]


def _revision_field(name: str) -> int:
    raw = single(request.form, name)
    if not raw.isdigit() or len(raw) > 9:
        raise BadForm(_("The form is missing the revision it was based on. Reload the page and try again."))
    return int(raw)


def conflict_page(entry: StaffEntry, conflict: Conflict, yours: dict[str, Any]) -> Response:
    """409: someone saved first. Both versions side by side, and the form again: theirs with your changes."""
    store = get_store()
    theirs = conflict.current
    if theirs is None:
        abort(404)
    base_revision = store.revision(entry.id, conflict.based_on) if conflict.based_on else None
    base = base_revision["data"] if base_revision else None
    merged, both = diff.merge(base, theirs.data, yours)
    form = service_form.from_entry(merged, current_app.config["LOCALES"])
    form.values["note"] = single(request.form, "note").strip()
    return edit_page(
        theirs,
        form,
        theirs.revision,
        status=409,
        conflict=diff.conflict(base, theirs.data, yours),
        changed_by_both=both,
        their_revision=theirs,
        your_base=conflict.based_on,
    )


@bp.post("/services/<service_id>/rule-editor")
@auth.roles(*auth.EDITING)
@allow_body(staff_form_limits, form_parts=2000)
def rule_editor(service_id: str) -> Response:
    """Redraw the rule editor after a row is added or removed (for htmx; nothing is saved)."""
    entry = load_entry(service_id)
    check_fields(request.form, service_form.FIELDS, service_form.PATTERNS)
    root = rule_form.from_form(request.form)
    action = single(request.form, "action")
    if action.startswith("rule-"):
        root = rule_form.apply_action(root, action[len("rule-") :])
    allowed = choices(signed_in())
    html = render_template(
        "staff/_rule_editor.html", entry=entry, rule=root, errors=[], **editor_context(allowed)
    )
    response = make_response(html)
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/reading-grade")
@auth.roles(*auth.EDITING)
@allow_body(staff_form_limits)
def reading_grade() -> Response:
    """The reading grade of a summary as it is typed (for htmx)."""
    check_fields(request.form, {"csrf_token", "summary", "deadline-summary"}, ())
    name = next((n for n in ("summary", "deadline-summary") if n in request.form), "summary")
    text = single(request.form, name)[: service_form.LIMITS["summary"] * 2]
    html = render_template("staff/_grade.html", value=grade(text) if text.strip() else None)
    response = make_response(html)
    response.headers["Vary"] = "HX-Request"
    return response


def preview_item(entry: StaffEntry) -> tuple[PlanItem | None, list[dict[str, str]]]:
    """The entry as the public would see it in a plan, or the problems that stop it showing."""
    store = get_store()
    service, problems = store.parse_entry(entry.data)
    if service is None:
        return None, service_form.problem_links(problems)
    return sample_item(replace(service, revision=entry.revision, state=entry.state)), []


def sample_item(service: Service) -> PlanItem:
    """A service as a plan shows it to someone who has not answered any question yet."""
    ctx = rules.Context(today(), get_bank().poverty)
    explanation = rules.explain(service.eligibility, {}, ctx)
    status = engine.LIKELY if not explanation.missing and not explanation.unmet else engine.MORE_INFO
    deadline = deadlines.compute(service.deadline, {}, today()) if service.deadline else None
    return PlanItem(service, get_store().agencies()[service.agency], status, explanation, deadline)


def card_in(item: PlanItem, locale: str) -> Markup:
    """The public service card for ``item``, rendered in ``locale`` exactly as a plan shows it."""
    from navigator.fragments import uncached_card

    keys = ("_locale", "_translations", "_fragment_locale")
    saved = {k: g.pop(k) for k in keys if k in g}
    try:
        with force_locale(locale):
            return uncached_card(item)
    finally:
        for key in keys:
            g.pop(key, None)
        for key, value in saved.items():
            setattr(g, key, value)


@bp.get("/services/<service_id>/preview")
@auth.roles(*auth.EDITING)
def preview(service_id: str) -> Response:
    """The latest saved revision as the public would see it, in any configured language."""
    entry = load_entry(service_id)
    locales = current_app.config["LOCALES"]
    locale = request.args.get("lang", "en")
    if locale not in locales:
        locale = "en"
    item, problems = preview_item(entry)
    from navigator.i18n import direction, html_lang

    return render(
        "staff/preview.html",
        entry=entry,
        card=card_in(item, locale) if item else None,
        problems=problems,
        locale=locale,
        locales=locales,
        lang_tag=html_lang(locale),
        lang_dir=direction(locale),
        active="services",
    )


@bp.post("/services/<service_id>/publish")
@auth.roles(*auth.EDITING)
def publish(service_id: str) -> Response:
    """Publish the latest revision: it must be valid and the one this person saw."""
    entry = load_entry(service_id)
    check_fields(request.form, {"csrf_token", "revision"}, ())
    revision = _revision_field("revision")
    try:
        get_store().publish(service_id, revision, signed_in().email)
    except Conflict as conflict:
        latest = conflict.current.revision if conflict.current else "?"
        return message_page(
            entry,
            _("Someone saved a newer revision"),
            _(
                "You were about to publish revision %(yours)s, but revision %(latest)s was saved since. "
                "Check it in the preview, then publish again.",
                yours=conflict.based_on,
                latest=latest,
            ),
            409,
        )
    except InvalidEntry as invalid:
        return message_page(
            entry,
            _("This entry cannot be published yet"),
            _("Fix these problems in the entry, then publish again."),
            422,
            problems=service_form.problem_links(invalid.problems),
        )
    except WrongState as exc:
        return message_page(entry, _("This entry cannot be published"), str(exc), 409)
    flash(_("Published. The public site shows revision %(revision)d now.", revision=revision))
    return redirect(url_for("staff.edit", service_id=service_id), code=303)  # type: ignore[return-value]


@bp.post("/services/<service_id>/archive")
@auth.roles(*auth.EDITING)
def archive(service_id: str) -> Response:
    """Take the entry off the public site, unless something still relies on it."""
    entry = load_entry(service_id)
    check_fields(request.form, {"csrf_token"}, ())
    try:
        get_store().archive(service_id, signed_in().email)
    except StillReferenced as refused:
        return message_page(
            entry,
            _("This entry cannot be archived yet"),
            _("Other content still relies on it. Change these first, then archive it:"),
            409,
            referrers=refused.referrers,
        )
    except WrongState as exc:
        return message_page(entry, _("This entry cannot be archived"), str(exc), 409)
    flash(_("Archived. The entry is no longer on the public site."))
    return redirect(url_for("staff.edit", service_id=service_id), code=303)  # type: ignore[return-value]


@bp.post("/services/<service_id>/unarchive")
@auth.roles(*auth.EDITING)
def unarchive(service_id: str) -> Response:
    """Bring an archived entry back as a draft."""
    entry = load_entry(service_id)
    check_fields(request.form, {"csrf_token"}, ())
    try:
        get_store().unarchive(service_id, signed_in().email)
    except WrongState as exc:
        return message_page(entry, _("This entry cannot go back to draft"), str(exc), 409)
    flash(_("The entry is a draft again. Publish it when it is ready."))
    return redirect(url_for("staff.edit", service_id=service_id), code=303)  # type: ignore[return-value]


def message_page(entry: StaffEntry, title: str, message: str, status: int, **extra: Any) -> Response:
    """A short page that says why a step did not happen and what to do."""
    return render(
        "staff/message.html",
        status=status,
        entry=entry,
        title=title,
        message=message,
        active="services",
        **extra,
    )


@bp.get("/services/<service_id>/history")
@auth.roles(*auth.EDITING)
def history(service_id: str) -> Response:
    """Every saved revision, newest first, with who saved it and why."""
    entry = load_entry(service_id)
    revisions = list(reversed(get_store().revisions(service_id)))
    return render("staff/history.html", entry=entry, revisions=revisions, active="services")


@bp.get("/services/<service_id>/revisions/<int:revision>")
@auth.roles(*auth.EDITING)
def revision(service_id: str, revision: int) -> Response:
    """What one revision changed, field by field, compared with the one before."""
    entry = load_entry(service_id)
    store = get_store()
    found = store.revision(service_id, revision)
    if found is None:
        abort(404)
    before = store.revision(service_id, revision - 1) if revision > 1 else None
    changes = diff.diff(before["data"] if before else None, found["data"])
    return render(
        "staff/revision.html",
        entry=entry,
        revision=found,
        before=before,
        changes=changes,
        active="services",
    )


@bp.post("/services/<service_id>/revisions/<int:revision>/restore")
@auth.roles(*auth.EDITING)
def restore(service_id: str, revision: int) -> Response:
    """Save an old revision again as the newest one."""
    entry = load_entry(service_id)
    check_fields(request.form, {"csrf_token", "based_on"}, ())
    based_on = _revision_field("based_on")
    try:
        result = get_store().restore(service_id, revision, based_on, signed_in().email)
    except Conflict:
        return message_page(
            entry,
            _("Someone saved a newer revision"),
            _("The entry changed while you were looking at its history. Look at the history again."),
            409,
        )
    except WrongState as exc:
        return message_page(entry, _("This revision cannot be restored"), str(exc), 404)
    if result.saved:
        flash(_("Revision %(old)d restored as revision %(new)d.", old=revision, new=result.revision))
    else:
        flash(_("Revision %(old)d is the same as the current entry, so nothing changed.", old=revision))
    return redirect(url_for("staff.edit", service_id=service_id), code=303)  # type: ignore[return-value]
