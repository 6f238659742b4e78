"""The clock is injected everywhere, so that logic never asks the system for the time itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current, timezone-aware time."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The real clock, in the bot's time zone."""

    tz: tzinfo

    def now(self) -> datetime:
        """Return the current time in the bot's time zone."""
        return datetime.now(self.tz)


@dataclass
class FixedClock:
    """A clock that only moves when told to; for tests and what-if computations."""

    current: datetime

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        """Return the time this clock was set to."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (or back, with a negative delta)."""
        self.current = self.current + delta


@dataclass(frozen=True)
class ShiftedClock:
    """The real clock moved to another day, time of day kept: a trainer's "what if today were
    15 December" (the local trial's --today)."""

    tz: tzinfo
    shift: timedelta

    @classmethod
    def to_day(cls, tz: tzinfo, day: date) -> ShiftedClock:
        """A clock on which today is `day`, going on from there as time passes."""
        return cls(tz, timedelta(days=(day - datetime.now(tz).date()).days))

    def now(self) -> datetime:
        """Return the real time of day on the shifted day."""
        return datetime.now(self.tz) + self.shift
