"""Early warning before the thresholds, and the deadlines of a case that has ended: tables on
literal dates of the real school calendar (midden: spring holiday 20–28 February 2027, Good
Friday 26 March, Easter Monday 29 March 2027)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.protocol.calendar import SchoolCalendar
from bot.protocol.facts import AbsenceFact, CaseFact, PupilFacts
from bot.protocol.rules import (
    CASE_CLOSED,
    NEEDS_OPEN_CASE,
    ProtocolSettings,
    Rule,
    WarningFacts,
    deadlines_for,
    early_warning_facts,
)
from tests.protocol.test_rules import AS_OF, facts


def due(pupil: PupilFacts, rule: str, settings: ProtocolSettings | None = None) -> list[date]:
    found = deadlines_for(pupil, AS_OF, settings or ProtocolSettings())
    return [d.due for d in found if d.rule == rule]


def hours(kind: str, amount: float, *days: date) -> tuple[AbsenceFact, ...]:
    return tuple(AbsenceFact(day, amount, kind) for day in days)


def d(month: int, day: int, year: int = 2027) -> date:
    return date(year, month, day)


# ----- DREIGEND_16_UUR -----


@pytest.mark.parametrize(
    ("absences", "expected"),
    [
        # 2 h a day from Monday: 10 h exactly reached on Friday, that day.
        (hours("ongeoorloofd", 2, d(3, 1), d(3, 2), d(3, 3), d(3, 4), d(3, 5)), [d(3, 5)]),
        (hours("ongeoorloofd", 2, d(3, 1), d(3, 2), d(3, 3), d(3, 4)) + hours("ongeoorloofd", 1.5, d(3, 5)), []),
        (hours("geoorloofd", 5, d(3, 1), d(3, 2)), []),  # only unauthorised hours count
        # 4 h a day: 12 on Wednesday (the warning), 16 on Thursday (the report, not a warning).
        (hours("ongeoorloofd", 4, d(3, 1), d(3, 2), d(3, 3), d(3, 4)), [d(3, 3)]),
        (hours("ongeoorloofd", 16, d(3, 1)), []),  # straight to 16: the report, no warning
        # 12 February and 12 March are 16 school days apart across the spring holiday.
        (hours("ongeoorloofd", 5, d(2, 12), d(3, 12)), [d(3, 12)]),
        (hours("ongeoorloofd", 5, d(2, 1), d(3, 15)), []),  # 26 school days apart
        # Once per rising crossing: again only after the sum fell below the level.
        (hours("ongeoorloofd", 10, d(3, 1), d(3, 2)), [d(3, 1)]),
        (hours("ongeoorloofd", 10, d(3, 1), d(4, 12)), [d(3, 1), d(4, 12)]),
    ],
)  # fmt: skip
def test_dreigend_16_uur(absences: tuple[AbsenceFact, ...], expected: list[date]) -> None:
    assert due(facts(absences=absences), Rule.DREIGEND_16_UUR) == expected


def test_the_early_warning_level_is_a_setting_and_can_be_switched_off() -> None:
    absences = hours("ongeoorloofd", 2, d(3, 1), d(3, 2), d(3, 3))
    assert due(
        facts(absences=absences), Rule.DREIGEND_16_UUR, ProtocolSettings(early_warning_hours=6)
    ) == [d(3, 3)]
    off = facts(absences=absences, rules_off=frozenset({Rule.DREIGEND_16_UUR}))
    assert due(off, Rule.DREIGEND_16_UUR, ProtocolSettings(early_warning_hours=6)) == []
    with pytest.raises(ValueError, match="below the 16"):
        ProtocolSettings(early_warning_hours=16)


# ----- ZIEKMELDING_PATROON -----


@pytest.mark.parametrize(
    ("absences", "expected"),
    [
        # Four one-day sick reports a week apart: the 4th (1 February) → 5 working days later.
        (hours("ziek", 5, d(1, 11), d(1, 18), d(1, 25), d(2, 1)), [d(2, 8)]),
        (hours("ziek", 5, d(1, 11), d(1, 18), d(1, 25)), []),  # three reports
        # Across a quarter boundary (ZIEKTE_GESPREK counts per quarter; this does not).
        (hours("ziek", 5, d(3, 8), d(3, 22), d(4, 5), d(4, 12)), [d(4, 19)]),
        # Four reports, but never four within 60 school days.
        (hours("ziek", 5, d(9, 7, 2026), d(12, 7, 2026), d(3, 8), d(6, 7)), []),
        # A sick period of 7 school days (Monday 1 – Tuesday 9 March): on its 7th day.
        (hours("ziek", 5, *(d(3, n) for n in (1, 2, 3, 4, 5, 8, 9))), [d(3, 16)]),
        (hours("ziek", 5, *(d(3, n) for n in (1, 2, 3, 4, 5, 8))), []),  # 6 school days
        # One period across the spring holiday: 17–19 February and 1–4 March, 7 school days.
        (hours("ziek", 5, d(2, 17), d(2, 18), d(2, 19), d(3, 1), d(3, 2), d(3, 3), d(3, 4)), [d(3, 11)]),
        (hours("ongeoorloofd", 5, d(1, 11), d(1, 18), d(1, 25), d(2, 1)), []),  # not sick
    ],
)  # fmt: skip
def test_ziekmelding_patroon(absences: tuple[AbsenceFact, ...], expected: list[date]) -> None:
    assert due(facts(absences=absences), Rule.ZIEKMELDING_PATROON) == expected


def test_the_sick_pattern_complements_the_quarterly_sick_talk() -> None:
    # Four reports in one quarter: both rules ask, each its own thing.
    pupil = facts(absences=hours("ziek", 5, d(1, 11), d(1, 18), d(1, 25), d(2, 1)))
    assert due(pupil, Rule.ZIEKTE_GESPREK) == [d(2, 8)]
    assert due(pupil, Rule.ZIEKMELDING_PATROON) == [d(2, 8)]


# ----- deadlines of a case that has ended -----


def _states(pupil: PupilFacts, as_of: date = AS_OF) -> dict[str, set[str | None]]:
    states: dict[str, set[str | None]] = {}
    for deadline in deadlines_for(pupil, as_of, ProtocolSettings()):
        states.setdefault(deadline.rule, set()).add(deadline.closed)
    return states


@pytest.mark.parametrize(
    ("case", "school_type", "as_of", "closed", "open_"),
    [
        # A B2 case from January to mid-March, never acted on: its process deadlines close,
        # the evaluation stays.
        (CaseFact(1, "B2", d(1, 4), end=d(3, 15)), "PO", AS_OF,
         {Rule.VIER_WEKEN_VERZUIM, Rule.PLAN_VAN_AANPAK, Rule.GEEN_ACTIE, Rule.ZONDER_AANBOD_2M},
         {Rule.EVALUATIE}),
        # The same case while still open: nothing is closed by the case (the 2-month step is
        # overtaken by the 3-month step, which is due).
        (CaseFact(1, "B2", d(1, 4)), "PO", AS_OF, set(),
         {Rule.VIER_WEKEN_VERZUIM, Rule.PLAN_VAN_AANPAK, Rule.GEEN_ACTIE, Rule.ZONDER_AANBOD_3M}),
        # An end date that lies after the as-of date has not ended the case yet.
        (CaseFact(1, "B2", d(1, 4), end=d(7, 1)), "PO", AS_OF, set(),
         {Rule.VIER_WEKEN_VERZUIM, Rule.PLAN_VAN_AANPAK, Rule.GEEN_ACTIE, Rule.ZONDER_AANBOD_3M}),
        # A B1 case (not enrolled) that ended: its absolute-absence checks close.
        (CaseFact(1, "B1", d(1, 4), end=d(3, 15)), None, AS_OF,
         {Rule.ABSOLUUT_VERZUIM_CONTROLE, Rule.GEEN_ACTIE, Rule.ZONDER_AANBOD_2M},
         {Rule.EVALUATIE}),
    ],
)  # fmt: skip
def test_a_case_that_ended_closes_the_deadlines_that_need_it_open(
    case: CaseFact, school_type: str | None, as_of: date, closed: set[str], open_: set[str]
) -> None:
    states = _states(facts(cases=(case,), school_type=school_type), as_of)

    assert {rule for rule, state in states.items() if state == {CASE_CLOSED}} == closed
    assert {rule for rule, state in states.items() if state == {None}} >= open_
    assert all(rule in NEEDS_OPEN_CASE for rule in closed)


def test_a_new_case_after_an_ended_one_keeps_its_own_deadlines_open() -> None:
    old = CaseFact(1, "B2", d(1, 4, 2026), end=d(3, 15, 2026))
    new = CaseFact(2, "B2", d(4, 12))
    states = {
        (x.rule, x.due): x.closed
        for x in deadlines_for(facts(cases=(old, new)), AS_OF, ProtocolSettings())
        if x.rule == Rule.VIER_WEKEN_VERZUIM
    }
    assert sorted(states.items()) == [
        # Sunday 4 January 2026: day 1 is Monday the 5th, day 20 Friday the 30th.
        ((Rule.VIER_WEKEN_VERZUIM, d(1, 30, 2026)), CASE_CLOSED),
        # From Monday 12 April 2027, past Koningsdag, the May holiday, Ascension Day and Whit
        # Monday: day 20 is Tuesday 18 May.
        ((Rule.VIER_WEKEN_VERZUIM, d(5, 18)), None),
    ]


@pytest.mark.parametrize(
    ("rule", "absences", "trigger", "expected"),
    [
        # 2 h a day, Monday to Friday: 10 hours in 5 school days.
        (Rule.DREIGEND_16_UUR, hours("ongeoorloofd", 2, d(3, 1), d(3, 2), d(3, 3), d(3, 4), d(3, 5)),
         d(3, 5), WarningFacts("hours", 10, 5)),
        # Across the spring holiday: 12 February to 12 March is 16 school days.
        (Rule.DREIGEND_16_UUR, hours("ongeoorloofd", 5, d(2, 12), d(3, 12)), d(3, 12),
         WarningFacts("hours", 10, 16)),
        # The 4th report in four weeks (11 January – 1 February: 16 school days).
        (Rule.ZIEKMELDING_PATROON, hours("ziek", 5, d(1, 11), d(1, 18), d(1, 25), d(2, 1)), d(2, 1),
         WarningFacts("sick_reports", 4, 16)),
        # A sick period on its 7th school day.
        (Rule.ZIEKMELDING_PATROON, hours("ziek", 5, *(d(3, n) for n in (1, 2, 3, 4, 5, 8, 9))),
         d(3, 9), WarningFacts("sick_period", 7, 7)),
    ],
)  # fmt: skip
def test_an_early_warning_says_what_triggered_it(
    rule: str, absences: tuple[AbsenceFact, ...], trigger: date, expected: WarningFacts
) -> None:
    assert (
        early_warning_facts(rule, trigger, facts(absences=absences), ProtocolSettings()) == expected
    )


def test_a_sick_period_across_one_regions_spring_holiday() -> None:
    # Wednesday 10 – Friday 12 and Monday 22 – Thursday 25 February 2027. In zuid the spring
    # holiday (15–19 February) lies between: one sick period of 7 school days, its 7th day the
    # 25th → due 5 working days later, 4 March. In midden the 15th–19th are school days without
    # an entry, and the 22nd–26th its own holiday: no such period.
    days = (d(2, 10), d(2, 11), d(2, 12), d(2, 22), d(2, 23), d(2, 24), d(2, 25))
    sick = hours("ziek", 5, *days)
    zuid = facts(absences=sick, calendar=SchoolCalendar("zuid"))
    assert due(zuid, Rule.ZIEKMELDING_PATROON) == [d(3, 4)]
    assert due(facts(absences=sick), Rule.ZIEKMELDING_PATROON) == []
