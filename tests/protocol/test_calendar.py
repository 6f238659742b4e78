"""Working days and school days, on literal dates (holidays from the `holidays` package)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.protocol.calendar import SchoolCalendar, add_working_days, is_working_day

NOORD, MIDDEN, ZUID = SchoolCalendar("noord"), SchoolCalendar("midden"), SchoolCalendar("zuid")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 3, 17), True),  # a Wednesday
        (date(2027, 3, 20), False),  # Saturday
        (date(2027, 3, 21), False),  # Sunday
        (date(2027, 4, 27), False),  # Koningsdag
        (date(2027, 3, 29), False),  # Tweede Paasdag
        (date(2027, 5, 6), False),  # Hemelvaartsdag
        (date(2027, 5, 17), False),  # Tweede Pinksterdag
        (date(2026, 12, 25), False),  # Eerste Kerstdag
        (date(2026, 12, 28), True),  # a working day inside the Christmas school holiday
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2027, 3, 17), 5, date(2027, 3, 24)),  # Wednesday + 5 working days
        (date(2027, 3, 19), 1, date(2027, 3, 22)),  # Friday → Monday
        (date(2027, 3, 20), 1, date(2027, 3, 22)),  # from a Saturday
        (date(2027, 4, 22), 5, date(2027, 4, 30)),  # across Koningsdag
        (date(2026, 12, 23), 5, date(2026, 12, 31)),  # across Christmas
        (date(2026, 12, 23), 6, date(2027, 1, 4)),  # and across New Year's Day into 2027
        (date(2027, 3, 17), 0, date(2027, 3, 17)),
    ],
)
def test_add_working_days(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


@pytest.mark.parametrize(
    ("calendar", "day", "school"),
    [
        (NOORD, date(2026, 10, 12), False),  # autumn holiday noord: 10–18 October 2026
        (MIDDEN, date(2026, 10, 12), True),
        (ZUID, date(2026, 10, 12), True),
        (NOORD, date(2026, 10, 19), True),
        (MIDDEN, date(2026, 10, 19), False),  # autumn holiday midden/zuid: 17–25 October 2026
        (ZUID, date(2027, 2, 15), False),  # spring holiday zuid: 13–21 February 2027
        (MIDDEN, date(2027, 2, 15), True),
        (MIDDEN, date(2027, 2, 22), False),  # spring holiday midden: 20–28 February 2027
        (MIDDEN, date(2026, 12, 28), False),  # Christmas holiday, a working day
        (MIDDEN, date(2027, 4, 27), False),  # Koningsdag
        (MIDDEN, date(2027, 3, 20), False),  # weekend
        (SchoolCalendar(None), date(2026, 10, 19), True),  # no school: working days only
    ],
)
def test_school_days_per_region(calendar: SchoolCalendar, day: date, school: bool) -> None:
    assert calendar.is_school_day(day) is school


def test_a_school_closure_day_is_not_a_school_day() -> None:
    studiedag = date(2027, 3, 17)
    calendar = SchoolCalendar("midden", frozenset({studiedag}))
    assert not calendar.is_school_day(studiedag)
    assert calendar.add_school_days(date(2027, 3, 16), 1) == date(2027, 3, 18)
    assert MIDDEN.add_school_days(date(2027, 3, 16), 1) == studiedag


def test_twenty_school_days_across_an_autumn_holiday_differ_per_region() -> None:
    start = date(2026, 10, 5)  # Monday
    assert NOORD.nth_school_day(start, 20) == date(2026, 11, 6)
    assert MIDDEN.nth_school_day(start, 20) == date(2026, 11, 6)
    assert ZUID.nth_school_day(start, 20) == date(2026, 11, 6)
    # Starting the week after noord's holiday, midden and zuid still have theirs ahead.
    later = date(2026, 10, 12)
    assert NOORD.nth_school_day(later, 20) == date(2026, 11, 13)
    assert MIDDEN.nth_school_day(later, 20) == date(2026, 11, 13)
    start_noord_after = date(2026, 10, 19)
    assert NOORD.nth_school_day(start_noord_after, 20) == date(2026, 11, 13)
    assert MIDDEN.nth_school_day(start_noord_after, 20) == date(2026, 11, 20)


def test_nth_school_day_starting_on_a_holiday_counts_from_the_next_school_day() -> None:
    assert MIDDEN.nth_school_day(date(2026, 10, 17), 1) == date(2026, 10, 26)
    assert MIDDEN.nth_school_day(date(2027, 3, 15), 1) == date(2027, 3, 15)


def test_counting_and_listing_agree_over_a_school_year_change() -> None:
    start, end = date(2027, 6, 1), date(2027, 9, 30)
    days = MIDDEN.school_days(start, end)
    assert len(days) == MIDDEN.count_school_days(start, end)
    assert all(MIDDEN.is_school_day(d) for d in days)
    assert date(2027, 8, 2) not in days  # summer holiday
    every_day = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    assert days == [d for d in every_day if MIDDEN.is_school_day(d)]


def test_window_of_twenty_school_days_ending_on_a_day() -> None:
    end = date(2027, 3, 17)
    first = MIDDEN.school_days_before(end, 20)
    assert MIDDEN.count_school_days(first, end) == 20
    assert MIDDEN.is_school_day(first)
    # Across the new year and the Christmas holiday.
    january = date(2027, 1, 8)
    first_jan = MIDDEN.school_days_before(january, 20)
    assert MIDDEN.count_school_days(first_jan, january) == 20
    assert first_jan.year == 2026


def test_leap_day() -> None:
    assert is_working_day(date(2028, 2, 29))  # a Tuesday
    assert add_working_days(date(2028, 2, 28), 1) == date(2028, 2, 29)
