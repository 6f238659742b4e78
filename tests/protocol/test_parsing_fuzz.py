"""The free-text parser on arbitrary input: never an exception, never a future absence."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.protocol.parsing import ParseFailure, QuickUpdate, UpdateKind, parse_quick_update

TODAY = date(2027, 3, 17)
WORDS = st.sampled_from([
    "Sanne", "de", "Vries", "4", "uur", "ongeoorloofd", "ziek", "sinds", "maandag", "vandaag",
    "gisteren", "3", "maart", "15-03-2027", "2x", "te", "laat", "weer", "op", "school", "actie",
    "doel", ":", "vrijstelling", "5A", "van", "tot", "geschorst", "passend", "aanbod", "vanaf",
    "verwijderd", "variawet", "toegekend", "morgen", "31-02-2027", "99", "uur", "hours", "sick",
])  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=700),  # any Unicode, control characters included
    st.lists(WORDS, max_size=14).map(" ".join),  # near-misses of real phrasings
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_an_update_or_a_reason(text: str) -> None:
    result = parse_quick_update(text, TODAY)

    assert isinstance(result, QuickUpdate | ParseFailure)
    if isinstance(result, QuickUpdate):
        assert result.name
        assert len(text) <= 500
        if result.kind in (UpdateKind.ABSENCE, UpdateKind.BACK_AT_SCHOOL, UpdateKind.MOVEMENT):
            for day in (result.day, result.start):
                assert day is None or day <= TODAY
        if result.start is not None and result.end is not None:
            assert result.end >= result.start
