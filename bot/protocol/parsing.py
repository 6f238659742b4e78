"""Reading quick case updates typed in chat, in Dutch or English.

"Sanne 4 uur ongeoorloofd vandaag", "hoi, Noah 2 uur ongeoorloofd en 1x te laat gisteren",
"actie Sanne: RTG met ouders op 12 maart". Pure: text and today's date in; out comes either a
`QuickUpdate` (a pupil's name and one or more facts, each of its own frozen type), an `Ambiguous`
(a question whose every answer is a complete `QuickUpdate`), or a `ParseFailure` saying what was
not understood. Which pupil "Sanne" is, is decided elsewhere (it depends on who asks).

The parser never guesses: a word it does not know in an absence, a number it cannot place, a
negation, a week without a day, or two readings of a date make it refuse or ask. Dates follow the
conventions of `bot.protocol.dates`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from bot.protocol.dates import (
    MONTHS,
    NUMBER_WORDS,
    WEEKDAYS,
    BadDate,
    Day,
    EitherDay,
    Week,
    WholeWeek,
    find_dates,
)
from bot.protocol.dates import (
    PATTERNS as DATE_PATTERNS,
)
from bot.protocol.vocabulary import AbsenceKind, EntryKind, MovementKind

MAX_LENGTH = 500
# More than this in one day is not a slip of the finger but a misunderstanding.
MAX_HOURS_PER_DAY = 12.0


class DayPart(StrEnum):
    """An amount of absence that depends on the school's timetable."""

    WHOLE = "whole"
    HALF = "half"


class VariawetStep(StrEnum):
    """Steps of a Variawet application."""

    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"


# ----- the facts a message can carry: one frozen type each -----


@dataclass(frozen=True)
class AbsenceOnDay:
    """Unauthorised, authorised or sick absence on one day: hours, or a part of the school day."""

    kind: AbsenceKind
    day: date
    amount: float | DayPart = DayPart.WHOLE


@dataclass(frozen=True)
class LateArrival:
    """Late on one day, `count` times; `hours` when given ("10 min te laat"), else per protocol."""

    day: date
    count: int = 1
    hours: float | None = None


@dataclass(frozen=True)
class AbsencePeriod:
    """Whole school days of one kind from `start` up to and including `end` ("ziek sinds …")."""

    kind: AbsenceKind
    start: date
    end: date


@dataclass(frozen=True)
class BackAtSchool:
    """Back at school since `day`: the open case ends."""

    day: date


@dataclass(frozen=True)
class Offer:
    """A suitable offer since `since`."""

    since: date
    text: str | None = None


@dataclass(frozen=True)
class Suspension:
    """Suspended from `start` up to and including `end`."""

    start: date
    end: date


@dataclass(frozen=True)
class Exemption:
    """An exemption on an article of the Leerplichtwet."""

    article: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class Entry:
    """An action, goal, involved party or note on the case timeline."""

    kind: EntryKind
    day: date
    text: str
    # Medical or confidential: never shown to leerplicht.
    confidential: bool = False


@dataclass(frozen=True)
class ContactPerson:
    """The case's regie- or contact person."""

    text: str


@dataclass(frozen=True)
class Evaluation:
    """The evaluation of an ended case."""

    text: str


@dataclass(frozen=True)
class Movement:
    """Removal, de-registration or enrolment on `day`."""

    step: MovementKind
    day: date
    new_school: str | None = None


@dataclass(frozen=True)
class Variawet:
    """A step of a Variawet application on `day`."""

    step: VariawetStep
    day: date


Item = (
    AbsenceOnDay | LateArrival | AbsencePeriod | BackAtSchool | Offer | Suspension | Exemption
    | Entry | ContactPerson | Evaluation | Movement | Variawet
)  # fmt: skip
ABSENCE_ITEMS = (AbsenceOnDay, LateArrival, AbsencePeriod)


@dataclass(frozen=True)
class QuickUpdate:
    """A message understood: which pupil, and what happened (one or more facts)."""

    name: str
    items: tuple[Item, ...]
    # Words after "want", "ivm", "because": read for the kind of absence, not stored.
    explanation_dropped: bool = False


class Question(StrEnum):
    """What the bot must ask before it can store a message."""

    WHICH_DAY = "which_day"  # a week without a day; or "vorige maandag" on a Wednesday
    WHICH_START = "which_start"  # "ziek sinds vrijdag" said on a Friday
    WHICH_KIND = "which_kind"  # "afwezig" without saying which kind
    UNTIL = "until"  # "tot 4 november": including the 4th or not


@dataclass(frozen=True)
class Ambiguous:
    """A message with more than one reading; each option is a complete update."""

    question: Question
    options: tuple[QuickUpdate, ...]


class FailureReason(StrEnum):
    """Why a text was not understood; each has its own explanation for people."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_NAME = "no_name"
    NOT_UNDERSTOOD = "not_understood"
    UNKNOWN_WORDS = "unknown_words"
    NO_KIND = "no_kind"
    TWO_KINDS = "two_kinds"
    NEGATION = "negation"
    FUTURE_DATE = "future_date"
    BAD_DATE = "bad_date"
    END_BEFORE_START = "end_before_start"
    TOO_MANY_HOURS = "too_many_hours"
    NEEDS_DAYS = "needs_days"
    UNCLEAR_DATES = "unclear_dates"
    DATE_OR_TIME = "date_or_time"
    NEEDS_HOURS = "needs_hours"
    NO_TEXT = "no_text"
    NO_ARTICLE = "no_article"
    # "Hoeveel uur heeft Mila gemist?": answered from the dossier, never stored.
    QUESTION = "question"
    # "Daan en Sem vandaag ziek": read per pupil by `parse_several`, never for the first alone.
    SEVERAL_PUPILS = "several_pupils"


class Hint(StrEnum):
    """Which example fits the message that was not understood."""

    ABSENCE = "absence"
    AUTHORISED = "authorised"
    LATE = "late"
    SICK = "sick"
    ENTRY = "entry"
    EXEMPTION = "exemption"
    SUSPENSION = "suspension"
    GENERAL = "general"


@dataclass(frozen=True)
class ParseFailure:
    """A text that is not (completely) understood, with what the user can be told about it."""

    reason: FailureReason
    name: str = ""
    unknown: tuple[str, ...] = ()
    hint: Hint = Hint.GENERAL
    day: date | None = None  # the date that is in the future, for FUTURE_DATE


ParseResult = QuickUpdate | Ambiguous | ParseFailure


# ----- vocabulary -----

# Kind phrases, longest first. Words inside a kind phrase are not read again on their own.
_KIND_PHRASES: list[tuple[str, str]] = [
    # a split word that could be read as either kind ("on geoorloofd"): asked, never guessed
    (r"on[\s-]+ge?oorloofd\w*|on[\s-]+georloofd\w*|un[\s-]+authori[sz]ed|un[\s-]+excused",
     "absent"),
    # unauthorised
    (r"zonder\s+(?:geldige\s+|goede\s+)?(?:reden|toestemming|bericht|afmelding|afmelden)",
     "ongeoorloofd"),
    (r"geen\s+(?:geldige\s+|goede\s+)?(?:reden|toestemming|afmelding|bericht)(?:\s+(?:opgegeven|"
     r"gegeven|bekend|doorgegeven|gemeld|ontvangen))?", "ongeoorloofd"),
    (r"niet\s+afgemeld", "ongeoorloofd"),
    (r"absent\s+without\s+(?:a\s+)?(?:valid\s+)?(?:permission|leave|reason|notice|excuse)",
     "ongeoorloofd"),
    (r"without\s+(?:a\s+)?(?:valid\s+)?(?:permission|leave|reason|notice|excuse)", "ongeoorloofd"),
    (r"no\s+(?:valid\s+)?(?:excuse|reason|note|permission)(?:\s+(?:given|provided|sent))?",
     "ongeoorloofd"),
    (r"ongeoorloofd(?:e)?\s+(?:afwezig(?:heid)?|verzuim(?:d)?)", "ongeoorloofd"),
    # leave taken without permission (a holiday in term time)
    (r"luxe\s*verzuim|luxury\s+absence", "ongeoorloofd"),
    (r"onwettig(?:e)?\s+(?:afwezig(?:heid)?|verzuim(?:d)?)", "ongeoorloofd"),
    (r"unauthori[sz]ed\s+(?:absence|absent)", "ongeoorloofd"),
    (r"ongeoorloofd\w*|ongeorloofd\w*|ongeoorl\w*|ong\.|onwettig\w*|spijbel\w*|gespijbeld|"
     r"unauthori[sz]ed|unexcused|truant\w*|truancy|skipped(?:\s+school)?|skipping(?:\s+school)?|"
     r"bunked|bunking|wagged", "ongeoorloofd"),
    # authorised
    (r"geoorloofd(?:e)?\s+(?:afwezig(?:heid)?|verzuim)", "geoorloofd"),
    (r"met\s+toestemming|with\s+permission|authori[sz]ed\s+(?:absence|absent)", "geoorloofd"),
    (r"doctor'?s?\s+appointment|medical\s+appointment|dentist\s+appointment|"
     r"afspraak\s+(?:bij\s+de\s+|met\s+de\s+)?(?:tandarts|orthodontist|huisarts|dokter|arts)",
     "geoorloofd"),
    (r"geoorloofd\w*|georloofd\w*|geoorl\.?|toestemming|verlof|authori[sz]ed|excused|tandarts\w*|"
     r"orthodontist\w*|huisarts\w*|dokter\w*|doktersbezoek|dentist|doctor|"
     r"fysio\w*|physio\w*|logopedi\w*|speech\s+therapy|ziekenhuisafspraak|ziekenhuisbezoek|"
     r"afspraak\s+(?:in\s+|bij\s+)?(?:het\s+)?ziekenhuis|"
     r"(?:an\s+)?appointment\s+(?:at|in)\s+(?:the\s+)?hospital|"
     r"hospital\s+appointment|begrafenis|funeral|bruiloft|wedding", "geoorloofd"),
    # sick
    (r"ziek\s*gemeld|ziek\s+(?:thuis|naar\s+huis)|sick\s+(?:at\s+home|leave)|called\s+in\s+sick|"
     r"off\s+sick|home\s+sick", "ziek"),
    (r"ziek(?!enhuis)\w*|griep\w*|buikgriep|koorts|verkouden|verkoudheid|hoofdpijn|buikpijn|migraine|"
     r"corona|covid|sick|ill|illness|flu|fever|unwell|poorly", "ziek"),
    # late
    (r"te\s+laat(?:\s+gekomen|\s+binnen(?:gekomen)?)?|telaat|laatkomer|laatkomst|"
     r"(?:came\s+in\s+|arrived\s+|was\s+)?late|tardy", "te_laat"),
    # absent, kind not said: the bot asks which kind
    (r"niet\s+(?:op\s+school\s+)?(?:verschenen|gekomen|geweest)|niet\s+op\s+school(?:\s+geweest)?|"
     r"niet\s+aanwezig|not\s+present|niet\s+(?:komen\s+)?opdagen|"
     r"ziekenhuis|hospital|"
     r"not\s+(?:at|in)\s+school|did\s*n[o']?t\s+(?:show\s+up|come(?:\s+to\s+school)?)|"
     r"no[\s-]show|afwezig\w*|afw\.?|absent|absence|away|verzuim\w*|missed(?:\s+school)?|gemist|"
     r"weg(?:geweest|gebleven)?|thuis\s+gebleven|thuis(?:\s+met)?|(?:op\s+)?vakantie|on\s+holiday|"
     r"stayed\s+(?:at\s+)?home", "absent"),
]  # fmt: skip
_KIND_RE = [(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])"), kind) for p, kind in _KIND_PHRASES]

_KIND_TYPOS = [
    "ongeoorloofd", "geoorloofd", "ongeoorloofde", "geoorloofde", "spijbelen", "ziekgemeld",
    "unauthorised", "unauthorized", "authorised", "authorized", "unexcused",
]  # fmt: skip

_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_WORDS = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUM = rf"(?:\d+(?:[.,]\d+)?|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
_ORD = (
    r"(?:\d{1,2}(?:e|de|ste|st|nd|rd|th)|eerste|tweede|derde|vierde|vijfde|zesde|zevende|"
    r"achtste|first|second|third|fourth|fifth|sixth|seventh|eighth)"
)
_ORDINALS = {
    "eerste": 1, "first": 1, "tweede": 2, "second": 2, "derde": 3, "third": 3, "vierde": 4,
    "fourth": 4, "vijfde": 5, "fifth": 5, "zesde": 6, "sixth": 6, "zevende": 7, "seventh": 7,
    "achtste": 8, "eighth": 8,
}  # fmt: skip
_PERIOD_WORD = r"(?:lesuur|lesuren|uur|uren|period|periods|lesson|lessons|hour|hours)"
_AMOUNT_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # lesson periods: "het 3e en 4e uur", "3e t/m 5e uur", "periods 3 and 4"
    (re.compile(rf"(?:het\s+|de\s+|the\s+)?(?P<first>{_ORD})\s*(?:t/m|tm|tot\s+en\s+met|-|–|to|"
                rf"through)\s*(?P<last>{_ORD})\s+{_PERIOD_WORD}"), "period_range"),
    (re.compile(rf"(?:het\s+|de\s+|the\s+)?(?P<list>{_ORD}(?:\s*(?:,|en|and|&|\+)\s*{_ORD})*)\s+"
                rf"{_PERIOD_WORD}"), "period_list"),
    (re.compile(r"(?:lesuur|lesuren|les|lessen|period|periods|lesson|lessons)\s+(?P<first>\d)\s*"
                r"(?:-|–|t/m|tm|tot\s+en\s+met|to|through)\s*(?P<last>\d)(?![\d:.])"),
     "period_range"),
    (re.compile(r"(?:lesuur|lesuren|les|lessen|period|periods|lesson|lessons)\s+(?P<list>\d(?:\s*"
                r"(?:,|en|and|&|\+)\s*\d)*)(?!\s*(?:uur|uren|hours?|min))"), "period_numbers"),
    # time ranges: "van 9 tot 11", "9:00-11:30", "9-11 uur"
    (re.compile(r"(?:(?:van|from)\s+)?(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?\s*(?:uur\s*)?"
                r"(?:tot|-|–|to|until|till)\s*(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?\s*"
                r"(?:uur|u|h)?(?![\w/-])(?!\s*(?:" + _MONTH_WORDS + r")\b)"), "time_range"),
    # day parts
    (re.compile(r"(?:de\s+|een\s+)?(?:hele|gehele|volledige)\s+(?:school)?dag|(?:the\s+)?whole\s+"
                r"(?:school\s+)?day|(?:the\s+)?full\s+day|all\s+day|the\s+entire\s+day"),
     "whole_day"),
    (re.compile(r"(?:een\s+)?halve\s+(?:school)?dag|half\s+(?:a\s+)?(?:school\s+)?day|half-day"),
     "half_day"),
    # hours in words
    (re.compile(r"anderhalf\s+uur|anderhalve\s+uur|an\s+hour\s+and\s+a\s+half|one\s+and\s+a\s+"
                r"half\s+hours?"), "h1.5"),
    (re.compile(r"drie\s*kwartier|three\s+quarters\s+of\s+an\s+hour"), "h0.75"),
    (re.compile(rf"(?P<n>{_NUM})\s*kwartier"), "quarters"),
    (re.compile(r"(?:een\s+)?kwartier(?:tje)?|(?:a\s+)?quarter\s+of\s+an\s+hour|"
                r"(?:a\s+)?quarter\s+hour"),
     "h0.25"),
    (re.compile(r"(?:een\s+)?half\s*uur(?:tje)?|(?:een\s+)?halfuur(?:tje)?|half\s+an\s+hour|"
                r"(?:a\s+)?half\s+hour"),
     "h0.5"),
    # "de eerste twee lesuren", "the first two lessons": a count of lessons
    (re.compile(rf"(?:de\s+|the\s+)?(?:eerste|first|laatste|last)\s+(?P<n>{_NUM})\s+(?:lesuren|"
                rf"lessen|lessons|periods|uren|hours)(?![\w/-])"), "hours"),
    # numbers with a unit
    (re.compile(rf"(?P<n>{_NUM})\s*(?:minuutjes|minuutje|minuten|minuut|minutes|minute|mins|min|m)(?![\w/-])"),
     "minutes"),
    (re.compile(rf"(?P<n>{_NUM})\s*(?:lesuren|lesuur|lessen|lessons|lesson|periods|uurtjes|uurtje|uren|"
                rf"uur|u|hours|hour|"
                rf"hrs|hr|h)(?![\w/-])"), "hours"),
    # counts: "2x", "twee keer", "twice"
    (re.compile(rf"(?P<n>{_NUM})\s*(?:x|×|keer|maal|times)(?![\w/-])"), "count"),
    (re.compile(r"once|twice|thrice"), "count_word"),
]  # fmt: skip

# Every amount starts a word ("kwam" holds no "a m(inute)", "allereerste" no "eerste").
_AMOUNT_PATTERNS = [
    (re.compile(rf"(?<![\w.,])(?:{pattern.pattern})"), kind) for pattern, kind in _AMOUNT_PATTERNS
]
_SEPARATOR = re.compile(r"\s*(?:(?<![\w-])(?:en|and|plus|ook|also)(?![\w-])|[,;+&])\s*")
_REASON = re.compile(
    r"(?<![\w-])(?:want|omdat|ivm|i\.v\.m\.?|wegens|vanwege|because|due\s+to)(?![\w-])|reden\s*:"
    r"|(?<![\w-])door(?!\s+(?:de\s+|het\s+|haar\s+|zijn\s+)?(?:moeder|vader|ouders?|mama|papa|"
    r"verzorgers?|mentor|school)\b)(?![\w-])"
)
_NEGATION = {"niet", "geen", "not", "no", "never", "nooit", "isnt", "wasnt", "didnt", "hasnt"}
_SINCE = r"(?:sinds|since|vanaf|from|per|m\.?i\.?v\.?|starting|met\s+ingang\s+van)"
_UNTIL_INCLUSIVE = r"(?:(?<![\w-])(?:tot\s+en\s+met|t/m|tm|through|up\s+to\s+and\s+including)|[-–])"
_UNTIL_OPEN = r"(?:tot|until|till|to)"
# Words that carry no fact of their own in an absence ("Sanne was gisteren 4 uur afwezig").
_FILLERS = frozenset(
    """is was waren zijn werd wordt heeft hebben had has have been geweest gemeld afgemeld
    gebeld were are zit zat blijft bleef door de
    het een op om in on at the a an to naar voor for nog ook er hij zij ze he she they again
    helaas unfortunately school les lessen klas class van of opnieuw weer gekomen binnen moeder
    vader ouders ouder mama papa mother father parents parent mum mom dad verzorger by her his
    their tijdens during uur hour hours deze this afgelopen last vorige per elke every dag day
    dagen days lesuur melding doorgeven noteren even graag vanaf sinds since from tot until tm
    en and plus ook also kwam komt kwamen came comes arrived binnengekomen al already nog
    steeds still belde belt bellen called afspraak appointment extra zus broer opa oma tante
    oom neef nicht familie sister brother grandma grandpa grandmother grandfather aunt uncle
    cousin family""".split()  # noqa: SIM905 - a word list reads best as words
)

_PREFIX_KINDS: dict[str, type | EntryKind] = {
    "actie": EntryKind.ACTION, "action": EntryKind.ACTION,
    "doel": EntryKind.GOAL, "goal": EntryKind.GOAL,
    "betrokken": EntryKind.PARTY, "betrokkene": EntryKind.PARTY,
    "betrokkenen": EntryKind.PARTY, "involved": EntryKind.PARTY, "party": EntryKind.PARTY,
    "notitie": EntryKind.NOTE, "note": EntryKind.NOTE, "aantekening": EntryKind.NOTE,
    "opmerking": EntryKind.NOTE,
    "aanbod": Offer, "offer": Offer,
    "evaluatie": Evaluation, "evaluation": Evaluation,
    "regie": ContactPerson, "contactpersoon": ContactPerson,
    "regiehouder": ContactPerson, "contact": ContactPerson,
    "variawet": Variawet,
}  # fmt: skip
_PREFIX_WORDS = "|".join(sorted(_PREFIX_KINDS, key=len, reverse=True))
_CONFIDENTIAL = re.compile(
    r"\(?\b(?:vertrouwelijke?|medische?|confidential|medical|privé|prive)\b\)?", re.IGNORECASE
)
_LEAD_IN = re.compile(
    r"^(?:(?:hoi|hallo|hey|hi|hiya|hello|goedemorgen|goedemiddag|goedenavond|goeiemorgen|"
    r"goeiemiddag|goeienavond|good\s+morning|good\s+afternoon|morning|dag|beste\s+bot|bot|ok|"
    r"oké|okay|hee|hoihoi|yo|moi)\b[\s,!.:-]*"
    # "Morgen!" greets; "Morgen," may mean tomorrow and is left for the dates to refuse.
    r"|(?:morgen|mogge|môgge|moggel)\s*!+\s*"
    r"|(?:ff|effe|even|snel|kort|quick|short)\b(?:\s+(?:een\s+)?(?:update|vraagje|one|"
    r"note|berichtje))?[\s,!.:-]*"
    r"|(?:korte|snelle|kleine|quick|short)\s+(?:update|one|note|melding)\b[\s,!.:-]*"
    r"|(?:even\s+|graag\s+|wil\s+(?:je|jij)\s+|kun\s+je\s+|kan\s+je\s+|please\s+|pls\s+)?"
    r"(?:doorgeven|melden|noteren|registreren|invoeren|opschrijven|vastleggen|ter\s+info|fyi|"
    r"update|melding|please\s+note|note\s+that|record|log|info)\b[\s,!.:-]*"
    r"|(?:voor|for)\s+(?:de\s+)?(?:administratie|registratie|the\s+record)\b[\s,!.:-]*)+",
    re.IGNORECASE,
)

_MOVEMENT_RE = re.compile(
    r"\b(?P<verwijdering>verwijderd|verwijdering|removed|expelled)\b"
    r"|\b(?P<uitschrijving>uitgeschreven|uitschrijving|deregistered|de-registered|unenrolled)\b"
    r"|\b(?P<inschrijving>ingeschreven|inschrijving|enrolled|registered)\b",
    re.IGNORECASE,
)
_NEW_SCHOOL_RE = re.compile(r"(?:nieuwe school|new school)\s*:?\s*(.+)$", re.IGNORECASE)
_VARIAWET_STEPS = (
    (VariawetStep.APPROVED, r"toegekend|goedgekeurd|akkoord|approved|granted"),
    (VariawetStep.REJECTED, r"afgewezen|geweigerd|rejected|refused|denied"),
    (VariawetStep.APPLIED, r"aangevraagd|aanvraag|ingediend|applied|application"),
)
_BACK_RE = re.compile(
    r"\b(?:weer|terug)\s+(?:op|naar)\s+school\b|\bback\s+(?:at|to|in)\s+school\b"
    r"|\bgaat\s+weer\s+naar\s+school\b|\bis\s+(?:weer\s+)?terug\b|\bweer\s+terug\b"
    r"|\bweer\s+aanwezig\b|\bweer\s+(?:begonnen|gestart)\b|\bweer\s+beter\s+en\s+(?:weer\s+)?(?:op|naar)\s+school\b|\bis\s+back\b|\bback\s+in\s+(?:class|lessons)\b|\breturned\s+to\s+school\b|\bterug\s+in\s+de\s+klas\b",
    re.IGNORECASE,
)
_OFFER_RE = re.compile(
    r"\b(?:passend(?:e)?\s+(?:onderwijs)?aanbod|aanbod|suitable\s+offer|offer)\b", re.IGNORECASE
)
_EXEMPTION_RE = re.compile(r"\b(?:vrijstelling|vrijgesteld|exemption|exempt(?:ed)?)\b", re.I)
_SUSPENSION_RE = re.compile(
    r"\b(?:geschorst|schorsing|schorsen|suspended|suspension)\b", re.IGNORECASE
)
_ARTICLE_RE = re.compile(
    r"\b(?:art(?:ikel|icle)?\.?\s*)?5\s*(?:onder\s*)?([abcd])\b", re.IGNORECASE
)

# Words that cannot be part of a name: the start of what the message says about the pupil.
_NAME_STOP = re.compile(
    r"^(?:\d.*|is|was|heeft|had|has|have|vandaag|gisteren|gister|eergisteren|today|yesterday|"
    r"vanochtend|vanmorgen|vanmiddag|this|te|weer|back|terug|sinds|since|vanaf|from|op|on|"
    r"deze|vorige|afgelopen|last|uur|hours?|gaat|krijgt|gets|goes|een|één|twee|drie|vier|vijf|"
    r"zes|half|halve|hele|kwartier|anderhalf|het|the|niet|not|geen|no|wel|per|met|with|"
    r"zonder|without|and|en|nog|ook|also|hoe|wat|wie|waar|wanneer|waarom|welke|ik|jij|je|wij|"
    r"we|how|what|who|where|when|why|which|i|you|kan|kun|mag|moet|can|could|help|hulp|dank|"
    r"bedankt|thanks|thank|ja|nee|yes|[-:,()?!])$",
    re.IGNORECASE,
)
_PARTICLES = frozenset("de van der den ter ten el al la le da di du del von vd v/d 't".split())  # noqa: SIM905


_KIND_HINTS = {"te_laat": Hint.LATE, "ziek": Hint.SICK, "geoorloofd": Hint.AUTHORISED}


# ----- the parser -----


def parse_quick_update(text: str, today: date) -> ParseResult:
    """Understand one chat message as a case update, or say why not. A question and a message
    about several pupils are refused with their own reason (see `parse_several`)."""
    results = parse_several(text, today)
    if len(results) > 1:
        first = results[0]
        name = first.name if isinstance(first, QuickUpdate | ParseFailure) else ""
        return ParseFailure(FailureReason.SEVERAL_PUPILS, name=name)
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
        return (asked,)
    names, rest = _leading_names(cleaned)
    if len(names) > 1:
        return tuple(_one_pupil(f"{name} {rest}", today) for name in names)
    return (_one_pupil(cleaned, today),)


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


def kinds_in(text: str) -> tuple[AbsenceKind, ...]:
    """The kinds of absence a text names, in the order they appear (for telling a user what was
    understood of a message that was not stored)."""
    found, _ = _read_kinds(_LEAD_IN.sub("", " ".join(text.lower().split())))
    return tuple(dict.fromkeys(AbsenceKind(kind) for _, kind in found if kind != "absent"))


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


def split_name(text: str) -> tuple[str, str]:
    """The pupil's name and the rest: a leading name ("Sanne de Vries 4 uur …", "Sanne V. …",
    the bot's own label "S.V. #12"), or, when the message starts with what happened, a trailing
    one ("… afwezig Milan")."""
    tokens = text.split()
    name = _leading_name(tokens)
    if name:
        return " ".join(name), " ".join(tokens[len(name) :])
    # Nothing leads ("vandaag ziek Milan", "vrijstelling Sanne 5A"): the one run of capitalised
    # unknown words anywhere is the name; with none, or more than one, there is no name.
    runs = _name_runs(tokens)
    if len(runs) != 1:
        return "", text
    found = runs[0]
    name_text = " ".join(_name_word(tokens[i]) for i in found)
    rest = " ".join(t for i, t in enumerate(tokens) if i not in found)
    return name_text, rest


# The case number of a label ("S.V. #12"): it ends the name.
_LABEL_NUMBER = re.compile(r"#\d{1,9}")


def _leading_name(tokens: list[str]) -> list[str]:
    """The words of the name the tokens start with (none when they start otherwise)."""
    name: list[str] = []
    for index, token in enumerate(tokens):
        bare = token.strip(":,;!")
        if _LABEL_NUMBER.fullmatch(bare) and len(name) < 4:
            name.append(bare)
            break
        if bare.lower() in _PARTICLES and name and len(name) < 4:
            # "Sanne van Dijk", but not "Sanne van 9 tot 11".
            following = tokens[index + 1].strip(":,;!") if index + 1 < len(tokens) else ""
            if following and not _ends_name(following):
                name.append(bare)
                continue
            break
        if not bare or _ends_name(bare) or len(name) == 4:
            break
        if name and name[0][:1].isupper() and not bare[:1].isupper():
            # "Finn kwam …": after a capitalised first name only capitalised words (and the
            # particles above) belong to the name; "sanne de vries" typed in lower case still is.
            break
        name.append(bare)
        if token.endswith((":", ",", ";", "!")):
            break
    return name


def _name_runs(tokens: list[str]) -> list[list[int]]:
    """The runs of capitalised unknown words (and label numbers), as token indexes."""
    runs: list[list[int]] = []
    for index, token in enumerate(tokens):
        bare = token.strip(":,;!.")
        label_number = bool(_LABEL_NUMBER.fullmatch(bare))
        if bare and (label_number or (bare[0].isupper() and not _ends_name(bare))):
            if runs and runs[-1][-1] == index - 1 and len(runs[-1]) < 4:
                runs[-1].append(index)
            else:
                runs.append([index])
    return runs


def _name_run(tokens: list[str]) -> str:
    """The one name among the tokens ("" with none, or more than one)."""
    runs = _name_runs(tokens)
    if len(runs) != 1:
        return ""
    return " ".join(_name_word(tokens[i]) for i in runs[0])


def _name_word(token: str) -> str:
    """A word of a name without the punctuation around it; initials keep their dots ("S.V.",
    "V.") while a full stop after a word goes ("… Milan.")."""
    word = token.strip(":,;!")
    if word.endswith(".") and word.count(".") == 1 and len(word) > 2:
        return word[:-1]
    return word


_CONNECTOR = frozenset({"en", "and", "&", "+"})
# "Daan en Sem allebei …": says the same of each, nothing of its own.
_EACH = re.compile(
    r"(?<![\w-])(?:allebei|beiden|beide|both|samen|together|alle\s+(?:twee|drie|vier|vijf)|"
    r"all\s+(?:two|three|four|five))(?![\w-])",
    re.IGNORECASE,
)


def _leading_names(text: str) -> tuple[list[str], str]:
    """The names a message starts with ("Daan, Sem en Lotte …") and what is said of each; for
    one name (or none) the rest is left to the one-pupil reading."""
    tokens = text.split()
    names: list[str] = []
    start = 0
    while start < len(tokens):
        words = _leading_name(tokens[start:])
        if not words or (names and names[0][:1].isupper() and not _capitalised(words[0])):
            break
        names.append(" ".join(words))
        start += len(words)
        after_comma = tokens[start - 1].endswith(",")
        if start < len(tokens) and tokens[start].lower() in _CONNECTOR:
            start += 1
        elif not after_comma:
            break
    if len(names) < 2:
        return names, ""
    return names, " ".join(_EACH.sub(" ", " ".join(tokens[start:])).split())


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or bool(_LABEL_NUMBER.fullmatch(word))


def split_caption(caption: str) -> tuple[str, str]:
    """A file's caption: the pupil's name it starts with ("Julia Oefenaar", "S.V. #12") and the
    rest as the file's description. A caption of more words that starts in lower case names
    nobody ("verslag RTG"); one word alone is a name ("sanne")."""
    tokens = caption.split()
    if len(tokens) == 1 and not _ends_name(tokens[0].strip(":,;!")):
        return tokens[0].strip(":,;!"), ""
    if not tokens or not _capitalised(tokens[0].strip(":,;!")):
        return "", " ".join(tokens).strip(" :,-")
    name = _leading_name(tokens)
    return " ".join(name), " ".join(tokens[len(name) :]).strip(" :,-")


def _vocabulary() -> frozenset[str]:
    """Every word the parser reads: none of them can be part of a pupil's name."""
    sources = [p for p, _ in _KIND_PHRASES] + [p.pattern for p, _ in _AMOUNT_PATTERNS]
    sources += [p.pattern for p, _ in DATE_PATTERNS]
    sources += [r.pattern for r in (_BACK_RE, _EXEMPTION_RE, _SUSPENSION_RE, _MOVEMENT_RE,
                                    _OFFER_RE, _REASON, _NEW_SCHOOL_RE)]  # fmt: skip
    sources += [_SINCE, _UNTIL_INCLUSIVE, _UNTIL_OPEN, *(words for _, words in _VARIAWET_STEPS)]
    words = {w for source in sources for w in re.findall(r"[a-zé]{2,}", source)}
    words |= _FILLERS | _NEGATION | set(NUMBER_WORDS) | set(_PREFIX_KINDS)
    # Month names are names too ("Jan", "May"); a date needs a number, so they are not needed.
    return frozenset(words - set(MONTHS) - _PARTICLES - {"a", "an"})


def _ends_name(word: str) -> bool:
    lowered = word.lower().strip(".")
    stem = re.sub(r"['’]s$", "", lowered)
    if _NAME_STOP.match(lowered) or lowered in _VOCABULARY or stem in _VOCABULARY:
        return True
    if any(pattern.fullmatch(lowered) for pattern, _ in [*_KIND_RE, *_AMOUNT_PATTERNS]):
        return True
    if find_dates(lowered, date(2000, 1, 3)):
        return True
    if lowered in NUMBER_WORDS and lowered not in {"a", "an"}:
        return True
    # A mistyped kind word ("ongeoorlofd") ends the name too; real names are not that close.
    return len(lowered) >= 7 and bool(difflib.get_close_matches(lowered, _KIND_TYPOS, cutoff=0.82))


def _free_text(text: str) -> str:
    return " ".join(text.strip(" :,-").split())


# ----- prefixed updates: "actie Sanne: …", "Sanne actie: …" -----


def _prefixed(text: str, today: date) -> ParseResult | None:
    """ "actie Sanne: RTG met ouders op 12 maart" and friends; None when not of this form."""
    head, colon, body = text.partition(":")
    if not colon:
        return None
    confidential = bool(_CONFIDENTIAL.search(head))
    head = " ".join(_CONFIDENTIAL.sub(" ", head).split())
    first = re.match(rf"^({_PREFIX_WORDS})(?:\s+(?:voor|for|van|of|bij))?\s+(.{{1,60}})$", head,
                     re.IGNORECASE)  # fmt: skip
    last = re.match(rf"^(.{{1,60}}?)\s+({_PREFIX_WORDS})$", head, re.IGNORECASE)
    if first is not None:
        keyword, name = first.group(1), first.group(2).strip()
    elif last is not None:
        name, leftover = split_name(last.group(1).strip())
        # "Sanne passend aanbod: …": words like "passend" belong to the keyword, not the name.
        if not name or leftover.lower() not in ("", "passend", "passende", "suitable", "een", "a"):
            return None
        keyword = last.group(2)
    else:
        return None
    kind = _PREFIX_KINDS[keyword.lower()]
    body = body.strip()
    if kind is Offer:
        return _offer(name, body, today)
    if kind is Variawet:
        return _variawet(name, body, today)
    if kind is Evaluation or kind is ContactPerson:
        # Free text: dates in it are part of what was written, not when it happened.
        described = _free_text(body)
        if not described:
            return ParseFailure(FailureReason.NO_TEXT, name=name, hint=Hint.ENTRY)
        return QuickUpdate(name, (kind(described),))
    assert isinstance(kind, EntryKind)
    lowered = body.lower()
    # An action's date is the one it mentions ("RTG met ouders op 12 maart"); in a note, goal
    # or party a date is part of what was written ("vader belt morgen terug").
    dated = kind is EntryKind.ACTION
    matches = [m for m in find_dates(lowered, today) if dated and isinstance(m.value, Day)]
    day = today
    description = body
    if matches:
        # The date of an action is the one it mentions ("… op 12 maart"), the first one only.
        first_date = matches[0]
        assert isinstance(first_date.value, Day)
        day = first_date.value.value
        # "MDO op 18 maart gepland" → "MDO gepland": the date goes with its preposition.
        before = re.sub(r"\b(?:op|on|per)\s*$", "", body[: first_date.start], flags=re.I)
        description = before + " " + body[first_date.end :]
    description = _free_text(description)
    if not description:
        return ParseFailure(FailureReason.NO_TEXT, name=name, hint=Hint.ENTRY)
    return QuickUpdate(name, (Entry(kind, day, description, confidential),))


# ----- dates inside a body -----


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


# ----- absences -----


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
        return ParseFailure(FailureReason.DATE_OR_TIME, name=name, unknown=(clash.group(0),),
                            hint=_hint_for(body))  # fmt: skip
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
        piece for piece in pieces
        if not (_QUALIFIER.fullmatch(piece.strip()) and not _read_amounts(piece)[0])
    ]  # fmt: skip
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
    remark = re.search(r"(?:voor\s+de\s+)?\d{1,2}(?:e|de|ste)\s+keer(?:\s+(?:deze|this)\s+"
                       r"(?:week|maand|month))?", main)  # fmt: skip
    if remark is not None:
        main = main[: remark.start()] + " " + main[remark.end() :]
        explanation += " " + remark.group(0)
    # "moeder belde om 8 uur": a time of day, never hours of absence.
    clock = re.search(r"(?<![\w:.-])(?:om|at)\s+\d{1,2}(?:[:.]\d{2}(?:\s*(?:uur|u|h))?|"
                      r"\s*(?:uur|u|h|o'clock))(?![\w:.])", main)  # fmt: skip
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
        return ParseFailure(FailureReason.NEGATION, name=name, unknown=tuple(negated),
                            hint=_hint_for(text))  # fmt: skip
    unknown = tuple(w for w in words if w.strip(".") and w.strip(".") not in _FILLERS)
    if unknown:
        return ParseFailure(FailureReason.UNKNOWN_WORDS, name=name, unknown=unknown,
                            hint=_hint_for(text))  # fmt: skip
    if not any_kind and not concrete:
        if not amounts and not dates.days and dates.since is None and dates.week is None:
            return ParseFailure(FailureReason.NOT_UNDERSTOOD, name=name, hint=Hint.GENERAL)
        return ParseFailure(FailureReason.NO_KIND, name=name, hint=Hint.ABSENCE)
    if concrete:
        return _one_kind(name, concrete.pop(), amounts, dates, today, dropped)
    options = [
        _one_kind(name, kind, amounts, dates, today, dropped)
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


def _ordinal(token: str) -> int:
    token = token.strip()
    if token in _ORDINALS:
        return _ORDINALS[token]
    digits = re.match(r"\d+", token)
    assert digits is not None
    return int(digits.group(0))


def _to_number(token: str) -> float:
    token = token.replace(",", ".")
    return float(NUMBER_WORDS[token]) if token in NUMBER_WORDS else float(token)


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


@dataclass(frozen=True)
class _Said:
    """What a message says of one kind of absence: the kind and its amounts."""

    name: str
    absence: AbsenceKind
    hint: Hint
    counts: tuple[int, ...]  # "2x"
    timed: tuple[tuple[str, float], ...]  # hours, minutes, lesson periods
    parts: frozenset[str]  # "hele dag", "halve dag"
    dropped: bool

    @property
    def count(self) -> int:
        return sum(self.counts) or 1

    @property
    def hours(self) -> float:
        return sum(v / 60 if k == "minutes" else v for k, v in self.timed)

    @property
    def amount(self) -> float | DayPart:
        return self.hours or (DayPart.HALF if "half" in self.parts else DayPart.WHOLE)

    def fail(self, reason: FailureReason, day: date | None = None) -> ParseFailure:
        return ParseFailure(reason, name=self.name, hint=self.hint, day=day)

    def update(self, items: list[Item]) -> QuickUpdate:
        return QuickUpdate(self.name, tuple(items), self.dropped)

    def on(self, day: date, times: int | None = None) -> Item:
        if self.absence is AbsenceKind.TE_LAAT:
            return LateArrival(day, self.count if times is None else times, self.hours or None)
        return AbsenceOnDay(self.absence, day, self.amount)


def _said(name: str, kind: str, amounts: list[tuple[str, float]], dropped: bool) -> _Said:
    return _Said(
        name=name,
        absence=AbsenceKind(kind),
        hint=_KIND_HINTS.get(kind, Hint.ABSENCE),
        counts=tuple(int(v) for k, v in amounts if k == "count"),
        timed=tuple((k, v) for k, v in amounts if k in ("hours", "minutes", "slots")),
        parts=frozenset(k for k, _ in amounts if k in ("whole", "half")),
        dropped=dropped,
    )


def _amount_refusal(said: _Said, dates: _Dates) -> ParseFailure | None:
    """Why the amounts cannot be stored as said, whatever the dates; None when they can."""
    timed, parts, late = said.timed, said.parts, said.absence is AbsenceKind.TE_LAAT
    if (timed and parts) or len(parts) > 1 or len(said.counts) > 1:
        return said.fail(FailureReason.NOT_UNDERSTOOD)
    if timed and said.hours <= 0:
        return said.fail(FailureReason.NOT_UNDERSTOOD)
    if said.hours > MAX_HOURS_PER_DAY:
        return said.fail(FailureReason.TOO_MANY_HOURS)
    if said.counts and not late:
        return said.fail(FailureReason.NEEDS_DAYS)
    if dates.part_of_day and not late and not timed and not parts:
        # "gisteren middag", "this morning": part of a day, and how many hours is not said.
        return said.fail(FailureReason.NEEDS_HOURS)
    if said.count > 1 and timed:
        # "2x 10 min te laat": ten minutes each, or in all? Not guessed.
        return said.fail(FailureReason.NOT_UNDERSTOOD)
    return None


def _from_since(said: _Said, dates: _Dates, today: date) -> ParseResult:
    """A period: "ziek sinds maandag", "van 3 tot 7 maart"."""
    if dates.days or dates.week or dates.either or said.timed or "half" in said.parts:
        return said.fail(FailureReason.UNCLEAR_DATES)
    if said.absence is AbsenceKind.TE_LAAT or said.counts:
        return said.fail(FailureReason.NEEDS_DAYS)
    start = dates.since or today
    if start > today:
        return said.fail(FailureReason.FUTURE_DATE, day=start)
    end = _end_after_start(dates, start) or today
    if end < start:
        return said.fail(FailureReason.END_BEFORE_START)
    if dates.open_until and end > start:
        options = [said.update([AbsencePeriod(said.absence, start, last)])
                   for last in (end, end - timedelta(days=1))]  # fmt: skip
        return _no_future(Ambiguous(Question.UNTIL, tuple(options)), today)
    return _no_future(said.update([AbsencePeriod(said.absence, start, end)]), today)


def _in_week(said: _Said, week: Week, today: date) -> ParseResult:
    """A week without its days ("vorige week 2 uur"): which day of it is asked."""
    if said.count > 1:
        return said.fail(FailureReason.NEEDS_DAYS)
    monday = week.monday
    days = [monday + timedelta(days=i) for i in range(5) if monday + timedelta(days=i) <= today]
    if not days:
        return said.fail(FailureReason.FUTURE_DATE, day=monday)
    choices = [said.update([said.on(day)]) for day in days]
    whole = said.amount == DayPart.WHOLE
    if said.absence is not AbsenceKind.TE_LAAT and whole and len(days) > 1:
        choices.append(said.update([AbsencePeriod(said.absence, days[0], days[-1])]))
    return Ambiguous(Question.WHICH_DAY, tuple(choices))


def _on_named_days(said: _Said, days: list[date], today: date) -> ParseResult:
    """Named days (or today)."""
    if said.count > 1:
        # "2x te laat, maandag en woensdag": one each day. "3 keer te laat" alone: which days?
        if len(days) == said.count:
            return _no_future(said.update([said.on(day, 1) for day in days]), today)
        if len(days) != 1:
            return said.fail(FailureReason.NEEDS_DAYS)
    if len(days) > 1 and len(said.timed) > 1:
        return said.fail(FailureReason.UNCLEAR_DATES)
    return _no_future(said.update([said.on(day) for day in days or [today]]), today)


def _settle_week(dates: _Dates) -> None:
    """A week named with its days: the week says which of two days is meant, and days inside
    the week name the week's days."""
    if dates.week is not None and dates.either is not None:
        # "deze week, dinsdag en woensdag" said on a Wednesday: the week says which Wednesday.
        inside = [d for d in dates.either.values if 0 <= (d - dates.week.monday).days <= 6]
        if len(inside) == 1:
            dates.days.append(inside[0])
            dates.either = None
    if dates.week is not None and dates.days:
        last = dates.week.monday + timedelta(days=6)
        if all(dates.week.monday <= day <= last for day in dates.days):
            # "twice this week (Monday and Wednesday)": the days name the week's days.
            dates.week = None


def _one_kind(
    name: str,
    kind: str,
    amounts: list[tuple[str, float]],
    dates: _Dates,
    today: date,
    dropped: bool,
) -> ParseResult:
    """The items of one kind of absence, from the amounts and dates found in the message."""
    said = _said(name, kind, amounts, dropped)
    refused = _amount_refusal(said, dates)
    if refused is not None:
        return refused
    if dates.until is not None and dates.since is None and len(dates.days) == 1:
        dates.since, dates.days = dates.days[0], []
    if dates.either is not None and dates.either_since and not (dates.days or dates.week):
        # "ziek sinds vrijdag" said on a Friday: since today, or since a week ago.
        options = []
        for start in dates.either.values:
            candidate = replace(dates, either=None, either_since=False, since=start)
            option = _one_kind(name, kind, amounts, candidate, today, dropped)
            if not isinstance(option, QuickUpdate):
                return option
            options.append(option)
        return Ambiguous(Question.WHICH_START, tuple(options))
    if dates.since is not None or dates.until is not None:
        return _from_since(said, dates, today)
    _settle_week(dates)
    if len([d for d in (dates.week, dates.either) if d is not None]) + bool(dates.days) > 1:
        return said.fail(FailureReason.UNCLEAR_DATES)
    if dates.either is not None:
        day_options = tuple(said.update([said.on(day)]) for day in dates.either.values)
        return _no_future(Ambiguous(Question.WHICH_DAY, day_options), today)
    if dates.week is not None:
        return _in_week(said, dates.week, today)
    return _on_named_days(said, sorted(set(dates.days)), today)


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
            return result if not isinstance(result, Ambiguous) else ParseFailure(
                FailureReason.UNCLEAR_DATES, name=name, hint=Hint.ABSENCE)  # fmt: skip
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


# ----- the other kinds -----


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
        named = re.search(r"\b(?:op|bij|naar|at|to)\s+((?:De|Het|'t|[A-Z][\w'’.-]*)"
                          r"(?:\s+(?:de|het|van|der|den|[A-Z][\w'’.-]*))*)", dated)  # fmt: skip
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
        return Ambiguous(Question.UNTIL, tuple(
            QuickUpdate(name, (Suspension(start, last),)) for last in (end, end - timedelta(days=1))
        ))  # fmt: skip
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
    if end is None and re.search(r"(?<![\w-])(?:tot|t/m|tm|until|till|through)(?![\w-])",
                                 without.lower()):  # fmt: skip
        # "tot einde schooljaar": an end that is no date is not dropped, it is asked for.
        return ParseFailure(FailureReason.UNCLEAR_DATES, name=name, hint=Hint.EXEMPTION)
    code = "5" + article.group(1).upper()
    return QuickUpdate(name, (Exemption(code, start, end),))


def _no_future(result: ParseResult, today: date) -> ParseResult:
    """Absence, returns and movements are facts: they cannot lie in the future."""
    updates = result.options if isinstance(result, Ambiguous) else (result,)
    for update in updates:
        if not isinstance(update, QuickUpdate):
            continue
        for item in update.items:
            days = [getattr(item, field, None) for field in ("day", "start", "end", "since")]
            if isinstance(item, Offer | Suspension | Exemption | Entry):
                continue
            future = [d for d in days if isinstance(d, date) and d > today]
            if future:
                return ParseFailure(FailureReason.FUTURE_DATE, name=update.name,
                                    hint=_item_hint(item), day=min(future))  # fmt: skip
    return result


def _item_hint(item: Item) -> Hint:
    if isinstance(item, LateArrival):
        return Hint.LATE
    if isinstance(item, AbsenceOnDay | AbsencePeriod):
        return _KIND_HINTS.get(item.kind.value, Hint.ABSENCE)
    return Hint.ABSENCE


_VOCABULARY = _vocabulary()
