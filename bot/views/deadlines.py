"""What a change did to the protocol's deadlines, as lines under a confirmation (quick updates,
/nieuw, a case opened, the web forms)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.i18n import Translator
from bot.protocol.rules import CATALOGUE, SUPERSEDED, Deadline
from bot.services.deadlines import DeadlineChanges
from bot.texts import RULE_ACTIONS, SUPERSEDED_BY, SUPERSEDED_BY_NEXT

_SHOWN = 3
# Lapsed deadlines due further ahead than /agenda looks were in nobody's view yet.
_LAPSED_AHEAD = timedelta(days=30)


def deadline_lines(changes: DeadlineChanges, today: date, tr: Translator) -> list[str]:
    """What a change did to the protocol's deadlines, in a few lines: what is overdue
    (achterstand) first, then what is coming, then what lapsed or was overtaken. A deadline is
    never shown both as overdue and as closed."""
    _ = tr.gettext
    created = sorted(
        (d for d in changes.created if CATALOGUE[d.rule].announced), key=lambda d: d.due
    )
    overdue = [d for d in created if d.due < today]
    coming = [d for d in created if d.due >= today]
    # A deadline closed long before it came up (the 18th birthday of an 11-year-old) never
    # applied to anyone: reporting it as lapsed would only puzzle. One whose rule is created
    # anew in the same change moved (another date): only the new one is news.
    created_rules = {d.rule for d in created}
    closed = [
        d
        for d in changes.closed
        if CATALOGUE[d.rule].announced
        and d.due <= today + _LAPSED_AHEAD
        and d.rule not in created_rules
    ]
    lines = [
        "⚠ "
        + _("{action}: overdue, this was due by {date}").format(
            action=_(RULE_ACTIONS[d.rule]), date=tr.day(d.due)
        )
        for d in overdue[:_SHOWN]
    ]
    if len(overdue) > _SHOWN:
        lines.append(
            tr.ngettext(
                "… and {count} more overdue: /agenda lists them.",
                "… and {count} more overdue: /agenda lists them.",
                len(overdue) - _SHOWN,
            ).format(count=len(overdue) - _SHOWN)
        )
    lines += [
        "⏰ " + _("{action}: by {date}").format(action=_(RULE_ACTIONS[d.rule]), date=tr.day(d.due))
        for d in coming[:_SHOWN]
    ]
    lines += [_closed_line(d, tr) for d in closed[:_SHOWN]]
    if changes.history:
        lines.append(
            "🗂 "
            + tr.ngettext(
                "{count} deadline was due long ago: kept as history in the dossier, without "
                "reminders.",
                "{count} deadlines were due long ago: kept as history in the dossier, without "
                "reminders.",
                len(changes.history),
            ).format(count=len(changes.history))
        )
    return lines


def _closed_line(deadline: Deadline, tr: Translator) -> str:
    action = tr.gettext(RULE_ACTIONS[deadline.rule])
    if deadline.closed == SUPERSEDED:
        reason = SUPERSEDED_BY.get(deadline.rule, SUPERSEDED_BY_NEXT)
        return "✓ " + tr.gettext("{action}: {reason}").format(
            action=action, reason=tr.gettext(reason)
        )
    return "✓ " + tr.gettext("No longer needed: {action}").format(action=action)
