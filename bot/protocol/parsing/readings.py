"""The readings of one kind of absence: what the amounts said (hours, a half or whole day, once
or several times late) and the form of the dates (named days, one of two days, a week, a period)
decide together what is stored, what is asked and what is refused — a table, like the dates'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from bot.protocol.parsing.dates import _Dates, _end_after_start
from bot.protocol.parsing.values import (
    MAX_HOURS_PER_DAY,
    AbsenceOnDay,
    AbsencePeriod,
    Ambiguous,
    DayPart,
    FailureReason,
    Hint,
    Item,
    LateArrival,
    ParseFailure,
    ParseResult,
    Question,
    QuickUpdate,
)
from bot.protocol.parsing.words import _KIND_HINTS, _no_future
from bot.protocol.vocabulary import AbsenceKind


class AmountForm(StrEnum):
    """What a message says of how much: one form per reading."""

    HOURS = "hours"  # "2 uur", "10 min", "3e en 4e uur"
    HALF_DAY = "half day"
    WHOLE_DAY = "whole day"  # "hele dag", or nothing: the day
    ONCE_LATE = "once late"  # "te laat", "1x te laat"
    TIMES_LATE = "times late"  # "2x te laat"


class DateForm(StrEnum):
    """What a message says of when."""

    DAYS = "days"  # named days, or none: today
    ONE_OF_TWO = "one of two days"  # "vrijdag" said on a Friday: today or a week ago
    WEEK = "week"  # "vorige week", without its days
    PERIOD = "period"  # "sinds maandag", "van 3 tot 7 maart", "t/m vrijdag"


@dataclass(frozen=True)
class _Said:
    """What a message says of one kind of absence: the kind and its amounts."""

    name: str
    absence: AbsenceKind
    hint: Hint
    counts: tuple[int, ...]  # "2x"
    timed: tuple[tuple[str, float], ...]  # hours, minutes, lesson periods
    parts: frozenset[str]  # "hele dag", "halve dag"
    dropped: bool

    @property
    def count(self) -> int:
        return sum(self.counts) or 1

    @property
    def hours(self) -> float:
        return sum(v / 60 if k == "minutes" else v for k, v in self.timed)

    @property
    def amount(self) -> float | DayPart:
        return self.hours or (DayPart.HALF if "half" in self.parts else DayPart.WHOLE)

    @property
    def form(self) -> AmountForm:
        if self.timed:
            return AmountForm.HOURS
        if self.absence is AbsenceKind.TE_LAAT:
            return AmountForm.TIMES_LATE if self.count > 1 else AmountForm.ONCE_LATE
        return AmountForm.HALF_DAY if "half" in self.parts else AmountForm.WHOLE_DAY

    def fail(self, reason: FailureReason, day: date | None = None) -> ParseFailure:
        return ParseFailure(reason, name=self.name, hint=self.hint, day=day)

    def update(self, items: list[Item]) -> QuickUpdate:
        return QuickUpdate(self.name, tuple(items), self.dropped)

    def on(self, day: date, times: int | None = None) -> Item:
        if self.absence is AbsenceKind.TE_LAAT:
            return LateArrival(day, self.count if times is None else times, self.hours or None)
        return AbsenceOnDay(self.absence, day, self.amount)


def _said(name: str, kind: str, amounts: list[tuple[str, float]], dropped: bool) -> _Said:
    return _Said(
        name=name,
        absence=AbsenceKind(kind),
        hint=_KIND_HINTS.get(kind, Hint.ABSENCE),
        counts=tuple(int(v) for k, v in amounts if k == "count"),
        timed=tuple((k, v) for k, v in amounts if k in ("hours", "minutes", "slots")),
        parts=frozenset(k for k, _ in amounts if k in ("whole", "half")),
        dropped=dropped,
    )


def _amount_refusal(said: _Said, dates: _Dates) -> ParseFailure | None:
    """Why the amounts cannot be stored as said, whatever the dates; None when they can."""
    timed, parts, late = said.timed, said.parts, said.absence is AbsenceKind.TE_LAAT
    if (timed and parts) or len(parts) > 1 or len(said.counts) > 1:
        return said.fail(FailureReason.NOT_UNDERSTOOD)
    if timed and said.hours <= 0:
        return said.fail(FailureReason.NOT_UNDERSTOOD)
    if said.hours > MAX_HOURS_PER_DAY:
        return said.fail(FailureReason.TOO_MANY_HOURS)
    if said.counts and not late:
        return said.fail(FailureReason.NEEDS_DAYS)
    if late and parts:
        # "halve dag te laat": how late that was is not said (a late arrival is not a day part).
        return said.fail(FailureReason.NEEDS_HOURS)
    if dates.part_of_day and not late and not timed and not parts:
        # "gisteren middag", "this morning": part of a day, and how many hours is not said.
        return said.fail(FailureReason.NEEDS_HOURS)
    if said.count > 1 and timed:
        # "2x 10 min te laat": ten minutes each, or in all? Not guessed.
        return said.fail(FailureReason.NOT_UNDERSTOOD)
    return None


# The readings that are refused whatever the dates are: how much, said of when. A cell that is
# not here is read by the date form's reading below.
REFUSED: dict[tuple[AmountForm, DateForm], FailureReason] = {
    # "2 uur ziek sinds maandag": two hours on each day, or in all?
    (AmountForm.HOURS, DateForm.PERIOD): FailureReason.UNCLEAR_DATES,
    (AmountForm.HALF_DAY, DateForm.PERIOD): FailureReason.UNCLEAR_DATES,
    # Late arrivals are counted per day: "te laat sinds maandag" does not say on which days.
    (AmountForm.ONCE_LATE, DateForm.PERIOD): FailureReason.NEEDS_DAYS,
    (AmountForm.TIMES_LATE, DateForm.PERIOD): FailureReason.NEEDS_DAYS,
    # "2x te laat vorige week": on which days?
    (AmountForm.TIMES_LATE, DateForm.WEEK): FailureReason.NEEDS_DAYS,
}


def _period(said: _Said, dates: _Dates, today: date) -> ParseResult:
    """A period: "ziek sinds maandag", "van 3 tot 7 maart"."""
    start = dates.since or today
    if start > today:
        return said.fail(FailureReason.FUTURE_DATE, day=start)
    end = _end_after_start(dates, start) or today
    if end < start:
        return said.fail(FailureReason.END_BEFORE_START)
    if dates.open_until and end > start:
        options = [
            said.update([AbsencePeriod(said.absence, start, last)])
            for last in (end, end - timedelta(days=1))
        ]
        return _no_future(Ambiguous(Question.UNTIL, tuple(options)), today)
    return _no_future(said.update([AbsencePeriod(said.absence, start, end)]), today)


def _one_of_two(said: _Said, dates: _Dates, today: date) -> ParseResult:
    """ "vrijdag" said on a Friday: which of the two is asked."""
    assert dates.either is not None
    options = tuple(said.update([said.on(day)]) for day in dates.either.values)
    return _no_future(Ambiguous(Question.WHICH_DAY, options), today)


def _in_week(said: _Said, dates: _Dates, today: date) -> ParseResult:
    """A week without its days ("vorige week 2 uur"): which day of it is asked."""
    assert dates.week is not None
    monday = dates.week.monday
    days = [monday + timedelta(days=i) for i in range(5) if monday + timedelta(days=i) <= today]
    if not days:
        return said.fail(FailureReason.FUTURE_DATE, day=monday)
    choices = [said.update([said.on(day)]) for day in days]
    if said.form is AmountForm.WHOLE_DAY and len(days) > 1:
        choices.append(said.update([AbsencePeriod(said.absence, days[0], days[-1])]))
    return Ambiguous(Question.WHICH_DAY, tuple(choices))


def _on_named_days(said: _Said, dates: _Dates, today: date) -> ParseResult:
    """Named days (or today)."""
    days = sorted(set(dates.days))
    if said.count > 1:
        # "2x te laat, maandag en woensdag": one each day. "3 keer te laat" alone: which days?
        if len(days) == said.count:
            return _no_future(said.update([said.on(day, 1) for day in days]), today)
        if len(days) != 1:
            return said.fail(FailureReason.NEEDS_DAYS)
    if len(days) > 1 and len(said.timed) > 1:
        return said.fail(FailureReason.UNCLEAR_DATES)
    return _no_future(said.update([said.on(day) for day in days or [today]]), today)


READINGS: dict[DateForm, Callable[[_Said, _Dates, date], ParseResult]] = {
    DateForm.DAYS: _on_named_days,
    DateForm.ONE_OF_TWO: _one_of_two,
    DateForm.WEEK: _in_week,
    DateForm.PERIOD: _period,
}


def _settle_week(dates: _Dates) -> None:
    """A week named with its days: the week says which of two days is meant, and days inside
    the week name the week's days."""
    if dates.week is not None and dates.either is not None:
        # "deze week, dinsdag en woensdag" said on a Wednesday: the week says which Wednesday.
        inside = [d for d in dates.either.values if 0 <= (d - dates.week.monday).days <= 6]
        if len(inside) == 1:
            dates.days.append(inside[0])
            dates.either = None
    if dates.week is not None and dates.days:
        last = dates.week.monday + timedelta(days=6)
        if all(dates.week.monday <= day <= last for day in dates.days):
            # "twice this week (Monday and Wednesday)": the days name the week's days.
            dates.week = None


_FORMS: tuple[tuple[DateForm, Callable[[_Dates], bool]], ...] = (
    (DateForm.DAYS, lambda dates: bool(dates.days)),
    (DateForm.ONE_OF_TWO, lambda dates: dates.either is not None),
    (DateForm.WEEK, lambda dates: dates.week is not None),
)


def _date_form(dates: _Dates) -> DateForm | None:
    """The form of the dates; None when they are of two forms at once ("sinds maandag,
    dinsdag"), which is not guessed between."""
    if dates.since is not None or dates.until is not None:
        return None if dates.days or dates.week or dates.either else DateForm.PERIOD
    _settle_week(dates)
    named = [form for form, there in _FORMS if there(dates)]
    if len(named) > 1:
        return None
    return named[0] if named else DateForm.DAYS


def read_one_kind(
    name: str,
    kind: str,
    amounts: list[tuple[str, float]],
    dates: _Dates,
    today: date,
    dropped: bool,
) -> ParseResult:
    """The items of one kind of absence, from the amounts and dates found in the message."""
    said = _said(name, kind, amounts, dropped)
    refused = _amount_refusal(said, dates)
    if refused is not None:
        return refused
    if dates.until is not None and dates.since is None and len(dates.days) == 1:
        dates.since, dates.days = dates.days[0], []
    if dates.either is not None and dates.either_since and not (dates.days or dates.week):
        # "ziek sinds vrijdag" said on a Friday: since today, or since a week ago.
        options = []
        for start in dates.either.values:
            candidate = replace(dates, either=None, either_since=False, since=start)
            option = read_one_kind(name, kind, amounts, candidate, today, dropped)
            if not isinstance(option, QuickUpdate):
                return option
            options.append(option)
        return Ambiguous(Question.WHICH_START, tuple(options))
    form = _date_form(dates)
    if form is None:
        return said.fail(FailureReason.UNCLEAR_DATES)
    reason = REFUSED.get((said.form, form))
    if reason is not None:
        return said.fail(reason)
    return READINGS[form](said, dates, today)
