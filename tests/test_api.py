"""The public JSON API keeps its contract, and every response matches openapi.json."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.openapi import DOC, validate


def test_life_experiences_list(client: FlaskClient) -> None:
    response = client.get("/api/v1/life-experiences")
    assert response.status_code == 200
    validate("/life-experiences", "get", 200, response.json)
    slugs = {e["slug"] for e in response.json["life_experiences"]}
    assert {"retirement", "disaster", "having-a-child"} <= slugs


def test_one_life_experience_with_questions(client: FlaskClient) -> None:
    response = client.get("/api/v1/life-experiences/retirement")
    validate("/life-experiences/{slug}", "get", 200, response.json)
    ids = [q["id"] for q in response.json["questions"]]
    assert "date_of_birth" in ids
    assert all(q["why"] for q in response.json["questions"])


def test_plan_for_a_veteran_turning_65(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/life-experiences/retirement/plan",
        json={
            "answers": {
                "date_of_birth": "1961-04-15",
                "worked_years": "ten_or_more",
                "citizenship": "citizen",
            }
        },
    )
    assert response.status_code == 200, response.json
    validate("/life-experiences/{slug}/plan", "post", 200, response.json)
    by_id = {s["id"]: s for s in response.json["services"]}
    medicare = by_id["medicare-part-a-b-enrollment"]
    assert medicare["status"] == "likely"
    assert medicare["deadline"]["date"] == "2026-07-31"
    assert response.json["next_question"] is not None
    assert response.json["documents"]


def test_plan_with_no_answers_asks_the_first_question(client: FlaskClient) -> None:
    response = client.post("/api/v1/life-experiences/disaster/plan", json={"answers": {}})
    validate("/life-experiences/{slug}/plan", "post", 200, response.json)
    assert response.json["next_question"]["id"]
    assert {s["status"] for s in response.json["services"]} <= {"likely", "more_info", "not_eligible"}


def test_bad_plan_requests_say_what_to_fix(client: FlaskClient) -> None:
    url = "/api/v1/life-experiences/retirement/plan"
    cases = [
        ({"answers": {"nope": "yes"}}, "unknown_question"),
        ({"answers": {"date_of_birth": "1961-02-30"}}, "invalid_answer"),
        ({"answers": {"date_of_birth": "2999-01-01"}}, "invalid_answer"),
        ({"answers": {"household_size": "four"}}, "invalid_answer"),
        ({"answers": {"worked_years": "lots"}}, "invalid_answer"),
        ({"answers": []}, "invalid_body"),
    ]
    for body, code in cases:
        response = client.post(url, json=body)
        assert response.status_code == 400, body
        validate("/life-experiences/{slug}/plan", "post", 400, response.json)
        assert response.json["error"]["code"] == code
        assert response.json["error"]["message"]
    response = client.post(url, data="not json", content_type="application/json")
    assert response.status_code == 400
    assert client.post("/api/v1/life-experiences/nope/plan", json={"answers": {}}).status_code == 404


def test_services_list_and_one_service(client: FlaskClient) -> None:
    response = client.get("/api/v1/services?life_experience=retirement")
    validate("/services", "get", 200, response.json)
    assert response.json["total"] >= 2
    assert all("retirement" in s["life_experiences"] for s in response.json["services"])
    one = client.get("/api/v1/services/medicare-part-a-b-enrollment")
    validate("/services/{id}", "get", 200, one.json)
    assert one.json["source_url"].startswith("https://")
    missing = client.get("/api/v1/services/no-such-service")
    assert missing.status_code == 404
    validate("/services/{id}", "get", 404, missing.json)
    assert client.get("/api/v1/services?page=0").status_code == 400


def test_unknown_language_and_unknown_route_are_json_errors(client: FlaskClient) -> None:
    response = client.get("/api/v1/life-experiences?lang=xx")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "unsupported_language"
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_openapi_document_lists_every_api_route(client: FlaskClient, app: object) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.json["openapi"].startswith("3.")
    routes = {
        str(r.rule).removeprefix("/api/v1")
        for r in app.url_map.iter_rules()  # type: ignore[attr-defined]
        if str(r.rule).startswith("/api/v1")
    }
    documented = {
        p.replace("{slug}", "<slug>").replace("{id}", "<service_id>").replace("{listing}", "<listing>")
        for p in DOC["paths"]
    }
    assert routes == documented


def test_programs_are_marked_not_curated_and_services_link_to_them(app: object, client: FlaskClient) -> None:
    from pathlib import Path

    from services_index.programs import read

    store = app.extensions["navigator.store"]  # type: ignore[attr-defined]
    programs, _ = read(Path(__file__).parent / "fixtures" / "programs.json")
    store.import_programs(programs)
    listed = client.get("/api/v1/programs?public=true")
    validate("/programs", "get", 200, listed.json)
    assert [p["listing"] for p in listed.json["programs"]] == ["96.002"]
    assert all(p["curated"] is False for p in listed.json["programs"])
    one = client.get("/api/v1/programs/10.999")
    validate("/programs/{listing}", "get", 200, one.json)
    assert one.json["public"] is False
    assert client.get("/api/v1/programs/00.000").status_code == 404
    service = client.get("/api/v1/services/ssa-retirement-benefits").json
    assert service["curated"] is True and service["program"] == "/api/v1/programs/96.002"
