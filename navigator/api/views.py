"""The public JSON API (``/api/v1``): a stable contract for outside clients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import force_locale

from life_experiences import answers as answer_checks
from life_experiences.model import Question
from navigator.db import get_bank, get_searcher, get_store, today
from navigator.i18n import gettext as _t
from services_index import plan as plans
from services_index.model import Service
from services_index.search import Hit, clean_query

bp = Blueprint("api", __name__)
OPENAPI = Path(__file__).with_name("openapi.json")
PAGE_SIZE = 50
MAX_ANSWERS = 200


class ApiError(Exception):
    """A client error with a code and a message that says what to fix."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@bp.errorhandler(ApiError)
def api_error(exc: ApiError) -> Response:
    response = jsonify({"error": {"code": exc.code, "message": exc.message}})
    response.status_code = exc.status
    return response


def language() -> str:
    """The language asked for with ``?lang=``, English by default."""
    from flask import current_app

    lang = request.args.get("lang", "en")
    if lang not in current_app.config["LOCALES"]:
        raise ApiError(
            400, "unsupported_language", f"lang must be one of {', '.join(current_app.config['LOCALES'])}"
        )
    return lang


def question_json(q: Question) -> dict[str, Any]:
    """A question as the contract describes it."""
    bank = get_bank()
    if q.kind == "yes_no":
        options = [{"value": "yes", "label": _t("Yes")}, {"value": "no", "label": _t("No")}]
    elif q.kind == "state":
        options = [{"value": s.code, "label": _t(s.name)} for s in bank.states]
    else:
        options = [{"value": o.value, "label": _t(o.label)} for o in q.options]
    return {
        "id": q.id,
        "kind": q.kind,
        "text": _t(q.text),
        "hint": _t(q.hint) if q.hint else "",
        "why": _t(q.why),
        "options": options,
        "allow_unsure": q.allow_unsure,
    }


def service_json(s: Service, imported: set[str]) -> dict[str, Any]:
    """A published entry, whole; ``imported`` holds the listing numbers of imported programs."""
    agency = get_store().agencies()[s.agency]
    deadline = None
    if s.deadline:
        deadline = {"label": _t(s.deadline.label), "summary": _t(s.deadline.summary)}
    return {
        "id": s.id,
        "name": _t(s.name),
        "curated": s.curated,
        "revision": s.revision,
        "agency": {
            "id": agency.id,
            "name": _t(agency.name),
            "acronym": agency.acronym,
            "website": agency.website,
            "phone": agency.phone,
            "tty": agency.tty,
        },
        "summary": _t(s.summary),
        "life_experiences": list(s.life_experiences),
        "eligibility": s.eligibility,
        "apply": {k: v for k, v in s.apply.__dict__.items() if v},
        "forms": [f.__dict__ for f in s.forms],
        "documents": list(s.documents),
        "deadline": deadline,
        "cost": _t(s.cost),
        "processing_time": _t(s.processing_time),
        "assistance_listing": s.assistance_listing or None,
        "source_url": s.source_url,
        "url": s.url,
        "url_es": s.url_es or None,
        "status_url": s.status_url or None,
        "last_verified": s.last_verified,
        "english_only": s.english_only,
        "program": url_for("api.program", listing=s.assistance_listing)
        if s.assistance_listing in imported
        else None,
        "keywords": {k: list(v) for k, v in s.keywords.items()},
    }


@bp.get("/life-experiences")
def life_experiences() -> Response:
    """Every life experience with how many questions it has."""
    with force_locale(language()):
        bank = get_bank()
        return jsonify(
            {
                "life_experiences": [
                    {
                        "slug": e.slug,
                        "title": _t(e.title),
                        "summary": _t(e.summary),
                        "question_count": len(e.questions),
                    }
                    for e in bank.experiences.values()
                ]
            }
        )


@bp.get("/life-experiences/<slug>")
def life_experience(slug: str) -> Response:
    """One life experience with its questions."""
    with force_locale(language()):
        bank = get_bank()
        experience = bank.experiences.get(slug)
        if experience is None:
            raise ApiError(404, "not_found", f"no life experience {slug!r}")
        return jsonify(
            {
                "slug": slug,
                "title": _t(experience.title),
                "summary": _t(experience.summary),
                "questions": [question_json(bank.questions[q]) for q in experience.questions],
            }
        )


@bp.post("/life-experiences/<slug>/plan")
def plan(slug: str) -> Response:
    """The next question and every service's status for the answers given."""
    with force_locale(language()):
        bank = get_bank()
        if slug not in bank.experiences:
            raise ApiError(404, "not_found", f"no life experience {slug!r}")
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("answers", {}), dict):
            raise ApiError(400, "invalid_body", 'send JSON like {"answers": {"question_id": "value"}}')
        given: dict[str, Any] = body.get("answers", {})
        if len(given) > MAX_ANSWERS:
            raise ApiError(400, "too_many_answers", f"send at most {MAX_ANSWERS} answers")
        asked = set(bank.experiences[slug].questions)
        for qid, value in given.items():
            if qid not in asked:
                raise ApiError(400, "unknown_question", f"{qid!r} is not a question of {slug!r}")
            problem = answer_checks.check_value(bank.questions[qid], value, bank.states, today())
            if problem:
                raise ApiError(400, "invalid_answer", f"answer to {qid!r} {problem}")
        store = get_store()
        result = plans.build(
            bank, store.published_services(), store.agencies(), store.documents(), [slug], given, today()
        )
        services = []
        for item in result.items:
            deadline = None
            if item.deadline:
                deadline = {
                    "label": _t(item.deadline.label),
                    "summary": _t(item.deadline.summary),
                    "date": item.deadline.date.isoformat() if item.deadline.date else None,
                    "passed": item.deadline.passed,
                    "kind": item.deadline.kind,
                }
            services.append(
                {
                    "id": item.service.id,
                    "name": _t(item.service.name),
                    "agency": _t(item.agency.name),
                    "status": item.status,
                    "url": item.service.url,
                    "met": [_t(x) for x in item.explanation.met],
                    "unmet": [_t(x) for x in item.explanation.unmet],
                    "missing": [_t(x) for x in item.explanation.missing],
                    "deadline": deadline,
                }
            )
        return jsonify(
            {
                "next_question": question_json(result.next_question) if result.next_question else None,
                "services": services,
                "documents": [{"id": d.id, "label": _t(d.label)} for d in result.documents],
            }
        )


@bp.get("/services")
def services() -> Response:
    """Published entries, whole, filtered by life experience or agency, 50 a page."""
    with force_locale(language()):
        found = get_store().published_services()
        slug = request.args.get("life_experience")
        agency = request.args.get("agency")
        if slug:
            found = [s for s in found if slug in s.life_experiences]
        if agency:
            found = [s for s in found if s.agency == agency]
        raw_page = request.args.get("page", "1")
        if not raw_page.isdigit() or not 1 <= int(raw_page) <= 10_000:
            raise ApiError(400, "invalid_page", "page must be a whole number from 1")
        page = int(raw_page)
        chunk = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        pages = max(1, -(-len(found) // PAGE_SIZE))
        next_page = (
            url_for("api.services", **{**request.args.to_dict(), "page": page + 1}) if page < pages else None
        )
        imported = get_store().imported_listings([s.assistance_listing for s in chunk])
        return jsonify(
            {
                "services": [service_json(s, imported) for s in chunk],
                "page": page,
                "pages": pages,
                "total": len(found),
                "next": next_page,
            }
        )


@bp.get("/services/<service_id>")
def service(service_id: str) -> Response:
    """One published entry, whole."""
    with force_locale(language()):
        found = get_store().service(service_id)
        if found is None:
            raise ApiError(404, "not_found", f"no published service {service_id!r}")
        return jsonify(service_json(found, get_store().imported_listings([found.assistance_listing])))


SEARCH_TYPES = {"service", "life_experience", "program"}
MAX_LIMIT = 50


@bp.get("/search")
def search() -> Response:
    """Services and life experiences that fit what a person typed, best first, with why."""
    lang = language()
    raw_limit = request.args.get("limit", "10")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise ApiError(400, "invalid_limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    wanted = request.args.get("type")
    if wanted is not None and wanted not in SEARCH_TYPES:
        raise ApiError(400, "invalid_type", f"type must be one of {', '.join(sorted(SEARCH_TYPES))}")
    query = clean_query(request.args.get("q", ""))
    hits = get_searcher().search(query, lang, int(raw_limit), {wanted} if wanted else None)
    with force_locale(lang):
        return jsonify(
            {
                "query": query,
                "results": [{**hit.as_json(), "name": _t(hit.name), "url": result_url(hit)} for hit in hits],
            }
        )


def result_url(hit: Hit) -> str:
    """Where a result leads: a life experience's start page, a service's page, a program's record."""
    if hit.type == "life_experience":
        return url_for("public.start", slug=hit.id)
    if hit.type == "service":
        found = get_store().service(hit.id)
        return found.url if found else url_for("api.service", service_id=hit.id)
    return url_for("api.program", listing=hit.id)


@bp.get("/programs")
def programs() -> Response:
    """Imported Federal Program Inventory entries (not curated), 50 a page."""
    raw_page = request.args.get("page", "1")
    if not raw_page.isdigit() or not 1 <= int(raw_page) <= 10_000:
        raise ApiError(400, "invalid_page", "page must be a whole number from 1")
    public = request.args.get("public", "false")
    if public not in ("true", "false"):
        raise ApiError(400, "invalid_public", "public must be true or false")
    page = int(raw_page)
    found, total = get_store().programs(
        public_only=public == "true", offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    next_page = url_for("api.programs", public=public, page=page + 1) if page < pages else None
    return jsonify(
        {
            "programs": [program_json(p) for p in found],
            "page": page,
            "pages": pages,
            "total": total,
            "next": next_page,
        }
    )


@bp.get("/programs/<listing>")
def program(listing: str) -> Response:
    """One imported program by Assistance Listing number."""
    found = get_store().program(listing)
    if found is None:
        raise ApiError(404, "not_found", f"no imported program {listing!r}")
    return jsonify(program_json(found))


def program_json(row: dict[str, Any]) -> dict[str, Any]:
    """A program as the contract describes it; programs are never curated."""
    keys = (
        "listing",
        "title",
        "popular_name",
        "agency",
        "sub_agency",
        "program_type",
        "fiscal_year",
        "objective",
        "applicant_types",
        "beneficiary_types",
        "assistance_types",
        "categories",
        "sam_url",
        "public",
    )
    return {**{k: row[k] for k in keys}, "curated": False}


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 document for this API."""
    from flask import current_app

    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    # The languages come from configuration, so the document always says what this server accepts.
    for operation in (op for path in document["paths"].values() for op in path.values()):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "lang":
                parameter["schema"] = {"type": "string", "enum": list(current_app.config["LOCALES"])}
    return jsonify(document)
