"""From an understood quick update to the exact absence rows it will store, and what to ask.

Pure: the items, the pupil's school calendar, the school's hours per day and the hours already
stored in; rows and concerns out. The confirmation shows these rows and the store writes them, so
what is stored is what was shown. Nothing here decides for the user: a weekend, a holiday, more
than a school day, a date long ago or hours already stored become questions (`Concern`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.protocol.calendar import SchoolCalendar
from bot.protocol.parsing import (
    AbsenceOnDay,
    AbsencePeriod,
    DayPart,
    Item,
    LateArrival,
)
from bot.protocol.vocabulary import AbsenceKind

# Further back than this and the bot asks whether the date is right (four weeks: the window of
# the 16-hour rule).
FAR_BACK_DAYS = 28


@dataclass(frozen=True)
class AbsenceRow:
    """One (day, kind) of absence as it will be stored: `hours` are what this message adds,
    `before` what was stored already (None: nothing)."""

    day: date
    kind: AbsenceKind
    hours: float
    before: float | None = None

    def after(self, *, replace: bool) -> float:
        """The hours stored once saved: added to what was there, or instead of it."""
        if replace or self.before is None:
            return self.hours
        return self.before + self.hours


class Concern(StrEnum):
    """Something about a quick update that the user must confirm before it is stored."""

    NOT_A_SCHOOL_DAY = "not_a_school_day"
    MORE_THAN_A_DAY = "more_than_a_day"
    FAR_BACK = "far_back"
    ALREADY_STORED = "already_stored"


@dataclass(frozen=True)
class Period:
    """What a period ("ziek sinds maandag") comes to: its school days, and those already stored."""

    kind: AbsenceKind
    start: date
    end: date
    school_days: int
    already: int


@dataclass(frozen=True)
class Checked:
    """The rows an update stores, the periods it covers, and the concerns to ask about."""

    rows: tuple[AbsenceRow, ...]
    periods: tuple[Period, ...]
    concerns: tuple[tuple[Concern, date], ...]

    @property
    def asks_add_or_replace(self) -> bool:
        """Whether hours of the same kind are already stored on one of the days."""
        return any(concern is Concern.ALREADY_STORED for concern, _ in self.concerns)


def item_hours(item: AbsenceOnDay | LateArrival, daily_hours: float, late_hours: float) -> float:
    """The hours one day's item counts for (the protocol: a late arrival counts `late_hours`
    unless hours are given; a whole day the school's scheduled hours)."""
    if isinstance(item, LateArrival):
        return item.hours if item.hours is not None else item.count * late_hours
    if item.amount == DayPart.WHOLE:
        return daily_hours
    if item.amount == DayPart.HALF:
        return daily_hours / 2
    assert isinstance(item.amount, float)
    return item.amount


def check_absences(
    items: Sequence[Item],
    *,
    calendar: SchoolCalendar,
    daily_hours: float,
    late_hours: float,
    stored: Mapping[tuple[date, AbsenceKind], float],
    today: date,
) -> Checked:
    """The rows and concerns of the absence items of one update.

    `stored` holds the hours already stored per (day, kind) on the days the items name.
    """
    added: dict[tuple[date, AbsenceKind], float] = {}
    periods: list[Period] = []
    concerns: list[tuple[Concern, date]] = []
    for item in items:
        if isinstance(item, AbsencePeriod):
            # Whole school days; a day of that kind already stored stays as it is.
            days = calendar.school_days(item.start, item.end)
            new = [day for day in days if (day, item.kind) not in stored]
            for day in new:
                added[(day, item.kind)] = daily_hours
            periods.append(Period(item.kind, item.start, item.end, len(days), len(days) - len(new)))
            if item.start < today - timedelta(days=FAR_BACK_DAYS):
                concerns.append((Concern.FAR_BACK, item.start))
        elif isinstance(item, AbsenceOnDay | LateArrival):
            kind = item.kind if isinstance(item, AbsenceOnDay) else AbsenceKind.TE_LAAT
            key = (item.day, kind)
            added[key] = added.get(key, 0.0) + item_hours(item, daily_hours, late_hours)
            if not calendar.is_school_day(item.day):
                concerns.append((Concern.NOT_A_SCHOOL_DAY, item.day))
            if item.day < today - timedelta(days=FAR_BACK_DAYS):
                concerns.append((Concern.FAR_BACK, item.day))
    rows = tuple(
        AbsenceRow(day, kind, round(hours, 4), stored.get((day, kind)))
        for (day, kind), hours in sorted(added.items())
    )
    concerns += [(Concern.ALREADY_STORED, row.day) for row in rows if row.before is not None]
    concerns += [
        (Concern.MORE_THAN_A_DAY, day) for day in _overfull_days(rows, stored, daily_hours)
    ]
    unique = tuple(dict.fromkeys(concerns))
    return Checked(rows, tuple(periods), unique)


def _overfull_days(
    rows: Sequence[AbsenceRow],
    stored: Mapping[tuple[date, AbsenceKind], float],
    daily_hours: float,
) -> list[date]:
    """Days on which absence (late arrivals aside) would exceed the school day."""
    days = sorted({row.day for row in rows})
    result = []
    for day in days:
        total = sum(
            hours
            for (stored_day, kind), hours in stored.items()
            if stored_day == day and kind is not AbsenceKind.TE_LAAT
        )
        total += sum(r.hours for r in rows if r.day == day and r.kind is not AbsenceKind.TE_LAAT)
        if total > daily_hours + 1e-9:
            result.append(day)
    return result
