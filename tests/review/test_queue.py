"""A reviewer's queue: every public string of their language, with statuses, filters, search and pages."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from services_index.store import Store
from services_index.translations import MESSAGES
from tests.pages import check_page
from tests.review.conftest import HOME, SUMMARY, content_sid, message_sid, save, soup_of


def counts_in(client: FlaskClient, path: str) -> dict[str, int]:
    """The counts per status shown above the queue."""
    soup = check_page(client.get(path))
    found = {}
    for link in soup.select(".review-counts__list a"):
        label, _, number = link.get_text().rpartition(": ")
        found[label] = int(number)
    return found


def sids_in(client: FlaskClient, path: str) -> list[str]:
    """The strings listed on one page of the queue, by id."""
    html = client.get(path).get_data(as_text=True)
    return re.findall(r'href="/review/\w+/strings/([0-9a-f]{16})', html)


def test_the_queue_lists_every_public_string_with_counts_per_status(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer_fr")
    counts = counts_in(client, "/review/fr")
    # French has the interface translated as drafts, and none of the index content yet.
    assert counts["Draft"] == len(store.translations("fr"))
    assert counts["Missing"] > 2000
    assert counts["All"] == sum(v for k, v in counts.items() if k != "All")
    save(client, "fr", message_sid(HOME), "approve", "Préparer sa retraite et avoir 65 ans")
    after = counts_in(client, "/review/fr")
    assert after["Approved"] == 1 and after["Draft"] == counts["Draft"] - 1


def test_filters_by_status_kind_life_experience_service_and_words(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer_fr")
    missing = soup_of(client.get("/review/fr?status=missing&kind=service&service=ssa-retirement-benefits"))
    tags = {t.get_text() for t in missing.select(".review-status")}
    assert tags == {"Missing"}
    assert content_sid(*SUMMARY) in str(missing)
    assert "Social Security retirement benefits" in missing.get_text()
    # A life experience brings its questions, its own texts and its services' fields.
    retirement = client.get("/review/fr?experience=retirement&kind=question").get_data(as_text=True)
    assert "What is your date of birth?" in retirement
    listed = soup_of(client.get("/review/fr?kind=life_experience&experience=retirement")).select_one("tbody")
    assert HOME in listed.get_text() and "Having a child" not in listed.get_text()
    assert len(listed.find_all("tr")) == 3
    # Words are found in the English and in the translation.
    french = store.translation("fr", MESSAGES, "", HOME)
    assert french is not None
    word = french.text.split()[0]
    assert message_sid(HOME) in sids_in(client, f"/review/fr?q={word}&kind=life_experience")
    assert message_sid(HOME) in sids_in(client, "/review/fr?q=approaching+RETIREMENT")
    assert sids_in(client, "/review/fr?q=zzzznothingzzzz") == []


def test_the_queue_is_in_pages_and_odd_arguments_are_ignored(as_user: Callable[[str], FlaskClient]) -> None:
    client = as_user("reviewer")
    first, second = sids_in(client, "/review/es"), sids_in(client, "/review/es?page=2")
    assert len(first) == 50 and len(second) == 50 and not set(first) & set(second)
    last = check_page(client.get("/review/es?page=99999"))
    assert "page" in last.select_one("[role=status]").get_text()
    for odd in (
        "status=bogus",
        "kind=<b>",
        "experience=nope",
        "page=-1",
        "q=" + "x" * 5000,
        "service=" + "y" * 900,
    ):
        assert client.get(f"/review/es?{odd}").status_code == 200


def test_the_english_queue_shows_the_reading_grade(as_user: Callable[[str], FlaskClient]) -> None:
    client = as_user("reviewer_en")
    soup = check_page(client.get("/review/en?kind=service&service=ssa-retirement-benefits"))
    headers = [th.get_text() for th in soup.select("thead th")]
    assert "Grade" in headers
    grades = [row.find_all("td")[2].get_text() for row in soup.select("tbody tr")]
    assert all(re.fullmatch(r"\d+(\.\d)?", g) for g in grades)
    assert {t.get_text() for t in soup.select(".review-status")} == {"Original"}


def test_queue_links_open_the_editor_with_the_filters_kept(as_user: Callable[[str], FlaskClient]) -> None:
    client = as_user("reviewer")
    soup = soup_of(client.get("/review/es?kind=life_experience"))
    first = soup.select_one("tbody a")["href"]
    assert "kind=life_experience" in first
    editor = check_page(client.get(first))
    following = editor.select_one("a[rel=next]")["href"]
    assert "kind=life_experience" in following
    assert check_page(client.get(following)).select_one("a[rel=prev]")["href"] == first


def test_a_reviewer_lands_on_their_queue_and_sees_the_review_link(
    as_user: Callable[[str], FlaskClient],
) -> None:
    client = as_user("reviewer_en2")
    soup = check_page(client.get("/review/"))
    assert [a.get_text() for a in soup.select("tbody th a")] == ["English (en)", "Español (es)"]
    assert soup.select_one('.staff-nav a[href="/review/"]') is not None
