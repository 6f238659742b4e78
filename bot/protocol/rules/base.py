"""The protocol's terms: its settings, a deadline, the rule codes, and the dates they count in."""

from __future__ import annotations

import calendar as month_calendar
import itertools
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum, auto

from bot.protocol.calendar import SchoolCalendar
from bot.protocol.facts import AbsenceFact, CaseFact


def N_(message: str) -> str:
    """Mark a text for the translation catalogs (`pybabel extract -k N_`); it is translated
    where it is shown. The protocol imports nothing of ours, so it has its own marker."""
    return message


@dataclass(frozen=True)
class ProtocolSettings:
    """The protocol's project defaults: values, not literals. The bot reads them from the
    environment as PROTOCOL__<NAME> (`bot.config`); the README lists them."""

    late_arrival_hours: float = 1.0
    weekly_hours_po: float = 25.0
    weekly_hours_vo: float = 30.0
    plan_school_days: int = 10
    herstelgesprek_working_days: int = 5
    evaluatie_days: int = 28
    geen_actie_days: int = 28
    monthly_overview_day: int = 1
    # How far ahead periodic occurrences are stored: past the 14-days-before nudge.
    horizon_days: int = 62
    verification_dates: tuple[tuple[int, int], ...] = ((9, 1), (12, 1), (3, 1), (6, 1))
    overleg_dates: tuple[tuple[int, int], ...] = ((10, 1), (4, 1))
    variawet_renewal: tuple[int, int] = (7, 1)
    # Early warning (DREIGEND_16_UUR): unauthorised hours in 20 school days, below 16.
    early_warning_hours: float = 10.0
    # ZIEKMELDING_PATROON, the MAZL criteria: the n-th sick report within a window of school
    # days, or a sick period of so many school days.
    sick_reports: int = 4
    sick_report_window_school_days: int = 60
    sick_period_school_days: int = 7
    # The escalation ladder: working days a pupil's deadline stays open after its due date
    # before the next rung is added (and again before the SWV is).
    escalation_working_days: int = 5
    # After a melding (002 §2.2.2.3): working days until leerplicht reports back to the
    # school, and until the BOC-er links a leerplicht officer if none is linked yet.
    terugkoppeling_working_days: int = 10
    koppelen_working_days: int = 2
    # Rules left off the escalation ladder (codes); organisation rules never escalate. The
    # evaluation after a case is optional (000): nobody above the BOC-er is told it waits.
    not_escalated: tuple[str, ...] = field(default_factory=lambda: (Rule.EVALUATIE.value,))
    # A deadline first computed this many days after its due date is stored as history.
    history_days: int = 14
    # Deadlines nobody receives (no colleague of that role yet) are summarised to the
    # administrators this far ahead (6 weeks), not years of them on the first day.
    unassigned_lookahead_days: int = 42

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, int | float) and value <= 0:
                raise ValueError(f"{name} must be more than 0")
        if self.early_warning_hours >= 16:
            raise ValueError("early_warning_hours must be below the 16 hours it warns of")
        if self.monthly_overview_day > 28:
            raise ValueError("monthly_overview_day must be 1 to 28")
        for name in ("verification_dates", "overleg_dates", "variawet_renewal"):
            value = getattr(self, name)
            for month, day in value if name != "variawet_renewal" else (value,):
                try:
                    date(2024, month, day)  # a day of the year (2024: 29 February included)
                except ValueError:
                    raise ValueError(f"{name}: no day {day}-{month}") from None


@dataclass(frozen=True, order=True, slots=True)
class Deadline:
    """One deadline: what (rule), when (due), and since when it is known (trigger)."""

    due: date
    rule: str
    pupil_id: int | None = None
    org: tuple[str, int] | None = None
    trigger: date = field(default=date.min, compare=False)
    # Set when the deadline no longer asks anything although its trigger stays in the data:
    # CASE_CLOSED for a deadline of a case that has ended.
    closed: str | None = field(default=None, compare=False)

    @property
    def identity(self) -> str:
        """The stable key: "(pupil or organisation):RULE:due"."""
        owner = f"p{self.pupil_id}" if self.pupil_id is not None else f"{self.org[0]}{self.org[1]}"  # type: ignore[index]
        return f"{owner}:{self.rule}:{self.due.isoformat()}"


class Rule(StrEnum):
    """The rule codes of the catalogue (RULES.md): each one's value is its name, a public
    interface (`agenda --json`, the CSV, stored deadlines). What each does is in `CATALOGUE`."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[str]) -> str:
        return name

    MELDING_16_UUR = auto()
    VERVOLGMELDING_16_UUR = auto()
    VO_3_UUR = auto()
    VO_6_UUR = auto()
    VO_9_UUR = auto()
    VO_12_UUR = auto()
    VIER_WEKEN_VERZUIM = auto()
    VERZUIM_75_PROCENT = auto()
    ZONDER_AANBOD_2M = auto()
    ZONDER_AANBOD_3M = auto()
    PLAN_VAN_AANPAK = auto()
    VRIJSTELLING_SWV_BETREKKEN = auto()
    VRIJSTELLING_EINDE_3M = auto()
    VRIJSTELLING_HERAANVRAAG = auto()
    ZIEKTE_GESPREK = auto()
    SCHORSING_MELDING = auto()
    SCHORSING_TE_LANG = auto()
    HERSTELGESPREK = auto()
    VERWIJDERING_ZONDER_SCHOOL = auto()
    UITSCHRIJVING_DUO = auto()
    ABSOLUUT_VERZUIM_CONTROLE = auto()
    MAANDOVERZICHT_SWV = auto()
    KWARTAAL_PEILDATUM = auto()
    LEERPLICHT_VERIFICATIE = auto()
    OVERLEG_BOC_NETWERK = auto()
    OVERLEG_LEERPLICHT = auto()
    VARIAWET_BESLUIT = auto()
    VARIAWET_HERAANVRAAG = auto()
    EVALUATIE = auto()
    GEEN_ACTIE = auto()
    LEERPLICHT_EINDE = auto()
    DREIGEND_16_UUR = auto()
    ZIEKMELDING_PATROON = auto()
    LEERPLICHT_TERUGKOPPELING = auto()
    LEERPLICHT_KOPPELEN = auto()


DEFAULT_SETTINGS = ProtocolSettings()


CASE_CLOSED = "case_closed"


# A deadline whose purpose was overtaken: an early warning by the report it warned of, an
# occurrence of a periodic rule by the next, the 2-month step by the 3-month step.
SUPERSEDED = "superseded"


# The deadlines that only ask something while their case is open; when it ends they close
# (CASE_CLOSED). The rest (evaluation, reports, suspensions, exemptions) stay.
NEEDS_OPEN_CASE = frozenset(
    {
        Rule.VIER_WEKEN_VERZUIM,
        Rule.PLAN_VAN_AANPAK,
        Rule.GEEN_ACTIE,
        Rule.ZONDER_AANBOD_2M,
        Rule.ZONDER_AANBOD_3M,
        Rule.ABSOLUUT_VERZUIM_CONTROLE,
        Rule.LEERPLICHT_EINDE,
    }
)


# Warnings before a threshold is reached; the only rules an SWV may switch off (the protocol's
# own duties stay on).
EARLY_WARNINGS = frozenset({Rule.DREIGEND_16_UUR, Rule.ZIEKMELDING_PATROON})


SWITCHABLE = EARLY_WARNINGS


# The deadlines whose Done is a melding to leerplicht (the day it was marked done is the
# melding's day): what comes after a melding follows from it (`pupils.na_melding`).
REPORTED_BY = frozenset({Rule.MELDING_16_UUR, Rule.VO_12_UUR, Rule.VIER_WEKEN_VERZUIM})


# One definition of a thuiszitter (all seeds: "langer dan 4 weken"): absent this many
# consecutive school days, the first day being day 1. The agenda, the quarterly overview and the
# Inspectie registration all count with it.
THUISZITTER_SCHOOL_DAYS = 20


# Absence kinds that count towards those 4 weeks ("ook wegens ziekte").
THUISZITTER_ABSENCE = ("ongeoorloofd", "ziek")


# Rules whose occurrences repeat: one is overtaken once the next is due.
PERIODIC = frozenset(
    {
        Rule.ABSOLUUT_VERZUIM_CONTROLE,
        Rule.MAANDOVERZICHT_SWV,
        Rule.KWARTAAL_PEILDATUM,
        Rule.LEERPLICHT_VERIFICATIE,
        Rule.OVERLEG_BOC_NETWERK,
        Rule.OVERLEG_LEERPLICHT,
    }
)


class DueMeans(StrEnum):
    """What a rule's due date means, and so how it lands on a working day: a deadline on a
    Saturday or on a public holiday reads as a bug."""

    # "By then": moves earlier, to the last working day on or before it.
    BY = "by"
    # "From then on": moves later, to the next working day.
    FROM = "from"
    # Counted in working or school days: already on a working day.
    COUNTED = "counted"


_ENROLLED_ABSENCE = ("B2", "A1")


_AT_HOME = ("B1", "B2", "A1")


_VO = ("VO", "VSO")


_VO_THRESHOLDS = ((3, Rule.VO_3_UUR), (6, Rule.VO_6_UUR), (9, Rule.VO_9_UUR), (12, Rule.VO_12_UUR))


def add_months(day: date, months: int) -> date:
    """Calendar months; a day that does not exist becomes the month's last (31 Jul − 3 = 30 Apr)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def school_year_start(day: date) -> date:
    """1 August of the school year `day` falls in."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def _window_sums(
    entries: list[AbsenceFact], calendar: SchoolCalendar, days: int
) -> Iterator[tuple[date, float, float]]:
    """For each day with entries, in order: the hours in the `days` school days ending there,
    and in the `days` school days ending the school day before (what the sum had dropped to)."""
    per_day: dict[date, float] = {}
    for entry in entries:
        per_day[entry.day] = per_day.get(entry.day, 0.0) + entry.hours
    ordered = sorted(per_day.items())
    indexes = [calendar.index(day) for day, _ in ordered]
    prefix = [0.0, *itertools.accumulate(hours for _, hours in ordered)]
    for position, (day, _hours) in enumerate(ordered):
        index = indexes[position]
        total = prefix[position + 1] - prefix[bisect_right(indexes, index - days)]
        before = prefix[position] - prefix[bisect_right(indexes, index - 1 - days)]
        yield day, total, before


def _crossings(sums: Iterable[tuple[date, float, float]], threshold: float) -> Iterator[date]:
    """The days on which a running window sum rises to `threshold` (again: a sum that fell
    below it in between, even on days without entries, rises anew)."""
    for day, total, before in sums:
        if total >= threshold - 1e-9 and before < threshold - 1e-9:
            yield day


def _case_open_on(case: CaseFact, day: date) -> bool:
    return case.start <= day and (case.end is None or case.end >= day)


# The roles, as the catalogue and the ladder name them; "zorgcoordinator" is the school.
_Z, _BOC, _LP, _SWV = "zorgcoordinator", "boc", "leerplicht", "swv"
