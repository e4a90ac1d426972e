"""Public pages: choose a life experience, answer one question at a time, get a plan."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, g, make_response, redirect, render_template, request, url_for
from flask_babel import format_date, format_decimal
from flask_wtf.csrf import generate_csrf

from life_experiences import answers as answer_parsing
from life_experiences import engine
from life_experiences.model import Bank, Question
from life_experiences.rules import UNSURE, Context
from navigator import skeletons
from navigator.db import get_bank, get_searcher, get_store, today
from navigator.htmx import htmx_location, is_htmx, render
from navigator.i18n import current_locale
from navigator.i18n import gettext as _
from navigator.public import flow as flows
from services_index import plan as plans

bp = Blueprint("public", __name__)
log = logging.getLogger("navigator")


def public_route(rule: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a page both at ``rule`` and under a language prefix (``/es/...``)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        bp.add_url_rule(rule, view_func=view, **options)
        bp.add_url_rule("/<lang:lang_code>" + (rule if rule != "/" else "/"), view_func=view, **options)
        return view

    return decorator


@bp.url_value_preprocessor
def take_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
    from flask import session

    g.lang_prefix = values.pop("lang_code", None) if values else None
    # Choosing a language (a page under /es/, or /en/ for English) is remembered in the session.
    if g.lang_prefix and session.get("lang") != g.lang_prefix:
        session["lang"] = g.lang_prefix


@bp.url_defaults
def keep_language(endpoint: str, values: dict[str, Any]) -> None:
    if "lang_code" in values:
        if values["lang_code"] is None:
            del values["lang_code"]
        return
    locale = current_locale()
    if locale != "en":
        values["lang_code"] = locale


@bp.before_request
def prefix_language() -> Response | None:
    """A page read in another language than English always has its language in the address."""
    if request.method == "GET" and not g.get("lang_prefix") and not is_htmx():
        locale = current_locale()
        if locale != "en" and request.endpoint:
            target = url_for(request.endpoint, lang_code=locale, **(request.view_args or {}), **request.args)
            response = redirect(target)
            response.headers["Vary"] = "Accept-Language, Cookie"
            return response
    return None


@bp.before_request
def refuse_tampered_session() -> Response | None:
    from flask import session

    if getattr(session, "tampered", False):
        session.clear()
        session.modified = True
        from navigator.errors import error_page

        return error_page(
            400,
            _(
                "We could not read your saved answers, so we cleared them. "
                "Please start again from the home page."
            ),
        )
    return None


ERRORS = {
    "choose_one": lambda: _("Choose an answer"),
    "choose_one_or_more": lambda: _("Choose at least one answer"),
    "unknown_option": lambda: _("Choose one of the answers shown"),
    "number_missing": lambda: _("Enter a number"),
    "number_not_whole": lambda: _("Enter a whole number using only the digits 0 to 9"),
    "number_too_small": lambda: _("The number is too small. Check it and try again"),
    "number_too_large": lambda: _("The number is too large. Check it and try again"),
    "date_missing": lambda: _("Enter a date"),
    "date_missing_month": lambda: _("The date must include a month"),
    "date_missing_day": lambda: _("The date must include a day"),
    "date_missing_year": lambda: _("The date must include a year"),
    "date_not_numbers": lambda: _("Enter the date using numbers only"),
    "date_year_digits": lambda: _("Enter the year with 4 digits, for example 1961"),
    "date_too_early": lambda: _("The year must be 1900 or later"),
    "date_not_real": lambda: _("Enter a real date. For example, February has only 28 or 29 days"),
    "date_in_future": lambda: _("The date must be today or in the past"),
}


def count_step(current: flows.Flow, step: str) -> None:
    """Add to the anonymous totals once per person and step; never fail a page over a count."""
    fresh = [slug for slug in current.slugs if f"{slug}:{step}" not in current.counted]
    if not fresh:
        return
    try:
        for slug in fresh:
            get_store().count_step(slug, step)
    except sqlite3.Error as exc:
        log.warning("step count not saved: %s", type(exc).__name__)
        return
    current.counted += [f"{slug}:{step}" for slug in fresh]
    flows.save(current)


def context() -> Context:
    """The evaluation context for today."""
    return Context(today(), get_bank().poverty)


def question_url(qid: str, **extra: Any) -> str:
    """Where a question is asked."""
    return url_for("public.question", qid=qid, **extra)


def assess(bank: Bank, current: flows.Flow) -> engine.Assessment:
    """This person's answers against the services of their life experiences."""
    return engine.Assessment(
        bank, current.slugs, get_store().published_services(), current.answers, context()
    )


def next_url(bank: Bank, current: flows.Flow, back_to_review: bool = False) -> str:
    """The next question, or the review page when nothing else can change the plan."""
    question = assess(bank, current).next_question()
    if question is None:
        return url_for("public.review")
    if back_to_review and question.id in current.answers:
        return url_for("public.review")
    return question_url(question.id, **({"return": "review"} if back_to_review else {}))


def display_answer(question: Question, value: Any) -> str:
    """An answer as a person would say it back."""
    if value == UNSURE:
        return _("I'm not sure")
    if question.kind == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    if question.kind == "date":
        from datetime import date

        return format_date(date.fromisoformat(value), format="long")
    if question.kind == "number":
        return f"{question.prefix}{format_decimal(value)}"
    if question.kind == "state":
        names = {s.code: s.name for s in get_bank().states}
        return _(names.get(value, value))
    if question.kind == "multi":
        return ", ".join(_(question.label_for(v) or v) for v in value)
    return _(question.label_for(value) or str(value))


def transcript(bank: Bank, current: flows.Flow) -> list[dict[str, Any]]:
    """Answered questions in the order they were answered, for the conversation view."""
    return [
        {
            "question": current.worded(bank.questions[q]),
            "answer": display_answer(bank.questions[q], current.answers[q]),
        }
        for q in current.path
    ]


@public_route("/")
def index() -> Response:
    """The front door: choose a life experience."""
    bank = get_bank()
    current = flows.load(bank)
    return render("public/index.html", experiences=list(bank.experiences.values()), flow=current)


@public_route("/life-experiences/<slug>")
def start(slug: str) -> Response:
    """What this is, how long it takes, and what you will get."""
    bank = get_bank()
    experience = bank.experiences.get(slug) or abort(404)
    counts = sum(1 for s in get_store().published_services() if slug in s.life_experiences)
    current = flows.load(bank)
    return render(
        "public/start.html",
        experience=experience,
        service_count=counts,
        errors=[],
        can_add=current.started and slug not in current.slugs,
        flow=current,
    )


@public_route("/life-experiences/<slug>/start", methods=["POST"])
def begin(slug: str) -> Response:
    """Start a life experience and go to its first question."""
    bank = get_bank()
    if slug not in bank.experiences:
        abort(404)
    who = request.form.get("for")
    if who not in ("self", "other"):
        experience = bank.experiences[slug]
        counts = sum(1 for s in get_store().published_services() if slug in s.life_experiences)
        current = flows.load(bank)
        return render(
            "public/start.html",
            status=422,
            experience=experience,
            service_count=counts,
            errors=[{"field": "for-self", "message": _("Choose who you are answering for")}],
            can_add=current.started and slug not in current.slugs,
            flow=current,
        )
    current = flows.Flow(slugs=[slug], helping=who == "other")
    flows.save(current)
    count_step(current, "start")
    target = next_url(bank, current)
    return htmx_location(target) if is_htmx() else redirect(target, code=303)


@public_route("/life-experiences/<slug>/add", methods=["POST"])
def add(slug: str) -> Response:
    """Add a life experience to the current answers, and ask only what is new."""
    bank = get_bank()
    if slug not in bank.experiences:
        abort(404)
    current = flows.load(bank)
    if not current.started:
        return redirect(url_for("public.start", slug=slug), code=303)
    current.add(slug)
    flows.save(current)
    target = next_url(bank, current)
    return htmx_location(target) if is_htmx() else redirect(target, code=303)


@public_route("/questions/<qid>", methods=["GET", "POST"])
def question(qid: str) -> Response:
    """One question per page: show it, or save the answer and move on."""
    bank = get_bank()
    current = flows.load(bank)
    if not current.started:
        return redirect(url_for("public.index"), code=303)
    if qid not in engine.question_ids(bank, current.slugs):
        abort(404)
    q = current.worded(bank.questions[qid])
    assessment = assess(bank, current)
    if qid in assessment.ctx.hidden:
        return redirect(next_url(bank, current), code=303)
    back_to_review = request.values.get("return") == "review"
    errors: list[dict[str, str]] = []
    values: dict[str, Any] = answer_parsing.form_values(q, current.answers.get(qid))
    status = 200
    if request.method == "POST":
        value, problem = answer_parsing.parse(q, request.form.to_dict(flat=False), bank.states, today())
        if problem is None:
            current.record(bank, qid, value, context())
            flows.save(current)
            count_step(current, qid)
            target = next_url(bank, current, back_to_review)
            if is_htmx():
                return htmx_location(target)
            return redirect(target, code=303)
        errors.append({"field": problem.field, "message": ERRORS[problem.code]()})
        values = {k: v[0] if len(v) == 1 else v for k, v in request.form.to_dict(flat=False).items()}
        status = 422
    progress = assessment.progress()
    number = current.path.index(qid) + 1 if qid in current.path else len(current.path) + 1
    previous = current.previous(qid)
    back = question_url(previous) if previous else url_for("public.start", slug=current.slugs[0])
    if back_to_review:
        back = url_for("public.review")
    total = max(progress.estimated_total, number)
    page = dict(
        question=q,
        errors=errors,
        values=values,
        back_to_review=back_to_review,
        states=bank.states,
        experience=bank.experiences[current.slugs[0]],
    )
    if not errors and not any(values.values()) and not is_htmx():
        # A first look at a question is the same page for everyone: filled in from a skeleton.
        key = ("question", current_locale(), qid, q.text, back_to_review, current.slugs[0])
        found = skeletons.skeleton(key, lambda: skeleton_page(page))
        if found is not None:
            body = skeletons.fill(found, generate_csrf(), back, number, total)
            response = make_response(body, 200)
            response.headers.add("Vary", "HX-Request")
            return response
    return render(
        "public/question.html",
        status=status,
        number=number,
        total=total,
        back=back,
        # The running transcript belongs to the htmx conversation; a plain page asks one thing.
        transcript=transcript(bank, current) if is_htmx() and not back_to_review else [],
        flow=current,
        **page,
    )


def skeleton_page(page: dict[str, Any]) -> str:
    """The question page with sentinels where per-request values go."""
    marks = skeletons.sentinels()
    return render_template(
        "public/question.html",
        htmx=False,
        number=marks["number"],
        total=marks["total"],
        back=marks["back"],
        csrf_token=lambda: marks["csrf"],
        transcript=[],
        **page,
    )


@public_route("/review")
def review() -> Response:
    """Every answer, each with a link to change it."""
    bank = get_bank()
    current = flows.load(bank)
    if not current.started:
        return redirect(url_for("public.index"), code=303)
    pending = assess(bank, current).next_question()
    count_step(current, "review")
    return render(
        "public/review.html",
        transcript=transcript(bank, current),
        pending=pending,
        flow=current,
        experience=bank.experiences[current.slugs[0]],
    )


def build_plan(current: flows.Flow) -> plans.Plan:
    """This person's plan from the published index."""
    store = get_store()
    return plans.build(
        get_bank(),
        store.published_services(),
        store.agencies(),
        store.documents(),
        current.slugs,
        current.answers,
        today(),
    )


@public_route("/plan")
def plan() -> Response:
    """The personal plan: services by status, why, how to apply, deadlines, documents."""
    current = flows.load(get_bank())
    if not current.started:
        return redirect(url_for("public.index"), code=303)
    count_step(current, "plan")
    return plan_page(current)


def plan_page(current: flows.Flow, shared_token: str | None = None) -> Response:
    """Render a plan, from the session or from a shared link."""
    bank = get_bank()
    related_slugs = list(
        dict.fromkeys(r for s in current.slugs for r in bank.experiences[s].related if r not in current.slugs)
    )
    related = [bank.experiences[r] for r in related_slugs]
    others = [
        e for e in bank.experiences.values() if e.slug not in current.slugs and e.slug not in related_slugs
    ]
    state = next((s for s in bank.states if s.code == current.answers.get("state")), None)
    return render(
        "public/plan.html",
        plan=build_plan(current),
        flow=current,
        today=today(),
        experiences=[bank.experiences[s] for s in current.slugs],
        related=related,
        others=others,
        state=state,
        shared_token=shared_token,
    )


@public_route("/plan/calendar.ics")
def calendar() -> Response:
    """The plan's deadlines as a calendar file."""
    from services_index.calendar import ics

    current = flows.load(get_bank())
    if not current.started:
        return redirect(url_for("public.index"), code=303)
    response = Response(ics(build_plan(current), today()), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="federal-deadlines.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response


@public_route("/share", methods=["GET", "POST"])
def share() -> Response:
    """Explain what a share link holds; make one only when the person asks."""
    from navigator.public.sharing import token_for

    current = flows.load(get_bank())
    if not current.started:
        return redirect(url_for("public.index"), code=303)
    link = None
    if request.method == "POST":
        link = url_for("public.shared", p=token_for(current), _external=True)
    return render("public/share.html", link=link)


@public_route("/plan/shared", methods=["GET", "POST"])
def shared() -> Response:
    """Open a plan someone shared: straight to the plan, answers checked for changes."""
    from navigator.errors import error_page
    from navigator.public.sharing import flow_from

    token = request.values.get("p", "")
    current = flows.parse(get_bank(), flow_from(token))
    if not current.started:
        return error_page(
            400,
            _(
                "This link has been changed or is not complete. Ask for the link again, "
                "or start your own plan from the home page."
            ),
        )
    if request.method == "POST":
        # The person chose to carry on with these answers as their own.
        flows.save(current)
        return redirect(url_for("public.plan"), code=303)
    return plan_page(current, shared_token=token)


DRIVERS = ("effectiveness", "ease", "efficiency", "transparency", "humanity")
MAX_COMMENT = 1000


@public_route("/feedback", methods=["GET", "POST"])
def feedback() -> Response:
    """Ask the trust question (OMB A-11 Section 280), what stood out, and an optional comment."""
    from navigator.i18n import current_locale
    from services_index.scrub import scrub

    current = flows.load(get_bank())
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        trust = request.form.get("trust")
        drivers = [d for d in request.form.getlist("drivers") if d in DRIVERS]
        comment = request.form.get("comment", "").strip()
        if trust not in ("yes", "no"):
            errors.append({"field": "trust-yes", "message": _("Choose yes or no")})
        if len(comment) > MAX_COMMENT:
            errors.append(
                {
                    "field": "comment",
                    "message": _("Make your comment %(max)d characters or fewer", max=MAX_COMMENT),
                }
            )
        if not errors:
            get_store().record_feedback(
                current.slugs, current_locale(), trust == "yes", drivers, scrub(comment)
            )
            return render("public/feedback.html", thanks=True, errors=[], values={})
    values = request.form.to_dict(flat=False) if request.method == "POST" else {}
    return render(
        "public/feedback.html", thanks=False, errors=errors, values=values, status=422 if errors else 200
    )


def search_hits(query: str, limit: int) -> list[dict[str, Any]]:
    """Public search results with where each one leads (programs go to their SAM.gov record)."""
    from navigator.i18n import current_locale

    store = get_store()
    found = []
    for hit in get_searcher().search(query, current_locale().split("_")[0], limit):
        if hit.type == "life_experience":
            url = url_for("public.start", slug=hit.id)
        elif hit.type == "service":
            service = store.service(hit.id)
            url = service.url if service else ""
        else:
            program = store.program(hit.id)
            url = (program or {}).get("sam_url") or url_for("api.program", listing=hit.id)
        found.append(
            {
                "type": hit.type,
                "id": hit.id,
                "name": hit.name,
                "agency": hit.agency,
                "why": hit.reasons,
                "url": url,
            }
        )
    return found


@public_route("/search")
def search() -> Response:
    """Search results for what a person typed, with the best life experience offered first."""
    from services_index.search import clean_query

    bank = get_bank()
    query = clean_query(request.args.get("q", ""))
    hits = search_hits(query, 12) if query else []
    best_slug = next((h["id"] for h in hits if h["type"] == "life_experience"), None)
    return render(
        "public/search.html",
        query=query,
        hits=hits,
        best=bank.experiences.get(best_slug) if best_slug else None,
        services=[h for h in hits if h["type"] != "life_experience"][:10],
        experiences=list(bank.experiences.values()),
        flow=flows.load(bank),
    )


@public_route("/search/suggest")
def suggest() -> Response:
    """A few suggestions as someone types (for htmx); a plain request gets the results page."""
    from services_index.search import clean_query

    query = clean_query(request.args.get("q", ""))
    if not is_htmx():
        return redirect(url_for("public.search", q=query), code=303)
    hits = search_hits(query, 6) if len(query) >= 2 else []
    # Life experiences first: they are where a person starts.
    hits.sort(key=lambda h: h["type"] != "life_experience")
    response = make_response(render_template("public/_suggestions.html", hits=hits, query=query))
    response.headers.add("Vary", "HX-Request")
    return response


@public_route("/privacy")
def privacy() -> Response:
    """What we keep (nothing about you) and why."""
    return render("public/privacy.html")


@public_route("/start-over", methods=["POST"])
def start_over() -> Response:
    """Forget every answer and go back to the front door."""
    flows.clear()
    return redirect(url_for("public.index"), code=303)
