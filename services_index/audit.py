"""The audit log: one row for every staff action, written in the same transaction as the action."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "password_change",
    "create",
    "save",
    "publish",
    "archive",
    "unarchive",
    "restore",
    "import",
    "export",
    "user_create",
    "user_update",
    "user_password",
    # Reviewers: accepted rewordings (a service field is saved as "reword") and glossary changes.
    "reword",
    "accept_rewording",
    "glossary_save",
    "glossary_delete",
)
CSV_COLUMNS = ("id", "at", "user_email", "action", "object_type", "object_id", "detail")


@dataclass(frozen=True)
class AuditEntry:
    """One staff action: who, what, on which object, when, and details."""

    id: int
    at: str
    user_email: str
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any]

    def row(self) -> dict[str, Any]:
        """The entry as a CSV row (details as JSON text)."""
        return {**self.__dict__, "detail": json.dumps(self.detail, sort_keys=True, ensure_ascii=False)}


def record(
    db: Database,
    at: str,
    user_email: str,
    action: str,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one row to the audit log (inside the caller's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    db.table("audit_log").insert(
        {
            "at": at,
            "user_email": user_email,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "detail": json.dumps(detail or {}, sort_keys=True, ensure_ascii=False),
        }
    )


def from_row(row: dict[str, Any]) -> AuditEntry:
    """An audit entry from its database row."""
    return AuditEntry(
        row["id"],
        row["at"],
        row["user_email"] or "",
        row["action"],
        row["object_type"] or "",
        row["object_id"] or "",
        json.loads(row["detail"] or "{}"),
    )
