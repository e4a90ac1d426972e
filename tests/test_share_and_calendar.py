"""Share a plan by link (tamper-evident), and download its deadlines as a calendar."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from navigator.db import today
from tests.pages import check_page


def set_answers(client: FlaskClient, slugs: list[str], answers: dict[str, object]) -> None:
    with client.session_transaction() as session:
        session["flow"] = {"le": slugs, "a": answers, "p": list(answers), "h": False}


def csrf(soup: BeautifulSoup) -> str:
    return str(soup.find("input", attrs={"name": "csrf_token"})["value"])


def make_link(client: FlaskClient) -> str:
    page = check_page(client.get("/share"))
    assert "Anyone with the link can see your answers" in page.get_text(" ")
    assert page.find(id="share-link") is None, "no link until the person asks for one"
    made = check_page(client.post("/share", data={"csrf_token": csrf(page)}))
    return str(made.find(id="share-link")["value"])


def test_share_link_opens_the_same_plan_elsewhere(app: object, client: FlaskClient) -> None:
    set_answers(
        client,
        ["retirement"],
        {"date_of_birth": "1961-04-15", "worked_years": "ten_or_more", "citizenship": "citizen"},
    )
    mine = check_page(client.get("/plan"))
    link = make_link(client)
    other = app.test_client()  # type: ignore[attr-defined]
    parts = urlsplit(link)
    theirs = check_page(other.get(parts.path + "?" + parts.query))
    assert "Someone shared this plan with you" in theirs.get_text(" ")
    assert [h.get_text() for h in theirs.select(".status-group--likely h3")] == [
        h.get_text() for h in mine.select(".status-group--likely h3")
    ]
    with other.session_transaction() as session:
        assert "flow" not in session, "opening a link stores nothing until the person chooses"
    token = parse_qs(parts.query)["p"][0]
    response = other.post("/plan/shared", data={"csrf_token": csrf(theirs), "p": token})
    assert response.status_code == 303
    with other.session_transaction() as session:
        assert session["flow"]["a"]["worked_years"] == "ten_or_more"


def test_a_changed_link_is_refused(client: FlaskClient) -> None:
    set_answers(client, ["retirement"], {"date_of_birth": "1961-04-15"})
    link = make_link(client)
    parts = urlsplit(link)
    token = parse_qs(parts.query)["p"][0]
    for broken in (token[:-3] + "abc", token[: len(token) // 2], "nonsense", ""):
        response = client.get("/plan/shared", query_string={"p": broken})
        assert response.status_code == 400
        assert "This link has been changed or is not complete" in response.get_data(as_text=True)


def test_calendar_has_every_future_deadline_on_the_right_day(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        now = today()
    born = now - timedelta(days=10)
    set_answers(client, ["having-a-child"], {"child_status": "born", "child_birth_date": born.isoformat()})
    response = client.get("/plan/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    marketplace = [
        when for title, when in events.items() if "Marketplace" in title or "health" in title.lower()
    ]
    assert born + timedelta(days=60) in marketplace
    assert all(isinstance(when, date) and when >= now for when in events.values())
    for line in response.data.split(b"\r\n"):
        assert len(line) <= 75


def test_calendar_for_medicare_initial_enrollment(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        now = today()
    born = date(now.year - 64, 7, 15)
    set_answers(client, ["retirement"], {"date_of_birth": born.isoformat(), "citizenship": "citizen"})
    calendar = Calendar.from_ical(client.get("/plan/calendar.ics").data)
    dates = {
        e.decoded("DTSTART") for e in calendar.walk("VEVENT") if "Initial Enrollment" in str(e["SUMMARY"])
    }
    assert date(born.year + 65, 10, 31) in dates


def test_privacy_page_says_what_is_kept(client: FlaskClient) -> None:
    for url in ("/privacy",):
        page = check_page(client.get(url))
        assert "We keep nothing about you" in page.get_text(" ")
