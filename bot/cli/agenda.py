"""`agenda`: the open deadlines due up to a date, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from typing import Any

from bot.cli.common import (
    iso_date,
)
from bot.i18n import Translator
from bot.services import audit
from bot.services.container import Services
from bot.services.deadlines import agenda
from bot.services.organisations import (
    OrganisationError,
)
from bot.storage.models import AuditAction, AuditChannel


def _agenda(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    if args.days < 0 or args.days > 3660:
        raise OrganisationError("bad_days_ahead")
    as_of = args.as_of or services.clock.now().date()
    with services.session() as session:
        items = agenda(
            session=session,
            as_of=as_of,
            days=args.days,
            settings=services.settings.protocol,
            include_history=args.all,
        )
        audit.record(
            session,
            action=AuditAction.EXPORT,
            at=services.clock.now(),
            channel=AuditChannel.CLI,
            detail="agenda",
        )
    if args.json:
        print(json.dumps([item.as_json() for item in items], ensure_ascii=False, indent=2))
        return
    _ = tr.gettext
    if not items:
        print(
            _("No open deadlines up to {date}.").format(date=tr.date(as_of + timedelta(args.days)))
        )
        return
    rows = [(_("Due"), _("Rule"), _("Pupil"), _("For"), _("Status"))]
    statuses = {"open": _("open"), "overdue": _("overdue"), "history": _("history")}
    rows += [
        (
            tr.date(i.due),
            i.rule,
            i.leerling_id or "—",
            ", ".join((*i.recipients, *(f"+{role}" for role in i.escalated_to))),
            statuses[i.status],
        )
        for i in items
    ]
    widths = [max(len(row[n]) for row in rows) for n in range(5)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def register(commands: Any) -> None:
    """`agenda`."""
    agenda = commands.add_parser(
        "agenda", help="the open deadlines due up to as-of + N days, overdue ones included"
    )
    agenda.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")
    agenda.add_argument("--days", type=int, default=30, help="days ahead (default 30)")
    agenda.add_argument("--json", action="store_true", help="JSON instead of a table")
    agenda.add_argument(
        "--all",
        action="store_true",
        help="also the deadlines stored as history (first computed long after they were due)",
    )
    agenda.set_defaults(handler=_agenda)
