"""Search: typos, synonyms, Spanish, curated before imported, hostile input, the API and pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services_index.programs import read
from services_index.search import Searcher
from tests.openapi import validate
from tests.pages import check_page


@pytest.fixture()
def searcher(app: Flask) -> Searcher:
    store = app.extensions["navigator.store"]
    store.import_programs(read(Path(__file__).parent / "fixtures" / "programs.json")[0])
    return Searcher(store)


def top(searcher: Searcher, query: str, n: int = 3, language: str = "en") -> list[str]:
    return [h.ref for h in searcher.search(query, language, limit=n)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pasport renewel", "service:passport-renewal"),
        ("medicaire savings", "service:medicare-savings-programs"),
        ("unemplyment insurance", "service:unemployment-insurance"),
    ],
)
def test_typos_still_find_the_service(searcher: Searcher, query: str, expected: str) -> None:
    assert expected in top(searcher, query)


def test_a_typo_result_says_so(searcher: Searcher) -> None:
    best = searcher.search("pasport renewel")[0]
    assert "similar spelling" in best.reasons


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("food stamps", "service:snap"),
        ("my husband passed away", "life_experience:death-of-a-loved-one"),
        ("got laid off", "life_experience:financial-shock"),
    ],
)
def test_everyday_words_match_official_names(searcher: Searcher, query: str, expected: str) -> None:
    assert expected in top(searcher, query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("necesito inscribirme en medicare", "service:medicare-part-a-b-enrollment"),
        ("cupones de comida", "service:snap"),
        ("jubilación", "life_experience:retirement"),
        ("jubilacion", "life_experience:retirement"),
    ],
)
def test_spanish_queries(searcher: Searcher, query: str, expected: str) -> None:
    assert expected in top(searcher, query, language="es")


def test_curated_services_come_before_imported_programs(searcher: Searcher) -> None:
    refs = top(searcher, "social security retirement", n=30)
    assert refs[0] == "service:ssa-retirement-benefits"
    assert refs.index("program:96.002") > refs.index("service:ssa-retirement-benefits")


def test_an_imported_program_named_exactly_comes_near_the_top(searcher: Searcher) -> None:
    assert "program:96.002" in top(searcher, "social security retirement insurance", n=5)


def test_programs_not_for_people_are_hidden_from_the_public(searcher: Searcher) -> None:
    assert "program:10.999" not in top(searcher, "example research grants universities", n=20)
    staff = [h.ref for h in searcher.search("example research grants universities", public_only=False)]
    assert "program:10.999" in staff


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "   ",
        "a",
        "\x00\x01",
        "x" * 10_000,
        "🔥🏠🌊",
        "медицина medicare",
        "医疗保险",
        "مساعدة",
        '" OR 1=1 --',
        "'; DROP TABLE services; --",
        "child-care",
        "NEAR(a b)",
        "a AND (b OR",
        "*",
        '"',
        "medicare*",
        "-passport",
        "^snap",
        "col:value",
        "{name}: x",
        "\u202egnissap",
    ],
)
def test_hostile_input_never_breaks_search(searcher: Searcher, hostile: str) -> None:
    results = searcher.search(hostile)
    assert isinstance(results, list) and len(results) <= 10


def test_injection_like_input_still_finds_the_words(searcher: Searcher) -> None:
    assert "service:passport-renewal" in top(searcher, 'passport" OR "x', n=5)
    assert any("child" in ref for ref in top(searcher, "child-care", n=5))


def test_search_api_follows_the_contract(client: FlaskClient) -> None:
    response = client.get("/api/v1/search?q=food+stamps&limit=5")
    assert response.status_code == 200
    validate("/search", "get", 200, response.json)
    assert response.json["query"] == "food stamps" and len(response.json["results"]) <= 5
    assert any(r["id"] == "snap" for r in response.json["results"])
    only = client.get("/api/v1/search?q=retirement&type=life_experience").json
    assert only["results"] and all(r["type"] == "life_experience" for r in only["results"])
    for bad in ("limit=0", "limit=51", "limit=x", "type=person", "lang=xx"):
        error = client.get(f"/api/v1/search?q=snap&{bad}")
        assert error.status_code == 400, bad
        validate("/search", "get", 400, error.json)
    long = client.get("/api/v1/search", query_string={"q": "passport " * 100})
    assert long.status_code == 200 and len(long.json["query"]) <= 200
    assert client.get("/api/v1/search").json == {"query": "", "results": []}


def test_results_page_offers_the_life_experience_and_says_why(client: FlaskClient) -> None:
    page = check_page(client.get("/search?q=my+house+flooded"))
    best = page.select_one(".best-match")
    assert best is not None and "Surviving a disaster" in best.get_text()
    assert page.select(".result__why")
    empty = check_page(client.get("/search?q=zzzzqqqq"))
    assert "We did not find a match" in empty.get_text()


def test_suggestions_are_a_fragment_for_htmx_and_a_redirect_otherwise(client: FlaskClient) -> None:
    fragment = client.get("/search/suggest?q=passport", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and "suggestions__item" in body
    assert "HX-Request" in fragment.headers["Vary"]
    plain = client.get("/search/suggest?q=passport")
    assert plain.status_code == 303 and "/search?q=passport" in plain.headers["Location"]


def test_every_page_with_a_question_has_the_search_box(client: FlaskClient) -> None:
    assert check_page(client.get("/")).find("input", attrs={"name": "q"}) is not None
