"""Every rule of the catalogue (RULES.md): a positive case, a negative case and its boundaries, on literal
dates of the real school calendar (midden unless said otherwise; spring holiday midden
20–28 February 2027, Good Friday 26 March, Easter Monday 29 March 2027)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest

from bot.protocol.calendar import SchoolCalendar
from bot.protocol.facts import (
    AbsenceFact,
    CaseFact,
    ExemptionFact,
    MovementFact,
    OrganisationFacts,
    PupilFacts,
    SuspensionFact,
    VariawetFact,
)
from bot.protocol.rules import (
    CATALOGUE,
    CATALOGUE_ORDER,
    DEFAULT_SETTINGS,
    ORGANISATION_RULES,
    PUPIL_RULES,
    ProtocolSettings,
    Rule,
    RuleSpec,
    add_months,
    deadlines_for,
    organisation_deadlines,
)

MIDDEN = SchoolCalendar("midden")
AS_OF = date(2027, 6, 1)
# Periodic occurrences up to 400 days ahead, so the tables below can show a year of them.
YEAR_AHEAD = ProtocolSettings(horizon_days=400)


def facts(**fields: Any) -> PupilFacts:
    defaults: dict[str, Any] = {"pupil_id": 1, "calendar": MIDDEN, "school_type": "PO"}
    return PupilFacts(**(defaults | fields))


def due(pupil: PupilFacts, rule: str, as_of: date = AS_OF) -> list[date]:
    return [d.due for d in deadlines_for(pupil, as_of, YEAR_AHEAD) if d.rule == rule]


def absent(kind: str, hours: float, *days: date) -> tuple[AbsenceFact, ...]:
    return tuple(AbsenceFact(day, hours, kind) for day in days)


def march(*days: int) -> list[date]:
    return [date(2027, 3, d) for d in days]


# ----- MELDING_16_UUR and VERVOLGMELDING_16_UUR -----


@pytest.mark.parametrize(
    ("absences", "expected"),
    [
        (absent("ongeoorloofd", 4, *march(1, 2, 3, 4)), [date(2027, 3, 11)]),  # exactly 16 on Thu
        (absent("ongeoorloofd", 4, *march(1, 2, 3)) + absent("ongeoorloofd", 3.5, date(2027, 3, 4)), []),
        (absent("geoorloofd", 8, *march(1, 2)), []),  # only unauthorised hours count
        (absent("ongeoorloofd", 8, date(2027, 3, 5)) + absent("ongeoorloofd", 8, date(2027, 3, 8)),
         [date(2027, 3, 15)]),  # across a weekend
        # 12 Feb – 12 Mar: 21 working days, but the spring holiday makes it 16 school days.
        (absent("ongeoorloofd", 8, date(2027, 2, 12), date(2027, 3, 12)), [date(2027, 3, 19)]),
        (absent("ongeoorloofd", 8, date(2027, 2, 1), date(2027, 3, 15)), []),  # 26 school days apart
        (absent("ongeoorloofd", 8, date(2027, 4, 22), date(2027, 4, 23)), [date(2027, 5, 3)]),
        # ^ 5 working days after Friday 23 April skip Koningsdag (27 April)
        # 16 hours in one day, twice, ten weeks apart: the sum fell back in between (on days
        # without entries), so the second is a new report (Whit Monday 17 May skipped).
        (absent("ongeoorloofd", 16, date(2027, 3, 1), date(2027, 5, 10)),
         [date(2027, 3, 8), date(2027, 5, 18)]),
    ],
)  # fmt: skip
def test_melding_16_uur(absences: tuple[AbsenceFact, ...], expected: list[date]) -> None:
    assert due(facts(absences=absences), "MELDING_16_UUR") == expected


def test_melding_depends_on_the_region() -> None:
    # 12 Feb + 12 Mar fits in 20 school days only where the spring holiday lies between.
    absences = absent("ongeoorloofd", 8, date(2027, 2, 12), date(2027, 3, 12))
    assert due(facts(absences=absences, calendar=SchoolCalendar(None)), "MELDING_16_UUR") == []
    assert due(facts(absences=absences, calendar=SchoolCalendar("zuid")), "MELDING_16_UUR") == [
        date(2027, 3, 19)
    ]


def test_a_new_report_after_absence_stopped_and_started_again() -> None:
    first = absent("ongeoorloofd", 8, *march(1, 2))
    later = absent("ongeoorloofd", 8, date(2027, 5, 10), date(2027, 5, 11))
    assert due(facts(absences=first + later), "MELDING_16_UUR") == [
        date(2027, 3, 9), date(2027, 5, 19),  # Pentecost Monday 17 May 2027 skipped
    ]  # fmt: skip


def test_vervolgmelding_every_five_working_days_while_it_goes_on() -> None:
    absences = absent("ongeoorloofd", 4, *march(1, 2, 3, 4, 15, 22))
    pupil = facts(absences=absences)
    # MELDING due 11 March; new hours on 15 March → follow-up due 18 March; on 22 March → 25 March.
    assert due(pupil, "VERVOLGMELDING_16_UUR") == [date(2027, 3, 18), date(2027, 3, 25)]
    # What happens after today is not known yet.
    assert due(pupil, "VERVOLGMELDING_16_UUR", as_of=date(2027, 3, 17)) == []
    assert due(pupil, "VERVOLGMELDING_16_UUR", as_of=date(2027, 3, 18)) == [date(2027, 3, 18)]


def test_no_vervolgmelding_without_new_hours() -> None:
    assert (
        due(facts(absences=absent("ongeoorloofd", 4, *march(1, 2, 3, 4))), "VERVOLGMELDING_16_UUR")
        == []
    )


# ----- VO schema -----


def test_vo_thresholds() -> None:
    late = absent("te_laat", 1, *march(1, 2, 3, 4, 5, 8))
    unauthorised = absent("ongeoorloofd", 3, date(2027, 3, 9), date(2027, 3, 10))
    pupil = facts(school_type="VO", absences=late + unauthorised)
    assert due(pupil, "VO_3_UUR") == [date(2027, 3, 10)]  # 3 h on Wednesday 3 March
    assert due(pupil, "VO_6_UUR") == [date(2027, 3, 15)]  # 6 h on Monday 8 March
    assert due(pupil, "VO_9_UUR") == [date(2027, 3, 16)]  # 9 h on 9 March
    assert due(pupil, "VO_12_UUR") == [date(2027, 3, 17)]  # 12 h on 10 March


def test_vo_schema_is_for_vo_and_vso_only() -> None:
    absences = absent("ongeoorloofd", 6, *march(1, 2))
    assert due(facts(school_type="PO", absences=absences), "VO_3_UUR") == []
    assert due(facts(school_type="VSO", absences=absences), "VO_3_UUR") == [date(2027, 3, 8)]


def test_vo_schema_starts_again_on_1_august() -> None:
    absences = absent("ongeoorloofd", 2, date(2027, 7, 30)) + absent(
        "ongeoorloofd", 2, date(2027, 8, 2)
    )
    assert due(facts(school_type="VO", absences=absences), "VO_3_UUR", as_of=date(2027, 9, 1)) == []
    absences += absent("ongeoorloofd", 1, date(2027, 8, 3))
    assert due(facts(school_type="VO", absences=absences), "VO_3_UUR", as_of=date(2027, 9, 1)) == [
        date(2027, 8, 10)
    ]


# ----- four weeks, plan, 75 %, without offer -----


def b2(start: date, **fields: Any) -> CaseFact:
    return CaseFact(case_id=7, category="B2", start=start, **fields)


def test_vier_weken_is_the_20th_school_day() -> None:
    pupil = facts(cases=(b2(date(2027, 3, 1)),))
    assert due(pupil, "VIER_WEKEN_VERZUIM") == [date(2027, 3, 30)]  # Easter skipped
    assert due(facts(cases=(CaseFact(1, "A1", date(2027, 3, 1)),)), "VIER_WEKEN_VERZUIM") == [
        date(2027, 3, 30)
    ]


@pytest.mark.parametrize(
    ("case", "school_type", "expected"),
    [
        (b2(date(2027, 3, 1), end=date(2027, 3, 29)), "PO", []),  # ended the day before
        (b2(date(2027, 3, 1), end=date(2027, 3, 30)), "PO", [date(2027, 3, 30)]),  # ended that day
        (CaseFact(1, "B1", date(2027, 3, 1)), "PO", []),  # not relative absence
        (b2(date(2027, 3, 1)), None, []),  # not enrolled
    ],
)
def test_vier_weken_negative_cases(
    case: CaseFact, school_type: str | None, expected: list[date]
) -> None:
    assert due(facts(cases=(case,), school_type=school_type), "VIER_WEKEN_VERZUIM") == expected


def test_vier_weken_differs_per_region_around_the_autumn_holiday() -> None:
    case = (b2(date(2026, 10, 19)),)
    assert due(facts(cases=case, calendar=SchoolCalendar("noord")), "VIER_WEKEN_VERZUIM") == [
        date(2026, 11, 13)
    ]
    assert due(facts(cases=case, calendar=SchoolCalendar("midden")), "VIER_WEKEN_VERZUIM") == [
        date(2026, 11, 20)
    ]
    assert due(facts(cases=case, calendar=SchoolCalendar("zuid")), "VIER_WEKEN_VERZUIM") == [
        date(2026, 11, 20)
    ]


def test_plan_van_aanpak() -> None:
    assert due(facts(cases=(b2(date(2027, 3, 1)),)), "PLAN_VAN_AANPAK") == [date(2027, 4, 13)]
    named = b2(date(2027, 3, 1), contact_person="Jan Jansen (IB)")
    assert due(facts(cases=(named,)), "PLAN_VAN_AANPAK") == []


@pytest.mark.parametrize(
    ("school_type", "hours", "expected"),
    [
        ("PO", 5.0, [date(2027, 3, 19)]),  # 15 days × 5 h = 75 h = 75 % of 100 h
        ("PO", 4.9, [date(2027, 3, 22)]),  # 16 days × 4.9 h = 78.4 h
        ("VO", 5.0, [date(2027, 3, 24)]),  # 18 days × 5 h = 90 h = 75 % of 120 h
        ("PO", 3.0, []),
        (None, 8.0, []),
    ],
)
def test_verzuim_75_procent(school_type: str | None, hours: float, expected: list[date]) -> None:
    days = MIDDEN.school_days(date(2027, 3, 1), date(2027, 4, 9))
    pupil = facts(school_type=school_type, absences=absent("ziek", hours, *days))
    assert due(pupil, "VERZUIM_75_PROCENT") == expected


@pytest.mark.parametrize(
    ("case", "two", "three"),
    [
        (b2(date(2027, 1, 15)), [date(2027, 3, 15)], [date(2027, 4, 15)]),
        # Month ends: 28 February 2027 is a Sunday, so "from then on" is Monday 1 March.
        (b2(date(2026, 12, 31)), [date(2027, 3, 1)], [date(2027, 3, 31)]),
        (CaseFact(1, "B1", date(2027, 1, 15)), [date(2027, 3, 15)], [date(2027, 4, 15)]),
        (CaseFact(1, "A1", date(2027, 1, 15)), [date(2027, 3, 15)], [date(2027, 4, 15)]),
        (CaseFact(1, "A2", date(2027, 1, 15)), [], []),
        (b2(date(2027, 1, 15), offer_since=date(2027, 2, 1)), [], []),
        (b2(date(2027, 1, 15), offer_since=date(2027, 3, 15)), [], []),  # offer on the day itself
        (b2(date(2027, 1, 15), offer_since=date(2027, 3, 16)), [date(2027, 3, 15)], []),
        (b2(date(2027, 1, 15), end=date(2027, 3, 15)), [], []),  # back at school on the day
    ],
)
def test_zonder_aanbod(case: CaseFact, two: list[date], three: list[date]) -> None:
    pupil = facts(cases=(case,))
    assert due(pupil, "ZONDER_AANBOD_2M") == two
    assert due(pupil, "ZONDER_AANBOD_3M") == three


# ----- exemptions -----


@pytest.mark.parametrize(
    ("exemption", "swv", "end_3m", "renewal"),
    [
        # Re-apply "altijd vóór 1 juli": Wednesday 30 June 2027, the last working day before.
        (ExemptionFact("5A", date(2026, 9, 1), date(2027, 7, 31)),
         [date(2026, 9, 1)], [date(2027, 4, 30)], [date(2027, 6, 30)]),
        (ExemptionFact("5B", date(2026, 9, 1), date(2027, 7, 1)),
         [date(2026, 9, 1)], [date(2027, 4, 1)], [date(2027, 6, 30)]),  # ends on 1 July itself
        # Ends on 30 June: the next school year needs a new one, before that 1 July.
        (ExemptionFact("5C", date(2026, 9, 1), date(2027, 6, 30)),
         [], [date(2027, 3, 30)], [date(2027, 6, 30)]),
        (ExemptionFact("5A", date(2026, 9, 1), date(2027, 7, 31), permanent=True),
         [date(2026, 9, 1)], [date(2027, 4, 30)], []),
        (ExemptionFact("5D", date(2026, 9, 1)), [], [], [date(2027, 6, 30)]),  # every 1 July
        # Short, from Saturday 1 May: at once, on the first working day (Monday 3 May); it ends
        # before 1 July, so a new one is needed before that 1 July.
        (ExemptionFact("5A", date(2027, 5, 1), date(2027, 6, 15)),
         [date(2027, 5, 3)], [date(2027, 5, 3)], [date(2027, 6, 30)]),
        (ExemptionFact("5A", date(2027, 9, 1), date(2028, 5, 31)),
         [date(2027, 9, 1)], [date(2028, 2, 29)], []),  # leap year
    ],
)  # fmt: skip
def test_exemptions(
    exemption: ExemptionFact, swv: list[date], end_3m: list[date], renewal: list[date]
) -> None:
    pupil = facts(exemptions=(exemption,))
    assert due(pupil, "VRIJSTELLING_SWV_BETREKKEN") == swv
    assert due(pupil, "VRIJSTELLING_EINDE_3M") == end_3m
    assert due(pupil, "VRIJSTELLING_HERAANVRAAG", as_of=date(2027, 3, 1)) == renewal


def test_an_open_ended_exemption_is_renewed_every_1_july_up_to_the_horizon() -> None:
    pupil = facts(exemptions=(ExemptionFact("5D", date(2025, 9, 1)),))
    assert due(pupil, "VRIJSTELLING_HERAANVRAAG", as_of=date(2027, 3, 1)) == [
        date(2026, 6, 30), date(2027, 6, 30),
    ]  # fmt: skip


# ----- illness, suspension, movements -----


def test_ziekte_gesprek_after_the_fourth_sick_report_in_a_quarter() -> None:
    reports = absent(
        "ziek", 5, date(2027, 1, 11), date(2027, 1, 25), date(2027, 2, 8), date(2027, 3, 1)
    )
    assert due(facts(absences=reports), "ZIEKTE_GESPREK") == [date(2027, 3, 8)]
    assert due(facts(absences=reports[:3]), "ZIEKTE_GESPREK") == []
    # Spread over two quarters: 3 + 1.
    spread = reports[:3] + absent("ziek", 5, date(2027, 4, 6))
    assert due(facts(absences=spread), "ZIEKTE_GESPREK") == []


def test_ziekte_gesprek_when_ill_longer_than_two_weeks() -> None:
    # "Langer dan 2 weken": the 11th school day ill (Monday 15 March), + 5 working days.
    eleven = absent("ziek", 5, *MIDDEN.school_days(date(2027, 3, 1), date(2027, 3, 15)))
    assert len(eleven) == 11
    assert due(facts(absences=eleven), "ZIEKTE_GESPREK") == [date(2027, 3, 22)]
    assert due(facts(absences=eleven[:10]), "ZIEKTE_GESPREK") == []  # exactly two weeks


def test_sick_days_around_a_holiday_are_one_report() -> None:
    # Friday before and Monday after the spring holiday: no school day between, so one report.
    days = absent(
        "ziek", 5, date(2027, 1, 11), date(2027, 1, 25), date(2027, 2, 19), date(2027, 3, 1)
    )
    assert due(facts(absences=days), "ZIEKTE_GESPREK") == []


@pytest.mark.parametrize(
    ("suspension", "melding", "te_lang", "herstel"),
    [
        (SuspensionFact(date(2027, 3, 1), date(2027, 3, 2)), [date(2027, 3, 1)], [], [date(2027, 3, 9)]),
        (SuspensionFact(date(2027, 3, 1), date(2027, 3, 1)), [], [], [date(2027, 3, 8)]),
        (SuspensionFact(date(2027, 3, 1), date(2027, 3, 5)), [date(2027, 3, 1)], [], [date(2027, 3, 12)]),
        (SuspensionFact(date(2027, 3, 1), date(2027, 3, 8)), [date(2027, 3, 1)], [date(2027, 3, 1)],
         [date(2027, 3, 15)]),
    ],
)  # fmt: skip
def test_suspensions(
    suspension: SuspensionFact, melding: list[date], te_lang: list[date], herstel: list[date]
) -> None:
    pupil = facts(suspensions=(suspension,))
    assert due(pupil, "SCHORSING_MELDING") == melding
    assert due(pupil, "SCHORSING_TE_LANG") == te_lang
    assert due(pupil, "HERSTELGESPREK") == herstel


def test_suspension_from_entries_without_recorded_dates() -> None:
    pupil = facts(absences=absent("schorsing", 5, *march(1, 2)))
    assert due(pupil, "SCHORSING_MELDING") == [date(2027, 3, 1)]
    assert due(pupil, "HERSTELGESPREK") == [date(2027, 3, 9)]


def test_movements() -> None:
    pupil = facts(movements=(
        MovementFact("verwijdering", date(2027, 3, 1)),
        MovementFact("verwijdering", date(2027, 3, 2), has_new_school=True),
        MovementFact("uitschrijving", date(2027, 3, 3)),
        MovementFact("inschrijving", date(2027, 3, 4)),
    ))  # fmt: skip
    assert due(pupil, "VERWIJDERING_ZONDER_SCHOOL") == [date(2027, 3, 1)]
    assert due(pupil, "UITSCHRIJVING_DUO") == [date(2027, 3, 10), date(2027, 3, 11)]


# ----- periodic, Variawet, evaluation, no action, 18 -----


def test_absoluut_verzuim_every_14_days_while_open() -> None:
    b1 = CaseFact(1, "B1", date(2027, 3, 1), end=date(2027, 4, 12))
    # 29 March 2027 is Easter Monday: that check is on Tuesday 30 March.
    assert due(facts(cases=(b1,)), "ABSOLUUT_VERZUIM_CONTROLE") == [
        date(2027, 3, 15), date(2027, 3, 30), date(2027, 4, 12),
    ]  # fmt: skip
    open_b1 = CaseFact(1, "B1", date(2027, 3, 1))
    found = due(facts(cases=(open_b1,)), "ABSOLUUT_VERZUIM_CONTROLE", as_of=date(2027, 3, 1))
    assert found[0] == date(2027, 3, 15)
    assert found[-1] <= date(2027, 3, 1) + timedelta(days=400)
    # Every 14 days, each moved to the next working day when it is none (13 to 15 days apart).
    assert all(13 <= (b - a).days <= 15 for a, b in itertools.pairwise(found))


def test_variawet() -> None:
    pupil = facts(variawet=(
        VariawetFact(date(2027, 3, 1)),
        VariawetFact(date(2027, 1, 10), decided=date(2027, 3, 15), approved=True),
        VariawetFact(date(2027, 6, 1), decided=date(2027, 7, 15), approved=True),
        VariawetFact(date(2027, 1, 10), decided=date(2027, 2, 15), approved=False),
    ))  # fmt: skip
    assert due(pupil, "VARIAWET_BESLUIT") == [date(2027, 4, 26)]
    # 1 July 2028 is a Saturday: by Friday 30 June.
    assert due(pupil, "VARIAWET_HERAANVRAAG") == [date(2027, 7, 1), date(2028, 6, 30)]


def test_evaluatie_and_geen_actie() -> None:
    ended = b2(date(2027, 1, 4), end=date(2027, 3, 15))
    assert due(facts(cases=(ended,)), "EVALUATIE") == [date(2027, 4, 12)]
    assert due(facts(cases=(b2(date(2027, 3, 1)),)), "EVALUATIE") == []
    # 29 March is Easter Monday, 17 April a Saturday: the next working days.
    assert due(facts(cases=(b2(date(2027, 3, 1)),)), "GEEN_ACTIE") == [date(2027, 3, 30)]
    acted = b2(date(2027, 3, 1), action_days=(date(2027, 3, 20), date(2027, 3, 10)))
    assert due(facts(cases=(acted,)), "GEEN_ACTIE") == [date(2027, 4, 19)]
    assert due(facts(cases=(acted,)), "GEEN_ACTIE", as_of=date(2027, 3, 15)) == [date(2027, 4, 7)]
    assert due(facts(cases=(CaseFact(1, "A2", date(2027, 3, 1)),)), "GEEN_ACTIE") == []


@pytest.mark.parametrize(
    ("born", "case", "expected"),
    [
        (date(2009, 5, 10), b2(date(2027, 3, 1)), [date(2027, 5, 10)]),
        (date(2012, 2, 29), b2(date(2029, 9, 1)), [date(2030, 2, 28)]),  # leap day birthday
        (date(2009, 5, 10), b2(date(2027, 3, 1), end=date(2027, 5, 9)), []),
        (date(2010, 5, 10), b2(date(2027, 3, 1), end=date(2027, 5, 9)), []),
    ],
)
def test_leerplicht_einde(born: date, case: CaseFact, expected: list[date]) -> None:
    assert due(facts(birth_date=born, cases=(case,)), "LEERPLICHT_EINDE") == expected


def test_organisation_rules_start_at_registration() -> None:
    swv = OrganisationFacts("swv", 1, registered_on=date(2026, 11, 20))
    found = organisation_deadlines(swv, as_of=date(2026, 11, 22), settings=YEAR_AHEAD)
    by_rule: dict[str, list[date]] = {}
    for deadline in found:
        by_rule.setdefault(deadline.rule, []).append(deadline.due)
    assert by_rule["KWARTAAL_PEILDATUM"][:4] == [
        date(2026, 12, 15), date(2027, 3, 15), date(2027, 6, 15), date(2027, 9, 15),
    ]  # fmt: skip
    assert by_rule["LEERPLICHT_VERIFICATIE"][:2] == [date(2026, 12, 1), date(2027, 3, 1)]
    assert by_rule["OVERLEG_BOC_NETWERK"][:2] == [date(2027, 4, 1), date(2027, 10, 1)]
    assert by_rule["OVERLEG_LEERPLICHT"] == by_rule["OVERLEG_BOC_NETWERK"]
    assert all(d.org == ("swv", 1) and d.pupil_id is None for d in found)
    board = organisation_deadlines(
        OrganisationFacts("bestuur", 3, date(2026, 11, 20)), date(2026, 11, 22)
    )
    # A board has its own quarterly date and its own verification (its schools' cases).
    assert {d.rule for d in board} == {"KWARTAAL_PEILDATUM", "LEERPLICHT_VERIFICATIE"}


def test_the_stored_horizon_is_two_months_by_default() -> None:
    b1 = CaseFact(1, "B1", date(2027, 3, 1))
    found = [d.due for d in deadlines_for(facts(cases=(b1,)), date(2027, 3, 1))
             if d.rule == "ABSOLUUT_VERZUIM_CONTROLE"]  # fmt: skip
    assert found == [date(2027, 3, 15), date(2027, 3, 30), date(2027, 4, 12), date(2027, 4, 26)]


def test_monthly_overview_only_while_a_case_is_open_in_the_gemeente() -> None:
    gemeente = OrganisationFacts(
        "gemeente", 5, registered_on=date(2026, 11, 1),
        open_periods=((date(2026, 11, 10), date(2027, 1, 20)),),
    )  # fmt: skip
    found = organisation_deadlines(gemeente, as_of=date(2026, 11, 22))
    by_rule: dict[str, list[date]] = {}
    for deadline in found:
        by_rule.setdefault(deadline.rule, []).append(deadline.due)
    assert by_rule == {
        "MAANDOVERZICHT_SWV": [date(2026, 12, 1), date(2027, 1, 4)],  # after New Year's Day
        # The gemeente's own verification, likewise only while a case is open there.
        "LEERPLICHT_VERIFICATIE": [date(2026, 12, 1)],
    }


def test_add_months() -> None:
    assert add_months(date(2027, 7, 31), -3) == date(2027, 4, 30)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


# Facts that trigger every rule of the catalogue at AS_OF.
EVERYTHING = facts(
    birth_date=date(2009, 5, 10),
    cases=(b2(date(2027, 1, 4)), CaseFact(2, "B1", date(2027, 1, 4), end=date(2027, 3, 1))),
    absences=absent("ongeoorloofd", 8, *march(1, 2, 3, 15)) + absent("ziek", 8, *march(16, 17, 18, 19, 22, 23, 24, 25, 26, 30, 31), date(2027, 4, 1))
    + absent("ongeoorloofd", 10, date(2027, 5, 10)),  # the early warning, on its own
    exemptions=(ExemptionFact("5A", date(2027, 1, 1), date(2027, 7, 31)),),
    suspensions=(SuspensionFact(date(2027, 4, 1), date(2027, 4, 12)),),
    movements=(MovementFact("verwijdering", date(2027, 3, 1)), MovementFact("uitschrijving", date(2027, 3, 1))),
    variawet=(VariawetFact(date(2027, 3, 1)), VariawetFact(date(2027, 1, 1), date(2027, 2, 1), True)),
    school_type="VO",
    reported=(date(2027, 3, 8),),  # the 16-hour report, made
)  # fmt: skip
ORGANISATIONS = (
    OrganisationFacts("swv", 1, date(2026, 1, 1)),
    OrganisationFacts("bestuur", 2, date(2026, 1, 1)),
    OrganisationFacts("gemeente", 1, date(2026, 1, 1), ((date(2026, 1, 1), None),)),
)


def test_every_rule_has_recipients_and_every_rule_code_is_known() -> None:
    rules = {d.rule for d in deadlines_for(EVERYTHING, AS_OF)}
    rules |= {d.rule for org in ORGANISATIONS for d in organisation_deadlines(org, AS_OF)}
    assert rules == set(CATALOGUE)
    assert all(spec.recipients for spec in CATALOGUE.values())


def test_the_catalogue_has_one_entry_per_rule_code() -> None:
    assert [spec.rule for spec in CATALOGUE_ORDER] == list(Rule)
    assert all(code == spec.rule.value == spec.rule.name for code, spec in CATALOGUE.items())


def test_each_rule_is_yielded_only_by_the_function_its_entry_names() -> None:
    for compute in PUPIL_RULES:
        found = list(compute(EVERYTHING, AS_OF, DEFAULT_SETTINGS))
        assert found, compute.__name__
        assert all(CATALOGUE[d.rule].pupil is compute for d in found), compute.__name__
    for periodic in ORGANISATION_RULES:
        found = [d for org in ORGANISATIONS for d in periodic(org, AS_OF, DEFAULT_SETTINGS)]
        assert found, periodic.__name__
        assert all(CATALOGUE[d.rule].organisation is periodic for d in found), periodic.__name__


def test_an_entry_is_computed_from_a_pupil_or_from_an_organisation() -> None:
    with pytest.raises(ValueError, match="MELDING_16_UUR"):
        RuleSpec(Rule.MELDING_16_UUR, ("zorgcoordinator",), "002", "Report to leerplicht")


# After a melding (002 §2.2.2.3, 004 LPA1–LPA3): the day a report deadline was marked done.
# Working days skip weekends and public holidays (Christmas, New Year), not school holidays.
# (reported, linked, LEERPLICHT_TERUGKOPPELING due, LEERPLICHT_KOPPELEN due)
AFTER_MELDING: list[tuple[tuple[date, ...], bool, list[date], list[date]]] = [
    ((), False, [], []),
    # Monday 7 December: report back 10 working days later, link within 2.
    ((date(2026, 12, 7),), False, [date(2026, 12, 21)], [date(2026, 12, 9)]),
    # A leerplicht officer is linked already: nothing to link.
    ((date(2026, 12, 7),), True, [date(2026, 12, 21)], []),
    # Two meldingen: each is reported back on; linking is asked once, from the first.
    ((date(2026, 12, 7), date(2026, 12, 14)), False,
     [date(2026, 12, 21), date(2026, 12, 29)], [date(2026, 12, 9)]),
    # Over Christmas and New Year (25 and 26 December, 1 January are no working days).
    ((date(2026, 12, 24),), True, [date(2027, 1, 11)], []),
    # Marked done on a Saturday: counted from the next working days all the same.
    ((date(2026, 12, 12),), False, [date(2026, 12, 28)], [date(2026, 12, 15)]),
]  # fmt: skip


@pytest.mark.parametrize(("reported", "linked", "back", "link"), AFTER_MELDING)
def test_after_a_melding_leerplicht_reports_back_and_someone_is_linked(
    reported: tuple[date, ...], linked: bool, back: list[date], link: list[date]
) -> None:
    pupil = facts(reported=reported, leerplicht_linked=linked)
    assert due(pupil, Rule.LEERPLICHT_TERUGKOPPELING, date(2027, 1, 15)) == back
    assert due(pupil, Rule.LEERPLICHT_KOPPELEN, date(2027, 1, 15)) == link
