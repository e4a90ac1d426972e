"""The dashboard, the audit log and the users pages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from navigator import auth
from tests.pages import check_page
from tests.staff.conftest import ACCOUNTS, form_token, sign_in

TARGET = "ssa-retirement-benefits"


def test_the_dashboard_shows_what_needs_attention_feedback_and_funnels(
    staff_app: Flask, signed_in: Callable[[str], FlaskClient]
) -> None:
    store = staff_app.extensions["navigator.store"]
    entry = store.staff_entry(TARGET)
    store.save_service(
        {**entry.data, "last_verified": "2020-01-02"}, entry.revision, "editor@ssa.example.gov"
    )
    store.save_link_checks(
        [
            {
                "url": entry.data["source_url"],
                "ok": False,
                "status": 404,
                "final_url": "",
                "error": "",
                "elapsed_ms": 5,
                "redirects": [],
            }
        ]
    )
    store.record_feedback(["retirement"], "en", True, ["ease"], "")
    store.record_feedback(["retirement"], "en", False, [], "")
    for step in ("start", "start", "date_of_birth", "plan"):
        store.count_step("retirement", step)
    editor = signed_in("ssa_editor")
    soup = check_page(editor.get("/staff/"))
    text = soup.get_text(" ", strip=True)
    assert "1 entry waiting to be published" in text
    assert "entries not verified in 180 days" in text or "entry not verified in 180 days" in text
    stale = soup.find(id="stale-heading").find_next("ul").get_text()
    assert "last verified 2020-01-02" in stale
    broken = soup.find(id="broken-heading").find_next("ul").get_text(" ")
    assert entry.data["source_url"] in broken and "HTTP 404" in broken
    feedback = soup.find("caption", string="Feedback by life experience").find_parent("table")
    assert [td.get_text() for td in feedback.select("tbody tr")[0].find_all(["th", "td"])] == [
        "Approaching retirement and turning 65",
        "2",
        "1",
        "50%",
    ]
    funnel = soup.find(id="funnel-retirement").find_parent("figure").find("table")
    rows = {tr.th.get_text(strip=True): tr for tr in funnel.select("tbody tr")}
    assert rows["Started"].find_all("td")[0].get_text() == "2"
    assert "funnel-bar--100" in str(rows["Started"])
    assert rows["Saw their plan"].find_all("td")[1].get_text() == "50%"
    assert "funnel-bar--50" in str(rows["Saw their plan"])
    assert not soup.find(attrs={"style": True}), "the CSP forbids inline styles"
    download = editor.get("/staff/feedback.csv")
    assert download.mimetype == "text/csv"
    assert list(csv.reader(io.StringIO(download.get_data(as_text=True))))[1] == [
        "Approaching retirement and turning 65",
        "2",
        "1",
        "50",
    ]


def test_the_audit_log_records_actions_and_filters_pages_and_exports_them(
    staff_app: Flask, signed_in: Callable[[str], FlaskClient]
) -> None:
    store = staff_app.extensions["navigator.store"]
    store.accounts.create_user("=HYPERLINK(1)@x.gov", "hash", "admin", [], [], "test", auth.utcnow())
    sign_in(staff_app.test_client(), "=HYPERLINK(1)@x.gov", "wrong password")
    sign_in(staff_app.test_client(), "my secret password", "wrong password")
    admin = signed_in("admin")
    for n in range(55):
        store.accounts.audit("robot@example.gov", "export", auth.utcnow(), "file", "json", {"n": n})
    soup = check_page(admin.get("/staff/audit"))
    assert "actions found" in soup.get_text()
    assert "Page 1 of 2" in soup.get_text()
    filtered = check_page(admin.get("/staff/audit", query_string={"action": "login_failed"}))
    cells = [tr.find_all("td") for tr in filtered.select("tbody tr")]
    assert [c[1].get_text() for c in cells] == ["(unknown)", "=hyperlink(1)@x.gov"]
    assert "my secret password" not in filtered.get_text()
    by_user = check_page(admin.get("/staff/audit", query_string={"user": ACCOUNTS["admin"][0]}))
    assert {tr.find_all("td")[2].get_text() for tr in by_user.select("tbody tr")} == {"login"}
    exported = admin.get("/staff/audit.csv", query_string={"action": "login_failed"})
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [r["user_email"] for r in rows] == ["", "'=hyperlink(1)@x.gov"]
    assert json.loads(rows[1]["detail"]) == {"reason": "wrong password"}
    assert json.loads(rows[0]["detail"]) == {"reason": "no such account"}
    everything = admin.get("/staff/audit.csv").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(everything)))) > 55


def test_an_admin_adds_and_changes_accounts(
    staff_app: Flask, signed_in: Callable[[str], FlaskClient]
) -> None:
    admin = signed_in("admin")
    check_page(admin.get("/staff/users"))
    token = form_token(admin, "/staff/users/new")
    fields = {"csrf_token": token, "email": "new@fema.example.gov", "role": "editor", "password": "short"}
    refused = admin.post("/staff/users/new", data=fields)
    assert refused.status_code == 422
    errors = {a["href"]: a.get_text() for a in check_page(refused).select(".error-summary a")}
    assert "at least 12" in errors["#password"]
    no_agency = admin.post("/staff/users/new", data={**fields, "password": "a long first password"})
    assert "An editor needs at least one agency" in no_agency.get_data(as_text=True)
    created = admin.post(
        "/staff/users/new", data={**fields, "password": "a long first password", "agencies": "fema"}
    )
    assert created.status_code == 303
    assert (
        sign_in(staff_app.test_client(), "new@fema.example.gov", "a long first password").status_code == 303
    )
    user, _ = staff_app.extensions["navigator.store"].accounts.user_by_email("new@fema.example.gov")
    page = check_page(admin.get(f"/staff/users/{user.id}"))
    assert page.find(id="agencies-fema").has_attr("checked")
    changed = admin.post(
        f"/staff/users/{user.id}",
        data={"csrf_token": token, "role": "reviewer", "locales": "es, fr", "disabled": "yes"},
    )
    assert changed.status_code == 303
    user, _ = staff_app.extensions["navigator.store"].accounts.user_by_email("new@fema.example.gov")
    assert (user.role, user.locales, user.agencies, user.disabled) == ("reviewer", ("es", "fr"), (), True)
    actions = [e.action for e in staff_app.extensions["navigator.store"].accounts.audit_entries()[0]]
    assert {"user_create", "user_update"} <= set(actions)
    me, _ = staff_app.extensions["navigator.store"].accounts.user_by_email(ACCOUNTS["admin"][0])
    demote = admin.post(
        f"/staff/users/{me.id}", data={"csrf_token": token, "role": "editor", "agencies": "ssa"}
    )
    assert demote.status_code == 422 and "only active admin" in demote.get_data(as_text=True)
    assert admin.get("/staff/users/9999").status_code == 404
