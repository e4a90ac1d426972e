"""Schema migrations for the index database (sqlite-utils ``Migrations``)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("services_index")


@migrations()
def m001_initial(db: Database) -> None:
    """Agencies, documents, services with their revisions, and a version counter."""
    db.table("agencies").create(
        {
            "id": str,
            "name": str,
            "acronym": str,
            "website": str,
            "phone": str,
            "tty": str,
            "phone_hours": str,
            "parent": str,
        },
        pk="id",
    )
    db.table("documents").create({"id": str, "label": str}, pk="id")
    db.table("services").create(
        {
            "id": str,
            "name": str,
            "agency": str,
            "life_experiences": str,
            "data": str,
            "state": str,
            "revision": int,
            "curated": int,
            "updated_at": str,
            "updated_by": str,
        },
        pk="id",
        foreign_keys=[("agency", "agencies", "id")],
    )
    db.table("service_revisions").create(
        {
            "id": int,
            "service_id": str,
            "revision": int,
            "data": str,
            "author": str,
            "created_at": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("service_id", "services", "id")],
    )
    db.table("service_revisions").create_index(["service_id", "revision"], unique=True)
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("meta").insert({"key": "index_version", "value": "0"})


def apply(db: Database) -> None:
    """Bring the database schema up to date."""
    migrations.apply(db)


@migrations()
def m002_programs_agency_sources_links(db: Database) -> None:
    """Federal Program Inventory entries, where agencies came from, and link check results."""
    db.table("agencies").add_column("source", str, not_null_default="seed")
    db.table("programs").create(
        {
            "listing": str,
            "title": str,
            "popular_name": str,
            "agency": str,
            "sub_agency": str,
            "program_type": str,
            "fiscal_year": str,
            "objective": str,
            "applicant_types": str,
            "beneficiary_types": str,
            "assistance_types": str,
            "categories": str,
            "sam_url": str,
            "public": int,
            "data_hash": str,
            "imported_at": str,
        },
        pk="listing",
    )
    db.table("link_checks").create(
        {
            "url": str,
            "ok": int,
            "status": int,
            "final_url": str,
            "redirects": str,
            "error": str,
            "elapsed_ms": int,
            "checked_at": str,
        },
        pk="url",
    )


@migrations()
def m003_feedback_and_step_counts(db: Database) -> None:
    """Anonymous feedback (no identifiers) and anonymous totals of people reaching each step."""
    db.table("feedback").create(
        {
            "id": int,
            "life_experiences": str,
            "locale": str,
            "trust": int,
            "drivers": str,
            "comment": str,
            "day": str,
        },
        pk="id",
    )
    db.table("step_counts").create(
        {"life_experience": str, "step": str, "count": int}, pk=("life_experience", "step")
    )


@migrations()
def m004_search(db: Database) -> None:
    """Search documents, with FTS5 indexes: English (Porter), Spanish (accents folded), trigrams."""
    db.table("search_docs").create(
        {
            "rowid": int,
            "ref": str,
            "type": str,
            "name": str,
            "agency": str,
            "keywords": str,
            "curated": int,
            "public": int,
            "match_name": str,
            "match_keywords": str,
        },
        pk="rowid",
    )
    db.table("search_docs").create_index(["ref"], unique=True)
    db.table("search_vocab").create({"word": str}, pk="word")
    db.execute(
        "CREATE VIRTUAL TABLE search_en USING fts5(name, keywords, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE search_es USING fts5(name, keywords, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    # Typos are corrected against the vocabulary, which grows far slower than the documents do.
    db.execute("CREATE VIRTUAL TABLE search_vocab_tri USING fts5(word, tokenize = 'trigram')")


@migrations()
def m005_translations(db: Database) -> None:
    """Translations of interface text and index content, one row per text and locale, with a status."""
    db.table("content_translations").create(
        {
            "id": int,
            "locale": str,
            "domain": str,
            "context": str,
            "field": str,
            "source": str,
            "source_plural": str,
            "text": str,
            "plurals": str,
            "status": str,
            "previous_source": str,
            "comment": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"locale", "domain", "context", "field", "source", "text", "status"},
    )
    db.table("content_translations").create_index(["locale", "domain", "context", "field"], unique=True)
    db.table("content_translations").create_index(["domain", "context"])


@migrations()
def m006_staff(db: Database) -> None:
    """Staff accounts, sign-in sessions and throttling, the audit log, staged imports, published revisions."""
    db.table("users").create(
        {
            "id": int,
            "email": str,
            "password_hash": str,
            "role": str,
            "agencies": str,
            "locales": str,
            "disabled": int,
            "created_at": str,
            "password_changed_at": str,
        },
        pk="id",
        not_null={"email", "password_hash", "role"},
        defaults={"agencies": "[]", "locales": "[]", "disabled": 0},
    )
    db.table("users").create_index(["email"], unique=True)
    # Only a hash of the session token is kept, so a copy of the database cannot be used to sign in.
    db.table("staff_sessions").create(
        {"token_hash": str, "user_id": int, "created_at": str, "last_seen_at": str},
        pk="token_hash",
        foreign_keys=[("user_id", "users", "id")],
    )
    # One row per account (the email typed) and per client (a keyed hash of its address, never the address).
    db.table("login_attempts").create(
        {"key": str, "failures": int, "first_failed_at": str, "last_failed_at": str, "locked_until": str},
        pk="key",
    )
    db.table("audit_log").create(
        {
            "id": int,
            "at": str,
            "user_email": str,
            "action": str,
            "object_type": str,
            "object_id": str,
            "detail": str,
        },
        pk="id",
    )
    db.table("audit_log").create_index(["user_email"])
    db.table("audit_log").create_index(["action"])
    # A dry run keeps the parsed file here until someone applies it (or it expires).
    db.table("staff_imports").create(
        {"token": str, "user_email": str, "created_at": str, "filename": str, "entries": str, "bases": str},
        pk="token",
    )
    # The public sees the revision that was published last; later saves wait for the next publish.
    db.table("services").add_column("published_revision", int)
    db.execute("UPDATE services SET published_revision = revision WHERE state = 'published'")


@migrations()
def m007_review(db: Database) -> None:
    """The history of every translation change, and a glossary per language kept by reviewers."""
    db.table("translation_history").create(
        {
            "id": int,
            "locale": str,
            "domain": str,
            "context": str,
            "field": str,
            "action": str,
            "text": str,
            "status": str,
            "source": str,
            "comment": str,
            "author": str,
            "at": str,
        },
        pk="id",
    )
    db.table("translation_history").create_index(["locale", "domain", "context", "field"])
    db.table("glossary").create(
        {"locale": str, "source": str, "target": str, "note": str, "updated_by": str, "updated_at": str},
        pk=("locale", "source"),
    )
