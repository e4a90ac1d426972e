"""Who may use each staff route: every route, for anonymous people and each kind of account.

The target entry belongs to SSA; ``va_editor`` edits VA only, ``ssa_editor`` edits SSA.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.staff.conftest import ACCOUNTS, add_accounts, csrf, sign_in

TARGET = "ssa-retirement-benefits"
ROLES = ("anonymous", "va_editor", "ssa_editor", "reviewer", "admin")
# (method, path, endpoint, who may use it, form fields); "scoped" means editors of the entry's agency only.
ROUTES = [
    ("GET", "/staff/login", "staff.login", "open", {}),
    ("POST", "/staff/login", "staff.login", "open", {"email": "", "password": ""}),
    ("POST", "/staff/logout", "staff.logout", "signed_in", {}),
    ("GET", "/staff/welcome", "staff.welcome", "signed_in", {}),
    ("GET", "/staff/password", "staff.password", "signed_in", {}),
    ("POST", "/staff/password", "staff.password", "signed_in", {}),
    ("GET", "/staff/", "staff.dashboard", "editing", {}),
    ("GET", "/staff/feedback.csv", "staff.feedback_csv", "editing", {}),
    ("GET", "/staff/services", "staff.services", "editing", {}),
    ("GET", "/staff/services/new", "staff.new_service", "editing", {}),
    ("POST", "/staff/services/new", "staff.new_service", "editing", {}),
    ("POST", "/staff/reading-grade", "staff.reading_grade", "editing", {"summary": "Short words."}),
    ("GET", f"/staff/services/{TARGET}", "staff.edit", "scoped", {}),
    ("POST", f"/staff/services/{TARGET}", "staff.edit", "scoped", {}),
    ("POST", f"/staff/services/{TARGET}/rule-editor", "staff.rule_editor", "scoped", {}),
    ("GET", f"/staff/services/{TARGET}/preview", "staff.preview", "scoped", {}),
    ("POST", f"/staff/services/{TARGET}/publish", "staff.publish", "scoped", {"revision": "1"}),
    ("POST", f"/staff/services/{TARGET}/archive", "staff.archive", "scoped", {}),
    ("POST", f"/staff/services/{TARGET}/unarchive", "staff.unarchive", "scoped", {}),
    ("GET", f"/staff/services/{TARGET}/history", "staff.history", "scoped", {}),
    ("GET", f"/staff/services/{TARGET}/revisions/1", "staff.revision", "scoped", {}),
    ("POST", f"/staff/services/{TARGET}/revisions/1/restore", "staff.restore", "scoped", {"based_on": "1"}),
    ("GET", "/staff/transfer", "staff.transfer_page", "editing", {}),
    ("GET", "/staff/export.json", "staff.export", "editing", {}),
    ("POST", "/staff/import", "staff.import_file", "editing", {}),
    ("POST", "/staff/import/not-a-token/apply", "staff.apply_import", "editing", {}),
    ("GET", "/staff/audit", "staff.audit_log", "admin", {}),
    ("GET", "/staff/audit.csv", "staff.audit_csv", "admin", {}),
    ("GET", "/staff/users", "staff.users", "admin", {}),
    ("GET", "/staff/users/new", "staff.new_user", "admin", {}),
    ("POST", "/staff/users/new", "staff.new_user", "admin", {}),
    ("GET", "/staff/users/1", "staff.edit_user", "admin", {}),
    ("POST", "/staff/users/1", "staff.edit_user", "admin", {}),
]
ALLOWED = {
    "open": set(ROLES),
    "signed_in": {"va_editor", "ssa_editor", "reviewer", "admin"},
    "editing": {"va_editor", "ssa_editor", "admin"},
    "scoped": {"ssa_editor", "admin"},
    "admin": {"admin"},
}


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from navigator import create_app

    app = create_app(
        {
            "DATABASE": str(tmp_path_factory.mktemp("matrix") / "navigator.db"),
            "TESTING": True,
            "SECRET_KEY": "matrix-secret",
        }
    )
    add_accounts(app)
    yield app
    app.extensions["navigator.store"].close()


@pytest.fixture(scope="module")
def clients(matrix_app: Flask) -> dict[str, tuple[FlaskClient, str]]:
    """One client per role, with a CSRF token for its session."""
    found = {}
    for role in ROLES:
        client = matrix_app.test_client()
        if role != "anonymous":
            assert sign_in(client, ACCOUNTS[role][0]).status_code == 303
            page = client.get("/staff/password")
        else:
            page = client.get("/staff/login")
        found[role] = (client, csrf(page.get_data(as_text=True)))
    return found


def test_the_matrix_covers_every_staff_route(matrix_app: Flask) -> None:
    routes = {
        (method, rule.endpoint)
        for rule in matrix_app.url_map.iter_rules()
        if str(rule.rule).startswith("/staff")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert routes == {(method, endpoint) for method, _, endpoint, _, _ in ROUTES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "endpoint", "access", "fields"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_who_may_use_each_route(
    matrix_app: Flask,
    clients: dict[str, tuple[FlaskClient, str]],
    role: str,
    method: str,
    path: str,
    endpoint: str,
    access: str,
    fields: dict[str, str],
) -> None:
    client, token = clients[role]
    if endpoint == "staff.logout" and role != "anonymous":
        # Signing out would end the shared session; use a session of its own.
        client = matrix_app.test_client()
        sign_in(client, ACCOUNTS[role][0])
        token = csrf(client.get("/staff/password").get_data(as_text=True))
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": token, **fields})
    to_login = response.status_code in (302, 303) and response.headers["Location"].startswith("/staff/login")
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if role in ALLOWED[access]:
        assert response.status_code != 403, f"{role} was refused {method} {path}"
        if endpoint not in ("staff.logout", "staff.login"):
            assert not to_login, f"{role} was sent to sign in for {method} {path}"
    elif role == "anonymous":
        assert to_login, f"anonymous got {response.status_code} for {method} {path}"
    else:
        assert response.status_code == 403, f"{role} got {response.status_code} for {method} {path}"
        assert "cannot" in response.get_data(as_text=True) or "permission" in response.get_data(as_text=True)


def test_editors_never_see_other_agencies_entries_in_lists_and_exports(
    clients: dict[str, tuple[FlaskClient, str]],
) -> None:
    client, _ = clients["va_editor"]
    listing = client.get("/staff/services?q=retirement").get_data(as_text=True)
    assert TARGET not in listing
    exported = client.get("/staff/export.json?scope=all").json
    agencies = {item["entry"]["agency"] for item in exported["services"]}
    assert agencies == {"va"}
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert TARGET not in dashboard


def test_an_editor_cannot_move_an_entry_to_an_agency_they_do_not_edit(
    clients: dict[str, tuple[FlaskClient, str]],
) -> None:
    client, token = clients["ssa_editor"]
    page = client.get(f"/staff/services/{TARGET}")
    assert 'value="va"' not in page.get_data(as_text=True)


def test_no_staff_page_is_reachable_by_a_public_session(matrix_app: Flask) -> None:
    public = matrix_app.test_client()
    public.get("/life-experiences/retirement")
    for method, path, _endpoint, access, _fields in ROUTES:
        if method == "GET" and access != "open":
            assert public.get(path).status_code == 303, path


def test_a_refused_staff_page_says_why_and_leads_back_to_the_dashboard(
    clients: dict[str, tuple[FlaskClient, str]],
) -> None:
    client, _ = clients["va_editor"]
    response = client.get(f"/staff/services/{TARGET}")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "You cannot see this page" in page and 'href="/staff/"' in page
    reviewer, _ = clients["reviewer"]
    assert "Your role (reviewer) cannot use this page." in reviewer.get("/staff/services").get_data(
        as_text=True
    )
