"""Configuration from environment variables, with safe defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# English is the source; the others as DESIGN.md lists them.
LOCALES = ("en", "es", "zh_Hans", "zh_Hant", "vi", "ko", "fil", "ar", "ru", "ht", "fr", "pt")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key(instance: Path) -> str:
    """The secret key from NAVIGATOR_SECRET_KEY, or one generated once into the instance folder."""
    from_env = os.environ.get("NAVIGATOR_SECRET_KEY")
    if from_env:
        return from_env
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Create with owner-only permissions; O_EXCL means two workers never write it twice.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(instance: Path) -> dict[str, Any]:
    """Settings read from NAVIGATOR_* variables."""
    return {
        "DATABASE": os.environ.get("NAVIGATOR_DATABASE", str(instance / "navigator.db")),
        "READ_ONLY": _flag("NAVIGATOR_READ_ONLY", False),
        "BUSY_TIMEOUT_MS": int(os.environ.get("NAVIGATOR_BUSY_TIMEOUT_MS", "5000")),
        "TIMEZONE": os.environ.get("NAVIGATOR_TIMEZONE", "America/New_York"),
        "SESSION_COOKIE_SECURE": _flag("NAVIGATOR_COOKIE_SECURE", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "navigator",
        # Public forms are small: one answer at a time.
        "MAX_CONTENT_LENGTH": int(os.environ.get("NAVIGATOR_MAX_BODY", 64 * 1024)),
        "MAX_FORM_MEMORY_SIZE": 16 * 1024,
        "MAX_FORM_PARTS": 200,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": False,
        "SEND_FILE_MAX_AGE_DEFAULT": 3600,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "LOCALES": LOCALES,
        # Show translations not yet approved by a reviewer (else approved only, with English fallback).
        "SHOW_DRAFT_TRANSLATIONS": _flag("NAVIGATOR_SHOW_DRAFT_TRANSLATIONS", True),
        # Staff: sessions end after this many minutes without activity; imports up to this size.
        "STAFF_IDLE_MINUTES": int(os.environ.get("NAVIGATOR_STAFF_IDLE_MINUTES", "30")),
        "MAX_IMPORT_BYTES": int(os.environ.get("NAVIGATOR_MAX_IMPORT_BYTES", 5 * 1024 * 1024)),
    }
