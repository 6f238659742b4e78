"""A message that is not stored says what was understood of it: the failure carries the kinds
of absence its text named, so that no front end reads the text again (expected results written
from the meaning of each message before the code ran)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.protocol.parsing import (
    FailureReason,
    ParseFailure,
    parse_pupil_update,
    parse_quick_update,
)
from bot.protocol.vocabulary import AbsenceKind

TODAY = date(2026, 12, 7)  # a Monday

CASES: list[tuple[str, FailureReason, tuple[AbsenceKind, ...]]] = [
    # "4" what? The word is named as not understood (the reason test_updates shows in chat).
    ("Sanne 4 ongeoorloofd", FailureReason.UNKNOWN_WORDS, (AbsenceKind.ONGEOORLOOFD,)),
    ("Sanne 3x te laat", FailureReason.NEEDS_DAYS, (AbsenceKind.TE_LAAT,)),
    (
        "Sanne te laat want de bus had 20 min vertraging",
        FailureReason.NEEDS_HOURS,
        (AbsenceKind.TE_LAAT,),
    ),
    ("Daan en Sem 2 uur ziek vandaag", FailureReason.SEVERAL_PUPILS, (AbsenceKind.ZIEK,)),
    (
        "Was Sanne ziek of ongeoorloofd?",
        FailureReason.QUESTION,
        (AbsenceKind.ZIEK, AbsenceKind.ONGEOORLOOFD),
    ),
    ("hoe gaat het?", FailureReason.NOT_UNDERSTOOD, ()),
    ("   ", FailureReason.EMPTY, ()),
]


@pytest.mark.parametrize(("text", "reason", "kinds"), CASES)
def test_a_failure_carries_the_kinds_its_text_named(
    text: str, reason: FailureReason, kinds: tuple[AbsenceKind, ...]
) -> None:
    result = parse_quick_update(text, TODAY)
    assert isinstance(result, ParseFailure)
    assert (result.reason, result.kinds) == (reason, kinds)


def test_a_failure_on_the_pupils_page_carries_them_too() -> None:
    result = parse_pupil_update("3x te laat", TODAY)
    assert isinstance(result, ParseFailure)
    assert (result.reason, result.kinds) == (FailureReason.NEEDS_DAYS, (AbsenceKind.TE_LAAT,))
