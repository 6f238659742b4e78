"""An update typed on a pupil's own web page: the pupil is known, so the name may be left out.
Expected results written from the meaning, before the code ran (today: Monday 23 November 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.protocol.parsing import (
    AbsenceOnDay,
    AbsencePeriod,
    Ambiguous,
    BackAtSchool,
    Entry,
    Exemption,
    FailureReason,
    Item,
    LateArrival,
    ParseFailure,
    QuickUpdate,
    Result,
    Suspension,
    parse_pupil_update,
)
from bot.protocol.vocabulary import AbsenceKind, EntryKind

TODAY = date(2026, 11, 23)  # a Monday
ONGEOORLOOFD, ZIEK = AbsenceKind.ONGEOORLOOFD, AbsenceKind.ZIEK

UNDERSTOOD: list[tuple[str, tuple[Item, ...]]] = [
    ("4 uur ongeoorloofd vandaag", (AbsenceOnDay(ONGEOORLOOFD, TODAY, 4.0),)),
    ("vandaag 4 uur ongeoorloofd", (AbsenceOnDay(ONGEOORLOOFD, TODAY, 4.0),)),
    # A name typed anyway is no problem: the page says whom it is about.
    ("Sanne 4 uur ongeoorloofd vandaag", (AbsenceOnDay(ONGEOORLOOFD, TODAY, 4.0),)),
    ("hallo, 4 uur ongeoorloofd vandaag", (AbsenceOnDay(ONGEOORLOOFD, TODAY, 4.0),)),
    ("te laat maandag en woensdag",
     (LateArrival(date(2026, 11, 16), 1, None), LateArrival(date(2026, 11, 18), 1, None))),
    ("ziek van 16 t/m 18 november", (AbsencePeriod(ZIEK, date(2026, 11, 16), date(2026, 11, 18)),)),
    ("weer op school sinds vandaag", (BackAtSchool(TODAY),)),
    ("geschorst van 2 t/m 4 november", (Suspension(date(2026, 11, 2), date(2026, 11, 4)),)),
    ("vrijstelling 5A van 1 maart tot 31 juli",
     (Exemption("5A", date(2027, 3, 1), date(2027, 7, 31)),)),
    ("actie: gesprek met ouders op 12 november",
     (Entry(EntryKind.ACTION, date(2026, 11, 12), "gesprek met ouders"),)),
    ("notitie: vader belt morgen terug",
     (Entry(EntryKind.NOTE, TODAY, "vader belt morgen terug"),)),
    ("vertrouwelijke notitie: medische verklaring volgt",
     (Entry(EntryKind.NOTE, TODAY, "medische verklaring volgt", confidential=True),)),
    ("doel: twee ochtenden per week naar school",
     (Entry(EntryKind.GOAL, TODAY, "twee ochtenden per week naar school"),)),
    ("resultaat: ouders akkoord met het plan", (Result("ouders akkoord met het plan"),)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "items"), UNDERSTOOD)
def test_an_update_without_a_name_is_read_as_in_chat(text: str, items: tuple[Item, ...]) -> None:
    parsed = parse_pupil_update(text, TODAY)
    assert isinstance(parsed, QuickUpdate), parsed
    assert parsed.items == items


def test_a_day_that_can_be_read_two_ways_is_asked() -> None:
    # "Sinds maandag" said on a Monday: today, or a week ago.
    parsed = parse_pupil_update("ziek sinds maandag", TODAY)
    assert isinstance(parsed, Ambiguous)
    starts = [option.items[0].start for option in parsed.options]  # type: ignore[union-attr]
    assert starts == [TODAY, date(2026, 11, 16)]


REFUSED: list[tuple[str, FailureReason]] = [
    ("", FailureReason.EMPTY),
    ("hallo", FailureReason.NOT_UNDERSTOOD),
    ("4 uur vandaag", FailureReason.NO_KIND),
    ("4 uur ongeoorloofd morgen", FailureReason.FUTURE_DATE),
    ("niet ziek vandaag", FailureReason.NEGATION),
    ("actie:", FailureReason.NO_TEXT),
    ("resultaat:", FailureReason.NO_TEXT),
    ("x" * 501, FailureReason.TOO_LONG),
]


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_what_cannot_be_stored_is_refused_with_the_reason(text: str, reason: FailureReason) -> None:
    parsed = parse_pupil_update(text, TODAY)
    assert isinstance(parsed, ParseFailure), parsed
    assert parsed.reason is reason
