"""When nudges go out (README, "Nudges"). Pure: dates, hours and `now` in, moments out.

For a deadline due on D: 14 days before D (only when it was known that early), 3 working days
before D, on D, then weekly while it stays open. A deadline that became known on or after its
due date (an event, or something already overdue) gets one nudge at once — at the next working
moment — and then the weekly ones. Every moment lies in the user's working hours on a working
day, as wall-clock time in the bot's time zone, so daylight-saving changes do not shift it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.protocol.calendar import is_working_day


@dataclass(frozen=True)
class WorkingHours:
    """One user's working hours (Monday–Friday, except public holidays)."""

    start: time
    end: time
    tz: ZoneInfo


def next_working_moment(moment: datetime, hours: WorkingHours) -> datetime:
    """The first moment at or after `moment` inside working hours on a working day."""
    local = moment.astimezone(hours.tz)
    day = local.date()
    for _ in range(30):  # a working day is never more than a few days away
        if is_working_day(day):
            opens = datetime.combine(day, hours.start, tzinfo=hours.tz)
            closes = datetime.combine(day, hours.end, tzinfo=hours.tz)
            if local < opens:
                return opens
            if local < closes:
                return local
        day += timedelta(days=1)
        local = datetime.combine(day, time(0), tzinfo=hours.tz)
    raise ValueError("no working day within 30 days")


def _opening_on_or_after(day: date, hours: WorkingHours) -> datetime:
    return next_working_moment(datetime.combine(day, time(0), tzinfo=hours.tz), hours)


def _opening_on_or_before(day: date, hours: WorkingHours) -> datetime:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, hours.start, tzinfo=hours.tz)


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day`."""
    found = 0
    while found < count:
        day -= timedelta(days=1)
        if is_working_day(day):
            found += 1
    return day


@dataclass(frozen=True, order=True)
class Moment:
    """A nudge to send: when, and why (a NudgeKind value)."""

    at: datetime
    kind: str


def nudge_moments(
    *, due: date, known_at: datetime, now: datetime, hours: WorkingHours
) -> list[Moment]:
    """The nudges for one deadline and one user, up to a week after `now`.

    `known_at` is when the deadline was first stored; nothing is planned before it.
    """
    moments: list[Moment] = []
    opening_due = _opening_on_or_before(due, hours)
    if opening_due <= known_at:
        # Known only on or after its day: one nudge at once.
        moments.append(Moment(next_working_moment(known_at, hours), "event"))
    else:
        fortnight = _opening_on_or_after(due - timedelta(days=14), hours)
        if due - timedelta(days=14) >= known_at.astimezone(hours.tz).date():
            moments.append(Moment(fortnight, "before_14"))
        three = datetime.combine(working_days_before(due, 3), hours.start, tzinfo=hours.tz)
        if three > known_at and three < opening_due:
            moments.append(Moment(three, "before_3"))
        moments.append(Moment(opening_due, "due"))
    # Weekly from a week after D; only the weeks around `now` matter to the planner.
    weeks_past = max(1, (now.astimezone(hours.tz).date() - due).days // 7 - 1)
    week = due + timedelta(days=7 * weeks_past)
    horizon = now + timedelta(days=7)
    while True:
        moment = _opening_on_or_after(week, hours)
        if moment > horizon:
            break
        if moment > known_at:
            moments.append(Moment(moment, "weekly"))
        week += timedelta(days=7)
    return sorted(set(moments))
