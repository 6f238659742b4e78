"""The deadline rules, as pure functions of one pupil's (or organisation's) facts; RULES.md
lists them.

Each rule takes the facts, the as-of date and the project settings, and yields `Deadline`s. A
deadline is identified by (pupil, rule, due): computing twice from the same facts gives the same
set. Rules never look at the clock; `as_of` is only used where the protocol makes a deadline
depend on what happened up to a date (follow-up reports, periodic occurrences).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from bot.protocol.calendar import is_working_day, working_day_on_or_after, working_day_on_or_before
from bot.protocol.facts import OrganisationFacts, PupilFacts
from bot.protocol.rules.base import (
    CASE_CLOSED,
    DEFAULT_SETTINGS,
    EARLY_WARNINGS,
    NEEDS_OPEN_CASE,
    PERIODIC,
    REPORTED_BY,
    SUPERSEDED,
    SWITCHABLE,
    THUISZITTER_ABSENCE,
    THUISZITTER_SCHOOL_DAYS,
    Deadline,
    DueMeans,
    ProtocolSettings,
    Rule,
    _case_open_on,
    add_months,
    school_year_start,
)
from bot.protocol.rules.catalogue import (
    CATALOGUE,
    CATALOGUE_ORDER,
    ORGANISATION_RULES,
    PUPIL_RULES,
    RuleSpec,
)
from bot.protocol.rules.ladder import escalated_to, escalation_days, recipients_of
from bot.protocol.rules.pupils import thuiszitter_from, thuiszitter_periods
from bot.protocol.rules.warnings import WarningFacts, early_warning_facts

__all__ = [
    "CASE_CLOSED",
    "CATALOGUE",
    "CATALOGUE_ORDER",
    "DEFAULT_SETTINGS",
    "EARLY_WARNINGS",
    "NEEDS_OPEN_CASE",
    "ORGANISATION_RULES",
    "PUPIL_RULES",
    "REPORTED_BY",
    "SUPERSEDED",
    "SWITCHABLE",
    "Deadline",
    "DueMeans",
    "ProtocolSettings",
    "Rule",
    "RuleSpec",
    "WarningFacts",
    "add_months",
    "deadlines_for",
    "early_warning_facts",
    "escalated_to",
    "escalation_days",
    "is_ongoing",
    "organisation_deadlines",
    "recipients_of",
    "school_year_start",
    "thuiszitter_from",
    "thuiszitter_periods",
]


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
        case
        for case in facts.cases
        if case.start <= deadline.trigger and (case.end is None or case.end >= deadline.trigger)
    ]
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
