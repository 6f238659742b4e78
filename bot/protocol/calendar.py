"""Working days and school days (README, "Deadlines and agenda").

- werkdag: Monday–Friday that is not a Dutch public holiday.
- schooldag: a working day outside the school holidays of the school's region, and not one of the
  school's own closure days.

Both come from the `holidays` package (NL public holidays; NL school holidays per region,
category "school"), never from hand-typed tables. Days are precomputed per region and year as
sorted ordinals, so counting "N school days after" or "how many school days between" is a bisect,
not a loop over days.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

_SUBDIVISIONS = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}

# The protocol is Dutch: a day (an action recorded, a case verified) is a day in the Netherlands.
DUTCH_TZ = ZoneInfo("Europe/Amsterdam")


@cache
def public_holidays(year: int) -> frozenset[date]:
    """Dutch public holidays of one year."""
    return frozenset(holidays.country_holidays("NL", years=year))


@cache
def school_holidays(region: str, year: int) -> frozenset[date]:
    """The advisory school holidays of one region in one calendar year."""
    subdivision = _SUBDIVISIONS[region]
    return frozenset(
        holidays.country_holidays("NL", subdiv=subdivision, years=year, categories=("school",))
    )


@cache
def _working_ordinals(year: int) -> tuple[int, ...]:
    day = date(year, 1, 1)
    free = public_holidays(year)
    result = []
    while day.year == year:
        if day.weekday() < 5 and day not in free:
            result.append(day.toordinal())
        day += timedelta(days=1)
    return tuple(result)


@cache
def _school_ordinals(region: str | None, year: int) -> tuple[int, ...]:
    if region is None:
        return _working_ordinals(year)
    closed = school_holidays(region, year)
    return tuple(o for o in _working_ordinals(year) if date.fromordinal(o) not in closed)


def is_working_day(day: date) -> bool:
    """Monday–Friday and not a public holiday."""
    ordinals = _working_ordinals(day.year)
    index = bisect_left(ordinals, day.toordinal())
    return index < len(ordinals) and ordinals[index] == day.toordinal()


def count_working_days(after: date, until: date) -> int:
    """How many working days lie after `after`, up to and including `until`."""
    total = 0
    for year in range(after.year, until.year + 1):
        ordinals = _working_ordinals(year)
        total += bisect_right(ordinals, until.toordinal()) - bisect_right(
            ordinals, after.toordinal()
        )
    return max(total, 0)


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (`day` itself need not be one)."""
    return _step(day, count, _working_ordinals)


def working_day_on_or_before(day: date) -> date:
    """`day` if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    """`day` if it is a working day, else the next working day."""
    return day if is_working_day(day) else add_working_days(day, 1)


def _step(day: date, count: int, get: Callable[[int], tuple[int, ...]]) -> date:
    if count < 0:
        raise ValueError("count must not be negative")
    year = day.year
    position = bisect_right(get(year), day.toordinal())
    remaining = count
    while True:
        ordinals = get(year)
        available = len(ordinals) - position
        if remaining <= available and remaining > 0:
            return date.fromordinal(ordinals[position + remaining - 1])
        if remaining == 0:
            return day
        remaining -= available
        year += 1
        position = 0


@dataclass(frozen=True)
class SchoolCalendar:
    """The school days of one school: its region's holidays plus its own closure days.

    `region` None (a pupil without a school) means working days only.
    """

    region: str | None = None
    closures: frozenset[date] = field(default_factory=frozenset)

    def _ordinals(self, year: int) -> tuple[int, ...]:
        return _calendar_ordinals(self.region, self.closures, year)

    def is_school_day(self, day: date) -> bool:
        """Whether pupils of this school are expected at school on `day`."""
        ordinals = self._ordinals(day.year)
        index = bisect_left(ordinals, day.toordinal())
        return index < len(ordinals) and ordinals[index] == day.toordinal()

    def school_days(self, start: date, end: date) -> list[date]:
        """The school days from `start` to `end`, both included."""
        result: list[date] = []
        for year in range(start.year, end.year + 1):
            ordinals = self._ordinals(year)
            low = bisect_left(ordinals, start.toordinal())
            high = bisect_right(ordinals, end.toordinal())
            result.extend(date.fromordinal(o) for o in ordinals[low:high])
        return result

    def count_school_days(self, start: date, end: date) -> int:
        """How many school days lie from `start` to `end`, both included."""
        total = 0
        for year in range(start.year, end.year + 1):
            ordinals = self._ordinals(year)
            total += bisect_right(ordinals, end.toordinal()) - bisect_left(
                ordinals, start.toordinal()
            )
        return total

    def add_school_days(self, day: date, count: int) -> date:
        """The school day `count` school days after `day`."""
        return _step(day, count, self._ordinals)

    def nth_school_day(self, start: date, n: int) -> date:
        """The n-th school day of a period that starts on `start` (day 1 is `start` itself,
        or the first school day after it)."""
        if n < 1:
            raise ValueError("n starts at 1")
        if self.is_school_day(start):
            return start if n == 1 else self.add_school_days(start, n - 1)
        return self.add_school_days(start, n)

    def index(self, day: date) -> int:
        """How many school days lie up to and including `day`, counted from a fixed origin.

        Differences are what matter: `day` lies within the `n` school days ending on `end`
        exactly when index(day) > index(end) - n.
        """
        year = day.year
        return _offset(self.region, self.closures, year) + bisect_right(
            _calendar_ordinals(self.region, self.closures, year), day.toordinal()
        )

    def school_days_before(self, end: date, count: int) -> date:
        """The first day of the window of `count` school days that ends on `end` (included)."""
        year = end.year
        ordinals = self._ordinals(year)
        position = bisect_right(ordinals, end.toordinal())
        remaining = count
        while True:
            if remaining <= position:
                return date.fromordinal(ordinals[position - remaining])
            remaining -= position
            year -= 1
            ordinals = self._ordinals(year)
            position = len(ordinals)


# Caches are keyed by plain values (region, closures, year): hashing and comparing those is
# much cheaper than comparing SchoolCalendar instances, and rules ask millions of times.
_ORIGIN_YEAR = 2020


@cache
def _calendar_ordinals(region: str | None, closures: frozenset[date], year: int) -> tuple[int, ...]:
    base = _school_ordinals(region, year)
    return _without(base, closures, year) if closures else base


@cache
def _offset(region: str | None, closures: frozenset[date], year: int) -> int:
    """School days from the origin up to the end of `year - 1` (negative before the origin)."""
    if year == _ORIGIN_YEAR:
        return 0
    if year > _ORIGIN_YEAR:
        return _offset(region, closures, year - 1) + len(
            _calendar_ordinals(region, closures, year - 1)
        )
    return _offset(region, closures, year + 1) - len(_calendar_ordinals(region, closures, year))


@cache
def _without_cached(base: tuple[int, ...], closures: frozenset[date]) -> tuple[int, ...]:
    closed = {d.toordinal() for d in closures}
    return tuple(o for o in base if o not in closed)


def _without(base: tuple[int, ...], closures: frozenset[date], year: int) -> tuple[int, ...]:
    relevant = frozenset(d for d in closures if d.year == year)
    return _without_cached(base, relevant) if relevant else base
