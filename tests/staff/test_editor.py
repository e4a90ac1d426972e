"""The service editor: every field round-trips, rule errors are shown in place, saves become revisions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from services_index.content import Content
from tests.pages import check_page
from tests.staff.conftest import form_token
from tests.staff.forms import submitted

TARGET = "ssa-retirement-benefits"
EDIT = f"/staff/services/{TARGET}"


def edit_form(client: FlaskClient, service_id: str = TARGET) -> tuple[BeautifulSoup, MultiDict[str, str]]:
    soup = check_page(client.get(f"/staff/services/{service_id}"))
    return soup, submitted(soup, f"/staff/services/{service_id}")


def post(client: FlaskClient, fields: MultiDict[str, str], service_id: str = TARGET, **headers: str) -> Any:
    return client.post(f"/staff/services/{service_id}", data=fields, headers=headers)


def revision_of(app: Flask, service_id: str = TARGET) -> int:
    entry = app.extensions["navigator.store"].staff_entry(service_id)
    return int(entry.revision)


def errors_of(soup: BeautifulSoup) -> dict[str, str]:
    """Error summary links (target id to message)."""
    summary = soup.select_one(".error-summary")
    assert summary is not None, "no error summary"
    return {a["href"][1:]: a.get_text(strip=True) for a in summary.find_all("a")}


@pytest.fixture()
def admin(signed_in: Callable[[str], FlaskClient]) -> FlaskClient:
    return signed_in("admin")


def sample_services(content: Content) -> list[str]:
    """A few entries that together use every kind of field and rule."""
    wanted: dict[str, Callable[[dict[str, Any]], bool]] = {
        "fixed date": lambda r: "on" in (r.get("deadline") or {}),
        "counted date": lambda r: "from" in (r.get("deadline") or {}) and r["deadline"].get("end_of_month"),
        "turned around": lambda r: '"not"' in json.dumps(r["eligibility"]),
        "poverty": lambda r: "fpl_at_most" in json.dumps(r["eligibility"]),
        "single condition": lambda r: "q" in r["eligibility"],
        "never": lambda r: '{"not": {"all": []}' in json.dumps(r["eligibility"]),
        "forms": lambda r: len(r.get("forms") or []) > 1,
        "everyday": lambda r: r["life_experiences"] == [],
        "nested": lambda r: '"any"' in json.dumps(r["eligibility"]),
    }
    found = []
    for test in wanted.values():
        found.append(next(s.id for s in content.services.values() if test(s.raw)))
    return sorted(set(found))


def test_every_kind_of_entry_saves_back_unchanged(
    staff_app: Flask, admin: FlaskClient, content: Content
) -> None:
    for service_id in sample_services(content):
        _, fields = edit_form(admin, service_id)
        fields["action"] = "save"
        response = post(admin, fields, service_id)
        assert response.status_code == 303, (service_id, response.get_data(as_text=True)[:2000])
        assert "Nothing changed" in admin.get(response.headers["Location"]).get_data(as_text=True), service_id
        assert revision_of(staff_app, service_id) == 1, service_id


def test_a_save_is_a_revision_and_the_public_sees_it_only_when_published(
    staff_app: Flask, admin: FlaskClient, client: FlaskClient
) -> None:
    store = staff_app.extensions["navigator.store"]
    version = store.version()
    _, fields = edit_form(admin)
    fields["summary"] = "You can get a monthly payment when you retire."
    fields["note"] = "Shorter summary"
    response = post(admin, fields)
    assert response.status_code == 303
    page = check_page(admin.get(EDIT))
    assert "Saved as revision 2. Changed: summary." in page.get_text()
    assert "Reading grade" in page.select_one("#summary-grade").get_text()
    assert client.get(f"/api/v1/services/{TARGET}").json["summary"].startswith("You may be able")
    assert store.version() == version
    preview = check_page(admin.get(f"{EDIT}/preview"))
    assert "Preview — not published" in preview.get_text()
    assert "You can get a monthly payment when you retire." in preview.select_one(".preview-card").get_text()
    publish = admin.post(f"{EDIT}/publish", data={"csrf_token": form_token(admin), "revision": "2"})
    assert publish.status_code == 303
    assert client.get(f"/api/v1/services/{TARGET}").json["summary"] == fields["summary"]
    assert store.version() != version
    history = check_page(admin.get(f"{EDIT}/history"))
    assert "Shorter summary" in history.get_text() and "(public)" in history.get_text()
    diff = check_page(admin.get(f"{EDIT}/revisions/2"))
    row = diff.find(lambda tag: tag.name == "th" and tag.get_text().startswith("summary"))
    assert row is not None
    cells = row.find_parent("tr").find_all("td")
    assert cells[0].get_text().startswith("You may be able") and cells[1].get_text() == fields["summary"]


def test_an_old_revision_is_restored_as_a_new_one(staff_app: Flask, admin: FlaskClient) -> None:
    _, fields = edit_form(admin)
    fields["cost"] = "Changed cost"
    post(admin, fields)
    restore = admin.post(
        f"{EDIT}/revisions/1/restore", data={"csrf_token": form_token(admin), "based_on": "2"}
    )
    assert restore.status_code == 303
    store = staff_app.extensions["navigator.store"]
    assert revision_of(staff_app) == 3
    assert store.revision(TARGET, 3)["data"] == store.revision(TARGET, 1)["data"]
    assert store.revision(TARGET, 3)["note"] == "Restored revision 1"
    stale = admin.post(f"{EDIT}/revisions/2/restore", data={"csrf_token": form_token(admin), "based_on": "2"})
    assert stale.status_code == 409


@pytest.mark.parametrize(
    ("row", "field", "says"),
    [
        ({"q": "not_a_question"}, "q", "There is no question “not_a_question”"),
        ({"q": "worked_years", "op": "in", "value": "ten_or_more, lots"}, "value", "has no answer lots"),
        ({"value": "131"}, "value", "an age from 0 to 130"),
        ({"value": "-2"}, "value", "an age from 0 to 130"),
    ],
)
def test_rule_mistakes_are_shown_next_to_the_field_and_in_the_summary(
    staff_app: Flask, admin: FlaskClient, row: dict[str, str], field: str, says: str
) -> None:
    _, fields = edit_form(admin)
    for part, value in row.items():
        fields[f"rule__r-0__{part}"] = value
    response = post(admin, fields)
    assert response.status_code == 422
    soup = check_page(response)
    name = f"rule__r-0__{field}"
    assert says in errors_of(soup)[name]
    inline = soup.find(id=f"{name}-error")
    assert inline is not None and says in inline.get_text()
    assert f"{name}-error" in soup.find(id=name)["aria-describedby"]
    assert soup.find(id=name).get("aria-invalid") == "true"
    assert soup.title.get_text().startswith("Error:")
    assert revision_of(staff_app) == 1


def test_rows_are_added_without_javascript_and_nothing_is_saved(staff_app: Flask, admin: FlaskClient) -> None:
    _, fields = edit_form(admin)
    fields["action"] = "rule-add-group:r"
    soup = check_page(post(admin, fields))
    assert soup.find(id="rule__r-2__combine").has_attr("autofocus")
    assert soup.find(id="rule__r-2-0__q") is not None
    fields = submitted(soup, EDIT)
    fields["action"] = "add-form"
    soup = check_page(post(admin, fields))
    assert soup.find(id="forms-1-number") is not None
    assert revision_of(staff_app) == 1


def test_htmx_redraws_only_the_rule_editor(admin: FlaskClient) -> None:
    _, fields = edit_form(admin)
    fields["action"] = "rule-remove:r-0"
    response = admin.post(f"{EDIT}/rule-editor", data=fields, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'id="rule-editor"' in html
    soup = BeautifulSoup(html, "html5lib")
    assert soup.find(id="rule__r-1__q") is None and soup.find(id="rule__r-0__q").has_attr("autofocus")


def test_the_reading_grade_is_worked_out_as_people_type(admin: FlaskClient) -> None:
    token = form_token(admin)
    missing_token = admin.post(
        "/staff/reading-grade", data={"summary": "Hi."}, headers={"HX-Request": "true"}
    )
    assert missing_token.status_code == 400
    headers = {"HX-Request": "true", "X-CSRFToken": token}
    easy = admin.post("/staff/reading-grade", data={"summary": "You can get help. Call us."}, headers=headers)
    assert "good" in easy.get_data(as_text=True)
    hard = admin.post(
        "/staff/reading-grade",
        data={
            "summary": "Comprehensive eligibility determinations necessitate documentation "
            "substantiating circumstances."
        },
        headers=headers,
    )
    assert "too hard" in hard.get_data(as_text=True)


def test_every_field_has_a_size_limit_with_a_clear_message(staff_app: Flask, admin: FlaskClient) -> None:
    _, fields = edit_form(admin)
    fields["name"] = "n" * 201
    fields["summary"] = "s" * 2001
    fields["apply-phone"] = "1" * 51
    fields["keywords-en"] = "\n".join(f"word{i}" for i in range(61))
    soup = check_page(post(admin, fields))
    found = errors_of(soup)
    assert "200 characters or fewer" in found["name"]
    assert "2000 characters or fewer" in found["summary"]
    assert "50 characters or fewer" in found["apply-phone"]
    assert "at most 60 keywords" in found["keywords-en"]
    assert revision_of(staff_app) == 1


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"last_verified": "yesterday"}, "last_verified", "YYYY-MM-DD"),
        ({"last_verified": "2999-01-01"}, "last_verified", "cannot be in the future"),
        ({"deadline-years": "two"}, "deadline-years", "whole number"),
        ({"source_url": "http://www.ssa.gov"}, "source_url", "starts with https://"),
        ({"assistance_listing": "96-002"}, "assistance_listing", "like 10.551"),
        ({"agency": "nasa-moon"}, "agency", "agencies you can edit"),
        ({"name": ""}, "name", "Enter name"),
        ({"forms-0-url": ""}, "forms-0-url", "or clear the row"),
    ],
)
def test_wrong_values_are_refused_in_place(
    staff_app: Flask, admin: FlaskClient, change: dict[str, str], field: str, says: str
) -> None:
    _, fields = edit_form(admin)
    for key, value in change.items():
        fields[key] = value
    response = post(admin, fields)
    assert response.status_code == 422
    assert says in errors_of(check_page(response))[field]
    assert revision_of(staff_app) == 1


def test_bad_requests_get_a_clear_4xx_and_nothing_is_written(staff_app: Flask, admin: FlaskClient) -> None:
    _, fields = edit_form(admin)
    token = fields["csrf_token"]
    no_token = MultiDict(fields)
    no_token.pop("csrf_token")
    assert post(admin, no_token).status_code == 400
    unknown = MultiDict(fields)
    unknown["is_admin"] = "yes"
    response = post(admin, unknown)
    assert response.status_code == 400 and "a field we do not know" in response.get_data(as_text=True)
    twice = MultiDict(fields)
    twice.add("name", "Second name")
    assert "sent more than once" in post(admin, twice).get_data(as_text=True)
    wrong_type = MultiDict(fields)
    wrong_type["based_on"] = "latest"
    assert post(admin, wrong_type).status_code == 400
    broken_tree = MultiDict(fields)
    broken_tree["rule__r-7-3__kind"] = "condition"
    assert post(admin, broken_tree).status_code == 400
    not_utf8 = admin.post(
        EDIT,
        data=b"based_on=1&name=\xff\xfe&summary=\xc3",
        content_type="application/x-www-form-urlencoded",
        headers={"X-CSRFToken": token},
    )
    assert not_utf8.status_code == 400 and "Traceback" not in not_utf8.get_data(as_text=True)
    replaced = MultiDict(fields)
    replaced["summary"] = "Broken \ufffd text"
    found = errors_of(check_page(post(admin, replaced)))
    assert "characters that are not text" in found["summary"]
    huge = admin.post(EDIT, data={"csrf_token": token, "summary": "x" * 600_000})
    assert huge.status_code == 413 and "too large" in huge.get_data(as_text=True)
    assert revision_of(staff_app) == 1


def test_a_draft_with_problems_cannot_be_published(staff_app: Flask, admin: FlaskClient) -> None:
    token = form_token(admin, "/staff/services/new")
    created = admin.post(
        "/staff/services/new",
        data={"csrf_token": token, "id": "new-test-service", "name": "New", "agency": "ssa"},
    )
    assert created.status_code == 303 and created.headers["Location"] == "/staff/services/new-test-service"
    page = check_page(admin.get("/staff/services/new-test-service"))
    assert "Fix these before you publish" in page.get_text()
    refused = admin.post(
        "/staff/services/new-test-service/publish", data={"csrf_token": token, "revision": "1"}
    )
    assert refused.status_code == 422
    soup = check_page(refused)
    links = [a["href"] for a in soup.select("main ul a")]
    assert "/staff/services/new-test-service#summary" in links
    again = admin.post(
        "/staff/services/new",
        data={"csrf_token": token, "id": "new-test-service", "name": "x", "agency": "ssa"},
    )
    assert again.status_code == 422 and "already an entry" in again.get_data(as_text=True)
    bad_id = admin.post(
        "/staff/services/new", data={"csrf_token": token, "id": "Not A Slug", "name": "x", "agency": "ssa"}
    )
    assert "lower-case letters" in bad_id.get_data(as_text=True)


def test_publishing_a_revision_someone_replaced_is_refused(staff_app: Flask, admin: FlaskClient) -> None:
    _, fields = edit_form(admin)
    fields["cost"] = "New cost"
    post(admin, fields)
    stale = admin.post(f"{EDIT}/publish", data={"csrf_token": form_token(admin), "revision": "1"})
    assert stale.status_code == 409 and "revision 2 was saved since" in stale.get_data(as_text=True)


def unreferenced(staff_app: Flask, content: Content) -> str:
    """A published entry that no golden scenario names."""
    from services_index import references

    for service in content.services.values():
        if not references.in_scenarios(service.id):
            return service.id
    raise AssertionError("every entry is named in a scenario")


def test_archiving_is_refused_while_a_scenario_names_the_entry(admin: FlaskClient) -> None:
    response = admin.post(f"{EDIT}/archive", data={"csrf_token": form_token(admin)})
    assert response.status_code == 409
    text = check_page(response).get_text()
    assert "cannot be archived yet" in text and "retirement.yaml" in text


def test_archive_takes_an_entry_off_the_public_site_and_back_to_draft(
    staff_app: Flask, admin: FlaskClient, client: FlaskClient, content: Content
) -> None:
    service_id = unreferenced(staff_app, content)
    name = content.services[service_id].name
    token = form_token(admin)

    def found_by_search() -> bool:
        page = BeautifulSoup(
            client.get("/search", query_string={"q": name}).get_data(as_text=True), "html5lib"
        )
        return name in [h.get_text(strip=True) for h in page.select(".result__name")]

    assert client.get(f"/api/v1/services/{service_id}").status_code == 200 and found_by_search()
    assert admin.post(f"/staff/services/{service_id}/archive", data={"csrf_token": token}).status_code == 303
    assert client.get(f"/api/v1/services/{service_id}").status_code == 404
    assert not found_by_search()
    assert (
        admin.post(f"/staff/services/{service_id}/unarchive", data={"csrf_token": token}).status_code == 303
    )
    entry = staff_app.extensions["navigator.store"].staff_entry(service_id)
    assert entry.state == "draft"
    assert client.get(f"/api/v1/services/{service_id}").status_code == 404
    published = admin.post(
        f"/staff/services/{service_id}/publish", data={"csrf_token": token, "revision": "1"}
    )
    assert published.status_code == 303
    assert client.get(f"/api/v1/services/{service_id}").status_code == 200


def test_archiving_the_last_service_of_a_life_experience_is_refused(
    staff_app: Flask, admin: FlaskClient
) -> None:
    from services_index import references

    store = staff_app.extensions["navigator.store"]
    entries = store.staff_entries()
    only = [e for e in entries if e.id == TARGET]
    found = references.last_in_life_experiences(only[0], only, store.bank)
    assert found == [
        "the life experience “Approaching retirement and turning 65” would have no published services"
    ]
    assert references.last_in_life_experiences(only[0], entries, store.bank) == []


PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_from_staff_is_escaped_on_public_pages_and_in_the_api(
    staff_app: Flask, admin: FlaskClient, client: FlaskClient, content: Content, payload: str
) -> None:
    service_id = next(
        s.id for s in content.services.values() if s.raw["eligibility"] == {"all": []} and s.life_experiences
    )
    _, fields = edit_form(admin, service_id)
    fields["name"] = f"Zanzibarish {payload}"
    fields["summary"] = f"Summary {payload}"
    assert post(admin, fields, service_id).status_code == 303
    token = form_token(admin)
    published = admin.post(
        f"/staff/services/{service_id}/publish", data={"csrf_token": token, "revision": "2"}
    )
    assert published.status_code == 303
    with client.session_transaction() as session:
        session["flow"] = {"le": list(content.services[service_id].life_experiences), "a": {}, "p": []}
    pages = {
        "plan": client.get("/plan"),
        "search": client.get("/search", query_string={"q": "zanzibarish"}),
        "staff list": admin.get("/staff/services", query_string={"q": "zanzibarish"}),
        "staff edit": admin.get(f"/staff/services/{service_id}"),
        "preview": admin.get(f"/staff/services/{service_id}/preview"),
    }
    for where, response in pages.items():
        html = response.get_data(as_text=True)
        assert "Zanzibarish" in html, where
        assert payload not in html, where
        soup = BeautifulSoup(html, "html5lib")
        assert not soup.find("img", attrs={"onerror": True}), where
        assert not any("alert(1)" in (s.string or "") for s in soup.find_all("script")), where
    api = client.get(f"/api/v1/services/{service_id}")
    assert api.json["name"] == f"Zanzibarish {payload}"
    assert "<" not in api.get_data(as_text=True) and ">" not in api.get_data(as_text=True)
    assert api.headers["Content-Type"].startswith("application/json")
