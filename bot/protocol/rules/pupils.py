"""The rules computed from one pupil's facts: absence thresholds, thuiszitters, exemptions,
suspensions, enrolment changes, the Variawet, evaluations and the end of compulsory education."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from bot.protocol.calendar import SchoolCalendar, add_working_days, working_day_on_or_after
from bot.protocol.facts import AbsenceFact, CaseFact, PupilFacts
from bot.protocol.rules.base import (
    _AT_HOME,
    _ENROLLED_ABSENCE,
    _VO,
    _VO_THRESHOLDS,
    THUISZITTER_ABSENCE,
    THUISZITTER_SCHOOL_DAYS,
    Deadline,
    ProtocolSettings,
    Rule,
    _case_open_on,
    _crossings,
    _window_sums,
    add_months,
    school_year_start,
)


def melding_16_uur(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """16 hours unauthorised absence within 20 school days: report within 5 working days.

    Each time the 20-school-day sum rises to 16 hours again (after having dropped below), that
    is a new report; follow-ups while it continues are `VERVOLGMELDING_16_UUR`.
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

    Only due dates up to `as_of` are known: whether absence "goes on"
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

    Late arrivals count as stored (one hour each by default).
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
    days = sorted(
        {
            a.day
            for a in facts.absences
            if a.kind in THUISZITTER_ABSENCE and calendar.is_school_day(a.day)
        }
    )
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

    The first day is day 1; the due date is the
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

    10 school days: a project default. The plan is recorded on the case.
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

    25 h/week PO, 30 h/week VO: project defaults.
    """
    if facts.school_type is None:
        return
    weekly = settings.weekly_hours_vo if facts.school_type in _VO else settings.weekly_hours_po
    threshold = 0.75 * weekly * 4
    for day in _crossings(_window_sums(list(facts.absences), facts.calendar, 20), threshold):
        yield Deadline(day, Rule.VERZUIM_75_PROCENT, facts.pupil_id, trigger=day)


def zonder_aanbod(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """At home 2 and 3 months without a suitable offer: escalate to the board, then the SWV.

    Nobody at home more than 2 months without an offer; no child more than 3 months; the
    escalation ladder.
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

    The SWV is involved at a 5-onder-a/b exemption; the SWV is contacted 3 months before the
    end; "ieder jaar … altijd vóór 1 juli" unless permanent. The re-application is
    due before the 1 July at the end of every school year the exemption runs in, one ending on
    30 June included (it needs a new one for the next school year).
    """
    horizon = as_of + timedelta(days=settings.horizon_days)
    for exemption in facts.exemptions:
        if exemption.article in ("5A", "5B"):
            yield Deadline(
                exemption.start,
                Rule.VRIJSTELLING_SWV_BETREKKEN,
                facts.pupil_id,
                trigger=exemption.start,
            )
        if exemption.end is not None:
            # A short exemption: 3 months before its end lies before its start, so at once.
            due = max(add_months(exemption.end, -3), exemption.start)
            yield Deadline(due, Rule.VRIJSTELLING_EINDE_3M, facts.pupil_id, trigger=exemption.start)
        if exemption.permanent:
            continue
        last = horizon if exemption.end is None else exemption.end
        # 1 July closing each school year (1 August – 31 July) from the start's to the end's,
        # known ahead up to the horizon like other repeating deadlines.
        for year in range(
            school_year_start(exemption.start).year + 1, school_year_start(last).year + 2
        ):
            july = date(year, 7, 1)
            # A 1 July on or before the start is not one the exemption runs across: its
            # re-application would be due before the exemption began.
            if july <= exemption.start or july > horizon:
                continue
            # "Vóór 1 juli": the day before it, moved to a working day by the catalogue.
            yield Deadline(
                july - timedelta(days=1),
                Rule.VRIJSTELLING_HERAANVRAAG,
                facts.pupil_id,
                trigger=exemption.start,
            )


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

    "Langer dan 2 weken": its 11th school day. A run of consecutive school
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

    5 working days for the talk: a project default. Without recorded dates, a run of schorsing
    entries on consecutive school days is one suspension.
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
    """Removal without a new school → SWV, leerplicht, BOC-er; (de-)registration → DUO in 7 days."""
    for movement in facts.movements:
        if movement.kind == "verwijdering" and not movement.has_new_school:
            yield Deadline(
                movement.day, Rule.VERWIJDERING_ZONDER_SCHOOL, facts.pupil_id, trigger=movement.day
            )
        if movement.kind in ("uitschrijving", "inschrijving"):
            yield Deadline(
                movement.day + timedelta(days=7),
                Rule.UITSCHRIJVING_DUO,
                facts.pupil_id,
                trigger=movement.day,
            )


def absoluut_verzuim(
    facts: PupilFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """An open B1 case: leerplicht checks every 14 days, the first 14 days after its start.

    Occurrences are known ahead up to the horizon, while the case stays open.
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

    Renewal on 1 July: a project default.
    """
    month, day = settings.variawet_renewal
    for application in facts.variawet:
        if application.decided is None:
            yield Deadline(
                application.applied + timedelta(weeks=8),
                Rule.VARIAWET_BESLUIT,
                facts.pupil_id,
                trigger=application.applied,
            )
        elif application.approved:
            # The first renewal date after the decision: an approval holds one school year.
            renewal = date(application.decided.year, month, day)
            if renewal <= application.decided:
                renewal = date(application.decided.year + 1, month, day)
            yield Deadline(
                renewal, Rule.VARIAWET_HERAANVRAAG, facts.pupil_id, trigger=application.decided
            )


def evaluatie(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """A thuiszit period has ended: optional evaluation after 4 weeks (project default)."""
    for case in facts.cases:
        if case.end is not None:
            yield Deadline(
                case.end + timedelta(days=settings.evaluatie_days),
                Rule.EVALUATIE,
                facts.pupil_id,
                trigger=case.end,
            )


def geen_actie(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """An open B1/B2/A1 case without an action for 4 weeks (project default).

    Monitor regularly: the due date moves with every recorded action.
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

    A birthday on 29 February falls on 28 February.
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

    "Vroegsignalering", "werk datagestuurd". Once per rising crossing: again
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

    After MAZL (NCJ). A run of consecutive school days with sick entries is one
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


def na_melding(facts: PupilFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """A melding made (marked done): report back in 10 working days; if unlinked, link in 2.

    Leerplicht reports back to the school what came of it (002 §2.2.2.3 "in alle gevallen
    rapporteert de leerplichtambtenaar aan de melder terug"; 004 LPA1–LPA3), and — while no
    leerplicht officer is linked to the pupil, so that nobody would be asked — the BOC-er links
    one. Both counted in working days (project defaults)."""
    for day in sorted(set(facts.reported)):
        due = add_working_days(day, settings.terugkoppeling_working_days)
        yield Deadline(due, Rule.LEERPLICHT_TERUGKOPPELING, facts.pupil_id, trigger=day)
    if facts.reported and not facts.leerplicht_linked:
        first = min(facts.reported)
        due = add_working_days(first, settings.koppelen_working_days)
        yield Deadline(due, Rule.LEERPLICHT_KOPPELEN, facts.pupil_id, trigger=first)
