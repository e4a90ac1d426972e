"""Sign-in throttling: free tries, then waits that double, then a lock; old failures are forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services_index import throttle

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
POLICY = throttle.Policy(
    free_failures=3, lock_after=6, lock_minutes=15, max_delay_seconds=60, window_minutes=60
)


def fail(times: int, at: datetime = START) -> throttle.Attempts | None:
    attempts = None
    for _ in range(times):
        attempts = throttle.after_failure(attempts, at, POLICY)
    return attempts


def test_the_first_failures_cost_nothing() -> None:
    assert throttle.verdict(None, START, POLICY).allowed
    assert throttle.verdict(fail(2), START, POLICY).allowed


def test_after_the_free_failures_each_try_waits_longer() -> None:
    assert [throttle.delay_after(n, POLICY) for n in range(1, 7)] == [0, 0, 1, 2, 4, 8]
    attempts = fail(4)
    refused = throttle.verdict(attempts, START, POLICY)
    assert not refused.allowed and not refused.locked and refused.wait_seconds == 2
    assert throttle.verdict(attempts, START + timedelta(seconds=2), POLICY).allowed


def test_the_wait_has_a_ceiling() -> None:
    roomy = throttle.Policy(free_failures=1, lock_after=100, max_delay_seconds=60)
    assert throttle.delay_after(50, roomy) == 60


def test_too_many_failures_lock_the_key_for_a_while() -> None:
    attempts = fail(6)
    assert attempts is not None and attempts.locked_until == START + timedelta(minutes=15)
    locked = throttle.verdict(attempts, START + timedelta(minutes=5), POLICY)
    assert not locked.allowed and locked.locked and locked.wait_seconds == 600
    assert throttle.verdict(attempts, START + timedelta(minutes=15), POLICY).allowed


def test_after_a_lock_ends_counting_starts_again() -> None:
    attempts = fail(6)
    later = throttle.after_failure(attempts, START + timedelta(minutes=16), POLICY)
    assert later.failures == 1 and later.locked_until is None


def test_failures_older_than_the_window_are_forgotten() -> None:
    attempts = fail(5)
    assert throttle.verdict(attempts, START + timedelta(minutes=61), POLICY).allowed
    assert throttle.after_failure(attempts, START + timedelta(minutes=61), POLICY).failures == 1
