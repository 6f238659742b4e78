"""Early warnings: the facts behind a warning before a threshold, as its nudge says them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.protocol.facts import PupilFacts
from bot.protocol.rules.base import ProtocolSettings, Rule
from bot.protocol.rules.pupils import _runs


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
        return WarningFacts(
            "sick_reports", len(recent), calendar.count_school_days(recent[0], trigger)
        )
    return None
