"""Deadlines people can trust: the thuiszitter from absence data, re-application before 1 July,
due dates on working days, superseded deadlines. Literal dates of the real calendar (midden:
spring holiday 20–28 February 2027; Good Friday 26 March and Easter Monday 29 March 2027 are
no school days; Koningsdag Tuesday 27 April 2027; Christmas Friday 25 December 2026)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.protocol.calendar import SchoolCalendar, is_working_day
from bot.protocol.facts import (
    AbsenceFact,
    CaseFact,
    ExemptionFact,
    MovementFact,
    OrganisationFacts,
    PupilFacts,
)
from bot.protocol.rules import (
    CATALOGUE_ORDER,
    SUPERSEDED,
    DueMeans,
    ProtocolSettings,
    Rule,
    deadlines_for,
    organisation_deadlines,
    thuiszitter_periods,
)

MIDDEN = SchoolCalendar("midden")
YEAR_AHEAD = ProtocolSettings(horizon_days=400)


def facts(**fields: Any) -> PupilFacts:
    defaults: dict[str, Any] = {"pupil_id": 1, "calendar": MIDDEN, "school_type": "PO"}
    return PupilFacts(**(defaults | fields))


def found(pupil: PupilFacts, rule: str, as_of: date) -> list[tuple[date, str | None]]:
    return [(d.due, d.closed) for d in deadlines_for(pupil, as_of, YEAR_AHEAD) if d.rule == rule]


def every_school_day(
    kind: str, start: date, end: date, skip: tuple[date, ...] = ()
) -> tuple[AbsenceFact, ...]:
    return tuple(
        AbsenceFact(day, 1.0, kind) for day in MIDDEN.school_days(start, end) if day not in skip
    )


def d(month: int, day: int, year: int = 2027) -> date:
    return date(year, month, day)


# ----- VIER_WEKEN_VERZUIM from absence data -----

# 1 March 2027 is day 1; the 20th school day is Tuesday 30 March (Good Friday and Easter Monday
# are no school days).
MARCH_RUN = every_school_day("ongeoorloofd", d(3, 1), d(3, 30))


@pytest.mark.parametrize(
    ("absences", "cases", "school_type", "expected"),
    [
        # 20 school days of unauthorised absence, no case: a thuiszitter on the 20th.
        (MARCH_RUN, (), "PO", [d(3, 30)]),
        # 19 days: not yet.
        (MARCH_RUN[:-1], (), "PO", []),
        # One school day without an entry in between breaks the run.
        (every_school_day("ongeoorloofd", d(3, 1), d(3, 31), skip=(d(3, 10),)), (), "PO", []),
        # Illness counts too ("ook wegens ziekte"), mixed with unauthorised absence.
        (every_school_day("ziek", d(3, 1), d(3, 12)) + every_school_day("ongeoorloofd", d(3, 15), d(3, 30)),
         (), "PO", [d(3, 30)]),
        # Authorised absence does not.
        (every_school_day("geoorloofd", d(3, 1), d(3, 30)), (), "PO", []),
        # Across the spring holiday: from Monday 8 February, the holiday week is no school day,
        # so the run goes on: 5 + 5 + (holiday) + 5 + 5 → Friday 12 March.
        (every_school_day("ongeoorloofd", d(2, 8), d(3, 12)), (), "PO", [d(3, 12)]),
        # Not enrolled: absolute absence is leerplicht's, not this rule's.
        (MARCH_RUN, (), None, []),
        # A case opened with the run's first day: one deadline, not two.
        (MARCH_RUN, (CaseFact(1, "B2", d(3, 1)),), "PO", [d(3, 30)]),
        # A case opened a week late: the absence reached 4 weeks first, and counts.
        (MARCH_RUN, (CaseFact(1, "B2", d(3, 8)),), "PO", [d(3, 30)]),
        # Without absence entries, the case counts from its own start as before.
        ((), (CaseFact(1, "B2", d(3, 8)),), "PO", [d(4, 6)]),
        # A case that ended last year does not close a new run of absence.
        (MARCH_RUN, (CaseFact(1, "B2", d(9, 1, 2026), end=d(10, 1, 2026)),), "PO", [d(3, 30)]),
    ],
)  # fmt: skip
def test_vier_weken_from_absence_with_or_without_a_case(
    absences: tuple[AbsenceFact, ...],
    cases: tuple[CaseFact, ...],
    school_type: str | None,
    expected: list[date],
) -> None:
    pupil = facts(absences=absences, cases=cases, school_type=school_type)
    assert [
        due for due, closed in found(pupil, Rule.VIER_WEKEN_VERZUIM, d(4, 1)) if closed is None
    ] == expected


def test_the_plan_counts_from_the_day_the_pupil_became_a_thuiszitter() -> None:
    # Case opened on 8 March over absence since 1 March: thuiszitter on 30 March, the plan 10
    # school days later (31 Mar, 1, 2, 5–9, 12, 13 April).
    pupil = facts(absences=MARCH_RUN, cases=(CaseFact(1, "B2", d(3, 8)),))
    assert found(pupil, Rule.PLAN_VAN_AANPAK, d(4, 1)) == [(d(4, 13), None)]
    # Without a case there is nothing to record a plan on: the 4-week deadline asks to open one.
    assert found(facts(absences=MARCH_RUN), Rule.PLAN_VAN_AANPAK, d(4, 1)) == []


def test_one_definition_of_thuiszitter() -> None:
    periods = thuiszitter_periods(facts(absences=MARCH_RUN))
    assert [(p.first, p.reached, p.end, p.case) for p in periods] == [
        (d(3, 1), d(3, 30), d(3, 30), None)
    ]


# ----- VRIJSTELLING_HERAANVRAAG: before 1 July -----


@pytest.mark.parametrize(
    ("exemption", "as_of", "expected"),
    [
        # Ends 30 June 2027: a new one is needed for the next school year, before 1 July.
        (ExemptionFact("5A", d(9, 1, 2026), d(6, 30)), d(3, 1), [d(6, 30)]),
        # Ends 31 July 2027: before the 1 July within it.
        (ExemptionFact("5A", d(9, 1, 2026), d(7, 31)), d(3, 1), [d(6, 30)]),
        # No end date: before every 1 July while it lasts; 1 July 2028 is a Saturday, so
        # Friday 30 June 2028.
        (ExemptionFact("5B", d(9, 1, 2026)), d(6, 1), [d(6, 30), d(6, 30, 2028)]),
        # Permanent: no yearly renewal.
        (ExemptionFact("5A", d(9, 1, 2026), permanent=True), d(3, 1), []),
        # Two school years: before each 1 July (Tuesday 30 June 2026, Wednesday 30 June 2027).
        (ExemptionFact("5C", d(9, 1, 2025), d(6, 30)), d(6, 1), [d(6, 30, 2026), d(6, 30)]),
        # Seen from March 2026, the second lies beyond the horizon: known when it comes nearer.
        (ExemptionFact("5C", d(9, 1, 2025), d(6, 30)), d(3, 1, 2026), [d(6, 30, 2026)]),
        # 30 June 2029 is a Saturday: the last working day before 1 July is Friday 29 June.
        (ExemptionFact("5A", d(9, 1, 2028), d(6, 30, 2029)), d(3, 1, 2029), [d(6, 29, 2029)]),
        # Starting on 1 July 2027: the first 1 July it runs across is 2028's (then 2029's:
        # 30 June 2029 is a Saturday, so Friday 29 June); none is due the day before it starts
        # (found by the property test of due ≥ trigger).
        (ExemptionFact("5A", d(7, 1)), d(6, 1, 2028), [d(6, 30, 2028), d(6, 29, 2029)]),
        (ExemptionFact("5A", d(7, 1)), d(5, 1), []),
        # Starting on 30 June 2027: due on its first day, for the next school year.
        (ExemptionFact("5A", d(6, 30)), d(5, 1), [d(6, 30)]),
    ],
)  # fmt: skip
def test_re_application_before_1_july(
    exemption: ExemptionFact, as_of: date, expected: list[date]
) -> None:
    pupil = facts(exemptions=(exemption,))
    dues = [due for due, _ in found(pupil, Rule.VRIJSTELLING_HERAANVRAAG, as_of)]
    assert dues == expected
    assert all(due < date(due.year, 7, 1) for due in dues)


# ----- due dates on working days -----


@pytest.mark.parametrize(
    ("pupil", "rule", "expected"),
    [
        # "From then on", later: 2 months from 25 October is Christmas Day (Friday 25 December
        # 2026); the weekend follows: Monday 28 December.
        (facts(cases=(CaseFact(1, "B2", d(10, 25, 2026)),)), Rule.ZONDER_AANBOD_2M, d(12, 28, 2026)),
        # 3 months from 26 September is 2e Kerstdag, a Saturday: Monday 28 December.
        (facts(cases=(CaseFact(1, "B2", d(9, 26, 2026)),)), Rule.ZONDER_AANBOD_3M, d(12, 28, 2026)),
        # The 18th birthday on Koningsdag: Wednesday 28 April.
        (facts(birth_date=d(4, 27, 2009), cases=(CaseFact(1, "B2", d(3, 1)),)), Rule.LEERPLICHT_EINDE,
         d(4, 28)),
        # No action since 1 November 2026: 4 weeks is Sunday 29 November, so Monday 30.
        (facts(cases=(CaseFact(1, "B2", d(11, 1, 2026)),)), Rule.GEEN_ACTIE, d(11, 30, 2026)),
        # "By then", earlier: 3 months before 27 July is Koningsdag, so Monday 26 April.
        (facts(exemptions=(ExemptionFact("5C", d(1, 4), d(7, 27)),)), Rule.VRIJSTELLING_EINDE_3M,
         d(4, 26)),
        # 3 months before 2 April 2027 is Saturday 2 January; 1 January is New Year's Day:
        # Thursday 31 December 2026.
        (facts(exemptions=(ExemptionFact("5C", d(9, 1, 2026), d(4, 2)),)), Rule.VRIJSTELLING_EINDE_3M,
         d(12, 31, 2026)),
        # A de-registration on Saturday 2 January: DUO within 7 days is Saturday 9 January, so
        # by Friday 8 January.
        (facts(movements=(MovementFact("uitschrijving", d(1, 2)),)), Rule.UITSCHRIJVING_DUO, d(1, 8)),
    ],
)  # fmt: skip
def test_a_due_date_moves_to_a_working_day(pupil: PupilFacts, rule: Rule, expected: date) -> None:
    dues = [due for due, _ in found(pupil, rule, d(1, 1, 2026))]
    assert expected in dues
    assert all(is_working_day(due) for due in dues)


def test_every_rule_says_what_its_date_means() -> None:
    by_then = {spec.rule for spec in CATALOGUE_ORDER if spec.due_means is DueMeans.BY}
    assert {Rule.VRIJSTELLING_HERAANVRAAG, Rule.VRIJSTELLING_EINDE_3M} <= by_then
    from_then = {spec.rule for spec in CATALOGUE_ORDER if spec.due_means is DueMeans.FROM}
    assert {Rule.ZONDER_AANBOD_2M, Rule.ZONDER_AANBOD_3M, Rule.LEERPLICHT_EINDE,
            Rule.KWARTAAL_PEILDATUM} <= from_then  # fmt: skip


def test_organisation_dates_on_working_days() -> None:
    # 1 January 2027 (the monthly overview) is New Year's Day: Monday 4 January.
    gemeente = OrganisationFacts("gemeente", 5, d(11, 1, 2026), ((d(11, 10, 2026), None),))
    dues = [x.due for x in organisation_deadlines(gemeente, d(12, 1, 2026), YEAR_AHEAD)]
    assert d(1, 4) in dues
    assert d(1, 1) not in dues
    assert all(is_working_day(due) for due in dues)


# ----- superseded, never contradicted -----


def hours(kind: str, amount: float, *days: date) -> tuple[AbsenceFact, ...]:
    return tuple(AbsenceFact(day, amount, kind) for day in days)


def test_the_early_warning_is_overtaken_by_the_16_hour_report() -> None:
    ten = hours("ongeoorloofd", 5, d(3, 1), d(3, 2))
    assert found(facts(absences=ten), Rule.DREIGEND_16_UUR, d(3, 2)) == [(d(3, 2), None)]
    sixteen = ten + hours("ongeoorloofd", 6, d(3, 3))
    assert found(facts(absences=sixteen), Rule.DREIGEND_16_UUR, d(3, 3)) == [(d(3, 2), SUPERSEDED)]
    assert found(facts(absences=sixteen), Rule.MELDING_16_UUR, d(3, 3)) == [(d(3, 10), None)]


def test_only_the_warning_of_the_same_rise_is_overtaken() -> None:
    # 10 hours on 1 March (a warning); weeks later it rises again and goes on to 16: only the
    # second warning is overtaken.
    pupil = facts(
        absences=hours("ongeoorloofd", 10, d(3, 1), d(4, 12)) + hours("ongeoorloofd", 6, d(4, 13))
    )
    assert found(pupil, Rule.DREIGEND_16_UUR, d(4, 13)) == [(d(3, 1), None), (d(4, 12), SUPERSEDED)]


def test_two_months_is_overtaken_once_three_months_is_due() -> None:
    pupil = facts(cases=(CaseFact(1, "B2", d(1, 15)),))
    assert found(pupil, Rule.ZONDER_AANBOD_2M, d(4, 14)) == [(d(3, 15), None)]
    assert found(pupil, Rule.ZONDER_AANBOD_2M, d(4, 15)) == [(d(3, 15), SUPERSEDED)]


def test_a_periodic_occurrence_is_overtaken_by_the_next() -> None:
    swv = OrganisationFacts("swv", 1, d(1, 1, 2026))
    quarterly = [
        (x.due, x.closed)
        for x in organisation_deadlines(swv, d(3, 15), ProtocolSettings())
        if x.rule == Rule.KWARTAAL_PEILDATUM
    ]
    assert (d(12, 15, 2026), SUPERSEDED) in quarterly
    assert (d(3, 15), None) in quarterly
    assert [due for due, closed in quarterly if closed is None] == [d(3, 15)]


# ----- one thuiszitter, in the agenda and in the reports -----


@pytest.mark.parametrize(
    ("start", "day", "listed"),
    [
        # From Monday 1 March 2027: 28 calendar days is Easter Monday 29 March, but the 20th
        # school day is Tuesday 30 March — the day the 4-week deadline falls.
        (d(3, 1), d(3, 29), False),
        (d(3, 1), d(3, 30), True),
        # From 15 February, across the spring holiday: the 20th school day is 19 March.
        (d(2, 15), d(3, 18), False),
        (d(2, 15), d(3, 19), True),
    ],
)
def test_the_inspectie_registration_counts_thuiszitters_as_the_deadlines_do(
    start: date, day: date, listed: bool
) -> None:
    from bot.protocol.rules import thuiszitter_from
    from bot.reports.overview import CaseRecord, duration_bucket, inspectie_rows

    case = CaseRecord(1, "B2", None, start, None, None, "De Regenboog (12AB)", "Bolder", "Gouda",
                      thuiszitter_on=thuiszitter_from(start, MIDDEN))  # fmt: skip
    pupil = facts(cases=(CaseFact(1, "B2", start),))
    [four_weeks] = found(pupil, Rule.VIER_WEKEN_VERZUIM, day)
    assert (four_weeks[0] <= day) is listed
    assert bool(inspectie_rows([case], day)) is listed
    assert (duration_bucket(case, day) != "< 4 weken") is listed
