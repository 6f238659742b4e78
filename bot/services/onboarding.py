"""Invitations: one-time codes that let a Telegram user in with a role and an organisation."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, select

from bot.services import audit
from bot.services.container import Services
from bot.services.organisations import (
    OrganisationError,
    get_bestuur,
    get_gemeente,
    get_school,
    get_swv,
)
from bot.storage.models import (
    ROLE_ORG_KIND,
    AuditAction,
    Bestuur,
    Gemeente,
    Invitation,
    OrgKind,
    Role,
    School,
    Swv,
    User,
)

# secrets.token_urlsafe output: the characters Telegram allows in a /start deep-link payload.
_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CODE_BYTES = 18  # 24 characters, 144 bits: not guessable, short enough to type if need be


@dataclass(frozen=True, kw_only=True)
class Membership:
    """Where a user (or an invitation) belongs: always an SWV, plus the role's organisation."""

    swv_id: int
    bestuur_id: int | None = None
    school_id: int | None = None
    gemeente_id: int | None = None


def hash_code(code: str) -> str:
    """The stored form of an invitation code."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def resolve_membership(
    *,
    session: Session,
    role: Role,
    school_brin: str | None = None,
    bestuur_name: str | None = None,
    gemeente_name: str | None = None,
    swv_name: str | None = None,
) -> Membership:
    """The organisation a new user with `role` will belong to, checked against the role."""
    given = {
        OrgKind.SCHOOL: school_brin,
        OrgKind.BESTUUR: bestuur_name,
        OrgKind.GEMEENTE: gemeente_name,
        OrgKind.SWV: swv_name,
    }
    named = [kind for kind, value in given.items() if value]
    wanted = ROLE_ORG_KIND[role]
    if named != [wanted]:
        raise OrganisationError("wrong_org_for_role", role=role.value, kind=wanted.value)
    if wanted is OrgKind.SCHOOL:
        school = get_school(session=session, brin=school_brin or "")
        bestuur = session.get(Bestuur, school.bestuur_id)
        assert bestuur is not None  # enforced by the foreign key
        return Membership(swv_id=bestuur.swv_id, bestuur_id=bestuur.id, school_id=school.id)
    if wanted is OrgKind.BESTUUR:
        bestuur = get_bestuur(session=session, name=bestuur_name or "")
        return Membership(swv_id=bestuur.swv_id, bestuur_id=bestuur.id)
    if wanted is OrgKind.GEMEENTE:
        gemeente = get_gemeente(session=session, name=gemeente_name or "")
        return Membership(swv_id=gemeente.swv_id, gemeente_id=gemeente.id)
    swv = get_swv(session=session, name=swv_name or "")
    assert swv.id is not None
    return Membership(swv_id=swv.id)


def membership_for(*, session: Session, role: Role, org_id: int) -> Membership:
    """The membership for an organisation picked by id (from a chat button), per the role."""
    kind = ROLE_ORG_KIND[role]
    if kind is OrgKind.SCHOOL:
        school = session.get(School, org_id)
        if school is None:
            raise OrganisationError("unknown", kind=kind.value, name=str(org_id))
        bestuur = session.get(Bestuur, school.bestuur_id)
        assert bestuur is not None
        return Membership(swv_id=bestuur.swv_id, bestuur_id=bestuur.id, school_id=school.id)
    if kind is OrgKind.BESTUUR:
        board = session.get(Bestuur, org_id)
        if board is None:
            raise OrganisationError("unknown", kind=kind.value, name=str(org_id))
        return Membership(swv_id=board.swv_id, bestuur_id=board.id)
    if kind is OrgKind.GEMEENTE:
        gemeente = session.get(Gemeente, org_id)
        if gemeente is None:
            raise OrganisationError("unknown", kind=kind.value, name=str(org_id))
        return Membership(swv_id=gemeente.swv_id, gemeente_id=gemeente.id)
    if session.get(Swv, org_id) is None:
        raise OrganisationError("unknown", kind=kind.value, name=str(org_id))
    return Membership(swv_id=org_id)


def organisations_for_role(*, session: Session, role: Role, swv_id: int) -> list[tuple[int, str]]:
    """(id, label) of the organisations in one SWV that a new user with `role` could belong to."""
    kind = ROLE_ORG_KIND[role]
    if kind is OrgKind.SCHOOL:
        schools = session.exec(
            select(School)
            .join(Bestuur, School.bestuur_id == Bestuur.id)  # type: ignore[arg-type]
            .where(Bestuur.swv_id == swv_id)
            .order_by(School.name)
        )
        return [(s.id, f"{s.name} ({s.brin})") for s in schools if s.id is not None]
    if kind is OrgKind.BESTUUR:
        boards = session.exec(
            select(Bestuur).where(Bestuur.swv_id == swv_id).order_by(Bestuur.name)
        )
        return [(b.id, b.name) for b in boards if b.id is not None]
    if kind is OrgKind.GEMEENTE:
        gemeenten = session.exec(
            select(Gemeente).where(Gemeente.swv_id == swv_id).order_by(Gemeente.name)
        )
        return [(g.id, g.name) for g in gemeenten if g.id is not None]
    swv = session.get(Swv, swv_id)
    return [(swv_id, swv.name)] if swv is not None else []


def set_language(services: Services, *, user_id: int, language: str) -> None:
    """/taal: store the user's language choice."""
    with services.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        user.language = language
        session.add(user)


def create_invitation(
    *,
    session: Session,
    role: Role,
    membership: Membership,
    now: datetime,
    valid_for: timedelta,
    created_by_id: int | None = None,
) -> tuple[Invitation, str]:
    """Store a new invitation; returns it with the code, which is shown once and never stored."""
    code = secrets.token_urlsafe(_CODE_BYTES)
    invitation = Invitation(
        code_hash=hash_code(code),
        role=role,
        swv_id=membership.swv_id,
        bestuur_id=membership.bestuur_id,
        school_id=membership.school_id,
        gemeente_id=membership.gemeente_id,
        created_at=now,
        expires_at=now + valid_for,
        created_by_id=created_by_id,
    )
    session.add(invitation)
    session.flush()
    creator = session.get(User, created_by_id) if created_by_id is not None else None
    audit.record(
        session,
        action=AuditAction.INVITE,
        at=now,
        actor=creator,
        swv_id=membership.swv_id,
        detail=role.value,
    )
    return invitation, code


class RedeemOutcome(StrEnum):
    """What happened to a `/start CODE`."""

    REGISTERED = "registered"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ALREADY_REGISTERED = "already_registered"


@dataclass(frozen=True)
class RedeemResult:
    """The outcome, and the user when one was registered (or already was)."""

    outcome: RedeemOutcome
    user: User | None = None


def looks_like_code(text: str) -> bool:
    """Whether `text` could be an invitation code at all (no database lookup for junk)."""
    return bool(_CODE_PATTERN.match(text))


def redeem_invitation(
    *,
    session: Session,
    code: str,
    telegram_id: int,
    display_name: str,
    language: str,
    now: datetime,
    work_start: time,
    work_end: time,
) -> RedeemResult:
    """Register `telegram_id` with the invitation's role and organisation, using it up."""
    existing = session.exec(select(User).where(User.telegram_id == telegram_id)).first()
    if existing is not None and existing.active:
        return RedeemResult(RedeemOutcome.ALREADY_REGISTERED, existing)
    if not looks_like_code(code):
        return RedeemResult(RedeemOutcome.UNKNOWN)
    invitation = session.exec(
        select(Invitation).where(Invitation.code_hash == hash_code(code))
    ).first()
    if invitation is None:
        return RedeemResult(RedeemOutcome.UNKNOWN)
    if invitation.used_at is not None:
        return RedeemResult(RedeemOutcome.USED)
    if invitation.expires_at <= now:
        return RedeemResult(RedeemOutcome.EXPIRED)
    # Claim the code with a conditional update, so two simultaneous redeems cannot both win.
    # An UPDATE's result is a CursorResult (it has a rowcount); Session.execute's type says Result.
    claimed = cast(
        CursorResult[Any],
        session.execute(
            update(Invitation)
            .where(col(Invitation.id) == invitation.id, col(Invitation.used_at).is_(None))
            .values(used_at=now)
        ),
    )
    if claimed.rowcount != 1:
        return RedeemResult(RedeemOutcome.USED)
    user = existing or User(
        telegram_id=telegram_id, created_at=now, swv_id=invitation.swv_id, role=invitation.role
    )
    user.role = invitation.role
    user.swv_id = invitation.swv_id
    user.bestuur_id = invitation.bestuur_id
    user.school_id = invitation.school_id
    user.gemeente_id = invitation.gemeente_id
    user.display_name = display_name[:130]
    user.language = language
    user.work_start = work_start
    user.work_end = work_end
    user.active = True
    # A new grant: nothing signed in under the old one (a browser, a link) counts any more.
    user.access_generation = (user.access_generation or 0) + 1
    # A new invitation from an administrator lifts an earlier revocation.
    user.revoked_at = None
    user.revoked_by_id = None
    session.add(user)
    session.flush()
    session.refresh(invitation)
    invitation.used_by_id = user.id
    session.add(invitation)
    audit.record(
        session,
        action=AuditAction.SIGN_IN,
        at=now,
        actor=user,
        subject_user_id=user.id,
        detail="invitation",
    )
    session.flush()
    return RedeemResult(RedeemOutcome.REGISTERED, user)


def find_user(*, session: Session, telegram_id: int) -> User | None:
    """The registered user with this Telegram id, active or not."""
    return session.exec(select(User).where(User.telegram_id == telegram_id)).first()


def invite(
    services: Services, *, admin: User, role: Role, org_id: int
) -> tuple[Invitation, str] | None:
    """/uitnodigen: an invitation for `role` at the organisation picked, with its code; None when
    that organisation is unknown or not in the administrator's own SWV (button data is never
    trusted)."""
    with services.session() as session:
        try:
            membership = membership_for(session=session, role=role, org_id=org_id)
        except OrganisationError:
            return None
        if membership.swv_id != admin.swv_id:
            return None
        return create_invitation(
            session=session,
            role=role,
            membership=membership,
            now=services.clock.now(),
            valid_for=services.invite_validity(),
            created_by_id=admin.id,
        )


def organisation_choices(services: Services, *, role: Role, swv_id: int) -> list[tuple[int, str]]:
    """The organisations of the SWV where someone with `role` can work (see
    `organisations_for_role`)."""
    with services.session() as session:
        return organisations_for_role(session=session, role=role, swv_id=swv_id)


def organisation_name(*, session: Session, user: User | Invitation) -> str:
    """The name of the organisation a user belongs to, as shown to them."""
    kind = ROLE_ORG_KIND[Role(user.role)]
    org: School | Bestuur | Gemeente | Swv | None
    if kind is OrgKind.SCHOOL:
        org = session.get(School, user.school_id)
    elif kind is OrgKind.BESTUUR:
        org = session.get(Bestuur, user.bestuur_id)
    elif kind is OrgKind.GEMEENTE:
        org = session.get(Gemeente, user.gemeente_id)
    else:
        org = session.get(Swv, user.swv_id)
    return org.name if org is not None else ""


@dataclass(frozen=True)
class SignIn:
    """What `/start CODE` did: the outcome, the user and their organisation's name; or, after
    too many wrong codes, how long to wait (nothing else was tried)."""

    outcome: RedeemOutcome | None
    user: User | None = None
    organisation: str = ""
    wait: timedelta | None = None


def sign_in(
    services: Services, *, code: str, telegram_id: int, display_name: str, language: str
) -> SignIn:
    """Redeem an invitation code, with the throttle on wrong codes."""
    now = services.clock.now()
    throttle = services.invite_throttle
    wait = throttle.wait_time(telegram_id, now)
    if wait is not None:
        return SignIn(None, wait=wait)
    settings = services.settings
    with services.session() as session:
        result = redeem_invitation(
            session=session,
            code=code,
            telegram_id=telegram_id,
            display_name=display_name,
            language=language,
            now=now,
            work_start=settings.default_work_start,
            work_end=settings.default_work_end,
        )
        user = result.user
        organisation = organisation_name(session=session, user=user) if user is not None else ""
    if result.outcome is RedeemOutcome.UNKNOWN:
        throttle.record_failure(telegram_id, now)
    elif result.outcome is RedeemOutcome.REGISTERED:
        throttle.reset(telegram_id)
    return SignIn(result.outcome, user, organisation)


def my_organisation(services: Services, *, user: User) -> str:
    """The name of the organisation this user belongs to."""
    with services.session() as session:
        return organisation_name(session=session, user=user)
