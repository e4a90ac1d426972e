"""A person goes from the front door to a plan, one question per page, without JavaScript."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.pages import check_page


def csrf(soup: BeautifulSoup) -> str:
    field = soup.find("input", attrs={"name": "csrf_token"})
    assert field is not None
    return str(field["value"])


def start(client: FlaskClient, slug: str, who: str = "self") -> tuple[str, BeautifulSoup]:
    soup = check_page(client.get(f"/life-experiences/{slug}"))
    response = client.post(f"/life-experiences/{slug}/start", data={"csrf_token": csrf(soup), "for": who})
    assert response.status_code == 303
    location = response.headers["Location"]
    return location, check_page(client.get(location))


def answer(client: FlaskClient, location: str, soup: BeautifulSoup, **fields: Any) -> Any:
    return client.post(location, data={"csrf_token": csrf(soup), **fields})


def test_home_offers_three_life_experiences(client: FlaskClient) -> None:
    soup = check_page(client.get("/"))
    titles = [a.get_text(strip=True) for a in soup.select(".experience-list a")]
    for title in ("Approaching retirement and turning 65", "Surviving a disaster", "Having a child"):
        assert title in titles


def test_start_page_says_what_this_is(client: FlaskClient) -> None:
    soup = check_page(client.get("/life-experiences/retirement"))
    text = soup.get_text(" ", strip=True)
    assert "This is not an application" in text
    assert "Nothing about you is stored" in text
    assert re.search(r"It takes about \d+ minutes", text)


def test_retiree_walks_through_to_a_plan(client: FlaskClient) -> None:
    location, soup = start(client, "retirement")
    seen = []
    for _ in range(30):
        if "/questions/" not in location:
            break
        qid = location.rsplit("/", 1)[-1].split("?")[0]
        seen.append(qid)
        assert soup.find("h1").get_text(strip=True)
        assert soup.find("details", class_="why-we-ask")
        assert re.search(r"Question \d+ of about \d+", soup.get_text(" "))
        fields = persona_answer(soup, qid)
        response = answer(client, location, soup, **fields)
        assert response.status_code == 303, (qid, response.status_code)
        location = response.headers["Location"]
        soup = check_page(client.get(location))
    assert location.endswith("/review")
    rows = soup.select(".answer-list__row")
    assert len(rows) == len(seen)
    plan = check_page(client.get("/plan"))
    headings = [h.get_text(" ", strip=True) for h in plan.find_all("h2")]
    assert any(h.startswith("Likely eligible") for h in headings)
    assert any(h.startswith("Not eligible") for h in headings)
    assert "Sign up for Medicare Part A and Part B" in plan.get_text(" ")
    assert plan.select(".checklist li"), "document checklist is missing"
    # Each card says why, with its deadline as a real date: markup, never escaped text.
    medicare = plan.find(id="svc-medicare-part-a-b-enrollment").find_parent("article")
    assert medicare.select("ul.criteria li.criteria__met"), "reasons are missing from the card"
    assert medicare.select(".deadline time[datetime]"), "the deadline is missing from the card"
    assert "&lt;" not in plan.decode(), "escaped markup on the page"
    assert plan.select(".service-card .criteria__unmet"), "not-eligible cards say what is not met"


def persona_answer(soup: BeautifulSoup, qid: str) -> dict[str, str]:
    """A 66-year-old citizen with a long work history and modest income."""
    if soup.find("input", attrs={"name": "year"}):
        return {"month": "3", "day": "10", "year": "1960"}
    if qid == "household_size":
        return {"answer": "2"}
    if soup.find("input", attrs={"name": "answer", "inputmode": "numeric"}):
        return {"answer": "24000"}
    if soup.find("select", attrs={"name": "answer"}):
        return {"answer": "OH"}
    preferred = {
        "worked_years": "ten_or_more",
        "citizenship": "citizen",
        "marital_status": "widowed",
        "employment": "not_working",
    }
    if qid in preferred:
        return {"answer": preferred[qid]}
    radios = [r["value"] for r in soup.find_all("input", attrs={"name": "answer"})]
    return {"answer": "no" if "no" in radios else radios[0]}


def test_date_errors_say_what_to_fix(client: FlaskClient) -> None:
    location, soup = start(client, "retirement")
    assert location.endswith("/questions/date_of_birth")
    cases = [
        ({"month": "2", "day": "30", "year": "1960"}, "Enter a real date"),
        ({"month": "2", "day": "3", "year": "1800"}, "The year must be 1900 or later"),
        ({"month": "2", "day": "3", "year": "2099"}, "must be today or in the past"),
        ({"month": "2", "day": "x", "year": "1960"}, "numbers only"),
        ({"month": "", "day": "", "year": ""}, "Enter a date"),
    ]
    for fields, message in cases:
        response = answer(client, location, soup, **fields)
        assert response.status_code == 422
        page = check_page(response)
        assert page.find("title").get_text().startswith("Error:")
        summary = page.select_one(".error-summary")
        assert summary is not None and message in summary.get_text()
        target = summary.find("a")["href"][1:]
        assert page.find(id=target) is not None


def test_letters_in_a_number_are_refused(client: FlaskClient) -> None:
    location, soup = start(client, "retirement")
    answer(client, location, soup, month="3", day="10", year="1960")
    with client.session_transaction() as session:
        session["flow"]["a"].update(
            {
                "worked_years": "ten_or_more",
                "marital_status": "single",
                "served_in_military": "no",
                "federal_civilian_work": "no",
                "railroad_work": "no",
                "had_pension": "no",
            }
        )
    page = check_page(client.get("/questions/household_size"))
    response = answer(client, "/questions/household_size", page, answer="four")
    assert response.status_code == 422
    assert "whole number" in check_page(response).select_one(".error-summary").get_text()


def test_changing_an_answer_drops_the_follow_up(client: FlaskClient) -> None:
    location, soup = start(client, "retirement")
    with client.session_transaction() as session:
        session["flow"] = {
            "le": ["retirement"],
            "a": {"marital_status": "married", "spouse_worked": "yes"},
            "p": ["marital_status", "spouse_worked"],
        }
    page = check_page(client.get("/questions/marital_status?return=review"))
    response = answer(client, "/questions/marital_status?return=review", page, answer="single")
    assert response.status_code == 303
    review = check_page(client.get("/review"))
    text = review.get_text(" ")
    assert "Never married" in text
    assert "spouse or former spouse" not in text


def test_unknown_slug_and_question_are_404_pages(client: FlaskClient) -> None:
    assert client.get("/life-experiences/no-such-thing").status_code == 404
    start(client, "retirement")
    response = client.get("/questions/no_such_question")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused_clearly(client: FlaskClient) -> None:
    response = client.post("/life-experiences/retirement/start", data={})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_tampered_cookie_gets_a_clear_400_and_is_cleared(client: FlaskClient) -> None:
    start(client, "retirement")
    cookie = client.get_cookie("navigator")
    assert cookie is not None
    client.set_cookie("navigator", cookie.value[:-4] + "AAAA")
    response = client.get("/plan")
    assert response.status_code == 400
    assert "We could not read your saved answers" in response.get_data(as_text=True)
    assert client.get("/plan").status_code == 303


def test_start_over_clears_everything(client: FlaskClient) -> None:
    location, soup = start(client, "retirement")
    plan = check_page(client.get("/plan"))
    form = plan.find("form", action="/start-over")
    response = client.post("/start-over", data={"csrf_token": csrf(plan)})
    assert form is not None and response.status_code == 303
    with client.session_transaction() as session:
        assert "flow" not in session
    assert client.get("/review").status_code == 303


def test_oversized_post_is_refused(client: FlaskClient) -> None:
    response = client.post("/questions/date_of_birth", data={"answer": "x" * 200_000})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_htmx_gets_the_fragment_and_pages_vary_on_it(client: FlaskClient) -> None:
    location, soup = start(client, "retirement")
    full = client.get(location)
    fragment = client.get(location, headers={"HX-Request": "true"})
    assert "HX-Request" in full.headers.get("Vary", "")
    assert "HX-Request" in fragment.headers.get("Vary", "")
    assert "<html" in full.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "<h1" in body and "<title>" in body
    response = client.post(
        location,
        data={"csrf_token": csrf(soup), "month": "3", "day": "10", "year": "1960"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "/questions/" in response.headers["HX-Location"]


def test_security_headers_on_pages(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_start_asks_who_the_answers_are_for(client: FlaskClient) -> None:
    soup = check_page(client.get("/life-experiences/retirement"))
    response = client.post("/life-experiences/retirement/start", data={"csrf_token": csrf(soup)})
    assert response.status_code == 422
    page = check_page(response)
    assert "Choose who you are answering for" in page.select_one(".error-summary").get_text()


def test_someone_helping_a_parent_sees_questions_about_that_person(client: FlaskClient) -> None:
    location, soup = start(client, "retirement", who="other")
    heading = soup.find("h1").get_text(" ", strip=True)
    assert "the person you are helping" in heading.lower() or "person you help" in heading.lower()
    answer(client, location, soup, month="3", day="10", year="1950")
    plan = check_page(client.get("/plan"))
    assert "This plan is for the person you are helping" in plan.get_text(" ")


def test_adding_a_second_life_experience_keeps_answers_and_merges_the_plan(client: FlaskClient) -> None:
    location, soup = start(client, "disaster")
    with client.session_transaction() as session:
        session["flow"]["a"].update(
            {"household_size": 3, "household_income": 20000, "citizenship": "citizen"}
        )
        session["flow"]["p"] = ["household_size", "household_income", "citizenship"]
    plan = check_page(client.get("/plan"))
    form = plan.find("form", action="/life-experiences/having-a-child/add")
    assert form is not None
    response = client.post("/life-experiences/having-a-child/add", data={"csrf_token": csrf(plan)})
    assert response.status_code == 303
    asked = response.headers["Location"].rsplit("/", 1)[-1]
    assert asked not in ("household_size", "household_income", "citizenship")
    merged = check_page(client.get("/plan"))
    text = merged.get_text(" ")
    assert "Surviving a disaster" in text and "Having a child" in text
    ids = [a["id"] for a in merged.select("article.service-card h3")]
    assert len(ids) == len(set(ids)), "a service appears twice"
    assert text.count("Help from your state and community") == 1


def test_plan_points_to_state_and_local_help(client: FlaskClient) -> None:
    start(client, "retirement")
    plan = check_page(client.get("/plan"))
    links = [a["href"] for a in plan.select(".beyond a")]
    assert "https://www.211.org" in links


def test_plan_offers_related_life_experiences_first(client: FlaskClient) -> None:
    start(client, "retirement")
    plan = check_page(client.get("/plan"))
    topics = [b.get_text(" ", strip=True) for b in plan.select(".topic-list button")]
    assert topics[:3] == [
        "Add: Living with a disability",
        "Add: Death of a loved one",
        "Add: Losing a job or income",
    ]
    assert len(plan.select(".topic-list__note")) == 3
