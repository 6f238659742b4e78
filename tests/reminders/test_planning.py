"""When nudges go out: literal dates, working hours, weekends, holidays, daylight saving."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.planning import Moment, WorkingHours, next_working_moment, nudge_moments

AMS = ZoneInfo("Europe/Amsterdam")
HOURS = WorkingHours(time(8, 0), time(18, 0), AMS)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AMS)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2027, 3, 17, 10, 30), at(2027, 3, 17, 10, 30)),  # inside working hours
        (at(2027, 3, 17, 6, 0), at(2027, 3, 17, 8, 0)),  # before opening
        (at(2027, 3, 17, 18, 0), at(2027, 3, 18, 8, 0)),  # at closing: next day
        (at(2027, 3, 19, 22, 0), at(2027, 3, 22, 8, 0)),  # Friday night → Monday
        (at(2027, 3, 20, 12, 0), at(2027, 3, 22, 8, 0)),  # Saturday
        (at(2027, 4, 26, 20, 0), at(2027, 4, 28, 8, 0)),  # Koningsdag in between
        (at(2027, 3, 27, 12, 0), at(2027, 3, 30, 8, 0)),  # Easter weekend and Monday
    ],
)
def test_next_working_moment(moment: datetime, expected: datetime) -> None:
    assert next_working_moment(moment, HOURS) == expected


def test_own_working_hours() -> None:
    late = WorkingHours(time(9, 30), time(15, 0), AMS)
    assert next_working_moment(at(2027, 3, 17, 9, 0), late) == at(2027, 3, 17, 9, 30)
    assert next_working_moment(at(2027, 3, 17, 15, 0), late) == at(2027, 3, 18, 9, 30)


def test_a_deadline_known_well_ahead_gets_four_nudges() -> None:
    # Due Wednesday 12 May 2027.
    moments = nudge_moments(due=date(2027, 5, 12), known_at=at(2027, 3, 1, 9), now=at(2027, 5, 12, 9),
                            hours=HOURS)  # fmt: skip
    assert moments == [
        Moment(at(2027, 4, 28, 8), "before_14"),
        Moment(at(2027, 5, 7, 8), "before_3"),  # Friday: 3 working days before Wednesday
        Moment(at(2027, 5, 12, 8), "due"),
        Moment(at(2027, 5, 19, 8), "weekly"),
    ]


def test_a_due_date_in_the_weekend_is_nudged_on_the_friday() -> None:
    moments = nudge_moments(due=date(2027, 3, 20), known_at=at(2027, 3, 1, 9), now=at(2027, 3, 1, 9),
                            hours=HOURS)  # fmt: skip
    assert Moment(at(2027, 3, 19, 8), "due") in moments
    assert Moment(at(2027, 3, 8, 8), "before_14") in moments  # 6 March is a Saturday → Monday


def test_known_only_ten_days_ahead_no_fourteen_day_nudge() -> None:
    moments = nudge_moments(due=date(2027, 3, 26), known_at=at(2027, 3, 16, 11), now=at(2027, 3, 16, 11),
                            hours=HOURS)  # fmt: skip
    assert [m.kind for m in moments] == ["before_3", "due"]


def test_an_event_or_overdue_deadline_is_nudged_at_once_then_weekly() -> None:
    moments = nudge_moments(due=date(2027, 3, 17), known_at=at(2027, 3, 17, 19, 5),
                            now=at(2027, 3, 17, 19, 5), hours=HOURS)  # fmt: skip
    assert moments == [Moment(at(2027, 3, 18, 8), "event"), Moment(at(2027, 3, 24, 8), "weekly")]
    later = nudge_moments(due=date(2027, 3, 17), known_at=at(2027, 3, 17, 19, 5),
                          now=at(2027, 3, 24, 7), hours=HOURS)  # fmt: skip
    assert later == [Moment(at(2027, 3, 18, 8), "event"), Moment(at(2027, 3, 24, 8), "weekly")]


def test_daylight_saving_changes_keep_the_wall_clock_hour() -> None:
    # Summer time starts on Sunday 28 March 2027; winter time on Sunday 31 October 2027.
    spring = nudge_moments(due=date(2027, 3, 29 + 1), known_at=at(2027, 3, 1, 9), now=at(2027, 3, 1, 9),
                           hours=HOURS)  # fmt: skip
    autumn = nudge_moments(due=date(2027, 11, 1), known_at=at(2027, 10, 1, 9), now=at(2027, 10, 1, 9),
                           hours=HOURS)  # fmt: skip
    for moment in spring + autumn:
        assert moment.at.astimezone(AMS).time() == time(8, 0)
    due_spring = next(m.at for m in spring if m.kind == "due")
    assert due_spring.utcoffset() == timedelta(hours=2)
    due_autumn = next(m.at for m in autumn if m.kind == "due")
    assert due_autumn.utcoffset() == timedelta(hours=1)


def test_old_overdue_deadlines_only_plan_the_weeks_around_now() -> None:
    moments = nudge_moments(due=date(2020, 1, 6), known_at=at(2020, 1, 1, 9), now=at(2027, 3, 17, 9),
                            hours=HOURS)  # fmt: skip
    weekly = [m.at for m in moments if m.kind == "weekly"]
    assert weekly
    assert all(at(2027, 3, 1) <= moment <= at(2027, 3, 24, 18) for moment in weekly)
