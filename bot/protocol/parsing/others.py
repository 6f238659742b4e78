"""The other kinds of update: back at school, an offer, an enrolment change, the Variawet, a
suspension, an exemption."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.protocol.dates import (
    find_dates,
)
from bot.protocol.parsing.dates import _blank, _end_after_start, _expand_day_ranges, _read_dates
from bot.protocol.parsing.names import _free_text
from bot.protocol.parsing.values import (
    Ambiguous,
    BackAtSchool,
    Exemption,
    FailureReason,
    Hint,
    Item,
    Movement,
    Offer,
    ParseFailure,
    ParseResult,
    Question,
    QuickUpdate,
    Suspension,
    Variawet,
)
from bot.protocol.parsing.words import (
    _ARTICLE_RE,
    _BACK_RE,
    _MOVEMENT_RE,
    _NEGATION,
    _NEW_SCHOOL_RE,
    _NUM,
    _OFFER_RE,
    _SUSPENSION_RE,
    _VARIAWET_STEPS,
    _no_future,
    _to_number,
)
from bot.protocol.vocabulary import MovementKind


def _stray(
    name: str, text: str, today: date, hint: Hint, *known: re.Pattern[str]
) -> ParseFailure | None:
    """A number or a negation that nothing in the message accounts for: refuse rather than drop
    it ("geschorst 2 dagen", "niet weer op school")."""
    lowered = text.lower()
    for match in find_dates(lowered, today):
        lowered = _blank(lowered, match.start, match.end)
    for pattern in known:
        lowered = pattern.sub(lambda m: " " * len(m.group(0)), lowered)
    words = re.findall(r"[\w'’./-]+", lowered)
    negated = tuple(w for w in words if w.replace("'", "").replace("’", "") in _NEGATION)
    if negated:
        return ParseFailure(FailureReason.NEGATION, name=name, unknown=negated, hint=hint)
    numbers = tuple(w for w in words if any(c.isdigit() for c in w))
    if numbers:
        return ParseFailure(FailureReason.UNKNOWN_WORDS, name=name, unknown=numbers, hint=hint)
    return None


def _single_day(name: str, body: str, today: date, hint: Hint) -> tuple[date, ...] | ParseFailure:
    """The day a one-day fact happened on; two candidates when the text does not say which."""
    dates, _ = _read_dates(_expand_day_ranges(body.lower()), today)
    if dates.bad:
        return ParseFailure(FailureReason.BAD_DATE, name=name, hint=hint)
    if dates.either and not (dates.week or dates.days or dates.since or dates.until):
        return dates.either.values
    if dates.week or dates.either or len(dates.days) > 1 or dates.until:
        return ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=hint)
    return (dates.since or (dates.days[0] if dates.days else today),)


def _on_days(name: str, days: tuple[date, ...], make: Callable[[date], Item]) -> ParseResult:
    """One update, or the question which of the candidate days."""
    updates = tuple(QuickUpdate(name, (make(day),)) for day in days)
    return updates[0] if len(updates) == 1 else Ambiguous(Question.WHICH_DAY, updates)


def _back(name: str, body: str, today: date) -> ParseResult:
    stray = _stray(name, body, today, Hint.GENERAL, _BACK_RE)
    if stray is not None:
        return stray
    days = _single_day(name, body, today, Hint.GENERAL)
    if isinstance(days, ParseFailure):
        return days
    return _no_future(_on_days(name, days, BackAtSchool), today)


def _offer(name: str, body: str, today: date) -> ParseResult:
    description = ""
    if ":" in body:
        body, description = body.split(":", 1)
    dates, rest = _read_dates(body.lower(), today)
    if dates.bad:
        return ParseFailure(FailureReason.BAD_DATE, name=name)
    if dates.week or dates.either or len(dates.days) > 1:
        return ParseFailure(FailureReason.UNCLEAR_DATES, name=name)
    if not description:
        leftover = _OFFER_RE.sub(" ", rest)
        leftover = re.sub(r"^\s*(?:(?:heeft|has|krijgt|gets|a|een)\s+)+", " ", leftover, flags=re.I)
        description = leftover
    since = dates.since or (dates.days[0] if dates.days else today)
    return QuickUpdate(name, (Offer(since, _free_text(description) or None),))


def _movement(name: str, body: str, step: MovementKind, today: date) -> ParseResult:
    new_school = _NEW_SCHOOL_RE.search(body)
    school_text = _free_text(new_school.group(1)) if new_school else None
    dated = body[: new_school.start()] if new_school else body
    if (
        new_school
        and school_text
        and not new_school.group(0).split(school_text[:1])[0].rstrip().endswith(":")
    ):
        # "ingeschreven op nieuwe school per 1 februari": without a colon, what follows may be a
        # date, not a school's name.
        lowered = school_text.lower()
        matches = find_dates(lowered, today)
        for match in reversed(matches):
            lowered = _blank(lowered, match.start, match.end)
        if not re.sub(r"\b(?:per|op|vanaf|sinds|from|since|on)\b", " ", lowered).strip(" ,."):
            dated, school_text = body, None
    stray = _stray(name, dated, today, Hint.GENERAL, _MOVEMENT_RE)
    if stray is not None:
        return stray
    if school_text is None:
        # "ingeschreven op De Linde per 13 september": the school named after "op" or "bij".
        named = re.search(
            r"\b(?:op|bij|naar|at|to)\s+((?:De|Het|'t|[A-Z][\w'’.-]*)"
            r"(?:\s+(?:de|het|van|der|den|[A-Z][\w'’.-]*))*)",
            dated,
        )
        if named is not None and not find_dates(named.group(1).lower(), today):
            school_text = named.group(1)
            dated = dated[: named.start()] + " " + dated[named.end() :]
    days = _single_day(name, dated, today, Hint.GENERAL)
    if isinstance(days, ParseFailure):
        return days
    return _no_future(_on_days(name, days, lambda day: Movement(step, day, school_text)), today)


def _variawet(name: str, body: str, today: date) -> ParseResult:
    lowered = body.lower()
    step = next(
        (s for s, words in _VARIAWET_STEPS if re.search(rf"\b(?:{words})\b", lowered)), None
    )
    if step is None:
        return ParseFailure(FailureReason.NO_TEXT, name=name, hint=Hint.ENTRY)
    days = _single_day(name, body, today, Hint.ENTRY)
    if isinstance(days, ParseFailure):
        return days
    return _no_future(_on_days(name, days, lambda day: Variawet(step, day)), today)


_ONE_DAY = re.compile(r"(?<![\w-])(?:voor\s+)?(?:1|een|één|one)\s+(?:dag|day)(?![\w-])", re.I)


def _suspension(name: str, body: str, today: date) -> ParseResult:
    # "schorsing 1 dag, vandaag": a single day (longer durations are not counted out).
    body = _ONE_DAY.sub(" ", body)
    duration = re.search(rf"(?<![\w.,])({_NUM})\s+(?:dagen|days)(?![\w-])", body.lower())
    if duration is not None:
        without = body[: duration.start()] + " " + body[duration.end() :]
        named = _read_dates(_expand_day_ranges(without.lower()), today)[0]
        if len(set(named.days)) == _to_number(duration.group(1)) and not named.since:
            # "2 dagen geschorst, vandaag en morgen": the count only repeats the days.
            body = without
    stray = _stray(name, _expand_day_ranges(body.lower()), today, Hint.SUSPENSION, _SUSPENSION_RE)
    if stray is not None:
        return stray
    dates, _ = _read_dates(_expand_day_ranges(body.lower()), today)
    if dates.bad:
        return ParseFailure(FailureReason.BAD_DATE, name=name, hint=Hint.SUSPENSION)
    if dates.week or dates.either or len(dates.days) > 2:
        return ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=Hint.SUSPENSION)
    days = sorted(dates.days)
    start = dates.since or (days[0] if days else today)
    end = _end_after_start(dates, start) or (days[-1] if days else start)
    if end < start:
        return ParseFailure(FailureReason.END_BEFORE_START, name=name, hint=Hint.SUSPENSION)
    if dates.open_until and end > start:
        # "geschorst van 2 tot 4 november": ask whether the 4th is included.
        return Ambiguous(
            Question.UNTIL,
            tuple(
                QuickUpdate(name, (Suspension(start, last),))
                for last in (end, end - timedelta(days=1))
            ),
        )
    return QuickUpdate(name, (Suspension(start, end),))


def _exemption(name: str, body: str, today: date) -> ParseResult:
    article = _ARTICLE_RE.search(body)
    if article is None:
        return ParseFailure(FailureReason.NO_ARTICLE, name=name, hint=Hint.EXEMPTION)
    without = body[: article.start()] + " " + body[article.end() :]
    stray = _stray(name, _expand_day_ranges(without.lower()), today, Hint.EXEMPTION)
    if stray is not None:
        return stray
    dates, _ = _read_dates(_expand_day_ranges(without.lower()), today)
    if dates.bad:
        return ParseFailure(FailureReason.BAD_DATE, name=name, hint=Hint.EXEMPTION)
    if dates.week or dates.either:
        return ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=Hint.EXEMPTION)
    days = sorted(dates.days)
    start = dates.since or (days[0] if days else today)
    end = _end_after_start(dates, start) or (days[1] if len(days) > 1 else None)
    if end is not None and end < start:
        return ParseFailure(FailureReason.END_BEFORE_START, name=name, hint=Hint.EXEMPTION)
    if end is None and re.search(
        r"(?<![\w-])(?:tot|t/m|tm|until|till|through)(?![\w-])", without.lower()
    ):
        # "tot einde schooljaar": an end that is no date is not dropped, it is asked for.
        return ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=Hint.EXEMPTION)
    code = "5" + article.group(1).upper()
    return QuickUpdate(name, (Exemption(code, start, end),))
