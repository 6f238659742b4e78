"""The bad values of a new pupil that every front end must refuse alike (chat, web, CSV): one
table, read by `tests/handlers/test_new_pupil_refusals.py` and `tests/web/...` of that name.

The rules live in `bot.services.new_pupil`; before it, a name with a digit or a date of birth
making the pupil 1 or 30 years old was refused in chat and on the web and taken by the CSV.
"""

from __future__ import annotations

import io
from datetime import datetime

from sqlmodel import Session

from bot.i18n import translator
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.services.importing import REASONS, import_csv
from tests.utils.datasets import pupil_row, pupils_csv

GOOD = {"first_name": "Fleur", "last_name": "van Dam", "birth_date": "14-03-2014"}
CSV_COLUMNS = {"first_name": "voornaam", "last_name": "achternaam", "birth_date": "geboortedatum"}

# (field, as typed in chat and on the web, as in the CSV (ISO date), the refusal's code).
# The test clock's today is 23 November 2026. A name of 101 letters is in `TOO_LONG`: the web
# form's field takes at most 100, so a browser cannot send it (the server refuses it as well).
TOO_LONG = ("last_name", "x" * 101, "x" * 101, "bad_last_name")
BAD = [
    ("first_name", "Daan2", "Daan2", "bad_first_name"),
    ("first_name", "R2-D2", "R2-D2", "bad_first_name"),
    ("last_name", "van Dijk 3", "van Dijk 3", "bad_last_name"),
    ("birth_date", "15-03-1996", "1996-03-15", "age"),  # 30 years old
    ("birth_date", "15-03-2025", "2025-03-15", "age"),  # 1 year old
    ("birth_date", "15-03-2030", "2030-03-15", "future"),
]


def words(code: str) -> str:
    """The refusal as a Dutch user reads it, whichever front end shows it."""
    return translator("nl").gettext(REASONS[code])


def csv_refusals(session: Session, field: str, value: str, now: datetime) -> list[str]:
    """The CSV import's refusals of the column of `field` in a row that has `value` there."""
    column = CSV_COLUMNS[field]
    row = pupil_row(0) | {column: value}
    result = import_csv(settings=PROTOCOL, session=session, stream=io.StringIO(pupils_csv([row])),
                        today=now.date(), now=now)  # fmt: skip
    return [error.reason for error in result.errors if error.column == column]
