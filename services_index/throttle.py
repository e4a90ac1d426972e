"""Sign-in throttling: after a few failures each try must wait longer, and then the key is locked.

A key is an account (the email typed) or a client (a keyed hash of its address). The rules are
pure functions over the failures recorded for a key, so they can be tested with any clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Policy:
    """How many failures are free, how the wait grows, and when a key is locked."""

    free_failures: int
    lock_after: int
    lock_minutes: int = 15
    max_delay_seconds: int = 120
    # Failures older than this are forgotten.
    window_minutes: int = 60


ACCOUNT = Policy(free_failures=3, lock_after=10)
CLIENT = Policy(free_failures=10, lock_after=50)


@dataclass(frozen=True)
class Attempts:
    """Failures recorded for one key."""

    failures: int
    first_failed_at: datetime
    last_failed_at: datetime
    locked_until: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    """Whether a sign-in may be tried now; if not, how long to wait and whether the key is locked."""

    allowed: bool
    wait_seconds: int = 0
    locked: bool = False


def delay_after(failures: int, policy: Policy) -> int:
    """Seconds to wait after ``failures`` failures: none at first, then doubling up to a ceiling."""
    if failures < policy.free_failures:
        return 0
    return int(min(2 ** (failures - policy.free_failures), policy.max_delay_seconds))


def _forgotten(attempts: Attempts, now: datetime, policy: Policy) -> bool:
    if attempts.locked_until is not None:
        return now >= attempts.locked_until
    return now - attempts.last_failed_at > timedelta(minutes=policy.window_minutes)


def verdict(attempts: Attempts | None, now: datetime, policy: Policy) -> Verdict:
    """May this key try to sign in now?"""
    if attempts is None or _forgotten(attempts, now, policy):
        return Verdict(True)
    if attempts.locked_until is not None:
        return Verdict(False, _seconds(attempts.locked_until - now), locked=True)
    ready = attempts.last_failed_at + timedelta(seconds=delay_after(attempts.failures, policy))
    if now < ready:
        return Verdict(False, _seconds(ready - now))
    return Verdict(True)


def after_failure(attempts: Attempts | None, now: datetime, policy: Policy) -> Attempts:
    """The record for a key once one more failure is counted."""
    if attempts is None or _forgotten(attempts, now, policy):
        attempts = Attempts(0, now, now)
    failures = attempts.failures + 1
    locked = now + timedelta(minutes=policy.lock_minutes) if failures >= policy.lock_after else None
    return Attempts(failures, attempts.first_failed_at, now, locked)


def _seconds(span: timedelta) -> int:
    return max(1, math.ceil(span.total_seconds()))
