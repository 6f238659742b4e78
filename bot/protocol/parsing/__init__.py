"""Reading quick case updates typed in chat, in Dutch or English.

"Sanne 4 uur ongeoorloofd vandaag", "hoi, Noah 2 uur ongeoorloofd en 1x te laat gisteren",
"actie Sanne: RTG met ouders op 12 maart". Pure: text and today's date in; out comes either a
`QuickUpdate` (a pupil's name and one or more facts, each of its own frozen type), an `Ambiguous`
(a question whose every answer is a complete `QuickUpdate`), or a `ParseFailure` saying what was
not understood. Which pupil "Sanne" is, is decided elsewhere (it depends on who asks).

The parser never guesses: a word it does not know in an absence, a number it cannot place, a
negation, a week without a day, or two readings of a date make it refuse or ask. Dates follow the
conventions of `bot.protocol.dates`.

The package, from the bottom up: `values` (what a message can say), `words` (the vocabulary),
`names`, `dates` (inside a body), `absence`, `others`, `prefixed`; here the entry points.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from enum import StrEnum

from bot.protocol.dates import find_dates
from bot.protocol.parsing.absence import _absences, _hint_for, _read_kinds
from bot.protocol.parsing.names import _leading_names, _name_run, split_caption, split_name
from bot.protocol.parsing.others import _back, _exemption, _movement, _offer, _suspension
from bot.protocol.parsing.prefixed import _prefixed
from bot.protocol.parsing.values import (
    ABSENCE_ITEMS,
    MAX_HOURS_PER_DAY,
    MAX_LENGTH,
    AbsenceOnDay,
    AbsencePeriod,
    Ambiguous,
    BackAtSchool,
    ContactPerson,
    DayPart,
    Entry,
    Evaluation,
    Exemption,
    FailureReason,
    Hint,
    Item,
    LateArrival,
    Movement,
    Offer,
    ParseFailure,
    ParseResult,
    Question,
    QuickUpdate,
    Result,
    Suspension,
    Variawet,
    VariawetStep,
)
from bot.protocol.parsing.words import (
    _BACK_RE,
    _CONFIDENTIAL,
    _EXEMPTION_RE,
    _KIND_RE,
    _LEAD_IN,
    _MOVEMENT_RE,
    _NEGATION,
    _OFFER_RE,
    _PREFIX_WORDS,
    _SUSPENSION_RE,
)
from bot.protocol.vocabulary import AbsenceKind, MovementKind

__all__ = [
    "ABSENCE_ITEMS",
    "MAX_HOURS_PER_DAY",
    "MAX_LENGTH",
    "AbsenceOnDay",
    "AbsencePeriod",
    "Ambiguous",
    "BackAtSchool",
    "ContactPerson",
    "DayPart",
    "Entry",
    "Evaluation",
    "Exemption",
    "FailureReason",
    "Hint",
    "Item",
    "LateArrival",
    "Movement",
    "Offer",
    "ParseFailure",
    "ParseResult",
    "Question",
    "QuickUpdate",
    "ReplyAbout",
    "Result",
    "Suspension",
    "Variawet",
    "VariawetStep",
    "parse_pupil_update",
    "parse_quick_update",
    "parse_reply",
    "parse_several",
    "split_caption",
    "split_name",
]


def parse_quick_update(text: str, today: date) -> ParseResult:
    """Understand one chat message as a case update, or say why not. A question and a message
    about several pupils are refused with their own reason (see `parse_several`)."""
    results = parse_several(text, today)
    if len(results) > 1:
        first = results[0]
        name = first.name if isinstance(first, QuickUpdate | ParseFailure) else ""
        return _understood(ParseFailure(FailureReason.SEVERAL_PUPILS, name=name), text)
    return results[0]


def parse_several(text: str, today: date) -> tuple[ParseResult, ...]:
    """A message read per pupil it names: "Daan en Sem vandaag 2 uur ongeoorloofd" is what
    "Daan vandaag 2 uur ongeoorloofd" and "Sem vandaag 2 uur ongeoorloofd" would be. One result
    for a message about one pupil (or none), and for a question."""
    cleaned = _cleaned(text)
    if isinstance(cleaned, ParseFailure):
        return (cleaned,)
    cleaned = _requested(cleaned)
    asked = _question(cleaned)
    if asked is not None:
        return (_understood(asked, cleaned),)
    names, rest = _leading_names(cleaned)
    if len(names) > 1:
        return tuple(_understood(_one_pupil(f"{name} {rest}", today), rest) for name in names)
    return (_understood(_one_pupil(cleaned, today), cleaned),)


def _understood(result: ParseResult, text: str) -> ParseResult:
    """A failure with the kinds of absence its text named, so that the user can be told what
    was understood of it; other results as they are."""
    if not isinstance(result, ParseFailure) or result.kinds:
        return result
    return replace(result, kinds=_kinds_in(text))


def _one_pupil(text: str, today: date) -> ParseResult:
    prefixed = _prefixed(text, today)
    if prefixed is not None:
        return prefixed
    name, rest = split_name(text)
    if not name:
        hint = _hint_for(text)
        if hint is Hint.GENERAL and not find_dates(text.lower(), today):
            return ParseFailure(FailureReason.NOT_UNDERSTOOD)
        return ParseFailure(FailureReason.NO_NAME, hint=hint)
    return _body(name, rest, today)


# A question starts with a question word or an inverted verb, or ends with a question mark.
_QUESTION_START = re.compile(
    r"^(?:hoeveel|hoe|wat|wanneer|waarom|welke|wie|waar|is|was|zijn|waren|heeft|hebben|had|"
    r"kwam|komt|klopt|staat|staan|how|what|when|why|which|who|where|did|does|do|has|have|are|"
    r"were)(?![\w-])",
    re.IGNORECASE,
)


# "Kun je … noteren?" asks the bot to store, not a question about the dossier: it is confirmed
# like any update (the confirmation still asks before storing).
_REQUEST = re.compile(
    r"^(?:kun|kan|wil|zou)\s+(?:je|jij|u)\s+(?:even\s+|ff\s+)?(?P<body>.+?)\s+(?:noteren|"
    r"registreren|invoeren|vastleggen|opschrijven|doorgeven|opslaan)\s*\??$"
    r"|^(?:can|could|would)\s+you\s+(?:please\s+)?(?:note|record|log|add|save)\s*:?\s+"
    r"(?P<english>.+?)\s*\??$",
    re.IGNORECASE,
)


def _question(text: str) -> ParseFailure | None:
    """A question about a pupil, with the pupil's name when it names exactly one."""
    if not text.endswith("?") and not _QUESTION_START.match(text):
        return None
    bare = text.rstrip(" ?")
    if _QUESTION_START.match(bare):
        tokens = bare.split()[1:]
        name = _name_run(tokens)
    else:
        name, _ = split_name(bare)
    if not name and not _ABOUT_A_CASE.search(bare.lower()) and not _read_kinds(bare.lower())[0]:
        # "hoe gaat het?": small talk, not a question the dossier answers.
        return ParseFailure(FailureReason.NOT_UNDERSTOOD)
    return ParseFailure(FailureReason.QUESTION, name=name)


# What a question about a pupil's case asks about, when it names nobody ("hoeveel uur heeft ze
# gemist?"): the dossier answers it once the pupil is named.
_ABOUT_A_CASE = re.compile(
    r"(?<![\w-])(?:uur|uren|hours?|gemist|missed|open|openstaan\w*|termijn\w*|deadlines?|"
    r"dossier|case|verzuim\w*|afwezig\w*|absent|absence|ziek|sick|ill|laat|late)(?![\w-])"
)


def _requested(text: str) -> str:
    """ "Kun je Sanne 2 uur ziek noteren?" → "Sanne 2 uur ziek"; other text as it is."""
    match = _REQUEST.match(" ".join(text.split()))
    if match is None:
        return text
    return match.group("body") or match.group("english") or text


def _cleaned(text: str) -> str | ParseFailure:
    """One line without a greeting or lead-in ("even doorgeven:"), or why there is nothing to
    read in it."""
    text = " ".join(text.split())
    if not text:
        return ParseFailure(FailureReason.EMPTY)
    if len(text) > MAX_LENGTH:
        return ParseFailure(FailureReason.TOO_LONG)
    text = _LEAD_IN.sub("", text).lstrip(" ,:;-!").rstrip(" ,;-!")
    return text or ParseFailure(FailureReason.NOT_UNDERSTOOD)


# The name an update typed on the pupil's own page is read with: a word the parser does not know,
# so that it reads as a name and never as part of what happened.
_ON_THE_PAGE = "Leerling"


def parse_pupil_update(text: str, today: date) -> ParseResult:
    """Understand an update typed on a pupil's own page, where the pupil is known and the name
    may be left out ("4 uur ongeoorloofd vandaag", "actie: gesprek met ouders"). The result's
    name is meaningless: the page says whom it is about."""
    # A greeting goes before the name would: "hallo, 4 uur ongeoorloofd vandaag".
    cleaned = _cleaned(text)
    if isinstance(cleaned, ParseFailure):
        return cleaned
    text = cleaned
    head, colon, body = text.partition(":")
    bare_head = " ".join(_CONFIDENTIAL.sub(" ", head).split())
    if colon and re.fullmatch(_PREFIX_WORDS, bare_head, re.IGNORECASE):
        return parse_quick_update(f"{head} {_ON_THE_PAGE}:{body}", today)
    return parse_quick_update(f"{_ON_THE_PAGE} {text}", today)


# "was er vanochtend weer niet": reports an absence, it denies nothing. Up to four words (when,
# "weer") may stand between "er" and "niet"; a kind right after "niet" is not this phrase.
_NOT_THERE = re.compile(
    r"(?<![\w-])(?:was|waren|is|zijn|were)\s+er\s+(?P<between>(?:[\w.'-]+\s+){0,4}?)niet"
    r"(?![\w-])(?:\s+(?:geweest|bij|op\s+school))?(?P<after>\s+[\w-]+)?",
    re.IGNORECASE,
)


def _not_there(rest: str) -> str:
    """ "was er gisteren niet" → "gisteren afwezig", unless a kind or a negation is in it."""

    def absent(match: re.Match[str]) -> str:
        between, after = match.group("between"), match.group("after") or ""
        if any(pattern.search(f"{between} {after}".lower()) for pattern, _ in _KIND_RE) or any(
            word in _NEGATION for word in between.lower().split()
        ):
            return match.group(0)
        return f"{between}afwezig{after}"

    return _NOT_THERE.sub(absent, rest)


class ReplyAbout(StrEnum):
    """What a reply to one of the bot's questions about a known pupil gives."""

    UPDATE = "update"  # anything a quick update says ("2 uur ziek vandaag")
    ACTION = "action"  # an action or result ("gesprek met moeder gepland op 14 december")
    END = "end"  # the day the pupil is back at school ("sinds maandag")


def parse_reply(text: str, today: date, about: ReplyAbout) -> ParseResult:
    """A reply about a pupil the question named, so without the name: read as `about` says
    unless it says otherwise itself ("notitie: …", "weer op school sinds maandag")."""
    cleaned = _cleaned(text)
    if isinstance(cleaned, ParseFailure) or about is ReplyAbout.UPDATE:
        return parse_pupil_update(text, today)
    head = _CONFIDENTIAL.sub(" ", cleaned.partition(":")[0]).strip()
    if re.fullmatch(_PREFIX_WORDS, head, re.IGNORECASE) or (
        about is ReplyAbout.END and _BACK_RE.search(cleaned)
    ):
        return parse_pupil_update(cleaned, today)
    if about is ReplyAbout.ACTION:
        return parse_pupil_update(f"actie: {cleaned}", today)
    return parse_pupil_update(f"weer op school {cleaned}", today)


def _body(name: str, rest: str, today: date) -> ParseResult:
    rest = _not_there(rest)
    if _BACK_RE.search(rest):
        return _back(name, rest, today)
    if _EXEMPTION_RE.search(rest):
        return _exemption(name, rest, today)
    movement = _MOVEMENT_RE.search(rest)
    if movement is not None:
        return _movement(name, rest, MovementKind(movement.lastgroup or ""), today)
    if _OFFER_RE.search(rest):
        return _offer(name, rest, today)
    if _SUSPENSION_RE.search(rest):
        return _suspension(name, rest, today)
    return _absences(name, rest, today)


def _kinds_in(text: str) -> tuple[AbsenceKind, ...]:
    """The kinds of absence a text names, in the order they appear (for telling a user what was
    understood of a message that was not stored)."""
    found, _ = _read_kinds(" ".join(text.lower().split()))
    return tuple(dict.fromkeys(AbsenceKind(kind) for _, kind in found if kind != "absent"))
