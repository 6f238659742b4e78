"""Absence in a message: the kinds, the amounts and the dates read together into the days and
periods to store — or the question to ask, or why not."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from datetime import date

from bot.protocol.dates import (
    find_dates,
)
from bot.protocol.parsing.dates import (
    _DATE_OR_TIME,
    _blank,
    _expand_day_ranges,
    _read_dates,
)
from bot.protocol.parsing.readings import read_one_kind
from bot.protocol.parsing.values import (
    AbsenceOnDay,
    Ambiguous,
    DayPart,
    FailureReason,
    Hint,
    Item,
    LateArrival,
    ParseFailure,
    ParseResult,
    Question,
    QuickUpdate,
)
from bot.protocol.parsing.words import (
    _AMOUNT_PATTERNS,
    _EXEMPTION_RE,
    _FILLERS,
    _KIND_HINTS,
    _KIND_RE,
    _KIND_TYPOS,
    _NEGATION,
    _NUM,
    _ORD,
    _REASON,
    _SEPARATOR,
    _SUSPENSION_RE,
    _no_future,
    _ordinal,
    _to_number,
)


def _hint_for(text: str) -> Hint:
    lowered = text.lower()
    for pattern, kind in _KIND_RE:
        if pattern.search(lowered):
            return _KIND_HINTS.get(kind, Hint.ABSENCE)
    if _SUSPENSION_RE.search(lowered):
        return Hint.SUSPENSION
    if _EXEMPTION_RE.search(lowered):
        return Hint.EXEMPTION
    return Hint.GENERAL


def _absences(name: str, body: str, today: date) -> ParseResult:
    lowered = _expand_day_ranges(body.lower())
    main, explanation = lowered, ""
    reason = _REASON.search(lowered)
    if reason is not None:
        main, explanation = lowered[: reason.start()], lowered[reason.end() :]
        # "te laat door de trein (15 min)": hours or dates in brackets belong to the message,
        # also after the explanation began.
        for bracketed in re.findall(r"\([^()]*\d[^()]*\)", explanation):
            explanation = explanation.replace(bracketed, " ", 1)
            main += " " + bracketed
        if _read_amounts(explanation)[0] and not _read_amounts(main)[0]:
            # "te laat want de bus had 20 min vertraging": how late is not said for certain.
            return ParseFailure(FailureReason.NEEDS_HOURS, name=name, hint=_hint_for(body))
        if find_dates(explanation, today) and not find_dates(main, today):
            # "verlof ivm bruiloft zus, vrijdag": the day may be the absence's or the remark's.
            return ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=_hint_for(body))
    main, remarks = _set_aside(main, today)
    explanation += remarks
    clash = _DATE_OR_TIME.search(main)
    if (
        clash is not None
        and 6 <= int(clash.group(1)) < int(clash.group(2)) <= 19
        # With the hours given elsewhere ("3 uur … 11-12") it can only be a date.
        and not _read_amounts(main[: clash.start()] + " " + main[clash.end() :])[0]
    ):
        # "tandarts 9-10": 9 October, or from 9 to 10 o'clock? Not guessed.
        return ParseFailure(
            FailureReason.DATE_OR_TIME, name=name, unknown=(clash.group(0),), hint=_hint_for(body)
        )
    dropped = bool(explanation.strip())
    if _SENT_HOME.search(main) and not _read_amounts(main)[0]:
        # "ziek naar huis om 11 uur": part of the day; how many hours is not said.
        return ParseFailure(FailureReason.NEEDS_HOURS, name=name, hint=_hint_for(body))
    restated = _restated_hours(main, today)
    if isinstance(restated, ParseFailure):
        return replace(restated, name=name, hint=_hint_for(body))
    main = restated
    kinds, _ = _read_kinds(main)
    concrete = {kind for _, kind in kinds if kind != "absent"}
    if concrete == {"te_laat", "ongeoorloofd"}:
        # "1e uur te laat, zonder reden": the reason says what kind of late it was, it is no
        # whole day of unauthorised absence of its own.
        main = _without_late_qualifier(main)
        kinds, _ = _read_kinds(main)
        concrete = {kind for _, kind in kinds if kind != "absent"}
    if len(concrete) > 1:
        return _several_kinds(name, main, today, dropped)
    pieces = [p for p in _SEPARATOR.split(main) if p.strip()]
    if len(concrete) == 1 and sum(1 for p in pieces if _read_amounts(p)[0]) > 1:
        # "2 uur op 5 maart en 3 uur op 4 maart": each part with its own hours is a fact.
        return _several_kinds(name, main, today, dropped, default=next(iter(concrete)))
    if not concrete and explanation:
        concrete = {kind for _, kind in _read_kinds(explanation)[0] if kind != "absent"}
        if len(concrete) > 1:
            return ParseFailure(FailureReason.TWO_KINDS, name=name, hint=Hint.ABSENCE)
    return _one_clause(name, main, concrete, bool(kinds), today, dropped)


# "zonder reden", "geen geldige reden", "no excuse": unauthorised, but said of something else.
_QUALIFIER = re.compile(
    r"(?<![\w-])(?:zonder|geen|no|without(?:\s+a)?)\s+(?:geldige\s+|goede\s+|valid\s+)?"
    r"(?:reden|excuse|reason)(?:\s+(?:opgegeven|gegeven|given))?(?![\w-])"
)


def _without_late_qualifier(text: str) -> str:
    """The message without a reason qualifier that stands in a part of its own, with no hours or
    dates ("…, zonder reden"); a part with its own hours stays a fact ("2 uur zonder reden")."""
    pieces = _SEPARATOR.split(text)
    kept = [
        piece
        for piece in pieces
        if not (_QUALIFIER.fullmatch(piece.strip()) and not _read_amounts(piece)[0])
    ]
    return " en ".join(p for p in kept if p.strip()) if len(kept) < len(pieces) else text


_SENT_HOME = re.compile(
    r"(?<![\w-])(?:naar\s+huis|opgehaald|went\s+home|sent\s+home|picked\s+up|gone\s+home)"
    r"(?![\w-])"
)


def _set_aside(main: str, today: date) -> tuple[str, str]:
    """Words that explain rather than state a fact, taken out of the message: which time it is
    ("2e keer deze week"), when a late pupil arrived ("om 9:30"), a count of days that the named
    days repeat ("2 dagen (13 en 14 sept)"), and remarks in brackets ("(begrafenis opa)")."""
    explanation = ""
    # "10 minuten te laat, 2e keer deze week": which time it is, is a remark, not a fact.
    remark = re.search(
        r"(?:voor\s+de\s+)?\d{1,2}(?:e|de|ste)\s+keer(?:\s+(?:deze|this)\s+"
        r"(?:week|maand|month))?",
        main,
    )
    if remark is not None:
        main = main[: remark.start()] + " " + main[remark.end() :]
        explanation += " " + remark.group(0)
    # "moeder belde om 8 uur": a time of day, never hours of absence.
    clock = re.search(
        r"(?<![\w:.-])(?:om|at)\s+\d{1,2}(?:[:.]\d{2}(?:\s*(?:uur|u|h))?|"
        r"\s*(?:uur|u|h|o'clock))(?![\w:.])",
        main,
    )
    if clock is not None:
        main = main[: clock.start()] + " " + main[clock.end() :]
        explanation += " " + clock.group(0)
    if {kind for _, kind in _read_kinds(main)[0] if kind != "absent"} == {"te_laat"}:
        # "came in late at 9:30": when the pupil arrived, not how late; counted per protocol.
        arrival = re.search(
            r"(?<![\w:.-])(?:(?:om|at)\s+)?\d{1,2}[:.]\d{2}(?:\s*uur)?(?![\w:.])", main
        )
        if arrival is not None:
            main = main[: arrival.start()] + " " + main[arrival.end() :]
            explanation += " " + arrival.group(0)
    duration = re.search(rf"(?<![\w.,])({_NUM})\s+(?:dagen|days)(?![\w-])", main)
    if duration is not None:
        named = _read_dates(main[: duration.start()] + " " + main[duration.end() :], today)[0]
        if len(set(named.days)) == _to_number(duration.group(1)) and not named.since:
            # "2 dagen (13 en 14 sept)": the days are named; the count only repeats them.
            main = main[: duration.start()] + " " + main[duration.end() :]
    # "(begrafenis opa)": a remark in brackets explains, like "want …", unless it holds hours
    # or dates ("te laat (10 min)", "(maandag en woensdag)"): those are part of the message.
    for bracketed in re.findall(r"\(([^()]*)\)", main):
        if not re.search(r"\d", bracketed) and not find_dates(bracketed, today):
            main = main.replace(f"({bracketed})", " ", 1)
            explanation += " " + bracketed
    return main, explanation


def _restated_hours(text: str, today: date) -> str | ParseFailure:
    """ "2 uur ongeoorloofd, 3e en 4e uur": hours and the lesson periods (or times) they were,
    said twice; the same count is kept once, two different counts are not guessed between."""
    amounts, _ = _read_amounts(text)
    slots = [v for k, v in amounts if k == "slots"]
    hours = [v for k, v in amounts if k == "hours"]
    if len(slots) != 1 or len(hours) != 1 or len(set(_read_dates(text, today)[0].days)) > 1:
        return text
    if slots[0] != hours[0]:
        return ParseFailure(FailureReason.NOT_UNDERSTOOD)
    for pattern, kind in _AMOUNT_PATTERNS:
        if kind in ("period_range", "period_list", "period_numbers", "time_range"):
            match = pattern.search(text)
            if match is not None and _amount_value(kind, match) is not None:
                return text[: match.start()] + " " + text[match.end() :]
    return text


def _one_clause(
    name: str, text: str, concrete: set[str], any_kind: bool, today: date, dropped: bool
) -> ParseResult:
    # Times and lesson ranges first: "8.30 - 10.30" and "periods 1-3" are no dates.
    times, rest = _read_amounts(text, only=("time_range", "period_range"))
    dates, rest = _read_dates(rest, today)
    if dates.bad:
        return ParseFailure(FailureReason.BAD_DATE, name=name, hint=_hint_for(text))
    amounts, rest = _read_amounts(rest)
    amounts += times
    _, rest = _read_kinds(rest)
    # What is left must be words that say nothing of their own; anything else is not guessed at.
    words = [w for w in re.findall(r"[\w'’./-]+", rest) if any(c.isalnum() for c in w)]
    negated = [w for w in words if w.replace("'", "").replace("’", "") in _NEGATION]
    if negated:
        return ParseFailure(
            FailureReason.NEGATION, name=name, unknown=tuple(negated), hint=_hint_for(text)
        )
    unknown = tuple(w for w in words if w.strip(".") and w.strip(".") not in _FILLERS)
    if unknown:
        return ParseFailure(
            FailureReason.UNKNOWN_WORDS, name=name, unknown=unknown, hint=_hint_for(text)
        )
    if not any_kind and not concrete:
        if not amounts and not dates.days and dates.since is None and dates.week is None:
            return ParseFailure(FailureReason.NOT_UNDERSTOOD, name=name, hint=Hint.GENERAL)
        return ParseFailure(FailureReason.NO_KIND, name=name, hint=Hint.ABSENCE)
    if concrete:
        return read_one_kind(name, concrete.pop(), amounts, dates, today, dropped)
    options = [
        read_one_kind(name, kind, amounts, dates, today, dropped)
        for kind in ("ongeoorloofd", "geoorloofd", "ziek")
    ]
    for option in options:
        if not isinstance(option, QuickUpdate):
            # A date or amount problem is the same for every kind: say it before asking.
            return option
    return Ambiguous(Question.WHICH_KIND, tuple(o for o in options if isinstance(o, QuickUpdate)))


def _read_kinds(text: str) -> tuple[list[tuple[int, str]], str]:
    found: list[tuple[int, str]] = []
    for pattern, kind in _KIND_RE:
        for match in pattern.finditer(text):
            found.append((match.start(), kind))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    # Typos of the kind words ("ongeoorlooft", "geoorlofd").
    for match in re.finditer(r"[a-zé]{7,}", text):
        close = difflib.get_close_matches(match.group(0), _KIND_TYPOS, n=1, cutoff=0.82)
        if close:
            found.append((match.start(), _TYPO_KINDS.get(close[0], "ongeoorloofd")))
            text = _blank(text, match.start(), match.end())
    return sorted(found), text


_TYPO_KINDS = {
    "geoorloofd": "geoorloofd", "geoorloofde": "geoorloofd", "authorised": "geoorloofd",
    "authorized": "geoorloofd", "ziekgemeld": "ziek",
}  # fmt: skip


def _read_amounts(text: str, only: tuple[str, ...] = ()) -> tuple[list[tuple[str, float]], str]:
    """Hours, minutes, counts and parts of a day in a text (or only the `only` forms), and the
    text without them."""
    found: list[tuple[int, str, float]] = []
    for pattern, kind in _AMOUNT_PATTERNS:
        if only and kind not in only:
            continue
        for match in pattern.finditer(text):
            value = _amount_value(kind, match)
            if value is not None:
                found.append((match.start(), *value))
                text = _blank(text, match.start(), match.end())
    return [(kind, value) for _, kind, value in sorted(found)], text


def _amount_value(kind: str, match: re.Match[str]) -> tuple[str, float] | None:
    if kind == "period_range":
        first, last = _ordinal(match.group("first")), _ordinal(match.group("last"))
        return ("slots", float(last - first + 1)) if last >= first else None
    if kind in ("period_list", "period_numbers"):
        periods = re.findall(rf"{_ORD}|\d", match.group("list"))
        return ("slots", float(len({_ordinal(p) for p in periods})))
    if kind == "time_range":
        h1, h2 = int(match.group("h1")), int(match.group("h2"))
        m1, m2 = int(match.group("m1") or 0), int(match.group("m2") or 0)
        said_time = match.group(0).lstrip().startswith(("van", "from")) or bool(
            re.search(r"\d[:.]\d{2}", match.group(0))
        )
        if not (said_time or re.search(r"(?:uur|u|h)\s*$", match.group(0))):
            return None
        if not (6 <= h1 <= 18 and 6 <= h2 <= 19):
            return None
        minutes = (h2 * 60 + m2) - (h1 * 60 + m1)
        return ("slots", minutes / 60) if minutes > 0 else None
    if kind == "whole_day":
        return ("whole", 1.0)
    if kind == "half_day":
        return ("half", 1.0)
    if kind in ("minutes", "hours", "count"):
        return (kind, _to_number(match.group("n")))
    if kind == "quarters":
        return ("hours", _to_number(match.group("n")) / 4)
    if kind == "count_word":
        return ("count", {"once": 1.0, "twice": 2.0, "thrice": 3.0}[match.group(0)])
    return ("hours", float(kind[1:]))  # "h0.25": a fixed amount in words


def _several_kinds(
    name: str, text: str, today: date, dropped: bool, default: str | None = None
) -> ParseResult:
    """ "2 uur ongeoorloofd en 1x te laat vandaag": one clause per kind (or, with `default`, per
    part with its own hours), dates shared."""
    pieces = [p for p in _SEPARATOR.split(text) if p.strip()]
    clauses: list[tuple[str, str]] = []  # (kind, text)
    loose: list[str] = []
    for piece in pieces:
        kinds = {k for _, k in _read_kinds(piece)[0] if k != "absent"}
        if len(kinds) > 1:
            return ParseFailure(FailureReason.TWO_KINDS, name=name, hint=Hint.ABSENCE)
        if not kinds and default is not None and _read_amounts(piece)[0]:
            kinds = {default}
        if not kinds:
            loose.append(piece)
            continue
        clauses.append((kinds.pop(), " en ".join([*loose, piece])))
        loose = []
    if loose and clauses:
        kind, last = clauses[-1]
        clauses[-1] = (kind, " en ".join([last, *loose]))
    own_days = [sorted(set(_read_dates(clause, today)[0].days)) for _, clause in clauses]
    shared = sorted({day for days in own_days for day in days})
    for index, (_, clause) in enumerate(clauses):
        opening = find_dates(clause.strip(), today)
        if index and own_days[index] and opening and opening[0].start == 0 and not own_days[0]:
            # "2 uur ongeoorloofd; gisteren ook 2 uur": a day that opens a later part is that
            # part's own; whether the first part was today or that day too is not guessed.
            return ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=Hint.ABSENCE)
    items: list[Item] = []
    for (kind, clause), days in zip(clauses, own_days, strict=True):
        result = _one_clause(name, clause, {kind}, True, today, dropped)
        if not isinstance(result, QuickUpdate):
            return (
                result
                if not isinstance(result, Ambiguous)
                else ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=Hint.ABSENCE)
            )
        if not days and shared:
            # A fact without a date of its own takes the message's date, if there is one.
            if len(shared) > 1:
                return ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=Hint.ABSENCE)
            items += [_on_day(item, shared[0]) for item in result.items]
        else:
            items += result.items
    whole = [
        (i.day, i.kind)
        for i in items
        if isinstance(i, AbsenceOnDay) and isinstance(i.amount, DayPart)
    ]
    if len({kind for _, kind in whole}) > len({day for day, _ in whole}):
        # "ziek, tandarts en 1x te laat": two whole days of different kinds on one day.
        return ParseFailure(FailureReason.TWO_KINDS, name=name, hint=Hint.ABSENCE)
    return _no_future(QuickUpdate(name, tuple(items), dropped), today)


def _on_day(item: Item, day: date) -> Item:
    if isinstance(item, AbsenceOnDay | LateArrival):
        return replace(item, day=day)
    return item
