"""Reading quick case updates typed in chat, in Dutch or English.

"Sanne 4 uur ongeoorloofd vandaag", "Sanne ziek sinds maandag", "actie Sanne: RTG met ouders op
12 maart". Pure: text and today's date in, a `QuickUpdate` or a `ParseFailure` out. Which pupil
"Sanne" is, is decided elsewhere (it depends on who asks).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import dateparser

MAX_LENGTH = 500


class UpdateKind(StrEnum):
    """What a quick update records."""

    ABSENCE = "absence"
    BACK_AT_SCHOOL = "back_at_school"
    OFFER = "offer"
    ACTION = "action"
    GOAL = "goal"
    PARTY = "party"
    NOTE = "note"
    SUSPENSION = "suspension"
    EXEMPTION = "exemption"
    EVALUATION = "evaluation"
    CONTACT = "contact"
    MOVEMENT = "movement"
    VARIAWET = "variawet"


@dataclass(frozen=True)
class QuickUpdate:
    """One understood update; which fields are set depends on `kind`."""

    kind: UpdateKind
    name: str
    absence_kind: str | None = None
    hours: float | None = None
    count: int | None = None
    day: date | None = None
    start: date | None = None
    end: date | None = None
    text: str | None = None
    article: str | None = None
    # Medical or confidential: never shown to leerplicht.
    confidential: bool = False
    # MOVEMENT: verwijdering/uitschrijving/inschrijving; VARIAWET: applied/approved/rejected.
    step: str | None = None


class FailureReason(StrEnum):
    """Why a text was not understood; each has its own explanation for people."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_NAME = "no_name"
    NOT_UNDERSTOOD = "not_understood"
    FUTURE_DATE = "future_date"
    END_BEFORE_START = "end_before_start"
    NO_TEXT = "no_text"
    NO_ARTICLE = "no_article"


@dataclass(frozen=True)
class ParseFailure:
    """A text that is not (completely) understood."""

    reason: FailureReason


# ----- vocabulary -----

_MONTHS = (
    r"jan(?:uari|uary)?|feb(?:ruari|ruary)?|maart|mrt|march|mar|apr(?:il)?|mei|may|"
    r"jun(?:i|e)?|jul(?:i|y)?|aug(?:ustus|ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAYS = (
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"ma|di|wo|do|vr|mon|tue|wed|thu|fri"
)
_DATE = (
    r"(?<![\w-])(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th|e)?\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    r"|vandaag|gisteren|eergisteren|morgen|overmorgen|today|yesterday|tomorrow"
    r"|deze week|this week|vorige week|last week"
    rf"|(?:(?:afgelopen|vorige|last|this|deze|komende|next|aanstaande)\s+)?(?:{_WEEKDAYS})\b)"
)
_DATE_RE = re.compile(_DATE, re.IGNORECASE)

_HOURS_RE = re.compile(
    r"(\d+(?:[.,]\d+)?|een|één|twee|drie|vier|vijf|zes|one|two|three|four|five|six|half)\s*"
    r"(?:uur|uren|u|hours?|hrs?|h)\b",
    re.IGNORECASE,
)
_COUNT_RE = re.compile(
    r"(\d+|een|één|twee|drie|vier|vijf)\s*(?:x|keer|maal|times)\b|\b(once|twice)\b|\b(?:thrice)\b",
    re.IGNORECASE,
)
_ARTICLE_RE = re.compile(
    r"\b(?:art(?:ikel|icle)?\.?\s*)?5\s*(?:onder\s*)?([abcd])\b", re.IGNORECASE
)

_NUMBER_WORDS = {
    "een": 1, "één": 1, "one": 1, "twee": 2, "two": 2, "drie": 3, "three": 3, "vier": 4,
    "four": 4, "vijf": 5, "five": 5, "zes": 6, "six": 6, "half": 0.5, "once": 1, "twice": 2,
    "thrice": 3,
}  # fmt: skip

# Absence kinds, most specific first ("ongeoorloofd" contains "geoorloofd", "unexcused" "excused").
_ABSENCE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("ongeoorloofd", (
        "ongeoorloofd", "ongeoorloofde", "ongeoorloofs", "ongeorloofd", "ongeoorlofd",
        "ongeoorl", "spijbelen", "spijbelt", "gespijbeld", "unauthorised", "unauthorized",
        "unexcused", "truant", "truancy", "skipped", "bunking",
    )),
    ("te_laat", ("telaat", "late", "laatkomer", "laatkomst", "tardy")),
    ("ziek", ("ziek", "ziekgemeld", "ziekmelding", "zieke", "sick", "ill", "illness")),
    ("geoorloofd", (
        "geoorloofd", "geoorloofde", "georloofd", "authorised", "authorized", "excused",
        "toestemming", "verlof",
    )),
    ("schorsing", ("geschorst", "schorsing", "suspended", "suspension", "schorsen")),
]  # fmt: skip

_PREFIX_KINDS: dict[str, UpdateKind] = {
    "actie": UpdateKind.ACTION, "action": UpdateKind.ACTION,
    "doel": UpdateKind.GOAL, "goal": UpdateKind.GOAL,
    "betrokken": UpdateKind.PARTY, "betrokkene": UpdateKind.PARTY,
    "betrokkenen": UpdateKind.PARTY, "involved": UpdateKind.PARTY, "party": UpdateKind.PARTY,
    "notitie": UpdateKind.NOTE, "note": UpdateKind.NOTE, "aantekening": UpdateKind.NOTE,
    "aanbod": UpdateKind.OFFER, "offer": UpdateKind.OFFER,
    "evaluatie": UpdateKind.EVALUATION, "evaluation": UpdateKind.EVALUATION,
    "regie": UpdateKind.CONTACT, "contactpersoon": UpdateKind.CONTACT,
    "regiehouder": UpdateKind.CONTACT, "contact": UpdateKind.CONTACT,
    "variawet": UpdateKind.VARIAWET,
}  # fmt: skip
_CONFIDENTIAL = re.compile(
    r"\(?\b(?:vertrouwelijke?|medische?|confidential|medical)\b\)?", re.IGNORECASE
)

_MOVEMENT_RE = re.compile(
    r"\b(?P<verwijdering>verwijderd|verwijdering|removed|expelled)\b"
    r"|\b(?P<uitschrijving>uitgeschreven|uitschrijving|deregistered|de-registered|unenrolled)\b"
    r"|\b(?P<inschrijving>ingeschreven|inschrijving|enrolled|registered)\b",
    re.IGNORECASE,
)
_NEW_SCHOOL_RE = re.compile(r"(?:nieuwe school|new school)\s*:?\s*(.+)$", re.IGNORECASE)
_VARIAWET_STEPS = (
    ("approved", re.compile(r"\b(?:toegekend|goedgekeurd|akkoord|approved|granted)\b", re.I)),
    ("rejected", re.compile(r"\b(?:afgewezen|geweigerd|rejected|refused|denied)\b", re.I)),
    ("applied", re.compile(r"\b(?:aangevraagd|aanvraag|ingediend|applied|application)\b", re.I)),
)
_BACK_RE = re.compile(
    r"\b(?:weer|terug)\s+(?:op|naar)\s+school\b|\bback\s+(?:at|to|in)\s+school\b"
    r"|\bgaat\s+weer\s+naar\s+school\b|\bis\s+weer\s+terug\b|\bweer\s+aanwezig\b",
    re.IGNORECASE,
)
_OFFER_RE = re.compile(
    r"\b(?:passend(?:e)?\s+(?:onderwijs)?aanbod|aanbod|suitable\s+offer|offer)\b", re.IGNORECASE
)
_EXEMPTION_RE = re.compile(r"\b(?:vrijstelling|vrijgesteld|exemption|exempt(?:ed)?)\b", re.I)
_LATE_RE = re.compile(r"\bte\s+laat\b|\blate\b|\btelaat\b", re.IGNORECASE)
_SINCE_RE = re.compile(r"\b(?:sinds|since|vanaf|from|per|m\.?i\.?v\.?|starting)\s*$", re.I)
_UNTIL_RE = re.compile(r"\b(?:tot(?:\s+en\s+met)?|t/m|tm|until|till|to|through)\s*$", re.I)
# The words that end a leading name ("Sanne de Vries 4 uur ..." → "Sanne de Vries").
_NAME_STOP = re.compile(
    r"^(?:\d.*|is|was|heeft|had|has|have|vandaag|gisteren|today|yesterday|te|ziek|sick|ill|"
    r"weer|back|terug|geschorst|suspended|vrijstelling|exemption|passend|aanbod|offer|"
    r"sinds|since|vanaf|from|op|on|\d+x|late|laat|ongeoorloofd|geoorloofd|unauthori[sz]ed|"
    r"authori[sz]ed|unexcused|excused|spijbelen|spijbelt|twee|drie|twice|once|deze|this|"
    r"afwezig|absent|uur|hours?|gaat|krijgt|gets|goes|verwijderd|uitgeschreven|ingeschreven|"
    r"removed|deregistered|enrolled|[-:,])$",
    re.IGNORECASE,
)
_ALL_KIND_WORDS = [word for _, words in _ABSENCE_WORDS for word in words]


def _ends_name(word: str) -> bool:
    lowered = word.lower()
    if _NAME_STOP.match(word) or lowered in _ALL_KIND_WORDS:
        return True
    # A mistyped kind word ("ongeoorlofd") ends the name too; real names are not that close.
    return len(lowered) >= 7 and bool(
        difflib.get_close_matches(lowered, _ALL_KIND_WORDS, n=1, cutoff=0.82)
    )


# ----- helpers -----


def _number(token: str) -> float:
    token = token.lower().replace(",", ".")
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    return float(token)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w'’.-]+|[:,]", text)


def _absence_kind(text: str) -> str | None:
    lowered = text.lower()
    if _LATE_RE.search(lowered):
        return "te_laat"
    words = re.findall(r"[a-zéë]+", lowered)
    for kind, vocabulary in _ABSENCE_WORDS:
        if any(word in vocabulary for word in words):
            return kind
    # Typos ("ongeoorlooft", "geoorlofd"): the closest known word, if close enough.
    for word in words:
        if len(word) >= 6:
            match = difflib.get_close_matches(word, _ALL_KIND_WORDS, n=1, cutoff=0.82)
            if match:
                return next(kind for kind, vocab in _ABSENCE_WORDS if match[0] in vocab)
    return None


def parse_date(fragment: str, today: date, prefer: str) -> date | None:
    """One date expression; `prefer` is "past" (absences), "nearest" (plans, offers) or
    "future" (the end of a period, counted from its start)."""
    cleaned = re.sub(
        r"^(?:afgelopen|vorige|last|this|deze|komende|next|aanstaande)\s+",
        "",
        fragment.strip().lower(),
    )
    if cleaned in {"deze week", "this week"}:
        return today
    if cleaned in {"vorige week", "last week"}:
        return today - timedelta(days=7)
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th|e)\b", r"\1", cleaned)
    short_days = {"ma": "maandag", "di": "dinsdag", "wo": "woensdag", "do": "donderdag",
                  "vr": "vrijdag", "mon": "monday", "tue": "tuesday", "wed": "wednesday",
                  "thu": "thursday", "fri": "friday"}  # fmt: skip
    cleaned = short_days.get(cleaned, cleaned)
    base = datetime(today.year, today.month, today.day, 12, 0)  # noqa: DTZ001 - a date only
    settings = {"RELATIVE_BASE": base, "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"}
    past = dateparser.parse(
        cleaned, languages=["nl", "en"], settings={**settings, "PREFER_DATES_FROM": "past"}
    )
    if past is None:
        return None
    is_weekday = re.fullmatch(_WEEKDAYS, cleaned, re.IGNORECASE) is not None
    if is_weekday and (today - past.date()).days == 7:
        # "sinds maandag" said on a Monday means today.
        return today
    if prefer == "past":
        return past.date()
    future = dateparser.parse(
        cleaned, languages=["nl", "en"], settings={**settings, "PREFER_DATES_FROM": "future"}
    )
    if prefer == "future":
        return (future or past).date()
    if future is None or future.date() == past.date():
        return past.date()
    # Without a year, "1 maart" is the nearer of last and next March.
    return min(past.date(), future.date(), key=lambda d: abs((d - today).days))


@dataclass
class _Dates:
    single: date | None = None
    start: date | None = None
    end: date | None = None
    end_text: str = ""


def _dates(text: str, today: date, prefer: str) -> tuple[_Dates, str]:
    """The dates in `text` (a single one, or since/until), and the text without them."""
    found = _Dates()
    rest = text
    for match in list(_DATE_RE.finditer(text)):
        parsed = parse_date(match.group(0), today, prefer)
        if parsed is None:
            continue
        before = text[: match.start()]
        if _UNTIL_RE.search(before):
            found.end = parsed
            found.end_text = match.group(0)
        elif _SINCE_RE.search(before):
            found.start = parsed
        elif found.single is None:
            found.single = parsed
        elif found.end is None:
            found.start, found.end = found.single, parsed
            found.single = None
        rest = rest.replace(match.group(0), " ", 1)
    start = found.start or found.single
    if found.end is not None and start is not None and found.end < start and found.end_text:
        # "van 1 december tot 31 juli": without a year, the end is the first one after the start.
        found.end = parse_date(found.end_text, start, "future") or found.end
    return found, rest


def _strip_name(text: str) -> tuple[str, str]:
    """Split a leading pupil name off: ("Sanne de Vries", "4 uur ...")."""
    tokens = text.split()
    name: list[str] = []
    for token in tokens:
        bare = token.strip(":,")
        if not bare or _ends_name(bare) or len(name) == 4:
            break
        name.append(bare)
        if token.endswith((":", ",")):
            break
    return " ".join(name), " ".join(tokens[len(name) :])


def _free_text(text: str) -> str:
    return " ".join(text.strip(" :,-").split())


# ----- the parser -----


def parse_quick_update(text: str, today: date) -> QuickUpdate | ParseFailure:
    """Understand one chat message as a case update, or say why not."""
    text = " ".join(text.split())
    if not text:
        return ParseFailure(FailureReason.EMPTY)
    if len(text) > MAX_LENGTH:
        return ParseFailure(FailureReason.TOO_LONG)
    prefixed = _prefixed(text, today)
    if prefixed is not None:
        return prefixed
    name, rest = _strip_name(text)
    if not name:
        return ParseFailure(FailureReason.NO_NAME)
    if _BACK_RE.search(rest):
        dates, _ = _dates(rest, today, "past")
        day = dates.start or dates.single or today
        return _no_future(QuickUpdate(UpdateKind.BACK_AT_SCHOOL, name, day=day), today)
    if _EXEMPTION_RE.search(rest):
        return _exemption(name, rest, today)
    movement = _MOVEMENT_RE.search(rest)
    if movement is not None:
        return _movement(name, rest, movement.lastgroup or "", today)
    if _OFFER_RE.search(rest):
        return _offer(name, rest, today)
    return _absence(name, rest, today)


def _prefixed(text: str, today: date) -> QuickUpdate | ParseFailure | None:
    """ "actie Sanne: RTG met ouders op 12 maart" and friends; None when not of this form."""
    head, colon, body = text.partition(":")
    if not colon:
        return None
    confidential = bool(_CONFIDENTIAL.search(head))
    head = " ".join(_CONFIDENTIAL.sub(" ", head).split())
    match = re.match(r"^([a-zA-Z]+)(?:\s+(?:voor|for|van|of))?\s+(.{1,60})$", head)
    if match is None:
        return None
    kind = _PREFIX_KINDS.get(match.group(1).lower())
    if kind is None:
        return None
    name = match.group(2).strip()
    body = body.strip()
    if kind is UpdateKind.OFFER:
        return _offer(name, body, today)
    if kind is UpdateKind.VARIAWET:
        return _variawet(name, body, today)
    dates, rest = _dates(body, today, "nearest")
    description = _free_text(re.sub(r"\b(?:op|on|per)\s*$", "", rest.strip(), flags=re.I))
    description = _free_text(re.sub(r"\s+\b(?:op|on)\b\s*(?=$)", "", description))
    if kind in (UpdateKind.EVALUATION, UpdateKind.CONTACT):
        # Free text: dates in it are part of what was written, not when it happened.
        description = _free_text(body)
        dates = _Dates()
    if not description:
        return ParseFailure(FailureReason.NO_TEXT)
    return QuickUpdate(
        kind, name, day=dates.single or dates.start or today, text=description,
        confidential=confidential,
    )  # fmt: skip


def _offer(name: str, body: str, today: date) -> QuickUpdate | ParseFailure:
    description = ""
    if ":" in body:
        body, description = body.split(":", 1)
    dates, rest = _dates(body, today, "nearest")
    if not description:
        leftover = _OFFER_RE.sub(" ", rest)
        leftover = re.sub(r"\b(?:heeft|has|krijgt|gets|a|een|vanaf|sinds|from|since|per)\b", " ",
                          leftover, flags=re.I)  # fmt: skip
        description = leftover
    description = _free_text(description)
    since = dates.start or dates.single or today
    return QuickUpdate(UpdateKind.OFFER, name, start=since, text=description or None)


def _movement(name: str, body: str, step: str, today: date) -> QuickUpdate | ParseFailure:
    new_school = _NEW_SCHOOL_RE.search(body)
    school_text = _free_text(new_school.group(1)) if new_school else None
    dated = body[: new_school.start()] if new_school else body
    dates, _ = _dates(dated, today, "past")
    update = QuickUpdate(
        UpdateKind.MOVEMENT, name, day=dates.single or dates.start or today, text=school_text,
        step=step,
    )  # fmt: skip
    return _no_future(update, today)


def _variawet(name: str, body: str, today: date) -> QuickUpdate | ParseFailure:
    step = next((step for step, pattern in _VARIAWET_STEPS if pattern.search(body)), None)
    if step is None:
        return ParseFailure(FailureReason.NO_TEXT)
    dates, _ = _dates(body, today, "past")
    update = QuickUpdate(
        UpdateKind.VARIAWET, name, day=dates.single or dates.start or today, step=step
    )
    return _no_future(update, today)


def _exemption(name: str, body: str, today: date) -> QuickUpdate | ParseFailure:
    article = _ARTICLE_RE.search(body)
    if article is None:
        return ParseFailure(FailureReason.NO_ARTICLE)
    dates, _ = _dates(body[: article.start()] + " " + body[article.end() :], today, "nearest")
    start = dates.start or dates.single or today
    end = dates.end
    if end is not None and end < start:
        return ParseFailure(FailureReason.END_BEFORE_START)
    code = "5" + article.group(1).upper()
    return QuickUpdate(UpdateKind.EXEMPTION, name, start=start, end=end, article=code)


def _absence(name: str, body: str, today: date) -> QuickUpdate | ParseFailure:
    kind = _absence_kind(body)
    if kind is None:
        return ParseFailure(FailureReason.NOT_UNDERSTOOD)
    if kind == "schorsing":
        dates, _ = _dates(body, today, "nearest")
        start = dates.start or dates.single or today
        end = dates.end or start
        if end < start:
            return ParseFailure(FailureReason.END_BEFORE_START)
        return QuickUpdate(UpdateKind.SUSPENSION, name, start=start, end=end)
    without_hours = _HOURS_RE.sub(" ", body)
    dates, _ = _dates(without_hours, today, "past")
    hours_match = _HOURS_RE.search(body)
    hours = _number(hours_match.group(1)) if hours_match else None
    if kind == "te_laat":
        count_match = _COUNT_RE.search(body)
        count = 1
        if count_match:
            count = int(_number(count_match.group(1) or count_match.group(2) or "thrice"))
        update = QuickUpdate(
            UpdateKind.ABSENCE, name, absence_kind=kind, count=count, hours=hours,
            day=dates.single or dates.start or today,
        )  # fmt: skip
        return _no_future(update, today)
    if kind == "ziek" and dates.start is not None and hours is None:
        # "ziek sinds maandag": a sick period from that day until today.
        update = QuickUpdate(UpdateKind.ABSENCE, name, absence_kind=kind, start=dates.start)
        return _no_future(update, today)
    update = QuickUpdate(
        UpdateKind.ABSENCE, name, absence_kind=kind, hours=hours,
        day=dates.single or dates.start or today,
    )  # fmt: skip
    return _no_future(update, today)


def _no_future(update: QuickUpdate, today: date) -> QuickUpdate | ParseFailure:
    """Absence and returns are facts: they cannot lie in the future."""
    for value in (update.day, update.start):
        if value is not None and value > today:
            return ParseFailure(FailureReason.FUTURE_DATE)
    return update
