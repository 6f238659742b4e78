"""The facts the rules read, as frozen values: one pupil's registry, or one organisation's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.protocol.calendar import SchoolCalendar


@dataclass(frozen=True)
class AbsenceFact:
    """Hours of one kind of absence on one day."""

    day: date
    hours: float
    kind: str


@dataclass(frozen=True)
class CaseFact:
    """A thuiszit case as the rules see it."""

    case_id: int
    category: str
    start: date
    end: date | None = None
    offer_since: date | None = None
    contact_person: str | None = None
    action_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class ExemptionFact:
    """A vrijstelling."""

    article: str
    start: date
    end: date | None = None
    permanent: bool = False


@dataclass(frozen=True)
class SuspensionFact:
    """A recorded schorsing."""

    start: date
    end: date


@dataclass(frozen=True)
class MovementFact:
    """A removal, de-registration or enrolment."""

    kind: str
    day: date
    has_new_school: bool = False


@dataclass(frozen=True)
class VariawetFact:
    """An application to deviate from the teaching time."""

    applied: date
    decided: date | None = None
    approved: bool | None = None


@dataclass(frozen=True)
class PupilFacts:
    """Everything the rules know about one pupil. `school_type` None: not enrolled."""

    pupil_id: int
    calendar: SchoolCalendar
    school_type: str | None = None
    birth_date: date | None = None
    cases: tuple[CaseFact, ...] = ()
    absences: tuple[AbsenceFact, ...] = ()
    exemptions: tuple[ExemptionFact, ...] = ()
    suspensions: tuple[SuspensionFact, ...] = ()
    movements: tuple[MovementFact, ...] = ()
    variawet: tuple[VariawetFact, ...] = ()
    # Rules the pupil's SWV switched off (only early warnings can be: rules.SWITCHABLE).
    rules_off: frozenset[str] = frozenset()
    # The days a melding to leerplicht was made: a report deadline (rules.REPORTED_BY) marked
    # done that day. And whether a leerplicht officer is linked to the pupil.
    reported: tuple[date, ...] = ()
    leerplicht_linked: bool = False


@dataclass(frozen=True)
class OrganisationFacts:
    """An organisation that periodic rules apply to.

    `kind` is "swv", "bestuur" or "gemeente"; `open_periods` (for a gemeente) are the
    (start, end) of its pupils' cases, to tell on which dates any case was open.
    """

    kind: str
    org_id: int
    registered_on: date
    open_periods: tuple[tuple[date, date | None], ...] = field(default_factory=tuple)
