"""The free-text parser on arbitrary input: never an exception, never a future absence, never
an impossible number of hours, in any reading it offers."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.protocol.parsing import (
    MAX_HOURS_PER_DAY,
    AbsenceOnDay,
    AbsencePeriod,
    Ambiguous,
    BackAtSchool,
    LateArrival,
    Movement,
    ParseFailure,
    QuickUpdate,
    parse_quick_update,
)

TODAY = date(2027, 3, 17)
WORDS = st.sampled_from([
    "Sanne", "de", "Vries", "4", "uur", "ongeoorloofd", "ziek", "sinds", "maandag", "vandaag",
    "gisteren", "3", "maart", "15-03-2027", "2x", "te", "laat", "weer", "op", "school", "actie",
    "doel", ":", "vrijstelling", "5A", "van", "tot", "geschorst", "passend", "aanbod", "vanaf",
    "verwijderd", "variawet", "toegekend", "morgen", "31-02-2027", "99", "uur", "hours", "sick",
    "vorige", "week", "en", "3e", "4e", "min", "kwartier", "halve", "dag", "afwezig", "9", "11",
    "t/m", "niet", "want", "tandarts", "2,5", "geleden", "dagen", "volgende", "hoi", ",",
])  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=700),  # any Unicode, control characters included
    st.lists(WORDS, max_size=14).map(" ".join),  # near-misses of real phrasings
)


def _check_update(update: QuickUpdate, text: str) -> None:
    assert update.name
    assert update.items
    assert len(text) <= 500
    for item in update.items:
        if isinstance(item, AbsenceOnDay | LateArrival | BackAtSchool | Movement):
            assert item.day <= TODAY
        if isinstance(item, AbsencePeriod):
            assert item.start <= item.end <= TODAY
        if isinstance(item, AbsenceOnDay) and isinstance(item.amount, float):
            assert 0 < item.amount <= MAX_HOURS_PER_DAY
        if isinstance(item, LateArrival) and item.hours is not None:
            assert 0 < item.hours <= MAX_HOURS_PER_DAY
        start, end = getattr(item, "start", None), getattr(item, "end", None)
        if start is not None and end is not None:
            assert end >= start


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_an_update_a_question_or_a_reason(text: str) -> None:
    result = parse_quick_update(text, TODAY)

    assert isinstance(result, QuickUpdate | Ambiguous | ParseFailure)
    if isinstance(result, QuickUpdate):
        _check_update(result, text)
    if isinstance(result, Ambiguous):
        assert len(result.options) >= 2
        for option in result.options:
            _check_update(option, text)
