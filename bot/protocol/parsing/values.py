"""What a message can say, as values: one frozen type per fact, the update that carries them,
the questions the bot must ask first, and why a message could not be read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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
class Result:
    """The result of the pupil's latest action that has none yet. Which action that is is
    decided when the update is prepared (`action_id`, `action_day`): the confirmation names it,
    and Save writes to that one."""

    text: str
    action_id: int | None = None
    action_day: date | None = None


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
    AbsenceOnDay
    | LateArrival
    | AbsencePeriod
    | BackAtSchool
    | Offer
    | Suspension
    | Exemption
    | Entry
    | ContactPerson
    | Evaluation
    | Result
    | Movement
    | Variawet
)


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
    kinds: tuple[AbsenceKind, ...] = ()  # the kinds of absence the text named, in its order


ParseResult = QuickUpdate | Ambiguous | ParseFailure
