"""Command line for data protection: keys, the audit trail, retention, a pupil's data, users."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlmodel import select

from bot.i18n import Translator
from bot.services import audit, keys, privacy
from bot.services.container import Services
from bot.services.naming import pupil_label
from bot.services.onboarding import resolve_membership
from bot.services.users import (
    change_role,
    find_by_telegram_id,
    inactive_users,
    last_active,
    revoke,
    users_of,
)
from bot.storage import crypto
from bot.storage.models import AuditChannel, Pupil, Role
from bot.texts import ROLE_NAMES


class CommandFailed(Exception):
    """The command cannot do what was asked; the message is for the person at the terminal."""


def register(commands: Any) -> None:
    """Add `key`, `audit`, `retention`, `pupil` and `user` to the command line."""
    key = commands.add_parser("key", help="the key that encrypts personal data (DATA_KEY)")
    key_commands = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    generate = key_commands.add_parser("generate", help="print a new random key for DATA_KEY")
    generate.set_defaults(offline=lambda _args, _settings, tr: generate_key(tr))
    rotate = key_commands.add_parser(
        "rotate",
        help="re-encrypt everything with DATA_KEY; the previous key goes in DATA_KEYS_OLD "
        "(resumable: run it again after an interruption)",
    )
    rotate.add_argument("--batch-size", type=int, default=500, help=argparse.SUPPRESS)
    rotate.set_defaults(handler=_key_rotate)

    audit_parser = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit_parser.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True
    )
    export = audit_commands.add_parser("export", help="write the audit trail as CSV")
    export.add_argument("--output", type=Path, help="file to write (default stdout)")
    export.set_defaults(handler=_audit_export)

    retention = commands.add_parser(
        "retention", help="delete pupils whose retention period is over (RETENTION_MONTHS)"
    )
    retention.add_argument("--dry-run", action="store_true", help="only show what would go")
    retention.set_defaults(handler=_retention)

    pupil = commands.add_parser("pupil", help="one pupil's data: find, export, forget")
    pupil_commands = pupil.add_subparsers(dest="pupil_command", metavar="ACTION", required=True)
    pupil.set_defaults(handler=_pupil)
    find = pupil_commands.add_parser("find", help="the ids of the pupils with this name")
    find.add_argument("name")
    export_pupil = pupil_commands.add_parser(
        "export", help="everything stored about a pupil, as JSON (a right-of-access request)"
    )
    export_pupil.add_argument("id", metavar="ID", help="pupil id or leerling_id")
    export_pupil.add_argument("--output", type=Path, help="file to write (default stdout)")
    forget = pupil_commands.add_parser(
        "forget",
        help="remove a pupil everywhere (files and nudges included); recorded in the audit trail",
    )
    forget.add_argument("id", metavar="ID", help="pupil id or leerling_id")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    user = commands.add_parser("user", help="users: list, revoke, change role")
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    user.set_defaults(handler=_user)
    listing = user_commands.add_parser("list", help="the users, with when they were last active")
    listing.add_argument("--inactive", action="store_true", help="only users inactive 90+ days")
    revoke_parser = user_commands.add_parser("revoke", help="withdraw a user's access")
    revoke_parser.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    role = user_commands.add_parser("role", help="give a user another role and organisation")
    role.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    role.add_argument("--role", required=True, choices=[r.value for r in Role])
    where = role.add_mutually_exclusive_group(required=True)
    where.add_argument("--school", metavar="BRIN")
    where.add_argument("--bestuur", metavar="NAME")
    where.add_argument("--gemeente", metavar="NAME")
    where.add_argument("--swv", metavar="NAME")


def generate_key(tr: Translator) -> None:
    """`key generate`: needs no database and no existing key."""
    print(tr.gettext("Put this in DATA_KEY and keep a copy in a safe place:"), file=sys.stderr)
    print(crypto.generate_key())


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _key_rotate(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    try:
        result = keys.rotate(services.engine, now=services.clock.now(), batch_size=args.batch_size)
    except crypto.DataKeyError:
        raise CommandFailed(
            tr.gettext(
                "Some data is encrypted with a key that is not configured: put the previous key "
                "in DATA_KEYS_OLD and run this again."
            )
        ) from None
    print(
        tr.gettext(
            "{values} values re-encrypted; all personal data now uses the current key. "
            "DATA_KEYS_OLD can be removed."
        ).format(values=result.values)
    )


def _audit_export(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    output = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        with services.session() as session:
            count = audit.export_csv(session, output)
    finally:
        if args.output:
            output.close()
    print(tr.gettext("{count} audit entries written.").format(count=count), file=sys.stderr)


def _retention(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    now = services.clock.now()
    months = services.settings.retention_months
    with services.session() as session:
        if args.dry_run:
            gone = privacy.expired(session, today=now.date(), months=months)
        else:
            gone = privacy.apply_retention(
                session, today=now.date(), now=now, months=months, channel=AuditChannel.CLI
            )
    for item in gone:
        print(
            tr.gettext("pupil {id}: last case or record ended {date}").format(
                id=item.pupil_id, date=tr.date(item.last_day)
            )
        )
    message = (
        tr.ngettext(
            "{count} pupil would be deleted (retention {months} months).",
            "{count} pupils would be deleted (retention {months} months).",
            len(gone),
        )
        if args.dry_run
        else tr.ngettext(
            "{count} pupil deleted (retention {months} months).",
            "{count} pupils deleted (retention {months} months).",
            len(gone),
        )
    )
    print(message.format(count=len(gone), months=months))


def _pupil(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    now = services.clock.now()
    with services.session() as session:
        if args.pupil_command == "find":
            tokens = crypto.active().tokens(args.name)
            query = select(Pupil).where(
                (Pupil.token_full.in_(tokens))  # type: ignore[attr-defined]
                | (Pupil.token_short.in_(tokens))  # type: ignore[attr-defined]
                | (Pupil.token_first.in_(tokens))  # type: ignore[attr-defined]
            )
            found = list(session.exec(query.order_by(Pupil.id)))  # type: ignore[arg-type]
            for pupil in found:
                initials = pupil_label(pupil.first_name, pupil.last_name, None, "initials")
                print(f"{pupil.id}\t{pupil.leerling_id}\t{initials}")
            if not found:
                raise CommandFailed(tr.gettext("No pupil has that name."))
            return
        try:
            pupil = privacy.find_pupil(session, args.id)
        except privacy.UnknownPupil:
            raise CommandFailed(tr.gettext("There is no pupil {id}.").format(id=args.id)) from None
        if args.pupil_command == "export":
            record = privacy.pupil_record(session, pupil, now=now)
            _write(json.dumps(record, ensure_ascii=False, indent=2) + "\n", args.output)
            return
        if not args.yes:
            answer = input(
                tr.gettext(
                    "Remove pupil {id} and everything about them for good? Type yes: "
                ).format(id=pupil.id)
            )
            if answer.strip().lower() not in {"yes", "ja"}:
                raise CommandFailed(tr.gettext("Nothing was removed."))
        pupil_id = pupil.id
        privacy.forget(session, pupil, now=now)
    print(tr.gettext("Pupil {id} is forgotten; the audit trail records that.").format(id=pupil_id))


def _user(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    now = services.clock.now()
    with services.session() as session:
        if args.user_command == "list":
            days = services.settings.inactive_days
            shown = (
                inactive_users(session, swv_id=None, now=now, days=days)
                if args.inactive
                else users_of(session, swv_id=None)
            )
            for user in shown:
                seen = last_active(user).astimezone(services.settings.tz).date()
                print(f"{user.telegram_id}\t{user.role}\t{user.display_name}\t{seen.isoformat()}")
            return
        target = find_by_telegram_id(session, args.telegram_id)
        if target is None:
            raise CommandFailed(tr.gettext("There is no user with that Telegram id."))
        if args.user_command == "revoke":
            if revoke(session, target, now=now, channel=AuditChannel.CLI):
                print(tr.gettext("Access withdrawn."))
            else:
                print(tr.gettext("That user's access was already withdrawn."))
            return
        role = Role(args.role)
        membership = resolve_membership(
            session=session,
            role=role,
            school_brin=args.school,
            bestuur_name=args.bestuur,
            gemeente_name=args.gemeente,
            swv_name=args.swv,
        )
        if target.revoked_at is not None:
            raise CommandFailed(tr.gettext("That user's access was withdrawn; invite them again."))
        change_role(
            session, target, role=role, membership=membership, now=now, channel=AuditChannel.CLI
        )
    print(tr.gettext("Role changed: {role}.").format(role=tr.gettext(ROLE_NAMES[role])))
