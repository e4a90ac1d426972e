"""Two people save the same entry at the same moment: exactly one save wins, the other gets a conflict."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from life_experiences.model import Bank
from services_index import store as store_module
from services_index.content import Content
from services_index.editing import Conflict
from services_index.store import Store
from tests.pages import check_page
from tests.staff.forms import submitted

TARGET = "ssa-retirement-benefits"


@pytest.fixture()
def slow_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each save inside its transaction a moment, so the two saves really overlap."""
    original = store_module.changed_fields

    def slowly(*args: Any) -> list[str]:
        time.sleep(0.15)
        return original(*args)

    monkeypatch.setattr(store_module, "changed_fields", slowly)


def race(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs at the same moment in threads; return what each returned or raised."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int, job: Callable[[], object]) -> None:
        start.wait()
        try:
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_processes_saving_at_once_never_lose_an_update(
    bank: Bank, content: Content, tmp_path: Path, slow_saves: None
) -> None:
    path = tmp_path / "index.db"
    first = Store(path, bank)
    first.migrate()
    first.seed(content)
    # Two Store objects on one file are like two gunicorn workers.
    second = Store(path, bank)
    for round_number in range(4):
        entry = first.staff_entry(TARGET)
        assert entry is not None
        base = entry.revision
        outcomes = race(
            partial(
                first.save_service, {**entry.data, "cost": f"Alice {round_number}"}, base, "alice@ssa.gov"
            ),
            partial(
                second.save_service, {**entry.data, "summary": f"Bob {round_number}"}, base, "bob@ssa.gov"
            ),
        )
        conflicts = [o for o in outcomes if isinstance(o, Conflict)]
        saved = [o for o in outcomes if not isinstance(o, Exception)]
        assert len(saved) == 1 and len(conflicts) == 1, outcomes
        assert conflicts[0].current is not None and conflicts[0].current.revision == base + 1
    rows = first.connect().execute(
        "SELECT revision FROM service_revisions WHERE service_id = ? ORDER BY revision", [TARGET]
    )
    assert [r[0] for r in rows.fetchall()] == [1, 2, 3, 4, 5]


def test_two_editors_posting_the_form_at_once_get_one_save_and_one_conflict_page(
    staff_app: Flask, signed_in: Callable[[str], FlaskClient], slow_saves: None
) -> None:
    alice, bob = signed_in("admin"), signed_in("ssa_editor")
    forms = []
    for client in (alice, bob):
        soup = check_page(client.get(f"/staff/services/{TARGET}"))
        forms.append(submitted(soup, f"/staff/services/{TARGET}"))
    forms[0]["cost"] = "Costs nothing at all"
    forms[1]["summary"] = "A new summary from Bob."
    for fields in forms:
        fields["action"] = "save"
    responses = race(
        lambda: alice.post(f"/staff/services/{TARGET}", data=forms[0]),
        lambda: bob.post(f"/staff/services/{TARGET}", data=forms[1]),
    )
    statuses = sorted(r.status_code for r in responses)  # type: ignore[attr-defined]
    assert statuses == [303, 409]
    loser = next(r for r in responses if r.status_code == 409)  # type: ignore[attr-defined]
    soup = check_page(loser)
    assert "Someone else saved this entry while you were editing" in soup.get_text()
    table = soup.select_one("table.diff-table")
    assert table is not None
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    assert heads == ["Field", "Theirs (saved)", "Yours (not saved)"]
    rows = {
        tr.th.get_text(" ", strip=True).split(" ")[0]: [td.get_text() for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    }
    assert set(rows) == {"summary", "cost"}
    # The form is shown again with the loser's changes, now based on the winner's revision.
    again = submitted(soup, f"/staff/services/{TARGET}")
    assert again["based_on"] == "2"
    assert again["cost"] == "Costs nothing at all" and again["summary"] == "A new summary from Bob."
    store = staff_app.extensions["navigator.store"]
    assert store.staff_entry(TARGET).revision == 2
