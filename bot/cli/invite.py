"""`invite`: a one-time invitation code for a role at an organisation."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from bot.i18n import Translator
from bot.services.container import Services
from bot.services.onboarding import create_invitation, organisation_name, resolve_membership
from bot.services.organisations import (
    OrganisationError,
)
from bot.storage.models import Role
from bot.texts import role_at


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


def register(commands: Any) -> None:
    """`invite`."""
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
    invite.set_defaults(handler=_invite)
