"""Dates as people write them in a quick update, in Dutch or English, resolved against today.

Pure and table-driven. A general date library was tried first: it read "gister", "vanochtend",
"afgelopen maandag" and "vorige week maandag" as nothing and turned "3 december", said on
1 December, into last year's; for a value that moves legal deadlines, every form we accept is
listed here and tested. The conventions (also in the README):

- a bare weekday ("maandag") is the most recent one before today; today's own weekday may mean
  today or a week ago, and the bot asks;
- "afgelopen maandag" is the most recent Monday before today; "vorige maandag" / "last Monday"
  is that one too, unless it lies in the current week — then it may also mean the Monday of the
  previous week, and the bot asks;
- "vorige week maandag" / "maandag vorige week" / "last week Monday" is the Monday of the
  previous ISO week; "deze week maandag" the Monday of this week;
- "vorige week", "deze week", "2 weken geleden" name a week, not a day: the bot asks which day;
- a day and month without a year ("3 december") is the nearest such date, past or future;
- "N dagen geleden" is N calendar days before today.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum, auto

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "february": 2, "maart": 3,
    "mrt": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "maandag": 0, "ma": 0, "monday": 0, "mon": 0, "dinsdag": 1, "di": 1, "tuesday": 1, "tue": 1,
    "tues": 1, "woensdag": 2, "wo": 2, "woe": 2, "wednesday": 2, "wed": 2, "donderdag": 3,
    "do": 3, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "vrijdag": 4, "vr": 4, "vrij": 4,
    "friday": 4, "fri": 4, "zaterdag": 5, "saturday": 5, "sat": 5, "zondag": 6, "sunday": 6,
    "sun": 6,
}  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    "een": 1, "één": 1, "one": 1, "a": 1, "an": 1, "twee": 2, "two": 2, "drie": 3, "three": 3,
    "vier": 4, "four": 4, "vijf": 5, "five": 5, "zes": 6, "six": 6, "zeven": 7, "seven": 7,
    "acht": 8, "eight": 8, "negen": 9, "nine": 9, "tien": 10, "ten": 10,
}  # fmt: skip

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUMWORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))


@dataclass(frozen=True)
class Day:
    """One calendar day."""

    value: date


@dataclass(frozen=True)
class Week:
    """A whole ISO week, given by its Monday ("vorige week")."""

    monday: date


@dataclass(frozen=True)
class WholeWeek:
    """Every school day of an ISO week up to today ("de hele vorige week")."""

    monday: date


@dataclass(frozen=True)
class EitherDay:
    """One of these days, and the text does not say which ("vorige maandag" on a Wednesday)."""

    values: tuple[date, ...]


@dataclass(frozen=True)
class BadDate:
    """Looks like a date but is none ("31 februari")."""


DateValue = Day | Week | WholeWeek | EitherDay | BadDate


@dataclass(frozen=True)
class DateMatch:
    """A date expression found in a text; `form` names the pattern that matched ("weekday",
    "day_month", …), so that callers can tell a bare weekday or a date without a year."""

    start: int
    end: int
    value: DateValue
    form: str = ""

    @property
    def without_year(self) -> bool:
        """A day and month without a year ("3 december", "15-3")."""
        return self.form in ("numeric", "day_month", "month_day")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _most_recent(weekday: int, today: date, *, strictly_before: bool) -> date:
    back = (today.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return today - timedelta(days=back)


def _nearest(day: int, month: int, today: date) -> DateValue:
    """A day-month without a year: the nearest occurrence, past or future."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return BadDate()
    return Day(min(candidates, key=lambda d: (abs((d - today).days), d)))


def _absolute(day: int, month: int, year: int | None, today: date) -> DateValue:
    if year is None:
        return _nearest(day, month, today)
    if year < 100:
        year += 2000
    try:
        return Day(date(year, month, day))
    except ValueError:
        return BadDate()


def _year(text: str | None) -> int | None:
    return int(text) if text else None


def _number(token: str) -> int:
    return NUMBER_WORDS[token] if token in NUMBER_WORDS else int(token)


# Each pattern with the function that turns its match into a value; longest forms first, so that
# "vorige week maandag" is one expression and not "vorige week" plus "maandag".
_B = r"(?<![\w/.:-])"  # not inside a word or a number
_E = r"(?![\w/-])"
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{_B}(?:(?:vorige|afgelopen)\s+week\s+(?P<wd>{_WEEKDAY})|(?P<wd2>{_WEEKDAY})"
                rf"\s+(?:van\s+)?(?:de\s+)?(?:vorige|afgelopen)\s+week|last\s+week\s+(?P<wd3>"
                rf"{_WEEKDAY})|(?P<wd4>{_WEEKDAY})\s+(?:of\s+)?last\s+week){_E}"), "previous_week"),
    (re.compile(rf"{_B}(?:(?:deze|this)\s+week\s+(?P<wd>{_WEEKDAY})|(?P<wd2>{_WEEKDAY})\s+"
                rf"(?:van\s+)?(?:deze|this)\s+week){_E}"), "this_week"),
    (re.compile(rf"{_B}(?:(?:volgende|komende|next)\s+week\s+(?P<wd>{_WEEKDAY})|(?P<wd2>"
                rf"{_WEEKDAY})\s+(?:van\s+)?(?:volgende|komende|next)\s+week){_E}"), "next_week"),
    # "maandag 30 november", "ma 30-11": one date, and the weekday must agree with it.
    (re.compile(rf"{_B}(?P<wd>{_WEEKDAY}),?\s+(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th|e)?\s+(?:of\s+)?"
                rf"(?P<mon>{_MONTH})\.?(?:\s+(?P<y>\d{{4}}))?|(?P<d2>\d{{1,2}})(?P<s>[-/])"
                rf"(?P<m>\d{{1,2}})(?:(?P=s)(?P<y2>\d{{4}}|\d{{2}}))?){_E}"), "weekday_date"),
    (re.compile(rf"{_B}(?:vorige|last|previous)\s+(?P<wd>{_WEEKDAY}){_E}"), "last_weekday"),
    (re.compile(rf"{_B}(?:afgelopen|past)\s+(?P<wd>{_WEEKDAY}){_E}"), "past_weekday"),
    (re.compile(rf"{_B}(?:komende|aanstaande|volgende|next|coming|this\s+coming)\s+"
                rf"(?P<wd>{_WEEKDAY}){_E}"), "next_weekday"),
    (re.compile(rf"{_B}(?:de\s+|the\s+)?(?:hele|gehele|volledige|whole|entire)\s+(?:vorige|"
                rf"afgelopen|last|previous)\s+week{_E}|{_B}all\s+(?:of\s+)?last\s+week{_E}"),
     "whole_previous_week"),
    (re.compile(rf"{_B}(?:de\s+|the\s+)?(?:hele|gehele|volledige|whole|entire)\s+(?:deze\s+|"
                rf"this\s+)?week{_E}|{_B}all\s+week{_E}"), "whole_this_week"),
    (re.compile(rf"{_B}(?:vorige|afgelopen|last|past|previous|the\s+past)\s+week{_E}"),
     "previous_week_only"),
    (re.compile(rf"{_B}(?:deze|this)\s+week{_E}"), "this_week_only"),
    (re.compile(rf"{_B}(?:volgende|komende|next)\s+week{_E}"), "next_week_only"),
    (re.compile(rf"{_B}(?P<n>\d{{1,3}}|{_NUMWORD})\s+(?:dagen|dag|days|day)\s+(?:geleden|ago)"
                rf"{_E}"), "days_ago"),
    (re.compile(rf"{_B}(?P<n>\d{{1,2}}|{_NUMWORD})\s+(?:weken|week|weeks)\s+(?:geleden|ago)"
                rf"{_E}"), "weeks_ago"),
    (re.compile(rf"{_B}(?:(?:the\s+)?day\s+before\s+yesterday|eergisteren|eergister){_E}"),
     "day_before_yesterday"),
    (re.compile(rf"{_B}(?:gisteren|gister|yesterday)(?:\s*(?:ochtend|middag|morning|afternoon))?"
                rf"{_E}|{_B}gister(?:en)?(?:ochtend|middag){_E}"), "yesterday"),
    (re.compile(rf"{_B}(?:vandaag|today|vanochtend|vanmorgen|vanmiddag|this\s+morning|"
                rf"this\s+afternoon){_E}"), "today"),
    (re.compile(rf"{_B}(?:overmorgen|morgen|tomorrow|day\s+after\s+tomorrow){_E}"), "tomorrow"),
    (re.compile(rf"{_B}(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_E}"), "iso"),
    # "15-3", "15/3", "15-03-2027", "15.03.2027"; never "2.5" (hours) or "9-11 uur" (times).
    (re.compile(rf"{_B}(?P<d>\d{{1,2}})(?P<s>[-/.])(?P<m>\d{{1,2}})(?:(?P=s)(?P<y>\d{{4}}|"
                rf"\d{{2}}))?(?![\w/-]|[.,]\d|\s*(?:uur|u|h|hours?|min)\b)"), "numeric"),
    (re.compile(rf"{_B}(?P<d>\d{{1,2}})(?:st|nd|rd|th|e|ste|de)?\s+(?:of\s+)?(?P<mon>{_MONTH})"
                rf"\.?(?:\s+(?P<y>\d{{4}}))?{_E}"), "day_month"),
    (re.compile(rf"{_B}(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+"
                rf"(?P<y>\d{{4}}))?{_E}"), "month_day"),
    (re.compile(rf"{_B}(?P<wd>{_WEEKDAY}){_E}"), "weekday"),
]  # fmt: skip


def _weekday(match: re.Match[str]) -> int:
    groups = match.groupdict()
    name = next(groups[key] for key in ("wd", "wd2", "wd3", "wd4") if groups.get(key))
    return WEEKDAYS[name]


def _last_weekday(match: re.Match[str], today: date) -> DateValue:
    recent = _most_recent(_weekday(match), today, strictly_before=True)
    if recent >= _monday(today):
        return EitherDay((recent, recent - timedelta(days=7)))
    return Day(recent)


def _bare_weekday(match: re.Match[str], today: date) -> DateValue:
    if _weekday(match) == today.weekday():
        # "vrijdag" said on a Friday: today, or a week ago? Asked, not guessed.
        return EitherDay((today, today - timedelta(days=7)))
    return Day(_most_recent(_weekday(match), today, strictly_before=False))


def _tomorrow(match: re.Match[str], today: date) -> DateValue:
    text = match.group(0)
    return Day(today + timedelta(days=2 if "over" in text or "after" in text else 1))


def _weekday_date(match: re.Match[str], today: date) -> DateValue:
    groups = match.groupdict()
    if groups.get("d"):
        value = _absolute(int(groups["d"]), MONTHS[groups["mon"]], _year(groups["y"]), today)
    else:
        value = _absolute(int(groups["d2"]), int(groups["m"]), _year(groups["y2"]), today)
    if isinstance(value, Day) and value.value.weekday() != _weekday(match):
        return BadDate()
    return value


def _numeric(match: re.Match[str], today: date) -> DateValue:
    # With dots, only a full date is one ("12.03.2026"); "12.3" is left unread, not guessed.
    if match.group("s") == "." and not match.group("y"):
        return BadDate()
    return _calendar_date(match, today)


def _calendar_date(match: re.Match[str], today: date) -> DateValue:
    """A date written as day and month (and perhaps year): "12-3", "12 maart 2026"."""
    year = match.groupdict().get("y")
    month = MONTHS[match.group("mon")] if "mon" in match.groupdict() else int(match.group("m"))
    return _absolute(int(match.group("d")), month, int(year) if year else None, today)


# What each form of date means, said on `today`; a form not listed is a calendar date.
_MEANINGS: dict[str, Callable[[re.Match[str], date], DateValue]] = {
    "previous_week": lambda m, t: Day(_monday(t) - timedelta(days=7 - _weekday(m))),
    "this_week": lambda m, t: Day(_monday(t) + timedelta(days=_weekday(m))),
    "next_week": lambda m, t: Day(_monday(t) + timedelta(days=7 + _weekday(m))),
    "last_weekday": _last_weekday,
    "past_weekday": lambda m, t: Day(_most_recent(_weekday(m), t, strictly_before=True)),
    "next_weekday": lambda m, t: Day(t + timedelta(days=(_weekday(m) - t.weekday() - 1) % 7 + 1)),
    "weekday": _bare_weekday,
    "whole_previous_week": lambda m, t: WholeWeek(_monday(t) - timedelta(days=7)),
    "whole_this_week": lambda m, t: WholeWeek(_monday(t)),
    "previous_week_only": lambda m, t: Week(_monday(t) - timedelta(days=7)),
    "this_week_only": lambda m, t: Week(_monday(t)),
    "next_week_only": lambda m, t: Week(_monday(t) + timedelta(days=7)),
    "days_ago": lambda m, t: Day(t - timedelta(days=_number(m.group("n")))),
    "weeks_ago": lambda m, t: Week(_monday(t - timedelta(days=7 * _number(m.group("n"))))),
    "day_before_yesterday": lambda m, t: Day(t - timedelta(days=2)),
    "yesterday": lambda m, t: Day(t - timedelta(days=1)),
    "today": lambda m, t: Day(t),
    "tomorrow": _tomorrow,
    "weekday_date": _weekday_date,
    "numeric": _numeric,
}


def _value(kind: str, match: re.Match[str], today: date) -> DateValue:
    return _MEANINGS.get(kind, _calendar_date)(match, today)


def find_dates(text: str, today: date) -> list[DateMatch]:
    """Every date expression in a lower-cased text, without overlaps, in order."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            year = match.groupdict().get("y") or match.groupdict().get("y2")
            form = (
                kind if kind not in ("numeric", "day_month", "month_day") or not year else "dated"
            )
            found.append(DateMatch(span[0], span[1], _value(kind, match, today), form))
    return _today_joined(text, _in_the_named_week(text, sorted(found, key=lambda m: m.start)))


def _today_joined(text: str, found: list[DateMatch]) -> list[DateMatch]:
    """ "ma en di" said on a Tuesday: today's weekday joined to a day of this week is today, and
    joined to a day of last week, last week's."""
    result = list(found)
    for index, match in enumerate(result):
        if not (match.form == "weekday" and isinstance(match.value, EitherDay)):
            continue
        neighbours = [result[i] for i in (index - 1, index + 1) if 0 <= i < len(result)]
        for neighbour in neighbours:
            if not isinstance(neighbour.value, Day):
                continue
            first, second = sorted((match, neighbour), key=lambda m: m.start)
            if not _JOINED.match(text[first.end : second.start]):
                continue
            week = _monday(neighbour.value.value)
            inside = [day for day in match.value.values if _monday(day) == week]
            if len(inside) == 1:
                result[index] = DateMatch(match.start, match.end, Day(inside[0]), match.form)
                break
    return result


_IN_A_WEEK = ("previous_week", "this_week", "next_week")
_JOINED = re.compile(r"^\s*(?:,|en|and|&|\+|t/m|tm|tot\s+en\s+met|-|–)?\s*$")


def _in_the_named_week(text: str, found: list[DateMatch]) -> list[DateMatch]:
    """ "vorige week ma en di", "ma en di vorige week": a bare weekday joined to a weekday of a
    named week lies in that week too."""
    result = list(found)
    changed = True
    while changed:
        changed = False
        for index, match in enumerate(result):
            if match.form != "weekday":
                continue
            for other_index in (index - 1, index + 1):
                if not 0 <= other_index < len(result):
                    continue
                other = result[other_index]
                first, second = sorted((match, other), key=lambda m: m.start)
                if other.form not in _IN_A_WEEK or not isinstance(other.value, Day):
                    continue
                if not _JOINED.match(text[first.end : second.start]):
                    continue
                monday = _monday(other.value.value)
                weekday = WEEKDAYS[text[match.start : match.end].strip()]
                if (weekday - other.value.value.weekday()) * (match.start - other.start) < 0:
                    # "vorige week vrijdag + maandag": named after Friday, Monday is the one
                    # after it (the most recent), not the Monday before it in that week.
                    continue
                value = Day(monday + timedelta(days=weekday))
                result[index] = DateMatch(match.start, match.end, value, other.form)
                changed = True
                break
    return result


def parse_date(fragment: str, today: date, prefer: str = "past") -> date | None:
    """One date written on its own ("15-03-2015", "gisteren", "1 maart"), or None.

    `prefer` "past" takes last year's date for a day-month without a year when the nearest one
    lies ahead (a start date, a birth date); "nearest" keeps the nearest.
    """
    text = " ".join(fragment.lower().split())
    matches = find_dates(text, today)
    if len(matches) != 1 or text.strip(" .,") != text[matches[0].start : matches[0].end]:
        return None
    value = matches[0].value
    if not isinstance(value, Day):
        return None
    has_year = re.search(r"\d{4}|\d+[-/.]\d+[-/.]\d{2}", text) is not None
    day_month_only = re.search(r"\d", text) is not None and not has_year
    if prefer == "past" and value.value > today and day_month_only:
        try:
            return value.value.replace(year=value.value.year - 1)
        except ValueError:
            return None
    return value.value


class BirthDateProblem(StrEnum):
    """Why a typed date of birth cannot be used, so that the answer can say so."""

    NOT_A_DATE = auto()
    NO_YEAR = auto()
    NO_SUCH_DAY = auto()  # 31-02-2015: a date's form, but no day of the calendar
    FUTURE = auto()
    AGE = auto()  # not between 2 and 25 years old: not a pupil of school age


# A day, month and year written as numbers or with the month's name.
_WRITTEN_DATE = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:[-/.](?P<m>\d{{1,2}})[-/.]|\s+(?P<mon>{_MONTH})\s+)(?P<y>\d{{4}})$"
)


def read_birth_date(text: str, today: date) -> date | BirthDateProblem:
    """A date of birth with its year, in the past, of someone 2 to 25 years old; otherwise
    what is wrong with it."""
    cleaned = " ".join(text.lower().split()).strip(" .,")[:40]
    born = parse_date(cleaned, today, "past") if cleaned else None
    if born is None:
        written = _WRITTEN_DATE.match(cleaned)
        month = (MONTHS[written["mon"]] if written["mon"] else int(written["m"])) if written else 0
        if written and 1 <= month <= 12:
            return BirthDateProblem.NO_SUCH_DAY
        return BirthDateProblem.NOT_A_DATE
    if born > today:
        return BirthDateProblem.FUTURE
    if str(born.year) not in cleaned:
        return BirthDateProblem.NO_YEAR
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if not 2 <= age <= 25:
        return BirthDateProblem.AGE
    return born
