"""Properties of the rules on random registries (hypothesis)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.protocol.calendar import SchoolCalendar, is_working_day
from bot.protocol.facts import (
    AbsenceFact,
    CaseFact,
    ExemptionFact,
    MovementFact,
    PupilFacts,
    SuspensionFact,
    VariawetFact,
)
from bot.protocol.rules import CATALOGUE, deadlines_for

START, END = date(2026, 8, 1), date(2027, 12, 31)
days = st.dates(min_value=START, max_value=END)
calendars = st.sampled_from(
    [
        SchoolCalendar("noord"),
        SchoolCalendar("midden"),
        SchoolCalendar("zuid"),
        SchoolCalendar(None),
    ]
)


@st.composite
def periods(draw: st.DrawFn, longest: int = 200) -> tuple[date, date | None]:
    start = draw(days)
    end = draw(st.one_of(st.none(), st.integers(0, longest).map(lambda n: start + timedelta(n))))
    return start, end


@st.composite
def cases(draw: st.DrawFn) -> CaseFact:
    start, end = draw(periods())
    return CaseFact(
        case_id=draw(st.integers(1, 10_000)),
        category=draw(st.sampled_from(["A1", "A2", "B1", "B2"])),
        start=start,
        end=end,
        offer_since=draw(st.one_of(st.none(), days)),
        contact_person=draw(st.one_of(st.none(), st.just("Jan"))),
        action_days=tuple(draw(st.lists(days, max_size=3))),
    )


@st.composite
def pupils(draw: st.DrawFn) -> PupilFacts:
    absences = draw(st.lists(
        st.builds(AbsenceFact, days, st.sampled_from([0.5, 1.0, 2.0, 4.0, 6.0, 8.0]),
                  st.sampled_from(["ongeoorloofd", "ziek", "geoorloofd", "te_laat", "schorsing"])),
        max_size=40,
    ))  # fmt: skip
    exemptions = [
        ExemptionFact(draw(st.sampled_from(["5A", "5B", "5C", "5D"])), s, e, draw(st.booleans()))
        for s, e in draw(st.lists(periods(400), max_size=2))
    ]
    suspensions = [SuspensionFact(s, s + timedelta(draw(st.integers(0, 9))))
                   for s in draw(st.lists(days, max_size=2))]  # fmt: skip
    return PupilFacts(
        pupil_id=1,
        calendar=draw(calendars),
        school_type=draw(st.sampled_from([None, "PO", "SO", "SBO", "VO", "VSO"])),
        birth_date=draw(st.one_of(st.none(), st.dates(date(2008, 1, 1), date(2020, 12, 31)))),
        cases=tuple(draw(st.lists(cases(), max_size=3))),
        absences=tuple(absences),
        exemptions=tuple(exemptions),
        suspensions=tuple(suspensions),
        movements=tuple(
            draw(
                st.lists(
                    st.builds(
                        MovementFact,
                        st.sampled_from(["verwijdering", "uitschrijving", "inschrijving"]),
                        days,
                        st.booleans(),
                    ),
                    max_size=2,
                )
            )
        ),
        variawet=tuple(
            draw(
                st.lists(
                    st.builds(
                        VariawetFact,
                        days,
                        st.one_of(st.none(), days),
                        st.one_of(st.none(), st.booleans()),
                    ),
                    max_size=2,
                )
            )
        ),
    )


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(pupils(), days)
def test_recomputation_is_idempotent(pupil: PupilFacts, as_of: date) -> None:
    assert deadlines_for(pupil, as_of) == deadlines_for(pupil, as_of)


@PROPERTY_SETTINGS
@given(pupils(), days, st.randoms())
def test_the_order_in_which_entries_were_stored_does_not_matter(
    pupil: PupilFacts, as_of: date, rng: random.Random
) -> None:
    shuffled = replace(
        pupil,
        absences=tuple(rng.sample(pupil.absences, len(pupil.absences))),
        cases=tuple(rng.sample(pupil.cases, len(pupil.cases))),
        exemptions=tuple(rng.sample(pupil.exemptions, len(pupil.exemptions))),
        suspensions=tuple(rng.sample(pupil.suspensions, len(pupil.suspensions))),
    )
    assert deadlines_for(shuffled, as_of) == deadlines_for(pupil, as_of)


@PROPERTY_SETTINGS
@given(pupils(), days)
def test_no_due_date_before_its_trigger_and_every_rule_is_known(
    pupil: PupilFacts, as_of: date
) -> None:
    found = deadlines_for(pupil, as_of)
    assert all(d.due >= d.trigger for d in found), [d for d in found if d.due < d.trigger]
    # A due date is a day someone can act on.
    assert all(is_working_day(d.due) for d in found), [
        d for d in found if not is_working_day(d.due)
    ]
    assert all(d.rule in CATALOGUE for d in found)
    assert len({d.identity for d in found}) == len(found)
