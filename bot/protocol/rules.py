"""The deadline rules, as pure functions of one pupil's (or organisation's) facts; RULES.md
lists them.

Each rule takes the facts, the as-of date and the project settings, and yields `Deadline`s. A
deadline is identified by (pupil, rule, due): computing twice from the same facts gives the same
set. Rules never look at the clock; `as_of` is only used where the protocol makes a deadline
depend on what happened up to a date (follow-up reports, periodic occurrences).
"""

from __future__ import annotations

import calendar as month_calendar
import itertools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum, auto

from bot.protocol.calendar import (
    SchoolCalendar,
    add_working_days,
    is_working_day,
    working_day_on_or_after,
    working_day_on_or_before,
)
from bot.protocol.facts import AbsenceFact, CaseFact, OrganisationFacts, PupilFacts


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


DEFAULT_SETTINGS = ProtocolSettings()

CASE_CLOSED = "case_closed"
# A deadline whose purpose was overtaken: an early warning by the report it warned of, an
# occurrence of a periodic rule by the next, the 2-month step by the 3-month step.
SUPERSEDED = "superseded"
# The deadlines that only ask something while their case is open; when it ends they close
# (CASE_CLOSED). The rest (evaluation, reports, suspensions, exemptions) stay.
NEEDS_OPEN_CASE = frozenset({
    Rule.VIER_WEKEN_VERZUIM, Rule.PLAN_VAN_AANPAK, Rule.GEEN_ACTIE, Rule.ZONDER_AANBOD_2M,
    Rule.ZONDER_AANBOD_3M, Rule.ABSOLUUT_VERZUIM_CONTROLE, Rule.LEERPLICHT_EINDE,
})  # fmt: skip
# Warnings before a threshold is reached; the only rules an SWV may switch off (the protocol's
# own duties stay on).
EARLY_WARNINGS = frozenset({Rule.DREIGEND_16_UUR, Rule.ZIEKMELDING_PATROON})
SWITCHABLE = EARLY_WARNINGS


# One definition of a thuiszitter (all seeds: "langer dan 4 weken"): absent this many
# consecutive school days, the first day being day 1. The agenda, the quarterly overview and the
# Inspectie registration all count with it.
THUISZITTER_SCHOOL_DAYS = 20
# Absence kinds that count towards those 4 weeks ("ook wegens ziekte").
THUISZITTER_ABSENCE = ("ongeoorloofd", "ziek")
# Rules whose occurrences repeat: one is overtaken once the next is due.
PERIODIC = frozenset({
    Rule.ABSOLUUT_VERZUIM_CONTROLE, Rule.MAANDOVERZICHT_SWV, Rule.KWARTAAL_PEILDATUM,
    Rule.LEERPLICHT_VERIFICATIE, Rule.OVERLEG_BOC_NETWERK, Rule.OVERLEG_LEERPLICHT,
})  # fmt: skip


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


# ----- date helpers -----


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


# ----- pupil rules -----


def melding_16_uur(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """16 hours unauthorised absence within 20 school days: report within 5 working days.

    Source: 002 §2.2.2.2, 004, 000. Each time the 20-school-day sum rises to 16 hours again
    (after having dropped below), that is a new report; follow-ups while it continues are
    `VERVOLGMELDING_16_UUR`.
    """
    unauthorised = [a for a in facts.absences if a.kind == "ongeoorloofd"]
    sums = list(_window_sums(unauthorised, facts.calendar, 20))
    for day in _crossings(sums, 16.0):
        due = add_working_days(day, 5)
        yield Deadline(due, Rule.MELDING_16_UUR, facts.pupil_id, trigger=day)
        yield from _vervolgmeldingen(facts, unauthorised, due, as_of)


def _vervolgmeldingen(
    facts: PupilFacts, unauthorised: list[AbsenceFact], first_due: date, as_of: date
) -> Iterator[Deadline]:
    """Every 5 working days after the previous report while unauthorised absence goes on.

    Source: 002 §2.2.2.2. Only due dates up to `as_of` are known: whether absence "goes on"
    after today cannot be known yet.
    """
    previous = first_due
    while True:
        due = add_working_days(previous, 5)
        if due > as_of:
            return
        new_hours = any(previous < a.day <= due for a in unauthorised)
        window_start = facts.calendar.school_days_before(due, 20)
        in_window = sum(a.hours for a in unauthorised if window_start <= a.day <= due)
        if not (new_hours and in_window >= 16.0 - 1e-9):
            return
        yield Deadline(due, Rule.VERVOLGMELDING_16_UUR, facts.pupil_id, trigger=previous)
        previous = due


def vo_schema(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """VO/VSO: unauthorised absence plus late arrivals reach 3, 6, 9, 12 hours in a school year.

    Source: 004 (verzuimschema). Late arrivals count as stored (one hour each by default).
    """
    if facts.school_type not in _VO:
        return
    counted = sorted(
        (a for a in facts.absences if a.kind in ("ongeoorloofd", "te_laat")), key=lambda a: a.day
    )
    year_start: date | None = None
    total = 0.0
    reached: set[int] = set()
    for entry in counted:
        start = school_year_start(entry.day)
        if start != year_start:
            year_start, total, reached = start, 0.0, set()
        total += entry.hours
        for threshold, rule in _VO_THRESHOLDS:
            if total >= threshold - 1e-9 and threshold not in reached:
                reached.add(threshold)
                yield Deadline(
                    add_working_days(entry.day, 5), rule, facts.pupil_id, trigger=entry.day
                )


def thuiszitter_from(start: date, calendar: SchoolCalendar) -> date:
    """The day a pupil absent since `start` is a thuiszitter: the 20th school day, `start` being
    day 1 (the one definition: deadlines, agenda, quarterly overview, Inspectie registration)."""
    return calendar.nth_school_day(start, THUISZITTER_SCHOOL_DAYS)


def _twentieth_school_day(facts: PupilFacts, case: CaseFact) -> date:
    return thuiszitter_from(case.start, facts.calendar)


def absence_runs(facts: PupilFacts) -> list[list[date]]:
    """The runs of consecutive school days on each of which unauthorised or sick absence is
    stored (any hours); a school day without such an entry ends a run."""
    calendar = facts.calendar
    days = sorted({
        a.day for a in facts.absences
        if a.kind in THUISZITTER_ABSENCE and calendar.is_school_day(a.day)
    })  # fmt: skip
    runs: list[list[date]] = []
    previous = None
    for day in days:
        index = calendar.index(day)
        if runs and previous is not None and index == previous + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
        previous = index
    return runs


@dataclass(frozen=True)
class ThuiszitPeriod:
    """A time this pupil was absent 20 consecutive school days: from `first`, a thuiszitter
    from `reached` (the 20th school day), until `end` (None while it goes on)."""

    first: date
    reached: date
    end: date | None
    case: CaseFact | None = None


def thuiszitter_periods(facts: PupilFacts) -> list[ThuiszitPeriod]:
    """When this pupil was a thuiszitter: an enrolled pupil absent 20 consecutive school days,
    the first day being day 1 — by an open B2 or A1 case, or by stored unauthorised or sick
    absence on each of those days, whichever reached it first.

    Source: 004 (definition, werkwijzer 1), 001 §1 ("ook wegens ziekte"). The one definition
    the deadlines, the agenda, the quarterly overview and the Inspectie registration use.
    """
    if facts.school_type is None:
        return []
    # Most pupils have far fewer absence entries than a run needs: no runs to look for.
    counted = sum(1 for a in facts.absences if a.kind in THUISZITTER_ABSENCE)
    runs = absence_runs(facts) if counted >= THUISZITTER_SCHOOL_DAYS else []
    long_runs = [run for run in runs if len(run) >= THUISZITTER_SCHOOL_DAYS]
    cases = [c for c in facts.cases if c.category in _ENROLLED_ABSENCE]
    periods: list[ThuiszitPeriod] = []
    for case in cases:
        first, reached = case.start, _twentieth_school_day(facts, case)
        for run in long_runs:
            run_reached = run[THUISZITTER_SCHOOL_DAYS - 1]
            if _overlaps(case, run) and run_reached < reached:
                first, reached = run[0], run_reached
        if case.end is None or case.end >= reached:
            periods.append(ThuiszitPeriod(first, reached, case.end, case))
    for run in long_runs:
        if not any(_overlaps(case, run) for case in cases):
            periods.append(ThuiszitPeriod(run[0], run[THUISZITTER_SCHOOL_DAYS - 1], run[-1]))
    return sorted(periods, key=lambda period: (period.first, period.reached))


def _overlaps(case: CaseFact, run: list[date]) -> bool:
    return case.start <= run[-1] and (case.end is None or case.end >= run[0])


def vier_weken_verzuim(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """Absent 20 consecutive school days (a B2/A1 case, or stored absence): a thuiszitter.

    Source: 004 werkwijzer 1–8, 001 §1, 002 §3. The first day is day 1; the due date is the
    20th school day. Absence counts when `ongeoorloofd` or `ziek` is stored on each of those
    school days, whether or not a case was opened; a case counts from its start date.
    """
    for period in thuiszitter_periods(facts):
        # A case's deadline is known from the case's start (and ends with the case).
        trigger = period.case.start if period.case is not None else period.first
        yield Deadline(period.reached, Rule.VIER_WEKEN_VERZUIM, facts.pupil_id, trigger=trigger)


def plan_van_aanpak(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """A thuiszitter without a plan with a named regie-/contactpersoon: 10 school days after.

    Source: 004 werkwijzer 4, 002 §3 (10 school days: project default). The plan is recorded on
    the case.
    """
    for period in thuiszitter_periods(facts):
        case = period.case
        if case is None or case.contact_person:
            continue
        due = facts.calendar.add_school_days(period.reached, settings.plan_school_days)
        if case.end is None or case.end >= due:
            yield Deadline(due, Rule.PLAN_VAN_AANPAK, facts.pupil_id, trigger=period.reached)


def verzuim_75_procent(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """Registered absence over the last 20 school days reaches 75 % of the lesson hours.

    Source: 002 §3 (25 h/week PO, 30 h/week VO: project defaults).
    """
    if facts.school_type is None:
        return
    weekly = settings.weekly_hours_vo if facts.school_type in _VO else settings.weekly_hours_po
    threshold = 0.75 * weekly * 4
    for day in _crossings(_window_sums(list(facts.absences), facts.calendar, 20), threshold):
        yield Deadline(day, Rule.VERZUIM_75_PROCENT, facts.pupil_id, trigger=day)


def zonder_aanbod(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """At home 2 and 3 months without a suitable offer: escalate to the board, then the SWV.

    Source: 001 §1 (nobody at home > 2 months without an offer), 003 (Thuiszitterspact: no
    child > 3 months), 000 (escalation ladder).
    """
    for case in facts.cases:
        if case.category not in _AT_HOME:
            continue
        for months, rule in ((2, Rule.ZONDER_AANBOD_2M), (3, Rule.ZONDER_AANBOD_3M)):
            # "From then on": the first working day at home that long.
            due = working_day_on_or_after(add_months(case.start, months))
            has_offer = case.offer_since is not None and case.offer_since <= due
            if not has_offer and (case.end is None or case.end > due):
                yield Deadline(due, rule, facts.pupil_id, trigger=case.start)


def vrijstellingen(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """Exemptions: involve the SWV (5A/5B), 3 months before the end, and re-apply before 1 July.

    Sources: 000 (SWV involved at a 5-onder-a/b exemption), 001 §3 (contact the SWV 3 months
    before the end; "ieder jaar … altijd vóór 1 juli" unless permanent). The re-application is
    due before the 1 July at the end of every school year the exemption runs in, one ending on
    30 June included (it needs a new one for the next school year).
    """
    horizon = as_of + timedelta(days=settings.horizon_days)
    for exemption in facts.exemptions:
        if exemption.article in ("5A", "5B"):
            yield Deadline(exemption.start, Rule.VRIJSTELLING_SWV_BETREKKEN, facts.pupil_id,
                           trigger=exemption.start)  # fmt: skip
        if exemption.end is not None:
            # A short exemption: 3 months before its end lies before its start, so at once.
            due = max(add_months(exemption.end, -3), exemption.start)
            yield Deadline(due, Rule.VRIJSTELLING_EINDE_3M, facts.pupil_id, trigger=exemption.start)
        if exemption.permanent:
            continue
        last = horizon if exemption.end is None else exemption.end
        # 1 July closing each school year (1 August – 31 July) from the start's to the end's,
        # known ahead up to the horizon like other repeating deadlines.
        for year in range(school_year_start(exemption.start).year + 1,
                          school_year_start(last).year + 2):  # fmt: skip
            july = date(year, 7, 1)
            if july < exemption.start or july > horizon:
                continue
            # "Vóór 1 juli": the day before it, moved to a working day by the catalogue.
            yield Deadline(july - timedelta(days=1), Rule.VRIJSTELLING_HERAANVRAAG,
                           facts.pupil_id, trigger=exemption.start)  # fmt: skip


_TWO_WEEKS = 10  # school days


def _runs(days: Iterable[date], calendar: SchoolCalendar) -> list[list[date]]:
    """Days grouped into runs: a run ends where a school day without an entry lies between."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs:
            previous = runs[-1][-1]
            gap_first, gap_last = previous + timedelta(days=1), day - timedelta(days=1)
            if gap_first > gap_last or calendar.count_school_days(gap_first, gap_last) == 0:
                runs[-1].append(day)
                continue
        runs.append([day])
    return runs


def ziekte_gesprek(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """The 4th sick report in a calendar quarter, or a sick period longer than 2 weeks.

    Source: 002 §2.1.1 ("langer dan 2 weken": its 11th school day). A run of consecutive school
    days with sick entries is one report.
    """
    sick = [a.day for a in facts.absences if a.kind == "ziek"]
    runs = _runs(sick, facts.calendar)
    triggers: set[date] = set()
    per_quarter: dict[tuple[int, int], int] = {}
    for run in runs:
        quarter = (run[0].year, (run[0].month - 1) // 3)
        per_quarter[quarter] = per_quarter.get(quarter, 0) + 1
        if per_quarter[quarter] == 4:
            triggers.add(run[0])
        school_days = [d for d in run if facts.calendar.is_school_day(d)]
        if len(school_days) > _TWO_WEEKS:
            triggers.add(school_days[_TWO_WEEKS])
    for day in sorted(triggers):
        yield Deadline(add_working_days(day, 5), Rule.ZIEKTE_GESPREK, facts.pupil_id, trigger=day)


def schorsingen(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """Suspensions: longer than a day → notify; longer than 5 school days → not allowed; after
    it ends → a restorative talk.

    Source: 002 §2.1.3 (5 working days for the talk: project default). Without recorded dates, a
    run of schorsing entries on consecutive school days is one suspension.
    """
    periods = [(s.start, s.end) for s in facts.suspensions]
    recorded = {day for start, end in periods for day in facts.calendar.school_days(start, end)}
    entry_days = [a.day for a in facts.absences if a.kind == "schorsing" and a.day not in recorded]
    periods += [(run[0], run[-1]) for run in _runs(entry_days, facts.calendar)]
    for start, end in periods:
        if end > start:
            yield Deadline(start, Rule.SCHORSING_MELDING, facts.pupil_id, trigger=start)
        if facts.calendar.count_school_days(start, end) > 5:
            yield Deadline(start, Rule.SCHORSING_TE_LANG, facts.pupil_id, trigger=start)
        due = add_working_days(end, settings.herstelgesprek_working_days)
        yield Deadline(due, Rule.HERSTELGESPREK, facts.pupil_id, trigger=end)


def movements(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """Removal without a new school → SWV, leerplicht, BOC-er; (de-)registration → DUO in 7 days.

    Source: 002 §2.1.4, §2.2.1.
    """
    for movement in facts.movements:
        if movement.kind == "verwijdering" and not movement.has_new_school:
            yield Deadline(movement.day, Rule.VERWIJDERING_ZONDER_SCHOOL, facts.pupil_id,
                           trigger=movement.day)  # fmt: skip
        if movement.kind in ("uitschrijving", "inschrijving"):
            yield Deadline(movement.day + timedelta(days=7), Rule.UITSCHRIJVING_DUO, facts.pupil_id,
                           trigger=movement.day)  # fmt: skip


def absoluut_verzuim(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """An open B1 case: leerplicht checks every 14 days, the first 14 days after its start.

    Source: 001 §2. Occurrences are known ahead up to the horizon, while the case stays open.
    """
    horizon = as_of + timedelta(days=settings.horizon_days)
    for case in facts.cases:
        if case.category != "B1":
            continue
        due = case.start + timedelta(days=14)
        while due <= horizon and (case.end is None or due <= case.end):
            yield Deadline(due, Rule.ABSOLUUT_VERZUIM_CONTROLE, facts.pupil_id, trigger=case.start)
            due += timedelta(days=14)


def variawet(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """Variawet: a decision within 8 weeks; an approval holds one school year.

    Source: 002 bijlage, 001 §4 (renewal on 1 July: project default).
    """
    month, day = settings.variawet_renewal
    for application in facts.variawet:
        if application.decided is None:
            yield Deadline(application.applied + timedelta(weeks=8), Rule.VARIAWET_BESLUIT,
                           facts.pupil_id, trigger=application.applied)  # fmt: skip
        elif application.approved:
            # The first renewal date after the decision: an approval holds one school year.
            renewal = date(application.decided.year, month, day)
            if renewal <= application.decided:
                renewal = date(application.decided.year + 1, month, day)
            yield Deadline(renewal, Rule.VARIAWET_HERAANVRAAG, facts.pupil_id,
                           trigger=application.decided)  # fmt: skip


def evaluatie(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """A thuiszit period has ended: optional evaluation after 4 weeks (project default).

    Source: 000.
    """
    for case in facts.cases:
        if case.end is not None:
            yield Deadline(case.end + timedelta(days=settings.evaluatie_days), Rule.EVALUATIE,
                           facts.pupil_id, trigger=case.end)  # fmt: skip


def geen_actie(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """An open B1/B2/A1 case without an action for 4 weeks (project default).

    Source: 000 (monitor regularly). The due date moves with every recorded action.
    """
    for case in facts.cases:
        if case.category not in _AT_HOME:
            continue
        last = max((d for d in case.action_days if d <= as_of), default=case.start)
        last = max(last, case.start)
        due = last + timedelta(days=settings.geen_actie_days)
        if case.end is None or case.end > due:
            yield Deadline(due, Rule.GEEN_ACTIE, facts.pupil_id, trigger=last)


def leerplicht_einde(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """The pupil turns 18 (end of kwalificatieplicht) while a case is open.

    Source: 003, 004 (definition). A birthday on 29 February falls on 28 February.
    """
    if facts.birth_date is None:
        return
    birthday = add_months(facts.birth_date, 18 * 12)
    if any(_case_open_on(case, birthday) for case in facts.cases):
        yield Deadline(birthday, Rule.LEERPLICHT_EINDE, facts.pupil_id, trigger=birthday)


def dreigend_16_uur(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """Early warning: unauthorised hours in the last 20 school days reach the early-warning
    level (project default 10) while still below 16: talk with parents and pupil now.

    Source: 002 "Vroegsignalering", 003 "werk datagestuurd". Once per rising crossing: again
    only after the sum fell below the level. A day that jumps straight to 16 is the report's.
    """
    unauthorised = [a for a in facts.absences if a.kind == "ongeoorloofd"]
    sums = list(_window_sums(unauthorised, facts.calendar, 20))
    totals = {day: total for day, total, _ in sums}
    for day in _crossings(sums, settings.early_warning_hours):
        if totals[day] < 16.0 - 1e-9:
            yield Deadline(day, Rule.DREIGEND_16_UUR, facts.pupil_id, trigger=day)


def ziekmelding_patroon(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """The MAZL criteria: the 4th sick report within 12 school weeks (60 school days), or a
    sick period reaching 7 school days (project defaults): involve the GGD jeugdarts.

    Source: 002 §2.1.1, MAZL (NCJ). A run of consecutive school days with sick entries is one
    report, its first day the day of the report. Complements ZIEKTE_GESPREK.
    """
    sick = [a.day for a in facts.absences if a.kind == "ziek"]
    runs = _runs(sick, facts.calendar)
    triggers: set[date] = set()
    window, count = settings.sick_report_window_school_days, settings.sick_reports
    reported = [run[0] for run in runs]
    for n in range(count - 1, len(reported)):
        first, last = reported[n - count + 1], reported[n]
        if facts.calendar.index(last) - facts.calendar.index(first) < window:
            triggers.add(last)
    for run in runs:
        school_days = [d for d in run if facts.calendar.is_school_day(d)]
        if len(school_days) >= settings.sick_period_school_days:
            triggers.add(school_days[settings.sick_period_school_days - 1])
    for day in sorted(triggers):
        due = add_working_days(day, 5)
        yield Deadline(due, Rule.ZIEKMELDING_PATROON, facts.pupil_id, trigger=day)


@dataclass(frozen=True)
class WarningFacts:
    """What triggered an early warning, in the protocol's own terms (never a score)."""

    kind: str  # "hours", "sick_reports" or "sick_period"
    amount: float  # hours, reports or school days
    school_days: int  # the school days the amount lies in


def early_warning_facts(
    rule: str, trigger: date, facts: PupilFacts, settings: ProtocolSettings
) -> WarningFacts | None:
    """The facts behind an early warning triggered on `trigger` ("11 uur in 14 schooldagen")."""
    calendar = facts.calendar
    if rule == Rule.DREIGEND_16_UUR:
        start = calendar.school_days_before(trigger, 20)
        days = [a for a in facts.absences if a.kind == "ongeoorloofd" and start <= a.day <= trigger]
        if not days:
            return None
        first = min(a.day for a in days)
        hours = sum(a.hours for a in days)
        return WarningFacts("hours", hours, calendar.count_school_days(first, trigger))
    if rule == Rule.ZIEKMELDING_PATROON:
        runs = _runs([a.day for a in facts.absences if a.kind == "ziek"], calendar)
        period = settings.sick_period_school_days
        for run in runs:
            school_days = [d for d in run if calendar.is_school_day(d)]
            if len(school_days) >= period and school_days[period - 1] == trigger:
                return WarningFacts("sick_period", period, period)
        window = settings.sick_report_window_school_days
        reported = [run[0] for run in runs if run[0] <= trigger]
        recent = [d for d in reported if calendar.index(trigger) - calendar.index(d) < window]
        if not recent:
            return None
        return WarningFacts("sick_reports", len(recent),
                            calendar.count_school_days(recent[0], trigger))  # fmt: skip
    return None


def deadlines_for(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings = DEFAULT_SETTINGS
) -> list[Deadline]:
    """All deadlines of one pupil, sorted, each once, each due on a working day; those of a
    case that has ended by `as_of` and that need an open case are marked CASE_CLOSED, those
    whose purpose was overtaken SUPERSEDED."""
    # Within one pupil, (rule, due) is the identity.
    found = {
        (d.rule, d.due): d
        for rule in PUPIL_RULES
        for d in map(on_working_day, rule(facts, as_of, settings))
        if d.rule not in facts.rules_off
    }
    closed = [_closed_by_case(d, facts, as_of) for d in found.values()]
    return sorted(_superseded(closed, as_of), key=_order)


def on_working_day(deadline: Deadline) -> Deadline:
    """The deadline moved to a working day as its rule's date means (`DueMeans`); "by then"
    never moves before the day that triggered it."""
    means = CATALOGUE[deadline.rule].due_means
    if means is DueMeans.COUNTED or is_working_day(deadline.due):
        return deadline
    due = working_day_on_or_before(deadline.due) if means is DueMeans.BY else deadline.due
    if means is DueMeans.FROM or due < deadline.trigger:
        due = working_day_on_or_after(deadline.due)
    return replace(deadline, due=due)


def _superseded(deadlines: list[Deadline], as_of: date) -> list[Deadline]:
    """Close (SUPERSEDED) what was overtaken: an early warning by the 16-hour report of the same
    rise, the 2-month step by the 3-month step once that is due, an occurrence of a periodic
    rule once the next one is due. Source: 000 (escalation ladder), 002 Vroegsignalering."""
    if not any(d.rule in _OVERTAKEN for d in deadlines):
        return deadlines
    reports = [d.trigger for d in deadlines if d.rule == Rule.MELDING_16_UUR]
    warnings = sorted(d.trigger for d in deadlines if d.rule == Rule.DREIGEND_16_UUR)
    three_months = {
        d.trigger for d in deadlines if d.rule == Rule.ZONDER_AANBOD_3M and d.due <= as_of
    }
    next_due: dict[tuple[str, date], list[date]] = defaultdict(list)
    for d in deadlines:
        if d.rule in PERIODIC:
            next_due[d.rule, d.trigger if d.pupil_id is not None else date.min].append(d.due)
    result = []
    for d in deadlines:
        overtaken = False
        if d.rule == Rule.DREIGEND_16_UUR:
            later = [w for w in warnings if w > d.trigger]
            until = later[0] if later else date.max
            overtaken = any(d.trigger <= day < until for day in reports)
        elif d.rule == Rule.ZONDER_AANBOD_2M:
            overtaken = d.trigger in three_months
        elif d.rule in PERIODIC:
            group = next_due[d.rule, d.trigger if d.pupil_id is not None else date.min]
            overtaken = any(d.due < other <= as_of for other in group)
        result.append(replace(d, closed=SUPERSEDED) if overtaken and d.closed is None else d)
    return result


_OVERTAKEN = PERIODIC | {Rule.DREIGEND_16_UUR, Rule.ZONDER_AANBOD_2M}


def _closed_by_case(deadline: Deadline, facts: PupilFacts, as_of: date) -> Deadline:
    if deadline.rule not in NEEDS_OPEN_CASE:
        return deadline
    # The case a deadline belongs to: the latest one open on its trigger (a run of absence
    # after a closed case belongs to no case).
    started = [
        case for case in facts.cases
        if case.start <= deadline.trigger and (case.end is None or case.end >= deadline.trigger)
    ]  # fmt: skip
    case = max(started, key=lambda c: c.start, default=None)
    if case is not None and case.end is not None and case.end <= as_of:
        return replace(deadline, closed=CASE_CLOSED)
    return deadline


def _order(deadline: Deadline) -> tuple[date, str]:
    # Within one pupil, due date and rule identify a deadline.
    return deadline.due, deadline.rule


def is_ongoing(facts: PupilFacts, as_of: date) -> bool:
    """Whether anything about this pupil still asks for action on `as_of`: a case open that
    day, or unauthorised or sick absence within the last 20 school days. An overdue deadline
    the bot only now learns of is then achterstand (kept in view), else history."""
    if any(_case_open_on(case, as_of) for case in facts.cases):
        return True
    window_start = facts.calendar.school_days_before(as_of, THUISZITTER_SCHOOL_DAYS)
    return any(
        a.kind in THUISZITTER_ABSENCE and window_start <= a.day <= as_of for a in facts.absences
    )


# ----- organisation rules -----


def _yearly(
    org: OrganisationFacts, as_of: date, horizon_days: int, dates: Iterable[tuple[int, int]]
) -> Iterator[date]:
    horizon = as_of + timedelta(days=horizon_days)
    for year in range(org.registered_on.year, horizon.year + 1):
        for month, day in dates:
            occurrence = date(year, month, day)
            if org.registered_on <= occurrence <= horizon:
                yield occurrence


def kwartaal_peildatum(
    org: OrganisationFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """The quarterly reference dates, per SWV and per board. Source: 000, 001."""
    if org.kind in ("swv", "bestuur"):
        peildata = ((9, 15), (12, 15), (3, 15), (6, 15))
        yield from _periodic(org, Rule.KWARTAAL_PEILDATUM, as_of, settings, peildata)


def leerplicht_verificatie(
    org: OrganisationFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """Verification of the thuiszitters four times a year (project default dates), by the SWV
    with the BOC-ers and leerplicht: one occurrence for the SWV (all its cases), one per board
    (its schools' cases) and one per gemeente with an open case on the day. Source: 000."""
    dates = settings.verification_dates
    if org.kind in ("swv", "bestuur"):
        yield from _periodic(org, Rule.LEERPLICHT_VERIFICATIE, as_of, settings, dates)
    elif org.kind == "gemeente":
        for d in _periodic(org, Rule.LEERPLICHT_VERIFICATIE, as_of, settings, dates):
            if _case_open_in(org, d.due):
                yield d


def overleg(org: OrganisationFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """The two meetings twice a year, per SWV (project default dates). Source: 000."""
    if org.kind == "swv":
        for rule in (Rule.OVERLEG_BOC_NETWERK, Rule.OVERLEG_LEERPLICHT):
            yield from _periodic(org, rule, as_of, settings, settings.overleg_dates)


def _case_open_in(org: OrganisationFacts, day: date) -> bool:
    """Whether any case of the gemeente's pupils is open on `day`."""
    return any(start <= day and (end is None or end >= day) for start, end in org.open_periods)


def maandoverzicht(
    org: OrganisationFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """The monthly overview for the SWV, per gemeente with an open case on the day (project
    default: the 1st). Source: 002 §3."""
    if org.kind == "gemeente":
        months = [(m, settings.monthly_overview_day) for m in range(1, 13)]
        for d in _periodic(org, Rule.MAANDOVERZICHT_SWV, as_of, settings, months):
            if _case_open_in(org, d.due):
                yield d


def _periodic(
    org: OrganisationFacts,
    rule: Rule,
    as_of: date,
    settings: ProtocolSettings,
    dates: Iterable[tuple[int, int]],
) -> Iterator[Deadline]:
    owner = (org.kind, org.org_id)
    for day in _yearly(org, as_of, settings.horizon_days, dates):
        yield Deadline(day, rule, org=owner, trigger=day)


def organisation_deadlines(
    org: OrganisationFacts, as_of: date, settings: ProtocolSettings = DEFAULT_SETTINGS
) -> list[Deadline]:
    """The periodic deadlines of one organisation, from the day it was registered in the bot,
    each on a working day; an occurrence overtaken by the next is SUPERSEDED."""
    found = {
        d.identity: d
        for rule in ORGANISATION_RULES
        for d in map(on_working_day, rule(org, as_of, settings))
    }
    return sorted(_superseded(list(found.values()), as_of))


# ----- the catalogue -----

PupilRule = Callable[[PupilFacts, date, ProtocolSettings], Iterator[Deadline]]
OrganisationRule = Callable[[OrganisationFacts, date, ProtocolSettings], Iterator[Deadline]]


@dataclass(frozen=True)
class RuleSpec:
    """One rule of the catalogue. Its action text (what people are asked to do) is in
    `bot.texts.RULE_ACTIONS`, where the translations are."""

    rule: Rule
    recipients: tuple[str, ...]  # roles, in order; "zorgcoordinator" is the school
    source: str  # the seed protocols that ask for it
    # The nudge carries the organisation's draft overview (the workbook) as a document.
    carries_report: bool = False
    # Shown in an update's confirmation when it appears or lapses (GEEN_ACTIE is noise there).
    announced: bool = True
    # Roles added for pupils of secondary schools (VO, VSO).
    vo_also: tuple[str, ...] = ()
    # What its due date means, and so how it is moved to a working day (RULES.md shows it).
    due_means: DueMeans = DueMeans.COUNTED
    # The function that yields this rule's deadlines: from a pupil's facts or an organisation's.
    pupil: PupilRule | None = None
    organisation: OrganisationRule | None = None

    def __post_init__(self) -> None:
        if (self.pupil is None) == (self.organisation is None):
            raise ValueError(f"{self.rule}: computed from a pupil or from an organisation")


_Z, _BOC, _LP, _SWV = "zorgcoordinator", "boc", "leerplicht", "swv"

_BY, _FROM = DueMeans.BY, DueMeans.FROM

CATALOGUE_ORDER: tuple[RuleSpec, ...] = (
    RuleSpec(Rule.MELDING_16_UUR, (_Z, _BOC), "002 §2.2.2.2, 004, 000", pupil=melding_16_uur),
    RuleSpec(Rule.VERVOLGMELDING_16_UUR, (_Z,), "002 §2.2.2.2", pupil=melding_16_uur),
    RuleSpec(Rule.VO_3_UUR, (_Z,), "004 (verzuimschema)", pupil=vo_schema),
    RuleSpec(Rule.VO_6_UUR, (_Z,), "004 (verzuimschema)", pupil=vo_schema),
    RuleSpec(Rule.VO_9_UUR, (_Z,), "004 (verzuimschema)", pupil=vo_schema),
    RuleSpec(Rule.VO_12_UUR, (_Z,), "004 (verzuimschema)", pupil=vo_schema),
    RuleSpec(Rule.VIER_WEKEN_VERZUIM, (_Z, _BOC, _SWV, _LP), "004, 001 §1, 002 §3",
             pupil=vier_weken_verzuim),
    # The day a level is reached: nobody can act on it before.
    RuleSpec(Rule.VERZUIM_75_PROCENT, (_Z,), "002 §3", due_means=_FROM, pupil=verzuim_75_procent),
    RuleSpec(Rule.ZONDER_AANBOD_2M, (_BOC, _Z), "001 §1, 000", due_means=_FROM,
             pupil=zonder_aanbod),
    RuleSpec(Rule.ZONDER_AANBOD_3M, (_SWV, _BOC), "003, 000", due_means=_FROM,
             pupil=zonder_aanbod),
    RuleSpec(Rule.PLAN_VAN_AANPAK, (_Z,), "004 werkwijzer 4, 002 §3", pupil=plan_van_aanpak),
    RuleSpec(Rule.VRIJSTELLING_SWV_BETREKKEN, (_SWV, _BOC), "000", due_means=_FROM,
             pupil=vrijstellingen),
    RuleSpec(Rule.VRIJSTELLING_EINDE_3M, (_LP, _SWV), "001 §3", due_means=_BY,
             pupil=vrijstellingen),
    RuleSpec(Rule.VRIJSTELLING_HERAANVRAAG, (_LP,), "001 §3", due_means=_BY,
             pupil=vrijstellingen),
    RuleSpec(Rule.ZIEKTE_GESPREK, (_Z,), "002 §2.1.1", pupil=ziekte_gesprek),
    RuleSpec(Rule.SCHORSING_MELDING, (_Z,), "002 §2.1.3", due_means=_FROM, pupil=schorsingen),
    RuleSpec(Rule.SCHORSING_TE_LANG, (_Z, _BOC), "002 §2.1.3", due_means=_FROM,
             pupil=schorsingen),
    RuleSpec(Rule.HERSTELGESPREK, (_Z,), "002 §2.1.3", pupil=schorsingen),
    RuleSpec(Rule.VERWIJDERING_ZONDER_SCHOOL, (_SWV, _LP, _BOC), "002 §2.1.4", due_means=_FROM,
             pupil=movements),
    RuleSpec(Rule.UITSCHRIJVING_DUO, (_Z,), "002 §2.1.4, §2.2.1", due_means=_BY,
             pupil=movements),
    RuleSpec(Rule.ABSOLUUT_VERZUIM_CONTROLE, (_LP,), "001 §2", due_means=_FROM,
             pupil=absoluut_verzuim),
    RuleSpec(Rule.MAANDOVERZICHT_SWV, (_LP,), "002 §3", carries_report=True, due_means=_FROM,
             organisation=maandoverzicht),
    RuleSpec(Rule.KWARTAAL_PEILDATUM, (_BOC, _SWV), "000, 001", carries_report=True,
             due_means=_FROM, organisation=kwartaal_peildatum),
    RuleSpec(Rule.LEERPLICHT_VERIFICATIE, (_SWV, _BOC, _LP), "000", due_means=_FROM,
             organisation=leerplicht_verificatie),
    RuleSpec(Rule.OVERLEG_BOC_NETWERK, (_SWV,), "000", due_means=_FROM, organisation=overleg),
    RuleSpec(Rule.OVERLEG_LEERPLICHT, (_SWV,), "000", due_means=_FROM, organisation=overleg),
    RuleSpec(Rule.VARIAWET_BESLUIT, (_Z,), "002 bijlage, 001 §4", due_means=_BY,
             pupil=variawet),
    RuleSpec(Rule.VARIAWET_HERAANVRAAG, (_Z,), "002 bijlage", due_means=_BY, pupil=variawet),
    RuleSpec(Rule.EVALUATIE, (_BOC,), "000", due_means=_FROM, pupil=evaluatie),
    RuleSpec(Rule.GEEN_ACTIE, (_Z,), "000, project default", announced=False, due_means=_FROM,
             pupil=geen_actie),
    RuleSpec(Rule.LEERPLICHT_EINDE, (_Z, _LP), "003, 004", due_means=_FROM,
             pupil=leerplicht_einde),
    RuleSpec(Rule.DREIGEND_16_UUR, (_Z,), "002 Vroegsignalering, 003", vo_also=(_BOC,),
             due_means=_FROM, pupil=dreigend_16_uur),
    RuleSpec(Rule.ZIEKMELDING_PATROON, (_Z,), "002 §2.1.1, MAZL (NCJ)", pupil=ziekmelding_patroon),
)  # fmt: skip

# By code (a stored deadline's rule is a plain string).
CATALOGUE: dict[str, RuleSpec] = {spec.rule.value: spec for spec in CATALOGUE_ORDER}

# Each function once, in catalogue order (one function may yield several rules).
PUPIL_RULES: tuple[PupilRule, ...] = tuple(
    dict.fromkeys(spec.pupil for spec in CATALOGUE_ORDER if spec.pupil is not None)
)
ORGANISATION_RULES: tuple[OrganisationRule, ...] = tuple(
    dict.fromkeys(spec.organisation for spec in CATALOGUE_ORDER if spec.organisation is not None)
)


# ----- the escalation ladder -----

# School → board → SWV (000). Leerplicht is the municipality's own line: not on this ladder.
LADDER = (_Z, _BOC, _SWV)


def recipients_of(rule: str, school_type: str | None) -> tuple[str, ...]:
    """The roles a pupil's deadline goes to: the rule's own, and for VO/VSO pupils its extra."""
    spec = CATALOGUE[rule]
    extra = spec.vo_also if school_type in _VO else ()
    return tuple(dict.fromkeys((*spec.recipients, *extra)))


def escalated_to(
    rule: str,
    due: date,
    today: date,
    settings: ProtocolSettings,
    school_type: str | None = None,
    learned: date | None = None,
) -> tuple[str, ...]:
    """The roles a pupil's deadline, still open on `today`, has been escalated to.

    After `escalation_working_days` working days past the due date, the rung above its highest
    recipient is added (the school's deadlines go to the BOC-ers, the BOC-ers' to the SWV);
    after as many again, the SWV is added too. Source: 000 (escalatieladder). A deadline the
    bot `learned` of only after its due date (achterstand) counts from that day instead: nobody
    could act on it before.
    """
    spec = CATALOGUE.get(rule)
    if spec is None or spec.pupil is None or rule in settings.not_escalated:
        return ()
    own = recipients_of(rule, school_type)
    rungs = [LADDER.index(role) for role in own if role in LADDER]
    if not rungs:
        return ()
    added: list[str] = []
    first, second = escalation_days(due, settings, learned)
    if today >= first and max(rungs) + 1 < len(LADDER):
        added.append(LADDER[max(rungs) + 1])
    if today >= second and _SWV not in own and _SWV not in added:
        added.append(_SWV)
    return tuple(added)


def escalation_days(
    due: date, settings: ProtocolSettings, learned: date | None = None
) -> tuple[date, date]:
    """The days on which the first and the second rung are added: counted from the due date,
    or from the day the bot learned of the deadline when that was later."""
    start = due if learned is None else max(due, learned)
    first = add_working_days(start, settings.escalation_working_days)
    return first, add_working_days(first, settings.escalation_working_days)
