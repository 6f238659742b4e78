"""Slowing down wrong invitation codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.throttle import FailureThrottle

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_three_free_tries_then_doubling_waits() -> None:
    throttle = FailureThrottle()
    waits = []
    now = T0
    for _ in range(6):
        throttle.record_failure(7, now)
        wait = throttle.wait_time(7, now)
        waits.append(wait)
        now = now + (wait or timedelta(0))
    assert waits == [
        None,
        None,
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(seconds=240),
    ]


def test_the_wait_is_capped() -> None:
    throttle = FailureThrottle()
    for _ in range(20):
        throttle.record_failure(7, T0)
    assert throttle.wait_time(7, T0) == timedelta(hours=1)


def test_the_lock_ends_and_reset_forgets() -> None:
    throttle = FailureThrottle()
    for _ in range(3):
        throttle.record_failure(7, T0)
    assert throttle.wait_time(7, T0 + timedelta(seconds=29)) == timedelta(seconds=1)
    assert throttle.wait_time(7, T0 + timedelta(seconds=30)) is None
    throttle.reset(7)
    throttle.record_failure(7, T0)
    assert throttle.wait_time(7, T0) is None


def test_users_are_counted_apart_and_old_failures_are_forgotten() -> None:
    throttle = FailureThrottle()
    for _ in range(3):
        throttle.record_failure(7, T0)
    assert throttle.wait_time(8, T0) is None
    throttle.record_failure(8, T0 + timedelta(hours=2))
    assert throttle.wait_time(7, T0 + timedelta(hours=2)) is None
    for _ in range(2):
        throttle.record_failure(7, T0 + timedelta(hours=2))
    assert throttle.wait_time(7, T0 + timedelta(hours=2)) is None
