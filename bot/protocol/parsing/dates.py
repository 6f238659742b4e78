"""The dates inside a message's body: days, since and until, weeks, and ranges of days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.protocol.dates import (
    MONTHS,
    BadDate,
    Day,
    EitherDay,
    Week,
    WholeWeek,
    find_dates,
)
from bot.protocol.parsing.words import _SINCE, _UNTIL_INCLUSIVE, _UNTIL_OPEN, _WEEKDAY_WORDS


@dataclass
class _Dates:
    days: list[date]
    since: date | None = None
    until: date | None = None
    open_until: bool = False  # "tot 4 november": may or may not include the 4th
    until_without_year: bool = False
    until_weekday: bool = False
    week: Week | None = None
    either: EitherDay | None = None
    either_since: bool = False  # "sinds vrijdag" said on a Friday
    part_of_day: bool = False  # "vanochtend", "gisteren middag": not a whole day
    bad: bool = False


_PART_OF_DAY = re.compile(r"ochtend|middag|vanmorgen|gisterenmorgen|morning|afternoon")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _read_dates(text: str, today: date) -> tuple[_Dates, str]:
    """The dates in a lower-cased text (days, since, until), and the text without them."""
    found = _Dates(days=[])
    rest = text
    for match in find_dates(text, today):
        rest = _blank(rest, match.start, match.end)
        value = match.value
        if _PART_OF_DAY.search(text[match.start : match.end]):
            found.part_of_day = True
        if isinstance(value, BadDate):
            found.bad = True
            continue
        if isinstance(value, Week):
            found.week = value
            continue
        if isinstance(value, WholeWeek):
            # "de hele vorige week": Monday up to Friday (or today), as a period.
            found.since = value.monday
            found.until = min(value.monday + timedelta(days=4), today)
            continue
        before = text[: match.start]
        if isinstance(value, EitherDay):
            if match.form == "weekday" and re.search(
                rf"(?:{_UNTIL_INCLUSIVE}|(?<![\w-]){_UNTIL_OPEN})\s*$", before
            ):
                # At the end of a range a weekday counts from the start: nothing to ask.
                value = Day(value.values[0])
            else:
                since_marker = re.search(rf"(?<![\w-])(?:{_SINCE}|van|from)\s*$", before)
                if since_marker is not None:
                    rest = _blank(rest, since_marker.start(), since_marker.end())
                found.either, found.either_since = value, since_marker is not None
                continue
        inclusive = re.search(rf"{_UNTIL_INCLUSIVE}\s*$", before)
        open_until = re.search(rf"(?<![\w-]){_UNTIL_OPEN}\s*$", before)
        since = re.search(rf"(?<![\w-])(?:{_SINCE}|van|from)\s*$", before)
        marker = inclusive or open_until or since
        if marker is not None:
            rest = _blank(rest, marker.start(), marker.end())
        if inclusive or open_until:
            found.until, found.open_until = value.value, open_until is not None and not inclusive
            found.until_without_year = match.without_year
            found.until_weekday = match.form == "weekday"
        elif since:
            found.since = value.value
        else:
            found.days.append(value.value)
    return found, rest


# "9-10" without a year or a unit: a date (9 October) or a time (9 to 10)?
_DATE_OR_TIME = re.compile(r"(?<![\w/.:-])(\d{1,2})-(\d{1,2})(?![\w/.:-]|\s*(?:uur|u|h)\b)")


_DAY_RANGE = re.compile(
    r"(?<![\w/.-])(?P<d1>\d{1,2})(?:e|ste|de)?\s*(?P<sep>t/m|tm|tot\s+en\s+met|tot|-|–|through|to|until|till)"
    r"\s*(?P<d2>\d{1,2})(?:e|ste|de)?\s+(?P<mon>[a-z]+)"
)


_WEEKDAY_RANGE = re.compile(rf"(?<![\w-])({_WEEKDAY_WORDS})\s*[-–]\s*({_WEEKDAY_WORDS})(?![\w-])")


_DAY_LIST = re.compile(
    r"(?<![\w/.-])(?P<days>\d{1,2}(?:\s*(?:,|en|and|&)\s*\d{1,2})+)\s+(?P<mon>[a-z]+)"
)


def _expand_day_ranges(text: str) -> str:
    """ "3 tot 5 maart" → "3 maart tot 5 maart" and "6 en 7 april" → "6 april en 7 april", so
    that each day is a date of its own."""

    def expand(match: re.Match[str]) -> str:
        month = match.group("mon")
        if month not in MONTHS:
            return match.group(0)
        return f"{match.group('d1')} {month} {match.group('sep')} {match.group('d2')} {month}"

    def expand_list(match: re.Match[str]) -> str:
        month = match.group("mon")
        if month not in MONTHS:
            return match.group(0)
        return " en ".join(f"{day} {month}" for day in re.findall(r"\d{1,2}", match.group("days")))

    text = _WEEKDAY_RANGE.sub(lambda m: f"{m.group(1)} t/m {m.group(2)}", text)
    return _DAY_LIST.sub(expand_list, _DAY_RANGE.sub(expand, text))


def _end_after_start(dates: _Dates, start: date) -> date | None:
    """ "van 1 december tot 31 juli": without a year, the end is the first one after the start."""
    end = dates.until
    if end is not None and dates.until_weekday:
        # "maandag t/m woensdag", "geschorst t/m vrijdag": the first such day from the start on.
        return start + timedelta(days=(end.weekday() - start.weekday()) % 7)
    if end is None or end >= start:
        return end
    if dates.until_without_year:
        try:
            return end.replace(year=end.year + 1)
        except ValueError:
            return end
    return end
