"""The sample region: fictitious, realistic, and only ever in an empty database."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from bot.clock import ShiftedClock
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.services.demo import (
    LAST_NAMES,
    SAMPLE_SWV,
    SampleRefused,
    add_sample_region,
    holds_sample_region,
    is_empty,
)
from bot.storage.models import Bestuur, Case, DeadlineRow, Gemeente, Pupil, Role, School, User
from tests.utils.factories import NOW, organisations


def test_the_sample_region_has_every_part_a_trial_needs(session: Session) -> None:
    assert is_empty(session)

    add_sample_region(session, now=NOW, settings=PROTOCOL)

    today = NOW.date()
    schools = session.exec(select(School)).all()
    assert len(schools) == 4
    assert {s.regio for s in schools} == {"midden", "noord"}  # two holiday regions
    assert len(session.exec(select(Bestuur)).all()) == 2
    assert len(session.exec(select(Gemeente)).all()) == 2
    pupils = session.exec(select(Pupil)).all()
    assert len(pupils) == 40
    assert all(p.last_name in LAST_NAMES for p in pupils)  # names nobody has
    cases = session.exec(select(Case)).all()
    assert {c.category for c in cases} == {"A1", "A2", "B1", "B2"}
    assert any(c.end_date is not None for c in cases)  # one is back at school
    open_deadlines = session.exec(
        select(DeadlineRow).where(col(DeadlineRow.done_at).is_(None))
    ).all()
    assert any(d.due < today for d in open_deadlines)  # some overdue
    assert any(today <= d.due <= today + timedelta(days=7) for d in open_deadlines)  # this week
    people = session.exec(select(User)).all()
    assert Counter(Role(u.role) for u in people) == Counter(Role)  # one person per role
    assert all(u.active and "(fictief)" in (u.display_name or "") for u in people)
    assert holds_sample_region(session)


def test_the_sample_never_goes_into_a_database_with_other_data(session: Session) -> None:
    organisations(session)

    with pytest.raises(SampleRefused):
        add_sample_region(session, now=NOW, settings=PROTOCOL)

    assert not holds_sample_region(session)
    assert session.exec(select(Pupil)).all() == []
    assert SAMPLE_SWV not in {s.name for s in session.exec(select(School)).all()}


def test_a_trial_clock_shows_the_day_asked_with_the_real_time_of_day() -> None:
    tz = ZoneInfo("Europe/Amsterdam")
    clock = ShiftedClock.to_day(tz, date(2027, 3, 15))

    now, real = clock.now(), datetime.now(tz)

    assert now.date() == date(2027, 3, 15)
    assert abs((now - clock.shift) - real) < timedelta(seconds=5)
