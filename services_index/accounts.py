"""Staff accounts, their sign-in sessions, sign-in throttling and the audit log, kept in the index database.

Passwords arrive here already hashed; hashing belongs to the web app (``navigator.auth``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from babel import localedata

from services_index import audit, throttle
from services_index.audit import AuditEntry

if TYPE_CHECKING:
    from services_index.store import Store

ROLES = ("admin", "editor", "reviewer")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3}|_[A-Z]{2})?$")
MAX_EMAIL = 254
# Longer than any session or throttling window lasts.
STALE = timedelta(days=1)


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class User:
    """A member of agency staff who can sign in."""

    id: int
    email: str
    role: str
    agencies: tuple[str, ...]
    locales: tuple[str, ...]
    disabled: bool
    created_at: str
    password_changed_at: str

    @property
    def is_admin(self) -> bool:
        """Admins can do everything."""
        return self.role == "admin"

    def can_edit_agency(self, agency: str) -> bool:
        """True when this person may change entries of ``agency``."""
        return self.is_admin or (self.role == "editor" and agency in self.agencies)


@dataclass(frozen=True)
class Session:
    """A signed-in session: whose it is, and when it started and was last used."""

    user: User
    created_at: datetime
    last_seen_at: datetime


def normal_email(email: str) -> str:
    """An email address as stored: trimmed and lower case."""
    return email.strip().lower()


def check_user(
    email: str,
    role: str,
    agencies: Collection[str],
    locales: Collection[str],
    known_agencies: Collection[str],
) -> list[str]:
    """What is wrong with these account details (empty when they can be saved)."""
    problems = []
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        problems.append("Enter an email address like name@agency.gov")
    if role not in ROLES:
        problems.append(f"The role must be one of {', '.join(ROLES)}")
    unknown = sorted(set(agencies) - set(known_agencies))
    if unknown:
        problems.append(f"Unknown agency: {', '.join(unknown)}")
    if role == "editor" and not agencies:
        problems.append("An editor needs at least one agency")
    bad_locales = sorted(loc for loc in locales if not LOCALE.match(loc) or not localedata.exists(loc))
    if bad_locales:
        problems.append(
            f"Unknown language code: {', '.join(bad_locales)} (use codes such as es, fr, zh_Hans)"
        )
    if role == "reviewer" and not locales:
        problems.append("A reviewer needs at least one language")
    return problems


def _user(row: dict[str, Any]) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        role=row["role"],
        agencies=tuple(json.loads(row["agencies"] or "[]")),
        locales=tuple(json.loads(row["locales"] or "[]")),
        disabled=bool(row["disabled"]),
        created_at=row["created_at"] or "",
        password_changed_at=row["password_changed_at"] or "",
    )


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


class Accounts:
    """Reads and writes staff accounts, sessions, sign-in failures and the audit log."""

    def __init__(self, store: Store):
        self._store = store

    def create_user(
        self,
        email: str,
        password_hash: str,
        role: str,
        agencies: Collection[str],
        locales: Collection[str],
        by: str,
        now: datetime,
    ) -> User:
        """Add an account, or raise AccountError saying what is wrong."""
        email = normal_email(email)
        scoped_agencies = sorted(agencies) if role == "editor" else []
        scoped_locales = sorted(locales) if role == "reviewer" else []
        problems = check_user(email, role, scoped_agencies, scoped_locales, self._store.agency_ids())
        if problems:
            raise AccountError("; ".join(problems))
        with self._store.transaction() as db:
            if db.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchone():
                raise AccountError(f"There is already an account for {email}")
            db.table("users").insert(
                {
                    "email": email,
                    "password_hash": password_hash,
                    "role": role,
                    "agencies": json.dumps(scoped_agencies),
                    "locales": json.dumps(scoped_locales),
                    "disabled": 0,
                    "created_at": _stamp(now),
                    "password_changed_at": _stamp(now),
                }
            )
            audit.record(
                db,
                _stamp(now),
                by,
                "user_create",
                "user",
                email,
                {"role": role, "agencies": scoped_agencies, "locales": scoped_locales},
            )
        found = self.user_by_email(email)
        assert found is not None
        return found[0]

    def users(self) -> list[User]:
        """Every account, by email."""
        return [_user(r) for r in self._store.connect().table("users").rows_where(order_by="email")]

    def user(self, user_id: int) -> User | None:
        """One account by id, or None."""
        row = next(self._store.connect().table("users").rows_where("id = ?", [user_id]), None)
        return _user(row) if row else None

    def user_by_email(self, email: str) -> tuple[User, str] | None:
        """An account and its password hash, or None."""
        row = next(self._store.connect().table("users").rows_where("email = ?", [normal_email(email)]), None)
        return (_user(row), row["password_hash"]) if row else None

    def update_user(
        self,
        user_id: int,
        role: str,
        agencies: Collection[str],
        locales: Collection[str],
        disabled: bool,
        by: str,
        now: datetime,
    ) -> User:
        """Change an account's role, scope or whether it is disabled; disabling ends its sessions."""
        current = self.user(user_id)
        if current is None:
            raise AccountError("There is no such account")
        scoped_agencies = sorted(agencies) if role == "editor" else []
        scoped_locales = sorted(locales) if role == "reviewer" else []
        problems = check_user(current.email, role, scoped_agencies, scoped_locales, self._store.agency_ids())
        if problems:
            raise AccountError("; ".join(problems))
        with self._store.transaction() as db:
            if current.is_admin and (role != "admin" or disabled) and self._other_admins(db, user_id) == 0:
                raise AccountError("This is the only active admin; make someone else an admin first")
            db.table("users").update(
                user_id,
                {
                    "role": role,
                    "agencies": json.dumps(scoped_agencies),
                    "locales": json.dumps(scoped_locales),
                    "disabled": int(disabled),
                },
            )
            if disabled:
                db.execute("DELETE FROM staff_sessions WHERE user_id = ?", [user_id])
            audit.record(
                db,
                _stamp(now),
                by,
                "user_update",
                "user",
                current.email,
                {
                    "role": role,
                    "agencies": scoped_agencies,
                    "locales": scoped_locales,
                    "disabled": disabled,
                },
            )
        updated = self.user(user_id)
        assert updated is not None
        return updated

    def _other_admins(self, db: Any, user_id: int) -> int:
        row = db.execute(
            "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?", [user_id]
        ).fetchone()
        return int(row[0])

    def set_password_hash(
        self,
        user_id: int,
        password_hash: str,
        by: str,
        now: datetime,
        action: str = "user_password",
        keep_session: str | None = None,
    ) -> None:
        """Store a new password hash, end the account's other sessions and forget its failed sign-ins."""
        current = self.user(user_id)
        if current is None:
            raise AccountError("There is no such account")
        with self._store.transaction() as db:
            db.table("users").update(
                user_id, {"password_hash": password_hash, "password_changed_at": _stamp(now)}
            )
            db.execute(
                "DELETE FROM staff_sessions WHERE user_id = ? AND token_hash != ?",
                [user_id, keep_session or ""],
            )
            db.execute("DELETE FROM login_attempts WHERE key = ?", [account_key(current.email)])
            audit.record(db, _stamp(now), by, action, "user", current.email)

    def rehash(self, user_id: int, password_hash: str) -> None:
        """Replace a hash made with older parameters (same password, nothing else changes)."""
        with self._store.transaction() as db:
            db.table("users").update(user_id, {"password_hash": password_hash})

    def start_session(self, user: User, token_hash: str, now: datetime) -> None:
        """Record a new signed-in session and the sign-in, and forget the account's failures.

        Sessions unused for longer than any session may last are dropped here too.
        """
        with self._store.transaction() as db:
            db.execute("DELETE FROM staff_sessions WHERE last_seen_at < ?", [_stamp(now - STALE)])
            db.table("staff_sessions").insert(
                {
                    "token_hash": token_hash,
                    "user_id": user.id,
                    "created_at": _stamp(now),
                    "last_seen_at": _stamp(now),
                }
            )
            db.execute("DELETE FROM login_attempts WHERE key = ?", [account_key(user.email)])
            audit.record(db, _stamp(now), user.email, "login", "user", user.email)

    def session(self, token_hash: str) -> Session | None:
        """The session for a token hash, with its account, or None."""
        db = self._store.connect()
        row = db.execute(
            "SELECT user_id, created_at, last_seen_at FROM staff_sessions WHERE token_hash = ?", [token_hash]
        ).fetchone()
        if row is None:
            return None
        user = self.user(row[0])
        if user is None:
            return None
        return Session(user, datetime.fromisoformat(row[1]), datetime.fromisoformat(row[2]))

    def touch_session(self, token_hash: str, now: datetime) -> None:
        """Note that a session was just used."""
        with self._store.transaction() as db:
            db.execute(
                "UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?", [_stamp(now), token_hash]
            )

    def end_session(self, token_hash: str, email: str | None, now: datetime, reason: str = "") -> None:
        """Forget a session; audit a sign-out when someone chose it."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM staff_sessions WHERE token_hash = ?", [token_hash])
            if email:
                audit.record(
                    db, _stamp(now), email, "logout", "user", email, {"reason": reason} if reason else None
                )

    def attempts(self, key: str) -> throttle.Attempts | None:
        """Failed sign-ins recorded for an account or client key."""
        row = (
            self._store.connect()
            .execute(
                "SELECT failures, first_failed_at, last_failed_at, locked_until "
                "FROM login_attempts WHERE key = ?",
                [key],
            )
            .fetchone()
        )
        if row is None:
            return None
        return throttle.Attempts(
            row[0],
            datetime.fromisoformat(row[1]),
            datetime.fromisoformat(row[2]),
            datetime.fromisoformat(row[3]) if row[3] else None,
        )

    def record_failure(
        self, keys: dict[str, throttle.Policy], email: str, now: datetime, reason: str
    ) -> dict[str, throttle.Attempts]:
        """Count one failed sign-in against each key (race-free), audit it, and return the new records.

        ``email`` is empty when no account has the address typed: what was typed is not kept,
        as people sometimes type a password there.
        """
        updated: dict[str, throttle.Attempts] = {}
        with self._store.transaction() as db:
            # Failures that can no longer slow anyone down are not kept.
            db.execute(
                "DELETE FROM login_attempts "
                "WHERE last_failed_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                [_stamp(now - STALE), _stamp(now)],
            )
            for key, policy in keys.items():
                attempts = throttle.after_failure(self.attempts(key), now, policy)
                db.table("login_attempts").upsert(
                    {
                        "key": key,
                        "failures": attempts.failures,
                        "first_failed_at": _stamp(attempts.first_failed_at),
                        "last_failed_at": _stamp(attempts.last_failed_at),
                        "locked_until": _stamp(attempts.locked_until) if attempts.locked_until else None,
                    },
                    pk="key",
                )
                updated[key] = attempts
            audit.record(
                db,
                _stamp(now),
                normal_email(email)[:MAX_EMAIL],
                "login_failed",
                "user",
                "",
                {"reason": reason},
            )
        return updated

    def audit(
        self,
        user_email: str,
        action: str,
        now: datetime,
        object_type: str = "",
        object_id: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record one staff action on its own."""
        with self._store.transaction() as db:
            audit.record(db, _stamp(now), user_email, action, object_type, object_id, detail)

    def audit_entries(
        self, user_email: str = "", action: str = "", offset: int = 0, limit: int | None = 50
    ) -> tuple[list[AuditEntry], int]:
        """Audit entries, newest first, filtered by user and action, with the total count."""
        where, params = [], []
        if user_email:
            where.append("user_email = ?")
            params.append(user_email)
        if action:
            where.append("action = ?")
            params.append(action)
        clause = " AND ".join(where) or None
        table = self._store.connect().table("audit_log")
        total = table.count_where(clause, params) if clause else table.count
        rows = table.rows_where(clause, params, order_by="id DESC", offset=offset, limit=limit)
        return [audit.from_row(r) for r in rows], total

    def audit_people(self) -> list[str]:
        """Every email that appears in the audit log."""
        rows = self._store.connect().execute(
            "SELECT DISTINCT user_email FROM audit_log WHERE user_email != '' ORDER BY user_email"
        )
        return [r[0] for r in rows.fetchall()]


def account_key(email: str) -> str:
    """The throttle key of an account: a hash of what was typed, which is sometimes a password."""
    return "account:" + hashlib.sha256(normal_email(email).encode()).hexdigest()[:40]
