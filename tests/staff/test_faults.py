"""Faults while staff work: a process killed mid-save, and a read-only copy of the index."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from navigator import create_app
from tests.staff.conftest import ACCOUNTS, add_accounts, sign_in

# A writer that saves one entry again and again, each save a new revision, until it is killed.
SAVER = textwrap.dedent(
    """
    import sys
    from navigator import create_app
    app = create_app({"DATABASE": sys.argv[1], "SECRET_KEY": "k"})
    store = app.extensions["navigator.store"]
    n = 0
    while True:
        entry = store.staff_entry("ssa-retirement-benefits")
        data = dict(entry.data)
        n += 1
        data["summary"] = f"Saved {n} times. " + "A longer summary to make each write bigger. " * 50
        store.save_service(data, entry.revision, "editor@ssa.example.gov", f"save {n}")
        if n == 1:
            print("saving", flush=True)
    """
)


def test_kill_during_staff_saves_leaves_a_whole_revision(tmp_path: Path) -> None:
    db = tmp_path / "saves.db"
    app = create_app({"DATABASE": str(db), "SECRET_KEY": "k"})
    start = app.extensions["navigator.store"].staff_entry("ssa-retirement-benefits")
    assert start is not None
    app.extensions["navigator.store"].close()
    for delay in (0.05, 0.3, 0.8):
        copy = tmp_path / f"kill-{delay}.db"
        shutil.copy(db, copy)
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(copy)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        assert process.stdout is not None and process.stdout.readline().strip() == b"saving"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            revision, data = conn.execute(
                "SELECT revision, data FROM services WHERE id = 'ssa-retirement-benefits'"
            ).fetchone()
            latest, saved = conn.execute(
                "SELECT revision, data FROM service_revisions WHERE service_id = 'ssa-retirement-benefits' "
                "ORDER BY revision DESC LIMIT 1"
            ).fetchone()
        # Either state is whole: the entry is exactly its newest revision, nothing half written.
        assert revision == latest and revision > start.revision
        assert json.loads(data) == json.loads(saved)
        assert json.loads(data)["summary"].startswith(f"Saved {revision - start.revision} times.")


def test_a_read_only_copy_says_staff_work_on_the_primary(tmp_path: Path) -> None:
    primary = tmp_path / "primary.db"
    app = create_app({"DATABASE": str(primary), "SECRET_KEY": "k"})
    add_accounts(app)
    app.extensions["navigator.store"].close()
    snapshot = tmp_path / "snapshot.db"
    shutil.copy(primary, snapshot)
    read_only = create_app({"DATABASE": str(snapshot), "SECRET_KEY": "k", "READ_ONLY": True})
    client = read_only.test_client()
    assert client.get("/").status_code == 200
    response = sign_in(client, ACCOUNTS["admin"][0])
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "read-only" in page and "primary" in page and "Traceback" not in page
    with sqlite3.connect(snapshot) as conn:
        assert conn.execute("SELECT count(*) FROM staff_sessions").fetchone()[0] == 0
