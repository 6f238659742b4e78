"""Command line: `python -m bot COMMAND` (also installed as `thuiszitbot`); `--help` lists them."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import secrets
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot import privacy_cli
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings, load_settings
from bot.i18n import Translator, translator
from bot.logs import configure_logging, describe_exception
from bot.reports.data import case_records
from bot.reports.exports import (
    inspectie_xlsx,
    overview_csv,
    overview_json,
    overview_png,
    overview_xlsx,
)
from bot.reports.overview import (
    inspectie_rows,
    latest_peildatum,
    overview,
    peildatum,
    quarter_name,
)
from bot.rule_table import markdown, rule_rows
from bot.services import audit
from bot.services.container import Services
from bot.services.deadlines import agenda, sync_organisations
from bot.services.demo import SampleRefused, holds_sample_region, sample_region
from bot.services.importing import REASONS, import_csv
from bot.services.keys import key_opens_stored_data
from bot.services.onboarding import create_invitation, organisation_name, resolve_membership
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
from bot.storage import crypto
from bot.storage.db import make_engine, upgrade_database
from bot.storage.models import AuditAction, AuditChannel, OrgKind, Region, Role, SchoolType
from bot.texts import ROLE_NAMES, role_at

logger = logging.getLogger(__name__)

EXIT_CONFIG = 2
EXIT_FAILED = 1


def _parser() -> argparse.ArgumentParser:
    invoked_as = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(
        prog="thuiszitbot" if invoked_as == "thuiszitbot" else "python -m bot",
        description="Thuiszitbot: a Telegram bot that keeps thuiszitters in view.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.set_defaults(local=False, today=None)  # `python -m bot` alone is `run`

    run = commands.add_parser(
        "run",
        help="run the bot (the default): long polling, or a webhook; without BOT_TOKEN the "
        "local trial in the browser",
    )
    run.add_argument(
        "--local", action="store_true",
        help="the local trial even with BOT_TOKEN set: a chat page on 127.0.0.1, no Telegram",
    )  # fmt: skip
    run.add_argument(
        "--today", type=_iso_date, metavar="YYYY-MM-DD",
        help="local trial only: act as if today were this day",
    )  # fmt: skip
    commands.add_parser(
        "demo-data", help="fill an empty database with the fictitious sample region"
    )
    rules = commands.add_parser("rules", help="the rule catalogue: codes, what and whom, sources")
    rules.add_argument("--markdown", action="store_true", help="as RULES.md (in English)")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="bring the database schema up to date")

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
    closure.add_argument("first", type=_iso_date, metavar="FROM", help="first day, YYYY-MM-DD")
    closure.add_argument(
        "last", type=_iso_date, nargs="?", metavar="UNTIL", help="last day (default: FROM)"
    )

    agenda = commands.add_parser(
        "agenda", help="the open deadlines due up to as-of + N days, overdue ones included"
    )
    agenda.add_argument("--as-of", type=_iso_date, help="YYYY-MM-DD (default: today)")
    agenda.add_argument("--days", type=int, default=30, help="days ahead (default 30)")
    agenda.add_argument("--json", action="store_true", help="JSON instead of a table")
    agenda.add_argument(
        "--all", action="store_true",
        help="also the deadlines stored as history (first computed long after they were due)",
    )  # fmt: skip

    importer = commands.add_parser(
        "import", help="import pupils and cases, or absence entries, from a CSV file"
    )
    importer.add_argument("file", metavar="FILE.csv", type=Path)

    report = commands.add_parser("report", help="the quarterly overview, the Inspectie's list")
    reports = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    quarterly = reports.add_parser("quarterly", help="the overview on a quarter's peildatum")
    quarterly.add_argument("--quarter", help="YYYYQn, e.g. 2026Q4 (default: the latest peildatum)")
    quarterly.add_argument("--format", choices=["xlsx", "csv", "json", "png"], default="xlsx")
    quarterly.add_argument(
        "--output", type=Path, help="file to write (json and csv: default stdout)"
    )
    inspectie = reports.add_parser(
        "inspectie", help="the cumulative, anonymised registration for the Inspectie (XLSX)"
    )
    inspectie.add_argument("--peildatum", type=_iso_date, help="YYYY-MM-DD (default: today)")
    inspectie.add_argument("--output", type=Path, required=True, metavar="FILE.xlsx")

    invite = commands.add_parser(
        "invite", help="create a one-time invitation code (printed as the last line)"
    )
    invite.add_argument("--role", required=True, choices=[r.value for r in Role])
    where = invite.add_mutually_exclusive_group(required=True)
    where.add_argument("--school", metavar="BRIN", help="for zorgcoordinator")
    where.add_argument("--bestuur", metavar="NAME", help="for boc")
    where.add_argument("--gemeente", metavar="NAME", help="for leerplicht")
    where.add_argument("--swv", metavar="NAME", help="for swv and admin")
    invite.add_argument("--days", type=int, help="days the code stays valid (default 7)")
    privacy_cli.add_parsers(commands)
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _services(settings: Settings, clock: Clock | None = None) -> Services:
    # Without the key nothing personal can be read or written: refuse before touching the data.
    crypto.install(settings.key_ring())
    engine = make_engine(settings.database_url)
    upgrade_database(engine)
    if not key_opens_stored_data(engine):
        engine.dispose()
        raise ConfigError(
            "DATA_KEY does not open the stored personal data: this is not the key it was "
            "encrypted with (after a rotation, put the previous key in DATA_KEYS_OLD)"
        )
    return Services(settings=settings, engine=engine, clock=clock or SystemClock(settings.tz))


def _organisation_error(error: OrganisationError, tr: Translator) -> str:
    _ = tr.gettext
    details = error.details
    messages = {
        "exists": _("{name} is already registered.").format(name=details.get("name", "")),
        "unknown": _("There is no {kind} named {name}.").format(
            kind=details.get("kind", ""), name=details.get("name", "")
        ),
        "bad_name": _("A name must be 1 to 200 characters."),
        "bad_brin": _("{brin} is not a BRIN number (like 12AB or 12AB00).").format(
            brin=details.get("brin", "")
        ),
        "bad_school_type": _("Unknown school type {value}: use PO, SO, SBO, VO or VSO.").format(
            value=details.get("value", "")
        ),
        "bad_region": _("Unknown region {value}: use noord, midden or zuid.").format(
            value=details.get("value", "")
        ),
        "wrong_org_for_role": _("A {role} invitation needs --{kind}.").format(
            role=details.get("role", ""), kind=details.get("kind", "")
        ),
        "bad_days": _("--days must be between 1 and 90."),
        "bad_days_ahead": _("--days must be between 0 and 3660."),
        "bad_period": _("UNTIL must be on or after FROM, at most a year later."),
        "bad_quarter": _("--quarter must look like 2026Q4 (Q1 to Q4)."),
        "not_switchable": _(
            "Only the early warnings can be switched off (DREIGEND_16_UUR, ZIEKMELDING_PATROON), "
            "not {value}."
        ).format(value=details.get("value", "")),
    }
    return messages.get(error.code, error.code)


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


def _org_list(services: Services, tr: Translator) -> None:
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
        print(tr.gettext(
            "⚠: nobody receives the deadlines of that role here; invite someone with "
            "python -m bot invite."
        ))  # fmt: skip


def _closure(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    last = args.last or args.first
    if last < args.first or (last - args.first).days > 366:
        raise OrganisationError("bad_period")
    now = services.clock.now()
    with services.session() as session:
        days = add_closures(session=session, brin=args.brin, first=args.first, last=last)
        recompute_school(session=session, brin=args.brin, as_of=now.date(), now=now,
                         settings=services.settings.protocol)  # fmt: skip
    print(
        tr.ngettext("Added {count} closure day.", "Added {count} closure days.", days).format(
            count=days
        )
    )


def _rules_off(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    now = services.clock.now()
    with services.session() as session:
        off = switch_rules_off(
            session=session, swv_name=args.swv, codes=args.codes, as_of=now.date(), now=now,
            settings=services.settings.protocol,
        )  # fmt: skip
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
        print(tr.gettext("{swv}: a message that names a pupil is deleted from the chat once it "
                         "is saved (with WEB_BASE_URL set).").format(swv=args.swv))  # fmt: skip
    else:
        print(
            tr.gettext("{swv}: messages that name a pupil stay in the chat.").format(swv=args.swv)
        )


def _agenda(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    if args.days < 0 or args.days > 3660:
        raise OrganisationError("bad_days_ahead")
    as_of = args.as_of or services.clock.now().date()
    with services.session() as session:
        items = agenda(
            session=session, as_of=as_of, days=args.days, settings=services.settings.protocol,
            include_history=args.all,
        )  # fmt: skip
        audit.record(
            session, action=AuditAction.EXPORT, at=services.clock.now(),
            channel=AuditChannel.CLI, detail="agenda",
        )  # fmt: skip
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
        (tr.date(i.due), i.rule, i.leerling_id or "—",
         ", ".join((*i.recipients, *(f"+{role}" for role in i.escalated_to))),
         statuses[i.status])
        for i in items
    ]  # fmt: skip
    widths = [max(len(row[n]) for row in rows) for n in range(5)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _record_export(services: Services, detail: str) -> None:
    with services.session() as session:
        audit.record(
            session, action=AuditAction.EXPORT, at=services.clock.now(),
            channel=AuditChannel.CLI, detail=detail,
        )  # fmt: skip


def _rules_text(tr: Translator) -> str:
    """The rule catalogue as plain text, a block per rule."""
    blocks = [
        f"{code}\n  {asks}\n  → {whom}\n  {when}\n  {due}\n  ({source})\n"
        for code, asks, whom, when, due, source in rule_rows(tr)
    ]
    return "\n".join(blocks)


def _scope_name(services: Services) -> str:
    """Whose pupils a report from the command line counts: every SWV in the database."""
    with services.session() as session:
        rows = list_organisations(session=session)
    return ", ".join(row.name for row in rows if row.kind is OrgKind.SWV)


def _report(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    now = services.clock.now()
    who = f"{getpass.getuser()} (python -m bot report)"
    with services.session() as session:
        records = case_records(session=session)
    if args.report_command == "inspectie":
        _record_export(services, "inspectie xlsx")
        day = args.peildatum or now.date()
        data = inspectie_xlsx(inspectie_rows(records, day), who, now)
        args.output.write_bytes(data)
        print(tr.gettext("Written: {path}").format(path=args.output))
        return
    if args.quarter is not None:
        try:
            day = peildatum(args.quarter)
        except (ValueError, IndexError):
            raise OrganisationError("bad_quarter") from None
    else:
        day = latest_peildatum(now.date())
    _record_export(services, f"quarterly {args.format}")
    report = overview(records, day)
    if args.format in ("json", "csv"):
        text = overview_json(report) if args.format == "json" else overview_csv(report)
        if args.output is None:
            print(text, end="" if text.endswith("\n") else "\n")
            return
        args.output.write_text(text, encoding="utf-8")
    else:
        data = (
            overview_xlsx(report, who, now)
            if args.format == "xlsx"
            else overview_png(report, _scope_name(services), who, now)
        )
        output = args.output or Path(f"kwartaal-{quarter_name(day)}.{args.format}")
        output.write_bytes(data)
        args.output = output
    print(tr.gettext("Written: {path}").format(path=args.output))


def _invite(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    role = Role(args.role)
    valid_for = services.invite_validity()
    if args.days is not None:
        if not 1 <= args.days <= 90:
            raise OrganisationError("bad_days")
        valid_for = timedelta(days=args.days)
    now = services.clock.now()
    with services.session() as session:
        membership = resolve_membership(
            session=session,
            role=role,
            school_brin=args.school,
            bestuur_name=args.bestuur,
            gemeente_name=args.gemeente,
            swv_name=args.swv,
        )
        invitation, code = create_invitation(
            session=session, role=role, membership=membership, now=now, valid_for=valid_for
        )
        org = organisation_name(session=session, user=invitation)
    expires = tr.date(invitation.expires_at.astimezone(services.settings.tz).date())
    print(
        tr.gettext("Invitation for {who}, valid until {date}.").format(
            who=role_at(role, org, tr), date=expires
        )
    )
    print(tr.gettext("The colleague sends the bot /start followed by this code:"))
    print(code)


# Columns whose values are personal: an error names the line and column, not the value.
_PERSONAL_COLUMNS = frozenset({"voornaam", "achternaam", "geboortedatum", "woonplaats"})


def _import(args: argparse.Namespace, services: Services, tr: Translator) -> int:
    _ = tr.gettext
    now = services.clock.now()
    try:
        with (
            args.file.open(encoding="utf-8-sig", newline="") as stream,
            services.session() as session,
        ):
            result = import_csv(session=session, stream=stream, today=now.date(), now=now,
                                settings=services.settings.protocol)  # fmt: skip
    except OSError:
        print(_("error: cannot read {file}").format(file=args.file), file=sys.stderr)
        return EXIT_FAILED
    if not result.ok:
        for error in result.errors:
            reason = _(REASONS.get(error.reason, error.reason))
            shown = error.value if error.value and error.column not in _PERSONAL_COLUMNS else ""
            where = _("line {line}, column {column}").format(line=error.line, column=error.column)
            if not error.column:
                where = _("line {line}").format(line=error.line)
            suffix = f" ({shown})" if shown else ""
            print(f"{where}: {reason}{suffix}", file=sys.stderr)
        print(
            tr.ngettext(
                "error: nothing was imported because of {count} error.",
                "error: nothing was imported because of {count} errors.",
                len(result.errors),
            ).format(count=len(result.errors)),
            file=sys.stderr,
        )
        return EXIT_FAILED
    if result.kind == "pupils":
        print(
            _(
                "Imported {rows} rows: {created} new pupils, {updated} updated, {cases} new "
                "cases, {cases_updated} cases updated, {unchanged} unchanged."
            ).format(
                rows=result.rows,
                created=result.pupils_created,
                updated=result.pupils_updated,
                cases=result.cases_created,
                cases_updated=result.cases_updated,
                unchanged=result.unchanged,
            )
        )
    else:
        print(
            _(
                "Imported {rows} absence rows: {created} new, {updated} updated, "
                "{unchanged} unchanged."
            ).format(
                rows=result.rows,
                created=result.absences_created,
                updated=result.absences_updated,
                unchanged=result.unchanged,
            )
        )
    if result.backlog:
        print(tr.ngettext(
            "{count} deadline was overdue already (achterstand): `agenda` lists it, and its "
            "recipients hear of it in one message.",
            "{count} deadlines were overdue already (achterstand): `agenda` lists them, and "
            "their recipients hear of them in one message.",
            result.backlog,
        ).format(count=result.backlog))  # fmt: skip
    if result.history:
        print(tr.ngettext(
            "{count} deadline was due long ago with nothing going on: kept as history.",
            "{count} deadlines were due long ago with nothing going on: kept as history.",
            result.history,
        ).format(count=result.history))  # fmt: skip
    return 0


def _run(settings: Settings, args: argparse.Namespace, tr: Translator) -> None:
    from bot.app import build_application, run
    from bot.web.site import Webhook, root_app, serve

    if args.local or settings.bot_token is None:
        from bot.local.trial import run_trial

        run_trial(settings, make_services=_services, tr=tr, today=args.today)
        return
    if args.today is not None:
        raise ConfigError("--today is for the local trial only (run --local)")
    settings.require_token()
    services = _services(settings)
    with services.session() as session:
        if holds_sample_region(session):
            raise ConfigError(
                "this database holds the fictitious sample region of the local trial; the bot "
                "needs a database of its own: set DATABASE_URL to another file"
            )
    application = build_application(services)
    updates, secret = None, None
    path = settings.webhook_path()
    if path is not None:
        # Without WEBHOOK_SECRET a fresh one per start: the webhook is set again at every start.
        given = settings.webhook_secret
        secret = given.get_secret_value() if given else secrets.token_urlsafe(32)
        updates = Webhook(path, secret, application)
        if settings.model_fields_set & {"webhook_listen", "webhook_port"}:
            logger.warning(
                "WEBHOOK_LISTEN and WEBHOOK_PORT are no longer used: Telegram's updates arrive "
                "on WEB_LISTEN/WEB_PORT at WEBHOOK_URL's path"
            )
    loop = asyncio.new_event_loop()
    try:
        stop_pages = serve(
            loop, root_app(services, application.bot, updates=updates), host=settings.web_listen,
            port=settings.web_port,
        )  # fmt: skip
    except ConfigError:
        loop.close()
        raise
    logger.info("web pages on %s", settings.web_root())
    run(application, loop=loop, cleanup=stop_pages, webhook_secret=secret)


def _demo_data(services: Services, tr: Translator) -> int:
    try:
        pupils, _absences = sample_region(services)
    except SampleRefused:
        print(
            "error: " + tr.gettext(
                "The database already holds organisations: the sample region goes only into an "
                "empty database."
            ),
            file=sys.stderr,
        )  # fmt: skip
        return EXIT_FAILED
    print(tr.gettext(
        "The sample region was added: {pupils} fictitious pupils, one person per role."
    ).format(pupils=pupils.pupils_created))  # fmt: skip
    return 0


def _dispatch(command: str, args: argparse.Namespace, services: Services, tr: Translator) -> int:
    if command == "db":
        print(tr.gettext("The database schema is up to date."))
    elif command == "org" and args.org_command == "add":
        _org_add(args, services, tr)
    elif command == "org" and args.org_command == "rules-off":
        _rules_off(args, services, tr)
    elif command == "org" and args.org_command == "closure":
        _closure(args, services, tr)
    elif command == "org" and args.org_command == "chat-cleanup":
        _chat_cleanup(args, services, tr)
    elif command == "org":
        _org_list(services, tr)
    elif command == "invite":
        _invite(args, services, tr)
    elif command == "import":
        return _import(args, services, tr)
    elif command == "demo-data":
        return _demo_data(services, tr)
    elif command == "agenda":
        _agenda(args, services, tr)
    elif command == "report":
        _report(args, services, tr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(style=settings.log_format)
    tr = translator(settings.bot_locale)
    try:
        if command == "run":
            _run(settings, args, tr)
            return 0
        if command == "key" and args.key_command == "generate":
            privacy_cli.generate_key(tr)
            return 0
        if command == "rules":  # needs neither the database nor the key
            print(markdown(translator("en")) if args.markdown else _rules_text(tr), end="")
            return 0
        services = _services(settings)
        try:
            if not privacy_cli.dispatch(args, services, tr):
                return _dispatch(command, args, services, tr)
        finally:
            services.engine.dispose()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except OrganisationError as error:
        print(f"error: {_organisation_error(error, tr)}", file=sys.stderr)
        return EXIT_FAILED
    except privacy_cli.CommandFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, SQLAlchemyError) as error:
        # Only the kind of failure: a database's message may quote stored values.
        logger.debug("database unavailable:\n%s", describe_exception(error))
        print(
            f"error: the database cannot be opened or written ({type(error).__name__}); check "
            "DATABASE_URL, that its folder exists and is writable, and that the disk has room",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    return 0


if __name__ == "__main__":
    sys.exit(main())
