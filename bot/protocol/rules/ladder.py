"""The escalation ladder: who hears of a deadline that stays open, and when."""

from __future__ import annotations

from datetime import date

from bot.protocol.calendar import add_working_days
from bot.protocol.rules.base import _BOC, _SWV, _VO, _Z, ProtocolSettings
from bot.protocol.rules.catalogue import CATALOGUE

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
