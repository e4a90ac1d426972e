"""Faults: backups while serving, read-only nodes, a missing or locked database, kill -9."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from navigator import create_app
from navigator.cli import main

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


def env_for(db: Path) -> dict[str, str]:
    return {"NAVIGATOR_DATABASE": str(db), "NAVIGATOR_SECRET_KEY": "resilience"}


def test_backup_and_restore_round_trip_while_serving(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    app = create_app({"DATABASE": str(db), "SECRET_KEY": "k"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    failures: list[str] = []
    stop = threading.Event()

    def keep_reading() -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(base + "/api/v1/services?page=1", timeout=5) as response:
                    if response.status != 200:
                        failures.append(str(response.status))
            except Exception as exc:  # noqa: BLE001 - any failure is what the test looks for
                failures.append(repr(exc))

    reader = threading.Thread(target=keep_reading)
    reader.start()
    try:
        runner = CliRunner()
        copy = tmp_path / "backups" / "copy.db"
        result = runner.invoke(main, ["backup", str(copy)], env=env_for(db))
        assert result.exit_code == 0, result.output
        with sqlite3.connect(copy) as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            services = check.execute("SELECT count(*) FROM services").fetchone()[0]
        with sqlite3.connect(db) as live:
            live.execute("DELETE FROM service_revisions")
            live.execute("DELETE FROM services")
            live.execute("UPDATE meta SET value = value + 1 WHERE key = 'index_version'")
        result = runner.invoke(main, ["restore", str(copy)], env=env_for(db))
        assert result.exit_code == 0, result.output
        time.sleep(0.2)
    finally:
        stop.set()
        reader.join()
        server.shutdown()
    with sqlite3.connect(db) as live:
        assert live.execute("SELECT count(*) FROM services").fetchone()[0] == services
    assert failures == []


def test_restore_refuses_a_file_that_is_not_a_navigator_database(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    CliRunner().invoke(main, ["init-db"], env=env_for(db))
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x (y)")
    result = CliRunner().invoke(main, ["restore", str(other)], env=env_for(db))
    assert result.exit_code == 1 and "is not a navigator database" in result.output


def test_read_only_node_serves_pages_and_refuses_writes(tmp_path: Path) -> None:
    primary = tmp_path / "primary.db"
    create_app({"DATABASE": str(primary), "SECRET_KEY": "k"}).extensions["navigator.store"].close()
    snapshot = tmp_path / "snapshot.db"
    shutil.copy(primary, snapshot)
    app = create_app({"DATABASE": str(snapshot), "SECRET_KEY": "k", "READ_ONLY": True})
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/life-experiences/retirement").status_code == 200
    assert client.get("/api/v1/services/snap").status_code == 200
    runner = CliRunner()
    result = runner.invoke(main, ["seed"], env={**env_for(snapshot), "NAVIGATOR_READ_ONLY": "true"})
    assert result.exit_code == 1 and "read-only" in result.output and "Nothing was changed" in result.output


def test_missing_snapshot_gives_a_clear_page_and_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app({"DATABASE": str(tmp_path / "nowhere.db"), "SECRET_KEY": "k", "READ_ONLY": True})
    response = app.test_client().get("/life-experiences/retirement")
    assert response.status_code == 503
    assert "This service is not available right now" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert any("does not exist" in r.getMessage() for r in caplog.records)
    api = app.test_client().get("/api/v1/life-experiences")
    assert api.status_code == 200  # the question bank needs no database


def test_locked_database_waits_then_says_so(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    CliRunner().invoke(main, ["init-db"], env=env_for(db))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        result = CliRunner().invoke(main, ["seed"], env={**env_for(db), "NAVIGATOR_BUSY_TIMEOUT_MS": "300"})
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert "locked" in result.output and "try again" in result.output
    assert waited >= 0.3
    assert CliRunner().invoke(main, ["seed"], env=env_for(db)).exit_code == 0


@pytest.mark.skipif(
    not (REFERENCE / "federal-program-inventory").exists(), reason="reference data not present"
)
def test_kill_during_bulk_import_leaves_old_or_new_state(tmp_path: Path) -> None:
    source = REFERENCE / "federal-program-inventory" / "assistance_listings_fpi.json"
    outcomes = set()
    for delay in (0.05, 0.3, 0.6, 0.9, 1.2):
        db = tmp_path / f"kill-{delay}.db"
        CliRunner().invoke(main, ["init-db"], env=env_for(db))
        process = subprocess.Popen(
            [sys.executable, "-m", "navigator.cli", "import-programs", str(source)],
            env={**os.environ, **env_for(db)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = conn.execute("SELECT count(*) FROM programs").fetchone()[0]
        assert count in (0, 2682), f"half-written import after {delay}s: {count} rows"
        outcomes.add(count)
    assert outcomes, "no run finished"
