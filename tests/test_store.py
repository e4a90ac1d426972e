"""The index database: migrations, idempotent seeding, and a store that returns dataclasses."""

from __future__ import annotations

from pathlib import Path

from life_experiences.model import Bank
from services_index.content import Content
from services_index.model import Service
from services_index.store import Store


def test_migrate_and_seed_into_a_real_file(bank: Bank, content: Content, tmp_path: Path) -> None:
    store = Store(tmp_path / "index.db", bank)
    store.migrate()
    report = store.seed(content)
    assert report.added == len(content.services)
    services = store.published_services()
    assert len(services) == len(content.services)
    assert all(isinstance(s, Service) for s in services)
    db = store.connect()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db["service_revisions"].count == len(content.services)


def test_seeding_twice_changes_nothing(bank: Bank, content: Content, tmp_path: Path) -> None:
    store = Store(tmp_path / "index.db", bank)
    store.migrate()
    store.seed(content)
    version = store.version()
    again = store.seed(content)
    assert (again.added, again.updated) == (0, 0)
    assert store.version() == version
    assert store.connect()["service_revisions"].count == len(content.services)


def test_staff_edits_are_kept_when_seeding_again(bank: Bank, content: Content, tmp_path: Path) -> None:
    store = Store(tmp_path / "index.db", bank)
    store.migrate()
    store.seed(content)
    chosen = next(iter(content.services))
    entry = store.staff_entry(chosen)
    assert entry is not None
    saved = store.save_service(
        {**entry.data, "summary": "Edited by agency staff."}, entry.revision, "editor@agency.gov"
    )
    store.publish(chosen, saved.revision, "editor@agency.gov")
    report = store.seed(content)
    assert report.updated == 0
    found = store.service(chosen)
    assert found is not None and found.summary == "Edited by agency staff."


def test_migrating_twice_is_harmless(bank: Bank, tmp_path: Path) -> None:
    store = Store(tmp_path / "index.db", bank)
    store.migrate()
    store.migrate()
    assert store.version() == "0"
    assert store.is_empty()
