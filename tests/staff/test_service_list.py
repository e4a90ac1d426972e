"""The service list: filters, words, pages; the preview in another language; staff pages stay English."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from tests.pages import check_page
from tests.staff.conftest import form_token

TARGET = "ssa-retirement-benefits"


def listed(client: FlaskClient, **query: str) -> tuple[list[str], str]:
    soup = check_page(client.get("/staff/services", query_string=query))
    ids = [a["href"].rsplit("/", 1)[1] for a in soup.select("tbody td:first-child a")]
    return ids, soup.get_text(" ", strip=True)


@pytest.fixture()
def admin(signed_in: Callable[[str], FlaskClient]) -> FlaskClient:
    return signed_in("admin")


def test_filters_words_and_pages(staff_app: Flask, admin: FlaskClient) -> None:
    store = staff_app.extensions["navigator.store"]
    entry = store.staff_entry(TARGET)
    store.save_service({**entry.data, "last_verified": "2019-05-01"}, entry.revision, "admin@example.gov")
    link = {
        "url": entry.data["source_url"],
        "ok": False,
        "status": 500,
        "final_url": "",
        "error": "timed out",
    }
    store.save_link_checks([{**link, "elapsed_ms": 1, "redirects": []}])
    assert listed(admin, state="pending")[0] == [TARGET]
    assert listed(admin, stale="yes")[0] == [TARGET]
    broken, text = listed(admin, broken="yes")
    assert TARGET in broken and "1 broken link" in text
    ssa, _ = listed(admin, agency="ssa")
    assert TARGET in ssa and all(store.staff_entry(i).agency == "ssa" for i in ssa)
    assert TARGET in listed(admin, q="Retirement SOCIAL", agency="ssa")[0]
    assert listed(admin, q="no such words anywhere")[0] == []
    retirement, _ = listed(admin, life_experience="retirement")
    assert all("retirement" in store.staff_entry(i).life_experiences for i in retirement)
    first, text = listed(admin)
    assert len(first) == 25 and "Page 1 of" in text
    second, _ = listed(admin, page="2")
    assert second and not set(first) & set(second)
    assert listed(admin, page="999")[0]  # past the end shows the last page
    assert listed(admin, page="abc")[0] == first


def test_the_preview_shows_the_card_in_any_configured_language(staff_app: Flask, admin: FlaskClient) -> None:
    staff_app.config["LOCALES"] = ("en", "es")
    soup = check_page(admin.get(f"/staff/services/{TARGET}/preview", query_string={"lang": "es"}))
    card = soup.select_one(".preview-card")
    assert card["lang"] == "es" and card.find("article", class_="service-card")
    assert soup.find("html")["lang"] == "en"
    assert [o["value"] for o in soup.select("#lang option")] == ["en", "es"]
    unknown = check_page(admin.get(f"/staff/services/{TARGET}/preview", query_string={"lang": "xx"}))
    assert unknown.select_one(".preview-card")["lang"] == "en"


def test_staff_pages_are_in_english_whatever_the_browser_asks_for(
    staff_app: Flask, admin: FlaskClient
) -> None:
    staff_app.config["LOCALES"] = ("en", "es")
    page = admin.get("/staff/", headers={"Accept-Language": "es"})
    assert BeautifulSoup(page.get_data(as_text=True), "html5lib").find("html")["lang"] == "en"
    assert 'href="/"' in page.get_data(as_text=True)  # the public link carries no language prefix


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/staff/password", {"current": "x", "colour": "blue"}),
        (f"/staff/services/{TARGET}/publish", {"revision": "1", "force": "yes"}),
        (f"/staff/services/{TARGET}/archive", {"also": "delete"}),
        (f"/staff/services/{TARGET}/revisions/1/restore", {"based_on": "1", "x": "1"}),
        ("/staff/users/new", {"email": "a@b.gov", "is_root": "yes"}),
        ("/staff/reading-grade", {"summary": "Hi.", "extra": "1"}),
        (f"/staff/services/{TARGET}/publish", {"revision": "first"}),
    ],
)
def test_forms_with_fields_our_pages_never_send_are_refused(
    staff_app: Flask, admin: FlaskClient, path: str, fields: dict[str, str]
) -> None:
    version = staff_app.extensions["navigator.store"].version()
    response = admin.post(path, data={"csrf_token": form_token(admin), **fields})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    assert staff_app.extensions["navigator.store"].version() == version
