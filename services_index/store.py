"""The one class that owns the index database; nothing else touches SQLite."""

from __future__ import annotations

import fcntl
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from life_experiences.errors import DataFileError, Problem
from life_experiences.model import Bank
from services_index import audit, migrations, references
from services_index.accounts import Accounts
from services_index.agency_directory import DirectoryAgency
from services_index.content import Content, official_domains, parse_service
from services_index.editing import (
    Conflict,
    EditError,
    InvalidEntry,
    SaveResult,
    StaffEntry,
    StillReferenced,
    WrongState,
    entry_from_row,
)
from services_index.entries import canonical, changed_fields, dumps
from services_index.model import Agency, Document, Service
from services_index.programs import ImportReport, Program
from services_index.translations import ContentText, Translation, content_texts

SEED_AUTHOR = "seed"


_UPSERT_TRANSLATION = (
    "INSERT INTO content_translations (locale, domain, context, field, source, source_plural, "
    "text, plurals, status, previous_source, comment, updated_by, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (locale, domain, context, field) DO UPDATE SET source = excluded.source, "
    "source_plural = excluded.source_plural, text = excluded.text, plurals = excluded.plurals, "
    "status = excluded.status, previous_source = excluded.previous_source, "
    "comment = excluded.comment, updated_by = excluded.updated_by, updated_at = excluded.updated_at"
)


def _plurals_json(row: Translation) -> str:
    """A row's plural forms as stored (empty when the text has no plural)."""
    return json.dumps(row.plurals, ensure_ascii=False) if row.plurals else ""


def _translation_values(row: Translation, author: str, stamp: str) -> tuple[Any, ...]:
    """The values of ``_UPSERT_TRANSLATION`` for one row."""
    return (
        row.locale,
        row.domain,
        row.context,
        row.field,
        row.source,
        row.source_plural,
        row.text,
        _plurals_json(row),
        row.status,
        row.previous_source,
        row.comment,
        author,
        stamp,
    )


class StoreError(RuntimeError):
    """The database cannot be used (missing, read-only, locked or damaged)."""


class TranslationConflict(RuntimeError):
    """Someone else saved the translation after the editor opened it."""

    def __init__(self, current_stamp: str):
        super().__init__("the translation changed since you opened it")
        self.current_stamp = current_stamp


@dataclass(frozen=True)
class SeedReport:
    """What a seed run changed."""

    agencies: int
    documents: int
    added: int
    updated: int
    kept: int


@dataclass
class _Snapshot:
    version: str
    services: dict[str, Service]
    agencies: dict[str, Agency]
    documents: dict[str, Document]


def now() -> str:
    """The current time in UTC, ISO formatted."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """The Federal Services Index in one SQLite file."""

    def __init__(self, path: str | Path, bank: Bank, read_only: bool = False, busy_timeout_ms: int = 5000):
        self.path = Path(path)
        self.bank = bank
        self.read_only = read_only
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()
        self.accounts = Accounts(self)
        self.scenario_dir = references.SCENARIO_DIR
        self._allowed: dict[str, str] | None = None

    def connect(self) -> Database:
        """A connection for this thread (opened once, reused)."""
        db = getattr(self._local, "db", None)
        if db is None:
            if self.read_only:
                if not self.path.exists():
                    raise StoreError(f"database file {self.path} does not exist")
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=5)
            db = Database(conn)
            # Wait this long for another writer before giving up with "database is locked".
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.db = db
        return db

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """A write transaction that takes the write lock first (BEGIN IMMEDIATE), or a savepoint inside one.

        Reads and writes inside it see one consistent state, so check-then-write is race-free.
        """
        if self.read_only:
            raise StoreError(
                "the index is open read-only here (NAVIGATOR_READ_ONLY); make changes on the primary"
            )
        db = self.connect()
        if db.conn.in_transaction:
            with db.atomic():
                yield db
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        else:
            db.conn.execute("COMMIT")

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold a file lock so only one process writes in bulk at a time."""
        if self.read_only:
            raise StoreError(
                "the index is open read-only here (NAVIGATOR_READ_ONLY); make changes on the primary"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def migrate(self) -> None:
        """Create the database if needed and apply pending migrations."""
        with self._exclusive():
            db = self.connect()
            db.enable_wal()
            migrations.apply(db)

    def is_empty(self) -> bool:
        """True when no service has been stored yet."""
        db = self.connect()
        return not db.table("services").exists() or db.table("services").count == 0

    def ensure_ready(self, content: Content) -> None:
        """Migrate, and seed when the index is empty: what a first run needs."""
        if self.read_only:
            self.version()
            return
        self.migrate()
        with self._exclusive():
            db = self.connect()
            if self.is_empty() or not db.table("search_docs").count:
                self._seed(content)

    def seed(self, content: Content) -> SeedReport:
        """Load seed content; entries a person has edited are kept, never overwritten."""
        with self._exclusive():
            return self._seed(content)

    def _seed(self, content: Content) -> SeedReport:
        db = self.connect()
        added = updated = kept = 0
        stamp = now()
        with db.atomic():
            db.table("agencies").upsert_all(
                [
                    {
                        "acronym": "",
                        "website": "",
                        "phone": "",
                        "tty": "",
                        "phone_hours": "",
                        **{k: v for k, v in a.__dict__.items() if v is not None},
                        "parent": a.parent,
                    }
                    for a in content.agencies.values()
                ],
                pk="id",
            )
            db.table("documents").upsert_all([d.__dict__ for d in content.documents.values()], pk="id")
            for service in content.services.values():
                data = json.dumps(service.raw, sort_keys=True, ensure_ascii=False)
                row = next(db.table("services").rows_where("id = ?", [service.id]), None)
                if row is None:
                    revision = 1
                    added += 1
                elif row["data"] == data or row["updated_by"] != SEED_AUTHOR:
                    kept += 1
                    continue
                else:
                    revision = row["revision"] + 1
                    updated += 1
                db.table("services").upsert(
                    {
                        "id": service.id,
                        "name": service.name,
                        "agency": service.agency,
                        "life_experiences": json.dumps(list(service.life_experiences)),
                        "data": data,
                        "state": "published",
                        "revision": revision,
                        "published_revision": revision,
                        "curated": 1,
                        "updated_at": stamp,
                        "updated_by": SEED_AUTHOR,
                    },
                    pk="id",
                )
                db.table("service_revisions").insert(
                    {
                        "service_id": service.id,
                        "revision": revision,
                        "data": data,
                        "author": SEED_AUTHOR,
                        "created_at": stamp,
                        "note": "Loaded from seed files",
                    }
                )
            if added or updated or not db.table("search_docs").count:
                self._bump(db)
                self._rebuild_search(db)
        return SeedReport(len(content.agencies), len(content.documents), added, updated, kept)

    def _bump(self, db: Database) -> None:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'index_version'")

    def version(self) -> str:
        """A value that changes whenever published content changes."""
        try:
            row = self.connect().execute("SELECT value FROM meta WHERE key = 'index_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from exc
        if row is None:
            raise StoreError(f"{self.path} has no index version; run 'navigator init-db'")
        return str(row[0])

    def _current(self) -> _Snapshot:
        version = self.version()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version == version:
            return snapshot
        with self._lock:
            snapshot = self._load(version)
            self._snapshot = snapshot
        return snapshot

    def _load(self, version: str) -> _Snapshot:
        db = self.connect()
        agencies = {
            r["id"]: Agency(**{k: (v or "") if k != "parent" else v for k, v in r.items() if k != "source"})
            for r in db.table("agencies").rows
        }
        documents = {r["id"]: Document(r["id"], r["label"]) for r in db.table("documents").rows}
        allowed = official_domains()
        problems: list[Problem] = []
        services: dict[str, Service] = {}
        for row in _published_rows(db):
            raw = json.loads(row["data"])
            service = parse_service(
                raw, (str(self.path), row["id"]), self.bank, agencies, documents, allowed, problems
            )
            if service is not None:
                services[service.id] = Service(
                    **{**service.__dict__, "revision": row["revision"], "curated": bool(row["curated"])}
                )
        if problems:
            raise DataFileError(problems)
        return _Snapshot(version, services, agencies, documents)

    def published_services(self) -> list[Service]:
        """Every published service, by id."""
        return list(self._current().services.values())

    def service(self, service_id: str) -> Service | None:
        """One published service, or None."""
        return self._current().services.get(service_id)

    def agencies(self) -> dict[str, Agency]:
        """Every agency, by id."""
        return self._current().agencies

    def documents(self) -> dict[str, Document]:
        """Every document to gather, by id."""
        return self._current().documents

    def revisions(self, service_id: str) -> list[dict[str, Any]]:
        """The saved revisions of one service, oldest first."""
        return list(
            self.connect()["service_revisions"].rows_where(
                "service_id = ?", [service_id], order_by="revision"
            )
        )

    def import_programs(self, programs: list[Program], dry_run: bool = False) -> ImportReport:
        """Upsert programs by Assistance Listing number in one transaction (or only report)."""
        report = ImportReport()
        db = self.connect()
        existing = dict(db.execute("SELECT listing, data_hash FROM programs").fetchall())
        rows = []
        stamp = now()
        for program in programs:
            row = program.row()
            report.public += program.public
            if program.listing not in existing:
                report.added.append(program.listing)
            elif existing[program.listing] != row["data_hash"]:
                report.updated.append(program.listing)
            else:
                report.unchanged += 1
                continue
            rows.append({**row, "imported_at": stamp})
        if dry_run or not rows:
            return report
        with self._exclusive(), db.atomic():
            db.table("programs").upsert_all(rows, pk="listing")
            self._bump(db)
            self._rebuild_search(db)
        return report

    def imported_listings(self, listings: list[str]) -> set[str]:
        """Which of these Assistance Listing numbers have an imported program (one query)."""
        wanted = [x for x in listings if x]
        if not wanted:
            return set()
        marks = ",".join("?" * len(wanted))
        rows = self.connect().execute(f"SELECT listing FROM programs WHERE listing IN ({marks})", wanted)  # noqa: S608
        return {r[0] for r in rows.fetchall()}

    def program(self, listing: str) -> dict[str, Any] | None:
        """One imported program, or None."""
        row = next(self.connect().table("programs").rows_where("listing = ?", [listing]), None)
        return _program(row) if row else None

    def programs(
        self, public_only: bool = False, offset: int = 0, limit: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        """Imported programs by listing number, with the total count."""
        db = self.connect()
        where = "public = 1" if public_only else None
        total = db.table("programs").count_where(where) if where else db.table("programs").count
        rows = db.table("programs").rows_where(where, order_by="listing", offset=offset, limit=limit)
        return [_program(r) for r in rows], total

    def import_agencies(self, agencies: list[DirectoryAgency], dry_run: bool = False) -> tuple[int, int, int]:
        """Add directory agencies; for agencies we already have, only fill empty facts.

        Returns (added, filled, unchanged). Curated agency facts are never overwritten.
        """
        db = self.connect()
        current = {r["name"].lower(): r for r in db.table("agencies").rows}
        by_id = {r["id"] for r in current.values()}
        added = filled = unchanged = 0
        inserts: list[dict[str, Any]] = []
        updates: list[tuple[str, dict[str, str]]] = []
        for agency in agencies:
            facts = {"website": agency.website, "phone": agency.phone, "tty": agency.tty}
            known = current.get(agency.name.lower())
            if known is None and agency.id not in by_id:
                inserts.append(
                    {
                        "id": agency.id,
                        "name": agency.name,
                        "acronym": "",
                        "phone_hours": "",
                        "parent": None,
                        "source": "usagov-directory",
                        **facts,
                    }
                )
                added += 1
                continue
            known = known or db.table("agencies").get(agency.id)
            missing = {k: v for k, v in facts.items() if v and not known.get(k)}
            if missing:
                updates.append((known["id"], missing))
                filled += 1
            else:
                unchanged += 1
        if not dry_run and (inserts or updates):
            with self._exclusive(), db.atomic():
                db.table("agencies").insert_all(inserts, pk="id")
                for agency_id, missing in updates:
                    db.table("agencies").update(agency_id, missing)
                self._bump(db)
        return added, filled, unchanged

    def save_link_checks(self, results: list[dict[str, Any]]) -> None:
        """Keep the latest result for each URL (staff see broken links)."""
        db = self.connect()
        if self.read_only:
            raise StoreError("the index is open read-only here; link results are not saved")
        rows = [
            {
                **{k: r[k] for k in ("url", "status", "final_url", "error", "elapsed_ms")},
                "ok": int(r["ok"]),
                "redirects": json.dumps(r["redirects"]),
                "checked_at": now(),
            }
            for r in results
        ]
        with db.atomic():
            db.table("link_checks").upsert_all(rows, pk="url")

    def record_feedback(
        self, life_experiences: list[str], locale: str, trust: bool, drivers: list[str], comment: str
    ) -> None:
        """Keep one piece of feedback: the comment must already be scrubbed; the day, not the time."""
        db = self.connect()
        if self.read_only:
            raise StoreError("the index is open read-only here; feedback is kept on the primary")
        with db.atomic():
            db.table("feedback").insert(
                {
                    "life_experiences": ",".join(life_experiences),
                    "locale": locale,
                    "trust": int(trust),
                    "drivers": json.dumps(drivers),
                    "comment": comment,
                    "day": datetime.now(UTC).date().isoformat(),
                }
            )

    def count_step(self, life_experience: str, step: str) -> None:
        """Add one to the anonymous total of people who reached a step."""
        if self.read_only:
            return
        db = self.connect()
        with db.atomic():
            db.execute(
                "INSERT INTO step_counts (life_experience, step, count) VALUES (?, ?, 1) "
                "ON CONFLICT (life_experience, step) DO UPDATE SET count = count + 1",
                [life_experience, step],
            )

    def step_counts(self, life_experience: str) -> dict[str, int]:
        """How many people reached each step of one life experience."""
        rows = (
            self.connect()
            .execute("SELECT step, count FROM step_counts WHERE life_experience = ?", [life_experience])
            .fetchall()
        )
        return dict(rows)

    def feedback_totals(self) -> list[dict[str, Any]]:
        """Trust totals per life experience: how many said yes and no."""
        rows = (
            self.connect()
            .execute(
                "SELECT life_experiences, sum(trust), count(*) FROM feedback GROUP BY life_experiences "
                "ORDER BY life_experiences"
            )
            .fetchall()
        )
        return [{"life_experiences": r[0], "trusted": r[1], "responses": r[2]} for r in rows]

    # Translations -----------------------------------------------------------------------

    def has_translations(self) -> bool:
        """True when translations have been loaded into the database."""
        row = self.connect().execute("SELECT 1 FROM content_translations LIMIT 1").fetchone()
        return row is not None

    def seed_translations(self, rows: list[Translation], author: str = SEED_AUTHOR) -> tuple[int, int, int]:
        """Load translations from catalog files; rows someone has edited here are kept.

        Returns (added, updated, kept). Content rows whose English has changed since are marked stale.
        """
        if self.read_only:
            raise StoreError("the index is open read-only here; translations are loaded on the primary")
        added = updated = kept = 0
        stamp = now()
        db = self.connect()
        with db.atomic():
            existing = {
                (r[0], r[1], r[2], r[3]): (r[4], r[5], r[6], r[7])
                for r in db.execute(
                    "SELECT locale, domain, context, field, text, status, updated_by, plurals "
                    "FROM content_translations"
                )
            }
            batch = []
            for row in rows:
                found = existing.get(row.key)
                if found is not None and found[2] != author:
                    kept += 1
                    continue
                if found is not None and (found[0], found[1], found[3]) == (
                    row.text,
                    row.status,
                    _plurals_json(row),
                ):
                    kept += 1
                    continue
                added += found is None
                updated += found is not None
                batch.append(_translation_values(row, author, stamp))
            db.conn.executemany(_UPSERT_TRANSLATION, batch)
            self._mark_stale_content(db)
            if added or updated:
                self._bump(db)
        return added, updated, kept

    def current_content_texts(self) -> list[ContentText]:
        """Every translatable field of the published index as it is now."""
        snapshot = self._current()
        return content_texts(
            snapshot.services.values(), snapshot.agencies.values(), snapshot.documents.values()
        )

    def _mark_stale_content(self, db: Database) -> int:
        """Mark content translations whose English changed as stale; returns how many changed."""
        current = {(t.context, t.field): t.source for t in self.current_content_texts()}
        changed = 0
        rows = db.execute(
            "SELECT id, context, field, source FROM content_translations WHERE domain = 'content'"
        ).fetchall()
        for row_id, context, fieldname, source in rows:
            english = current.get((context, fieldname))
            if english is None or english == source:
                continue
            db.execute(
                "UPDATE content_translations SET previous_source = CASE WHEN status = 'stale' "
                "THEN previous_source ELSE source END, source = ?, status = 'stale' WHERE id = ?",
                [english, row_id],
            )
            changed += 1
        return changed

    def mark_translations_stale(self) -> int:
        """After the English of an entry changed: mark its translations stale (own transaction)."""
        db = self.connect()
        with db.atomic():
            changed = self._mark_stale_content(db)
            if changed:
                self._bump(db)
        return changed

    def translation_catalog(
        self, locale: str, statuses: tuple[str, ...]
    ) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Texts that may be shown in a locale: English to translation, and plural forms."""
        marks = ", ".join("?" for _ in statuses)
        singular: dict[str, str] = {}
        plural: dict[str, list[str]] = {}
        for source, text, plurals in self.connect().execute(
            "SELECT source, text, plurals FROM content_translations "  # noqa: S608 - placeholders only
            f"WHERE locale = ? AND status IN ({marks})",
            [locale, *statuses],
        ):
            singular.setdefault(source, text)
            if plurals:
                plural.setdefault(source, json.loads(plurals))
        return singular, plural

    def translations(self, locale: str, domain: str | None = None) -> list[Translation]:
        """Every translation of a locale (optionally of one domain), in a stable order."""
        query = "SELECT * FROM content_translations WHERE locale = ?"
        args: list[Any] = [locale]
        if domain:
            query += " AND domain = ?"
            args.append(domain)
        query += " ORDER BY domain, context, field"
        found = []
        cursor = self.connect().execute(query, args)
        columns = [c[0] for c in cursor.description]
        for row in cursor:
            r = dict(zip(columns, row, strict=True))
            found.append(
                Translation(
                    locale=r["locale"],
                    domain=r["domain"],
                    context=r["context"],
                    field=r["field"],
                    source=r["source"],
                    text=r["text"],
                    status=r["status"],
                    source_plural=r["source_plural"] or "",
                    plurals=json.loads(r["plurals"]) if r["plurals"] else [],
                    previous_source=r["previous_source"] or "",
                    comment=r["comment"] or "",
                )
            )
        return found

    def translation_status_counts(self) -> dict[tuple[str, str], dict[str, int]]:
        """How many translations each (locale, domain) has per status."""
        found: dict[tuple[str, str], dict[str, int]] = {}
        for locale, domain, status, count in self.connect().execute(
            "SELECT locale, domain, status, count(*) FROM content_translations "
            "GROUP BY locale, domain, status"
        ):
            found.setdefault((locale, domain), {})[status] = count
        return found

    # Review: one translation at a time, with history --------------------------------------

    def translation(self, locale: str, domain: str, context: str, field: str) -> Translation | None:
        """One translation row, or None when the text has not been translated."""
        for row in self.translations(locale, domain):
            if row.context == context and row.field == field:
                return row
        return None

    def translation_stamp(self, locale: str, domain: str, context: str, field: str) -> str:
        """When a translation last changed (empty when it does not exist): the editor's version."""
        row = (
            self.connect()
            .execute(
                "SELECT updated_at, id FROM content_translations "
                "WHERE locale = ? AND domain = ? AND context = ? AND field = ?",
                [locale, domain, context, field],
            )
            .fetchone()
        )
        return f"{row[0]}#{row[1]}" if row else ""

    def save_translation(
        self,
        row: Translation,
        author: str,
        action: str,
        comment: str = "",
        expected_stamp: str | None = None,
    ) -> None:
        """Write one translation and its history in one transaction.

        ``expected_stamp`` is the stamp the editor started from: when someone else saved in
        between, :class:`TranslationConflict` is raised and nothing is written.
        """
        if self.read_only:
            raise StoreError("the index is open read-only here; translations are edited on the primary")
        db = self.connect()
        # Microseconds: two saves in one second must still differ for the conflict check.
        stamp = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._immediate(db):
            current = self.translation_stamp(row.locale, row.domain, row.context, row.field)
            if expected_stamp is not None and current != expected_stamp:
                raise TranslationConflict(current)
            db.execute(_UPSERT_TRANSLATION, _translation_values(row, author, stamp))
            self._history(db, row, action, comment, author, stamp)
            self._bump(db)

    def _history(
        self, db: Database, row: Translation, action: str, comment: str, author: str, at: str
    ) -> None:
        db.execute(
            "INSERT INTO translation_history (locale, domain, context, field, action, text, status, source, "
            "comment, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                row.locale,
                row.domain,
                row.context,
                row.field,
                action,
                row.text,
                row.status,
                row.source,
                comment,
                author,
                at,
            ],
        )

    def translation_history(self, locale: str, domain: str, context: str, field: str) -> list[dict[str, Any]]:
        """Who changed a translation, when, and to what; newest first."""
        cursor = self.connect().execute(
            "SELECT action, text, status, source, comment, author, at FROM translation_history "
            "WHERE locale = ? AND domain = ? AND context = ? AND field = ? ORDER BY id DESC",
            [locale, domain, context, field],
        )
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, r, strict=True)) for r in cursor]

    def accept_english(self, domain: str, context: str, field: str, author: str, comment: str = "") -> int:
        """Make a proposed English rewording the source: translations of the old English become stale.

        Returns how many translations were marked stale.
        """
        db = self.connect()
        stamp = now()
        with self._immediate(db):
            row = db.execute(
                "SELECT source, text FROM content_translations "
                "WHERE locale = 'en' AND domain = ? AND context = ? AND field = ?",
                [domain, context, field],
            ).fetchone()
            if row is None:
                raise StoreError("there is no proposed English for this text")
            original, proposed = row
            previous = db.execute(
                "SELECT text FROM content_translations WHERE locale = 'en' AND domain = ? AND context = ? "
                "AND field = ? AND status = 'approved'",
                [domain, context, field],
            ).fetchone()
            old_english = previous[0] if previous else original
            db.execute(
                "UPDATE content_translations SET status = 'approved', updated_by = ?, updated_at = ? "
                "WHERE locale = 'en' AND domain = ? AND context = ? AND field = ?",
                [author, stamp, domain, context, field],
            )
            accepted = Translation("en", domain, context, field, original, proposed, status="approved")
            self._history(db, accepted, "accepted", comment, author, stamp)
            stale = db.execute(
                "UPDATE content_translations SET previous_source = CASE WHEN status = 'stale' "
                "THEN previous_source ELSE ? END, status = 'stale', updated_at = ? "
                "WHERE locale != 'en' AND domain = ? AND context = ? AND field = ?",
                [old_english, stamp, domain, context, field],
            ).rowcount
            self._bump(db)
        return stale

    def apply_translation_import(self, rows: list[Translation], author: str, note: str) -> int:
        """Write imported translations, all or nothing, each with a history entry."""
        if self.read_only:
            raise StoreError("the index is open read-only here; translations are edited on the primary")
        db = self.connect()
        stamp = now()
        with self._immediate(db):
            for row in rows:
                db.execute(_UPSERT_TRANSLATION, _translation_values(row, author, stamp))
                self._history(db, row, "imported", note, author, stamp)
            if rows:
                self._bump(db)
        return len(rows)

    def glossary(self, locale: str) -> list[dict[str, str]]:
        """A language's glossary, by term."""
        cursor = self.connect().execute(
            "SELECT source, target, note, updated_by, updated_at FROM glossary WHERE locale = ? "
            "ORDER BY lower(source)",
            [locale],
        )
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, r, strict=True)) for r in cursor]

    def save_glossary_term(self, locale: str, source: str, target: str, note: str, author: str) -> None:
        """Add or change one glossary term."""
        db = self.connect()
        with db.atomic():
            db.execute(
                "INSERT INTO glossary (locale, source, target, note, updated_by, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (locale, source) DO UPDATE SET "
                "target = excluded.target, note = excluded.note, updated_by = excluded.updated_by, "
                "updated_at = excluded.updated_at",
                [locale, source, target, note, author, now()],
            )

    def delete_glossary_term(self, locale: str, source: str) -> None:
        """Remove one glossary term."""
        db = self.connect()
        with db.atomic():
            db.execute("DELETE FROM glossary WHERE locale = ? AND source = ?", [locale, source])

    @contextmanager
    def _immediate(self, db: Database) -> Iterator[None]:
        """A write transaction that takes the write lock at once, so read-check-write is race free."""
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")

    def _rebuild_search(self, db: Database) -> None:
        """Rebuild the search indexes from published content (inside the caller's transaction)."""
        from services_index.search import for_matching

        for table in ("search_docs", "search_en", "search_es", "search_vocab", "search_vocab_tri"):
            db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        docs: list[tuple[str, str, str, str, dict[str, list[str]], str, int, int]] = []
        for experience in self.bank.experiences.values():
            docs.append(
                (
                    f"life_experience:{experience.slug}",
                    "life_experience",
                    experience.title,
                    "",
                    {k: list(v) for k, v in experience.keywords.items()},
                    f"{experience.summary} {experience.intro}",
                    1,
                    1,
                )
            )
        agencies = {r["id"]: r["name"] for r in db.table("agencies").rows}
        for row in _published_rows(db):
            data = json.loads(row["data"])
            keywords = {k: list(v) for k, v in (data.get("keywords") or {}).items()}
            docs.append(
                (
                    f"service:{row['id']}",
                    "service",
                    data["name"],
                    agencies.get(data["agency"], ""),
                    keywords,
                    data.get("summary", ""),
                    1,
                    1,
                )
            )
        for row in db.table("programs").rows:
            docs.append(
                (
                    f"program:{row['listing']}",
                    "program",
                    row["title"],
                    row["agency"],
                    {"en": [row["popular_name"]] if row["popular_name"] else []},
                    # Programs are found by name: long objectives made common words match thousands.
                    "",
                    0,
                    row["public"],
                )
            )
        vocabulary: set[str] = set()
        for rowid, (ref, kind, name, agency, keywords, body, curated, public) in enumerate(docs, start=1):
            english, spanish = keywords.get("en", []), keywords.get("es", [])
            every = english + spanish
            matching = "|".join(for_matching(k) for k in every)
            vocabulary.update(for_matching(" ".join([name, *every, agency, body])).split())
            db.execute(
                "INSERT INTO search_docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    rowid,
                    ref,
                    kind,
                    name,
                    agency,
                    "|".join(every),
                    curated,
                    public,
                    for_matching(name),
                    matching,
                ],
            )
            db.execute(
                "INSERT INTO search_en (rowid, name, keywords, body) VALUES (?, ?, ?, ?)",
                [rowid, name, " | ".join(english), f"{body} {agency}"],
            )
            if curated:
                # Only curated entries have Spanish keywords; imported programs are English text.
                db.execute(
                    "INSERT INTO search_es (rowid, name, keywords, body) VALUES (?, ?, ?, ?)",
                    [rowid, for_matching(name), for_matching(" ".join(spanish)), for_matching(body)],
                )
        words = sorted(w for w in vocabulary if len(w) > 1)
        db.table("search_vocab").insert_all(({"word": w} for w in words), pk="word")
        pieces = ((w,) for w in words if len(w) >= 3)
        db.conn.executemany("INSERT INTO search_vocab_tri (word) VALUES (?)", pieces)

    def known_words(self, words: list[str]) -> set[str]:
        """Which of these (folded) words appear anywhere in the search index."""
        if not words:
            return set()
        marks = ",".join("?" * len(words))
        rows = self.connect().execute(f"SELECT word FROM search_vocab WHERE word IN ({marks})", words)  # noqa: S608
        return {r[0] for r in rows.fetchall()}

    def similar_words(self, trigram_query: str, limit: int = 25) -> list[str]:
        """Known words sharing the most three-letter pieces with a (quoted) trigram query."""
        rows = self.connect().execute(
            "SELECT word FROM search_vocab_tri WHERE search_vocab_tri MATCH ? "
            "ORDER BY bm25(search_vocab_tri) LIMIT ?",
            [trigram_query, limit],
        )
        return [r[0] for r in rows.fetchall()]

    def search_candidates(
        self,
        english: str,
        spanish: str,
        corrected: str,
        public_only: bool,
        types: set[str] | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """Candidate documents for FTS5 queries (already quoted), with a relevance from bm25."""
        db = self.connect()
        relevance: dict[int, dict[str, float]] = {}
        plans = [
            ("en", "search_en", english, "bm25(search_en, 8.0, 5.0, 1.0)"),
            ("es", "search_es", spanish, "bm25(search_es, 8.0, 5.0, 1.0)"),
            ("typo", "search_en", corrected, "bm25(search_en, 8.0, 5.0, 1.0)"),
        ]
        for label, table, query, rank in plans:
            if not query:
                continue
            rows = db.execute(
                f"SELECT rowid, {rank} FROM {table} WHERE {table} MATCH ? ORDER BY {rank} LIMIT ?",  # noqa: S608
                [query, limit],
            ).fetchall()
            for rowid, score in rows:
                relevance.setdefault(rowid, {})[label] = -float(score)
        if not relevance:
            return []
        marks = ",".join("?" * len(relevance))
        rows = db.execute(
            "SELECT rowid, ref, type, name, agency, curated, public, match_name, match_keywords "
            f"FROM search_docs WHERE rowid IN ({marks})",  # noqa: S608
            list(relevance),
        ).fetchall()
        found = []
        for rowid, ref, kind, name, agency, curated, public, match_name, match_keywords in rows:
            if public_only and not public:
                continue
            if types and kind not in types:
                continue
            found.append(
                {
                    "ref": ref,
                    "type": kind,
                    "name": name,
                    "agency": agency,
                    "curated": curated,
                    "match_name": match_name,
                    "match_keywords": match_keywords,
                    **relevance[rowid],
                }
            )
        return found

    def counts(self) -> dict[str, int]:
        """How many agencies, curated services and programs the index holds."""
        db = self.connect()
        return {
            "agencies": db.table("agencies").count,
            "services": db.table("services").count_where("curated = 1"),
            "programs": db.table("programs").count,
            "public_programs": db.table("programs").count_where("public = 1"),
        }

    def agency_ids(self) -> set[str]:
        """The id of every agency."""
        return {r[0] for r in self.connect().execute("SELECT id FROM agencies").fetchall()}

    def staff_entries(self) -> list[StaffEntry]:
        """Every entry's working copy and state, by name."""
        rows = self.connect().table("services").rows_where(order_by="name COLLATE NOCASE, id")
        return [entry_from_row(r) for r in rows]

    def staff_entry(self, service_id: str) -> StaffEntry | None:
        """One entry's working copy and state, or None."""
        row = next(self.connect().table("services").rows_where("id = ?", [service_id]), None)
        return entry_from_row(row) if row else None

    def revision(self, service_id: str, revision: int) -> dict[str, Any] | None:
        """One saved revision (its data decoded), or None."""
        row = next(
            self.connect()
            .table("service_revisions")
            .rows_where("service_id = ? AND revision = ?", [service_id, revision]),
            None,
        )
        return {**row, "data": json.loads(row["data"])} if row else None

    def published_data(self) -> dict[str, tuple[int, dict[str, Any]]]:
        """What the public sees of each published entry: its published revision and data."""
        return {r["id"]: (r["revision"], json.loads(r["data"])) for r in _published_rows(self.connect())}

    def broken_links(self) -> dict[str, str]:
        """Each URL whose last check failed, with what went wrong."""
        rows = self.connect().execute("SELECT url, status, error FROM link_checks WHERE ok = 0").fetchall()
        return {url: error or f"HTTP {status}" for url, status, error in rows}

    def parse_entry(self, entry: dict[str, Any]) -> tuple[Service | None, list[Problem]]:
        """An entry checked by content validation: the service it describes, or what is wrong with it."""
        if self._allowed is None:
            self._allowed = official_domains()
        snapshot = self._current()
        problems: list[Problem] = []
        where = ("entry", str(entry.get("id", "?")))
        found = parse_service(
            entry, where, self.bank, snapshot.agencies, snapshot.documents, self._allowed, problems
        )
        return (None if problems else found), problems

    def entry_problems(self, entry: dict[str, Any]) -> list[Problem]:
        """What content validation finds wrong with an entry (empty when it may be published)."""
        return self.parse_entry(entry)[1]

    def save_service(
        self,
        entry: dict[str, Any],
        based_on: int | None,
        author: str,
        note: str = "",
        action: str = "save",
    ) -> SaveResult:
        """Save a new revision of an entry's working copy. Every change to a service's content goes here.

        ``based_on`` is the revision the change started from (None for a new entry); when someone
        saved since, Conflict is raised and nothing is written. Returns the changed fields (none
        when the entry is unchanged, and then no revision is written).
        """
        entry = canonical(entry)
        service_id = entry.get("id")
        if not isinstance(service_id, str) or not service_id:
            raise EditError("an entry needs an id")
        with self.transaction() as db:
            row = next(db.table("services").rows_where("id = ?", [service_id]), None)
            current = entry_from_row(row) if row else None
            if (current.revision if current else None) != based_on:
                raise Conflict(service_id, based_on, current)
            if entry.get("agency") not in self.agency_ids():
                raise EditError(f"unknown agency {entry.get('agency')!r}")
            changed = changed_fields(current.data if current else None, entry)
            if current and not changed:
                return SaveResult(service_id, current.revision, [])
            revision = (current.revision if current else 0) + 1
            stamp = now()
            columns = {
                "name": str(entry.get("name") or service_id),
                "agency": entry["agency"],
                "life_experiences": json.dumps(entry.get("life_experiences") or []),
                "data": dumps(entry),
                "revision": revision,
                "updated_at": stamp,
                "updated_by": author,
            }
            if current:
                db.table("services").update(service_id, columns)
            else:
                db.table("services").insert({"id": service_id, **columns, "state": "draft", "curated": 1})
            db.table("service_revisions").insert(
                {
                    "service_id": service_id,
                    "revision": revision,
                    "data": columns["data"],
                    "author": author,
                    "created_at": stamp,
                    "note": note,
                }
            )
            audit.record(
                db,
                stamp,
                author,
                "create" if current is None and action == "save" else action,
                "service",
                service_id,
                {"revision": revision, "fields": changed, **({"note": note} if note else {})},
            )
        return SaveResult(service_id, revision, changed)

    def publish(self, service_id: str, revision: int, author: str) -> None:
        """Make ``revision`` (which must be the latest) what the public sees, at once."""
        with self.transaction() as db:
            entry = self._entry_for_change(db, service_id)
            if entry.revision != revision:
                raise Conflict(service_id, revision, entry)
            if entry.state == "archived":
                raise WrongState("An archived entry goes back to draft before it can be published.")
            if entry.state == "published" and not entry.unpublished_changes:
                raise WrongState("This revision is already published.")
            problems = self.entry_problems(entry.data)
            if problems:
                raise InvalidEntry(service_id, problems)
            self._publish_in(db, service_id, revision, author)
            self._bump(db)
            self._rebuild_search(db)
            # The public English changed: translations made from the old English are stale.
            self._mark_stale_content(db)

    def _publish_in(self, db: Database, service_id: str, revision: int, author: str) -> None:
        db.execute(
            "UPDATE services SET state = 'published', published_revision = ? WHERE id = ?",
            [revision, service_id],
        )
        audit.record(db, now(), author, "publish", "service", service_id, {"revision": revision})

    def archive(self, service_id: str, author: str) -> None:
        """Take an entry off the public site, unless something still relies on it."""
        entries = self.staff_entries()
        entry = next((e for e in entries if e.id == service_id), None)
        if entry is None:
            raise WrongState("There is no such entry.")
        if entry.state == "archived":
            raise WrongState("This entry is already archived.")
        found = references.referrers(entry, entries, self.bank, self.scenario_dir)
        if found:
            raise StillReferenced(service_id, found)
        with self.transaction() as db:
            current = self._entry_for_change(db, service_id)
            db.execute("UPDATE services SET state = 'archived' WHERE id = ?", [service_id])
            audit.record(db, now(), author, "archive", "service", service_id, {"revision": current.revision})
            if current.state == "published":
                self._bump(db)
                self._rebuild_search(db)

    def unarchive(self, service_id: str, author: str) -> None:
        """Bring an archived entry back as a draft."""
        with self.transaction() as db:
            entry = self._entry_for_change(db, service_id)
            if entry.state != "archived":
                raise WrongState("Only an archived entry can go back to draft.")
            db.execute("UPDATE services SET state = 'draft' WHERE id = ?", [service_id])
            audit.record(db, now(), author, "unarchive", "service", service_id, {"revision": entry.revision})

    def restore(self, service_id: str, revision: int, based_on: int, author: str) -> SaveResult:
        """Save an old revision's data again, as a new revision."""
        old = self.revision(service_id, revision)
        if old is None:
            raise WrongState(f"There is no revision {revision} of this entry.")
        return self.save_service(old["data"], based_on, author, f"Restored revision {revision}", "restore")

    def import_services(
        self,
        entries: list[dict[str, Any]],
        based_on: dict[str, int | None],
        author: str,
        note: str,
        publish: bool,
    ) -> list[SaveResult]:
        """Save every entry (each a new revision), and publish them if asked: all of it, or nothing."""
        results = []
        with self.transaction() as db:
            for entry in entries:
                service_id = entry["id"]
                results.append(self.save_service(entry, based_on.get(service_id), author, note, "import"))
                if publish:
                    current = self._entry_for_change(db, service_id)
                    if current.state != "published" or current.unpublished_changes:
                        self._publish_in(db, service_id, current.revision, author)
            if publish:
                self._bump(db)
                self._rebuild_search(db)
                self._mark_stale_content(db)
        return results

    def _entry_for_change(self, db: Database, service_id: str) -> StaffEntry:
        row = next(db.table("services").rows_where("id = ?", [service_id]), None)
        if row is None:
            raise WrongState("There is no such entry.")
        return entry_from_row(row)

    def stage_import(
        self,
        token: str,
        user_email: str,
        filename: str,
        entries: list[dict[str, Any]],
        bases: dict[str, int | None],
    ) -> None:
        """Keep a checked import until someone applies it; forget staged imports older than a day."""
        with self.transaction() as db:
            day_ago = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds")
            db.execute("DELETE FROM staff_imports WHERE created_at < ?", [day_ago])
            db.table("staff_imports").insert(
                {
                    "token": token,
                    "user_email": user_email,
                    "created_at": now(),
                    "filename": filename,
                    "entries": json.dumps(entries, ensure_ascii=False),
                    "bases": json.dumps(bases),
                }
            )

    def staged_import(self, token: str, user_email: str) -> dict[str, Any] | None:
        """A staged import of this person's, with its entries decoded, or None."""
        row = next(
            self.connect()
            .table("staff_imports")
            .rows_where("token = ? AND user_email = ?", [token, user_email]),
            None,
        )
        if row is None:
            return None
        return {**row, "entries": json.loads(row["entries"]), "bases": json.loads(row["bases"])}

    def drop_import(self, token: str) -> None:
        """Forget a staged import."""
        with self.transaction() as db:
            db.execute("DELETE FROM staff_imports WHERE token = ?", [token])


def _published_rows(db: Database) -> Iterator[dict[str, Any]]:
    """Each published service as the public sees it: the data of its published revision."""
    cursor = db.execute(
        "SELECT s.id, s.curated, s.published_revision, r.data FROM services s "
        "JOIN service_revisions r ON r.service_id = s.id AND r.revision = s.published_revision "
        "WHERE s.state = 'published' ORDER BY s.id"
    )
    for service_id, curated, revision, data in cursor.fetchall():
        yield {"id": service_id, "curated": curated, "revision": revision, "data": data}


def _program(row: dict[str, Any]) -> dict[str, Any]:
    """A program row as plain data, lists decoded."""
    out = dict(row)
    for key in ("applicant_types", "beneficiary_types", "assistance_types", "categories"):
        out[key] = json.loads(out[key] or "[]")
    out["public"] = bool(out["public"])
    out.pop("data_hash", None)
    return out


def backup(source: Path, target: Path) -> None:
    """Copy a live database with SQLite's online backup (safe while the app serves requests)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise StoreError(f"the backup of {source} failed its integrity check: {check}")
    # Only a complete, checked copy takes the target's name.
    partial.replace(target)


def restore(backup_file: Path, target: Path) -> None:
    """Replace the database at ``target`` with a backup, through SQLite so readers stay safe."""
    with closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as src:
        check = src.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise StoreError(f"{backup_file} is not a sound database: {check}")
        if src.execute("SELECT count(*) FROM sqlite_master WHERE name = 'services'").fetchone()[0] != 1:
            raise StoreError(f"{backup_file} is not a navigator database")
        with closing(sqlite3.connect(target, timeout=30)) as dst:
            src.backup(dst)
