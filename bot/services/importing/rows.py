"""A CSV file's rows, typed one value at a time, with every problem collected (line, column,
reason) instead of raised; the reasons in words."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TextIO

from bot.i18n import N_
from bot.services.new_pupil import REFUSALS, Refused, read_field

MAX_ROWS = 200_000


# What each reason means, for people (message ids; translated where shown). A new pupil's names
# and date of birth are refused as in chat and on the web, in the same words (`REFUSALS`).
REASONS: dict[str, str] = REFUSALS | {
    "unreadable": N_("the file is not a readable UTF-8 CSV file"),
    "unknown_header": N_(
        "the header row is neither the pupils-and-cases format nor the absence format"
    ),
    "too_many_rows": N_("the file has too many rows"),
    "column_count": N_("the row has a different number of columns than the header"),
    "required": N_("this column is required here"),
    "too_long": N_("the value is too long"),
    "bad_id": N_("a pupil id may only contain letters, digits, '.', '_' and '-'"),
    "bad_date": N_("not a valid date (use YYYY-MM-DD or DD-MM-YYYY)"),
    "future_date": N_("the date is in the future"),
    "bad_choice": N_("not one of the allowed values"),
    "bad_brin": N_("not a BRIN number (like 12AB or 12AB00)"),
    "article_without_a2": N_("an exemption article belongs only to category A2"),
    "end_before_start": N_("the end date is before the start date"),
    "before_start": N_("the date is before the start date"),
    "conflicting_pupil": N_("this pupil id appears earlier in the file with other data"),
    "conflicting_school": N_("this school is registered with another value"),
    "in_other_swv": N_("this organisation belongs to another samenwerkingsverband"),
    "unknown_pupil": N_("there is no pupil with this id; import the pupils first"),
    "bad_hours": N_("hours must be a number above 0 and at most 24"),
    "conflicting_absence": N_("the same pupil, date and kind appear earlier with other hours"),
}


@dataclass(frozen=True)
class RowError:
    """One problem: the file's line number (the header is line 1), the column and why."""

    line: int
    column: str
    reason: str
    value: str = ""


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    kind: str
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    pupils_created: int = 0
    pupils_updated: int = 0
    cases_created: int = 0
    cases_updated: int = 0
    absences_created: int = 0
    absences_updated: int = 0
    unchanged: int = 0
    # Deadlines the import found overdue: achterstand (kept in view) and history.
    backlog: int = 0
    history: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Row:
    """Typed access to one CSV row, collecting errors instead of raising."""

    def __init__(self, line: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.line = line
        self.values = values
        self.errors = errors

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason, self.values.get(column, "")[:60]))

    def text(self, column: str, *, required: bool = False, max_length: int = 100) -> str | None:
        value = " ".join(self.values.get(column, "").split())
        if not value:
            if required:
                self.fail(column, "required")
            return None
        if len(value) > max_length:
            self.fail(column, "too_long")
            return None
        return value

    def day(self, column: str, *, required: bool = False) -> date | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.fail(column, "required")
            return None
        parsed = parse_csv_date(value)
        if parsed is None:
            self.fail(column, "bad_date")
        return parsed

    def new_pupil(self, column: str, field: str, value: object, today: date) -> Any:
        """A value of a new pupil, checked by its own rules (`bot.services.new_pupil`): the
        same refusals as in chat and on the web."""
        checked = read_field(field, value, today=today)
        if isinstance(checked, Refused):
            self.fail(column, checked)
            return None
        return checked

    def choice(self, column: str, allowed: Iterable[str], *, required: bool = False) -> str | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.fail(column, "required")
            return None
        for option in allowed:
            if value.casefold() == option.casefold():
                return option
        self.fail(column, "bad_choice")
        return None


def parse_csv_date(value: str) -> date | None:
    """An ISO (2027-03-15) or Dutch (15-03-2027) date; None when neither, or impossible."""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None


def _read(stream: TextIO) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[RowError]]:
    try:
        reader = csv.reader(stream)
        header = [name.strip().lstrip("\ufeff").lower() for name in next(reader, [])]
        rows: list[tuple[int, dict[str, str]]] = []
        errors: list[RowError] = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                errors.append(RowError(line, "", "too_many_rows"))
                break
            if len(values) != len(header):
                errors.append(RowError(line, "", "column_count", str(len(values))))
                continue
            rows.append((line, dict(zip(header, values, strict=True))))
        return header, rows, errors
    except (csv.Error, UnicodeDecodeError):
        return [], [], [RowError(0, "", "unreadable")]
