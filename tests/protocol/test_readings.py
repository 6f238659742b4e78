"""The readings table: every form of amount said with every form of date is stored, asked about
or refused with its reason (expected results written from the meaning of each message)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.protocol.parsing import Ambiguous, FailureReason, ParseFailure, QuickUpdate
from bot.protocol.parsing import parse_quick_update as parse
from bot.protocol.parsing.readings import READINGS, REFUSED, AmountForm, DateForm

WEDNESDAY = date(2026, 12, 9)

AMOUNTS = {
    AmountForm.HOURS: "2 uur ziek",
    AmountForm.HALF_DAY: "halve dag ziek",
    AmountForm.WHOLE_DAY: "ziek",
    AmountForm.ONCE_LATE: "te laat",
    AmountForm.TIMES_LATE: "2x te laat",
}
DATES = {
    DateForm.DAYS: "maandag",
    DateForm.ONE_OF_TWO: "woensdag",  # said on a Wednesday: today, or a week ago?
    DateForm.WEEK: "vorige week",
    DateForm.PERIOD: "sinds maandag",
}
STORED, ASKED = "stored", "asked"
HOURS, HALF, WHOLE, ONCE, TIMES = AMOUNTS  # in the order above
EXPECTED: dict[tuple[AmountForm, DateForm], str | FailureReason] = {
    (HOURS, DateForm.DAYS): STORED,
    (HOURS, DateForm.ONE_OF_TWO): ASKED,
    (HOURS, DateForm.WEEK): ASKED,
    (HOURS, DateForm.PERIOD): FailureReason.UNCLEAR_DATES,  # two hours each day, or in all?
    (HALF, DateForm.DAYS): STORED,
    (HALF, DateForm.ONE_OF_TWO): ASKED,
    (HALF, DateForm.WEEK): ASKED,
    (HALF, DateForm.PERIOD): FailureReason.UNCLEAR_DATES,
    (WHOLE, DateForm.DAYS): STORED,
    (WHOLE, DateForm.ONE_OF_TWO): ASKED,
    (WHOLE, DateForm.WEEK): ASKED,
    (WHOLE, DateForm.PERIOD): STORED,  # ill since Monday: a period up to today
    (ONCE, DateForm.DAYS): STORED,
    (ONCE, DateForm.ONE_OF_TWO): ASKED,
    (ONCE, DateForm.WEEK): ASKED,
    (ONCE, DateForm.PERIOD): FailureReason.NEEDS_DAYS,  # late on which days?
    (TIMES, DateForm.DAYS): STORED,  # twice late on Monday
    (TIMES, DateForm.ONE_OF_TWO): ASKED,
    (TIMES, DateForm.WEEK): FailureReason.NEEDS_DAYS,
    (TIMES, DateForm.PERIOD): FailureReason.NEEDS_DAYS,
}


def _outcome(text: str) -> str | FailureReason:
    result = parse(text, WEDNESDAY)
    if isinstance(result, ParseFailure):
        return result.reason
    assert isinstance(result, QuickUpdate | Ambiguous)
    return STORED if isinstance(result, QuickUpdate) else ASKED


@pytest.mark.parametrize(("cell", "expected"), EXPECTED.items(), ids=lambda v: str(v))
def test_every_amount_form_with_every_date_form(
    cell: tuple[AmountForm, DateForm], expected: str | FailureReason
) -> None:
    amount, when = cell
    assert _outcome(f"Sanne {AMOUNTS[amount]} {DATES[when]}") == expected


def test_the_table_covers_every_cell_and_every_refusal_is_one_of_its_cells() -> None:
    assert set(EXPECTED) == {(a, d) for a in AmountForm for d in DateForm}
    assert set(READINGS) == set(DateForm)
    assert {cell: EXPECTED[cell] for cell in REFUSED} == REFUSED


def test_a_late_arrival_is_not_a_part_of_a_day() -> None:
    # "halve dag te laat": how late is not said; before, the half day was silently dropped and
    # one late arrival stored (and "ziek en te laat halve dag" stored a whole day ill).
    assert _outcome("Sanne halve dag te laat maandag") == FailureReason.NEEDS_HOURS
    assert _outcome("Sanne gisteren ziek en te laat halve dag") == FailureReason.NEEDS_HOURS
    assert isinstance(parse("Sanne halve dag ziek en 1x te laat maandag", WEDNESDAY), QuickUpdate)
