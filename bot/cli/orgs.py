"""`org`: register and list organisations, closure days, early warnings switched off, and
whether a chat message that named a pupil is deleted once saved."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import (
    iso_date,
)
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.deadlines import sync_organisations
from bot.services.organisations import (
    OrganisationError,
    add_bestuur,
    add_closures,
    add_gemeente,
    add_school,
    add_swv,
    list_organisations,
    recompute_school,
    set_clear_named_messages,
    switch_rules_off,
)
from bot.storage.models import OrgKind, Region, SchoolType
from bot.texts import ROLE_NAMES


def _org_add(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    now = services.clock.now()
    today = now.date()
    with services.session() as session:
        if args.kind == OrgKind.SWV:
            add_swv(session=session, name=args.name, today=today)
        elif args.kind == OrgKind.BESTUUR:
            add_bestuur(session=session, name=args.name, swv_name=args.swv, today=today)
        elif args.kind == OrgKind.GEMEENTE:
            add_gemeente(session=session, name=args.name, swv_name=args.swv, today=today)
        else:
            add_school(
                session=session,
                brin=args.brin,
                name=args.name,
                school_type=args.type,
                region=args.regio,
                bestuur_name=args.bestuur,
                today=today,
            )
        # Periodic deadlines (quarterly dates, meetings) start from registration.
        sync_organisations(
            session=session, as_of=today, now=now, settings=services.settings.protocol
        )
    print(tr.gettext("Registered."))


def _org_list(_args: argparse.Namespace, services: Services, tr: Translator) -> None:
    with services.session() as session:
        rows = list_organisations(session=session)
    indent = {
        OrgKind.SWV: "",
        OrgKind.BESTUUR: "  ",
        OrgKind.GEMEENTE: "  ",
        OrgKind.SCHOOL: "    ",
    }
    for row in rows:
        detail = f"  [{row.detail}]" if row.detail else ""
        nobody = ", ".join(
            tr.gettext("no {role}").format(role=tr.gettext(ROLE_NAMES[role]))
            for role in row.missing
        )
        warning = f"  ⚠ {nobody}" if nobody else ""
        print(f"{indent[row.kind]}{row.kind.value}: {row.name}{detail}{warning}")
    if any(row.missing for row in rows):
        print(
            tr.gettext(
                "⚠: nobody receives the deadlines of that role here; invite someone with "
                "python -m bot invite."
            )
        )


def _closure(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    last = args.last or args.first
    if last < args.first or (last - args.first).days > 366:
        raise OrganisationError("bad_period")
    now = services.clock.now()
    with services.session() as session:
        days = add_closures(session=session, brin=args.brin, first=args.first, last=last)
        recompute_school(
            session=session,
            brin=args.brin,
            as_of=now.date(),
            now=now,
            settings=services.settings.protocol,
        )
    print(
        tr.ngettext("Added {count} closure day.", "Added {count} closure days.", days).format(
            count=days
        )
    )


def _rules_off(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    now = services.clock.now()
    with services.session() as session:
        off = switch_rules_off(
            session=session,
            swv_name=args.swv,
            codes=args.codes,
            as_of=now.date(),
            now=now,
            settings=services.settings.protocol,
        )
    if off:
        print(
            tr.gettext("Switched off for {swv}: {codes}.").format(
                swv=args.swv, codes=", ".join(off)
            )
        )
    else:
        print(tr.gettext("Every early warning is on for {swv}.").format(swv=args.swv))


def _chat_cleanup(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    on = args.state == "on"
    with services.session() as session:
        set_clear_named_messages(session=session, swv_name=args.swv, on=on)
    if on:
        print(
            tr.gettext(
                "{swv}: a message that names a pupil is deleted from the chat once it "
                "is saved (with WEB_BASE_URL set)."
            ).format(swv=args.swv)
        )
    else:
        print(
            tr.gettext("{swv}: messages that name a pupil stay in the chat.").format(swv=args.swv)
        )


def register(commands: Any) -> None:
    """`org` and its actions."""
    org = commands.add_parser("org", help="register and list organisations")
    org_commands = org.add_subparsers(dest="org_command", metavar="ACTION", required=True)
    add = org_commands.add_parser("add", help="register an organisation")
    kinds = add.add_subparsers(dest="kind", metavar="KIND", required=True)
    swv = kinds.add_parser("swv", help="a samenwerkingsverband")
    swv.add_argument("name")
    bestuur = kinds.add_parser("bestuur", help="a school board, in an SWV")
    bestuur.add_argument("name")
    bestuur.add_argument("--swv", required=True, help="name of the SWV")
    gemeente = kinds.add_parser("gemeente", help="a municipality, in an SWV")
    gemeente.add_argument("name")
    gemeente.add_argument("--swv", required=True, help="name of the SWV")
    school = kinds.add_parser("school", help="a school, under a board")
    school.add_argument("brin", help="BRIN number, e.g. 12AB")
    school.add_argument("name")
    school.add_argument("--type", required=True, choices=[t.value for t in SchoolType])
    school.add_argument("--regio", required=True, choices=[r.value for r in Region])
    school.add_argument("--bestuur", required=True, help="name of the board")
    org_commands.add_parser("list", help="list all organisations")
    warnings = org_commands.add_parser(
        "rules-off",
        help="the early warnings an SWV switches off (DREIGEND_16_UUR, ZIEKMELDING_PATROON); "
        "none given: all on",
    )
    warnings.add_argument("swv", help="name of the SWV")
    warnings.add_argument("codes", nargs="*", metavar="CODE", help="rule codes to switch off")
    cleanup = org_commands.add_parser(
        "chat-cleanup",
        help="with the web pages on: delete a user's chat message that named a pupil once it is "
        "saved (on), or keep it (off, the default)",
    )
    cleanup.add_argument("swv", help="name of the SWV")
    cleanup.add_argument("state", choices=["on", "off"])
    closure = org_commands.add_parser(
        "closure", help="add a school's own closure days (not school days for its pupils)"
    )
    closure.add_argument("brin", help="BRIN number of the school")
    closure.add_argument("first", type=iso_date, metavar="FROM", help="first day, YYYY-MM-DD")
    closure.add_argument(
        "last", type=iso_date, nargs="?", metavar="UNTIL", help="last day (default: FROM)"
    )
    add.set_defaults(handler=_org_add)
    org_commands.choices["list"].set_defaults(handler=_org_list)
    warnings.set_defaults(handler=_rules_off)
    cleanup.set_defaults(handler=_chat_cleanup)
    closure.set_defaults(handler=_closure)
