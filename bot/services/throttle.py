"""Slowing down repeated wrong invitation codes from one Telegram user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class _Failures:
    count: int
    last: datetime
    locked_until: datetime | None = None


@dataclass
class FailureThrottle:
    """After `free_attempts` wrong tries, each next try must wait twice as long as the last.

    Kept in memory on purpose: a restart forgets the counts, which only helps honest users who
    mistyped, while guessing a 24-character random code stays hopeless either way.
    """

    free_attempts: int = 3
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    forget_after: timedelta = timedelta(hours=1)
    _failures: dict[int, _Failures] = field(default_factory=dict, repr=False)

    def wait_time(self, key: int, now: datetime) -> timedelta | None:
        """How long `key` must still wait before the next try, or None when it may try now."""
        entry = self._failures.get(key)
        if entry is None or entry.locked_until is None or entry.locked_until <= now:
            return None
        return entry.locked_until - now

    def record_failure(self, key: int, now: datetime) -> None:
        """Count a wrong try for `key`; once its free tries are used up, lock it out for a while."""
        self._forget_old(now)
        entry = self._failures.get(key)
        if entry is None:
            entry = self._failures[key] = _Failures(count=0, last=now)
        entry.count += 1
        entry.last = now
        over = entry.count - self.free_attempts
        if over >= 0:
            delay = min(self.base_delay * (2**over), self.max_delay)
            entry.locked_until = now + delay

    def reset(self, key: int) -> None:
        """Forget `key`'s wrong tries (after a right one)."""
        self._failures.pop(key, None)

    def _forget_old(self, now: datetime) -> None:
        stale = [
            key
            for key, entry in self._failures.items()
            if now - entry.last > self.forget_after
            and (entry.locked_until is None or entry.locked_until <= now)
        ]
        for key in stale:
            del self._failures[key]
