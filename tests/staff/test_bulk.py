"""Import and export: downloads, a dry run before anything is written, all or nothing, clear reports."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from navigator import auth
from navigator.cli import main
from tests.pages import check_page
from tests.staff.conftest import ACCOUNTS, HASH, form_token

TARGET = "ssa-retirement-benefits"


@pytest.fixture()
def admin(signed_in: Callable[[str], FlaskClient]) -> FlaskClient:
    return signed_in("admin")


def upload(client: FlaskClient, name: str, data: bytes) -> Any:
    token = form_token(client, "/staff/transfer")
    return client.post(
        "/staff/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def exported(client: FlaskClient, fmt: str = "json", scope: str = "published") -> bytes:
    response = client.get(f"/staff/export.{fmt}", query_string={"scope": scope})
    assert response.status_code == 200
    assert f'filename="services-{scope}-' in response.headers["Content-Disposition"]
    return bytes(response.get_data())


def revisions(app: Flask) -> int:
    return int(
        app.extensions["navigator.store"]
        .connect()
        .execute("SELECT count(*) FROM service_revisions")
        .fetchone()[0]
    )


def test_export_published_entries_as_json_and_csv(staff_app: Flask, admin: FlaskClient) -> None:
    document = json.loads(exported(admin))
    assert document["format"] == "navigator-services/1" and document["scope"] == "published"
    ids = [item["entry"]["id"] for item in document["services"]]
    assert TARGET in ids and len(ids) == len(staff_app.extensions["navigator.store"].published_services())
    rows = list(csv.DictReader(io.StringIO(exported(admin, "csv").decode())))
    assert len(rows) == len(ids)
    row = next(r for r in rows if r["id"] == TARGET)
    assert json.loads(row["eligibility"])["all"][0]["q"] == "date_of_birth"
    assert row["state"] == "published" and row["revision"] == "1"
    assert "export" in [e.action for e in staff_app.extensions["navigator.store"].accounts.audit_entries()[0]]


def test_a_dry_run_lists_added_changed_and_unchanged_then_apply_writes_revisions(
    staff_app: Flask, admin: FlaskClient, client: FlaskClient
) -> None:
    document = json.loads(exported(admin, scope="all"))
    target = next(item for item in document["services"] if item["entry"]["id"] == TARGET)
    target["entry"]["cost"] = "Imported cost"
    target["entry"]["processing_time"] = "Imported time"
    new = json.loads(json.dumps(target))
    new["entry"]["id"] = "imported-new-service"
    new.pop("revision")
    document["services"].append(new)
    before = revisions(staff_app)
    report = upload(admin, "services.json", json.dumps(document).encode())
    assert report.status_code == 200
    soup = check_page(report)
    text = soup.get_text(" ", strip=True)
    assert "1 entry to add" in text and "imported-new-service" in text
    assert "1 entry to change" in text and f"{TARGET}: cost, processing_time" in text
    assert f"{len(document['services']) - 2} entries unchanged" in text
    assert revisions(staff_app) == before
    apply_url = soup.find("form", attrs={"action": lambda a: a and a.endswith("/apply")})["action"]
    applied = admin.post(apply_url, data={"csrf_token": form_token(admin), "publish": "yes"})
    assert applied.status_code == 303
    assert revisions(staff_app) == before + 2
    store = staff_app.extensions["navigator.store"]
    assert store.revision(TARGET, 2)["note"] == "Imported from services.json"
    assert client.get(f"/api/v1/services/{TARGET}").json["cost"] == "Imported cost"
    assert client.get("/api/v1/services/imported-new-service").status_code == 200
    again = admin.post(apply_url, data={"csrf_token": form_token(admin)})
    assert again.status_code == 404


def test_an_import_checked_before_someone_else_saved_is_not_applied(
    staff_app: Flask, admin: FlaskClient
) -> None:
    document = json.loads(exported(admin, scope="all"))
    for item in document["services"]:
        item.pop("revision")
        if item["entry"]["id"] == TARGET:
            item["entry"]["cost"] = "From the file"
    soup = check_page(upload(admin, "services.json", json.dumps(document).encode()))
    apply_url = soup.find("form", attrs={"action": lambda a: a and a.endswith("/apply")})["action"]
    store = staff_app.extensions["navigator.store"]
    entry = store.staff_entry(TARGET)
    store.save_service(
        {**entry.data, "summary": "Meanwhile, someone edited."}, entry.revision, "other@ssa.gov"
    )
    before = revisions(staff_app)
    refused = admin.post(apply_url, data={"csrf_token": form_token(admin)})
    assert refused.status_code == 409 and TARGET in refused.get_data(as_text=True)
    assert revisions(staff_app) == before


def csv_with(change: Callable[[list[dict[str, str]]], None], admin: FlaskClient) -> bytes:
    rows = list(csv.DictReader(io.StringIO(exported(admin, "csv").decode())))
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("latin1.csv", lambda admin: "id,name\nx,Caf\xe9\n".encode("latin-1"), "not UTF-8 text"),
        ("wrong.csv", lambda admin: b"id,title\nx,y\n", "Unknown columns: title"),
        (
            "types.csv",
            lambda admin: csv_with(lambda rows: rows[0].update(eligibility="[1, 2]"), admin),
            "row 2, field 'eligibility': must be a JSON object",
        ),
        (
            "dupes.csv",
            lambda admin: csv_with(lambda rows: rows.append(dict(rows[0])), admin),
            "field 'id': the same id as row 2",
        ),
        (
            "agency.csv",
            lambda admin: csv_with(lambda rows: rows[0].update(agency="nasa-moon"), admin),
            "field 'agency': unknown agency 'nasa-moon'",
        ),
        ("broken.json", lambda admin: b'[{"id": "x",', "not valid JSON"),
    ],
)
def test_malformed_files_get_a_report_naming_row_and_field_and_nothing_is_written(
    staff_app: Flask, admin: FlaskClient, name: str, make: Callable[[FlaskClient], bytes], says: str
) -> None:
    before = revisions(staff_app)
    response = upload(admin, name, make(admin))
    assert response.status_code == 422
    soup = check_page(response)
    assert "nothing was written" in soup.select_one(".error-summary").get_text()
    assert says in soup.get_text(), (
        soup.select_one("main ol").get_text() if soup.select_one("main ol") else ""
    )
    assert revisions(staff_app) == before
    assert (
        not staff_app.extensions["navigator.store"]
        .connect()
        .execute("SELECT count(*) FROM staff_imports")
        .fetchone()[0]
    )


def multipart(token: str, name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body built in memory (the test client spools large bodies to files it never closes)."""
    boundary = "----staff-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/json\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_file_over_the_limit_gets_413_and_a_clear_page(staff_app: Flask, admin: FlaskClient) -> None:
    staff_app.config["MAX_IMPORT_BYTES"] = 1024 * 1024
    token = form_token(admin, "/staff/transfer")
    before = revisions(staff_app)
    body, kind = multipart(token, "huge.json", b"[" + b" " * (50 * 1024 * 1024) + b"]")
    response = admin.post("/staff/import", data=body, content_type=kind)
    assert response.status_code == 413
    page = check_page(response).get_text()
    assert "larger than 1 MB" in page and "Split it into smaller files" in page
    # Just over the file limit, but inside the request allowance: refused once the file is read.
    body, kind = multipart(token, "over.json", b" " * (1024 * 1024 + 10))
    over = admin.post("/staff/import", data=body, content_type=kind)
    assert over.status_code == 413 and "larger than 1 MB" in over.get_data(as_text=True)
    assert revisions(staff_app) == before


def test_an_editor_can_import_only_their_agencys_entries(
    staff_app: Flask, admin: FlaskClient, signed_in: Callable[[str], FlaskClient]
) -> None:
    data = csv_with(lambda rows: None, admin)
    va = signed_in("va_editor")
    response = upload(va, "all.csv", data)
    assert response.status_code == 422
    assert "you can import only entries of va, not 'ssa'" in check_page(response).get_text()


def test_no_file_chosen_is_an_error_next_to_the_input(admin: FlaskClient) -> None:
    token = form_token(admin, "/staff/transfer")
    response = admin.post("/staff/import", data={"csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 422
    soup = check_page(response)
    assert soup.select_one(".error-summary a")["href"] == "#file"


def cli_env(db: Path) -> dict[str, str]:
    return {"NAVIGATOR_DATABASE": str(db), "NAVIGATOR_SECRET_KEY": "bulk-cli"}


def add_admin(db: Path) -> None:
    from navigator import create_app

    app = create_app({"DATABASE": str(db), "SECRET_KEY": "bulk-cli"})
    app.extensions["navigator.store"].accounts.create_user(
        ACCOUNTS["admin"][0], HASH, "admin", [], [], "test", auth.utcnow()
    )
    app.extensions["navigator.store"].close()


def test_cli_exports_and_imports_with_a_dry_run(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    add_admin(db)
    runner = CliRunner()
    out = tmp_path / "export.csv"
    result = runner.invoke(main, ["services", "export", "--format", "csv", str(out)], env=cli_env(db))
    assert result.exit_code == 0 and "published entries" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    next(r for r in rows if r["id"] == TARGET)["cost"] = "Changed by the CLI"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    author = ["--author", ACCOUNTS["admin"][0]]
    dry = runner.invoke(main, ["services", "import", str(out), "--dry-run", *author], env=cli_env(db))
    assert dry.exit_code == 0, dry.output
    assert "dry run: 0 to add, 1 to change" in dry.output and f"change {TARGET}: cost" in dry.output
    real = runner.invoke(main, ["services", "import", str(out), *author], env=cli_env(db))
    assert real.exit_code == 0 and "imported 1 entries" in real.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT revision FROM services WHERE id = ?", [TARGET]).fetchone()[0] == 2
    everything = tmp_path / "all.json"
    result = runner.invoke(main, ["services", "export", "--all", str(everything)], env=cli_env(db))
    assert result.exit_code == 0
    assert json.loads(everything.read_text())["scope"] == "all"


def test_cli_import_refuses_bad_files_and_unknown_authors(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    add_admin(db)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "x", "name": "X", "agency": "nasa-moon"}]))
    runner = CliRunner()
    result = runner.invoke(
        main, ["services", "import", str(bad), "--author", ACCOUNTS["admin"][0]], env=cli_env(db)
    )
    assert result.exit_code == 1
    assert "entry 1 (x), field 'agency': unknown agency 'nasa-moon'" in result.output
    assert "nothing was written" in result.output
    nobody = runner.invoke(
        main, ["services", "import", str(bad), "--author", "nobody@example.gov"], env=cli_env(db)
    )
    assert nobody.exit_code == 1 and "no active account" in nobody.output


def test_kill_during_an_import_leaves_the_old_or_the_new_state(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    add_admin(db)
    source = tmp_path / "many.json"
    result = CliRunner().invoke(main, ["services", "export", "--all", str(source)], env=cli_env(db))
    assert result.exit_code == 0
    document = json.loads(source.read_text())
    template = document["services"][0]
    for n in range(1500):
        copy = json.loads(json.dumps(template))
        copy["entry"]["id"] = f"bulk-entry-{n}"
        copy.pop("revision")
        document["services"].append(copy)
    source.write_text(json.dumps(document))
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM services").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    outcomes = set()
    # The whole import takes about two seconds here; the kills land before, during and after it.
    for delay in (0.3, 1.0, 1.3, 1.6, 1.9, 2.2, 10.0):
        # Each run starts from its own copy of the same database.
        copy_path = tmp_path / f"kill-{delay}.db"
        shutil.copy(db, copy_path)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "navigator.cli",
                "services",
                "import",
                str(source),
                "--author",
                ACCOUNTS["admin"][0],
            ],
            env={**os.environ, **cli_env(copy_path)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with sqlite3.connect(copy_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            services = conn.execute("SELECT count(*) FROM services").fetchone()[0]
            revisions_count = conn.execute("SELECT count(*) FROM service_revisions").fetchone()[0]
        assert services in (before, before + 1500), f"half-written import after {delay}s: {services}"
        assert revisions_count == services, "every entry has exactly its revisions"
        outcomes.add(services)
    assert outcomes == {before, before + 1500}, outcomes
