"""A date of birth typed in /nieuw: the date, or what is wrong with it, so that the answer can
say so (table written from the meaning before the code ran)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.protocol.dates import BirthDateProblem as P
from bot.protocol.dates import read_birth_date

TODAY = date(2026, 12, 1)

CASES: list[tuple[str, date | P]] = [
    ("15-03-2015", date(2015, 3, 15)),
    ("15/3/2015", date(2015, 3, 15)),
    ("2015-03-15", date(2015, 3, 15)),
    ("15 maart 2015", date(2015, 3, 15)),
    ("29-02-2016", date(2016, 2, 29)),
    ("31-02-2015", P.NO_SUCH_DAY),
    ("29-02-2015", P.NO_SUCH_DAY),
    ("31/04/2014", P.NO_SUCH_DAY),
    ("31 februari 2015", P.NO_SUCH_DAY),
    ("12 mei 2031", P.FUTURE),
    ("morgen", P.FUTURE),
    ("15 maart", P.NO_YEAR),
    ("15-03", P.NO_YEAR),
    ("1-1-1990", P.AGE),  # 36: not of school age
    ("3 juni 2025", P.AGE),  # a baby
    ("", P.NOT_A_DATE),
    ("weet ik niet", P.NOT_A_DATE),
    ("15-13-2015", P.NOT_A_DATE),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_a_birth_date_or_what_is_wrong_with_it(text: str, expected: date | P) -> None:
    assert read_birth_date(text, TODAY) == expected
