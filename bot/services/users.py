"""Managing users: revoking access, changing roles, and spotting unused accounts."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.services import audit, nudge_lifecycle, web_state
from bot.services.container import Services
from bot.services.onboarding import Membership
from bot.storage.models import (
    AuditAction,
    AuditChannel,
    LeerplichtLink,
    Role,
    User,
)


class UserChangeRefused(Exception):
    """The change is not allowed; `code` says why ("self", "other_swv", "revoked")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _check(target: User, by: User | None) -> None:
    if by is None:
        return
    if Role(by.role) is not Role.ADMIN or by.swv_id != target.swv_id:
        raise UserChangeRefused("other_swv")
    if by.id == target.id:
        raise UserChangeRefused("self")


def active_admins(session: Session, *, swv_id: int) -> list[User]:
    """The SWV's administrators who can still be reached."""
    return list(
        session.exec(
            select(User).where(
                User.swv_id == swv_id, User.role == Role.ADMIN, col(User.active).is_(True)
            )
        )
    )


def revoke(
    session: Session,
    target: User,
    *,
    now: datetime,
    by: User | None = None,
    channel: AuditChannel = AuditChannel.CHAT,
) -> bool:
    """Withdraw access: no messages, buttons or nudges get anything any more; their links to
    pupils go. False when the user was already revoked."""
    _check(target, by)
    if target.revoked_at is not None:
        return False
    assert target.id is not None
    target.revoked_at = now
    target.revoked_by_id = by.id if by else None
    target.active = False
    target.access_generation += 1  # every web session and sign-in link of theirs ends
    session.add(target)
    web_state.end_user(session, target.id)
    nudge_lifecycle.cancel_for_user(session, target.id)
    session.execute(delete(LeerplichtLink).where(col(LeerplichtLink.user_id) == target.id))
    audit.record(
        session,
        action=AuditAction.REVOKE,
        at=now,
        actor=by,
        channel=channel,
        subject_user_id=target.id,
        swv_id=target.swv_id,
    )
    session.flush()
    return True


def change_role(
    session: Session,
    target: User,
    *,
    role: Role,
    membership: Membership,
    now: datetime,
    by: User | None = None,
    channel: AuditChannel = AuditChannel.CHAT,
) -> None:
    """Give the user another role (and the organisation that role belongs to).

    Nudges planned for the old role are cancelled; the next planning run plans the new ones.
    """
    _check(target, by)
    if target.revoked_at is not None:
        raise UserChangeRefused("revoked")
    if by is not None and membership.swv_id != by.swv_id:
        raise UserChangeRefused("other_swv")
    assert target.id is not None
    old_role = target.role
    target.role = role
    target.swv_id = membership.swv_id
    target.bestuur_id = membership.bestuur_id
    target.school_id = membership.school_id
    target.gemeente_id = membership.gemeente_id
    target.access_generation += 1  # signed in under the old grant: sign in again
    session.add(target)
    web_state.end_user(session, target.id)
    nudge_lifecycle.cancel_for_user(session, target.id)
    if role is not Role.LEERPLICHT:
        session.execute(delete(LeerplichtLink).where(col(LeerplichtLink.user_id) == target.id))
    audit.record(
        session,
        action=AuditAction.ROLE,
        at=now,
        actor=by,
        channel=channel,
        subject_user_id=target.id,
        swv_id=target.swv_id,
        detail=f"{old_role}>{role.value}",
    )
    session.flush()


def last_active(user: User) -> datetime:
    """When the user last sent something (or registered, if never)."""
    return user.last_seen_at or user.created_at


def users_of(session: Session, *, swv_id: int | None) -> list[User]:
    """The users not revoked (of one SWV, or all), by display name."""
    query = select(User).where(col(User.revoked_at).is_(None))
    if swv_id is not None:
        query = query.where(User.swv_id == swv_id)
    return sorted(session.exec(query), key=lambda u: (u.display_name.casefold(), u.id or 0))


def inactive_users(session: Session, *, swv_id: int | None, now: datetime, days: int) -> list[User]:
    """Users who have sent nothing for `days` days: candidates to revoke."""
    cutoff = now - timedelta(days=days)
    return [u for u in users_of(session, swv_id=swv_id) if last_active(u) < cutoff]


def find_by_telegram_id(session: Session, telegram_id: int) -> User | None:
    """The user with this Telegram id."""
    return session.exec(select(User).where(User.telegram_id == telegram_id)).first()


def set_working_hours(services: Services, *, user_id: int, start: time, end: time) -> User:
    """The hours (Monday to Friday) in which this user wants nudges."""
    with services.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        user.work_start, user.work_end = start, end
        session.add(user)
    return user


def set_digest(services: Services, *, user_id: int, digest: bool | None) -> User:
    """One daily digest instead of separate nudges: on, off, or automatic (None)."""
    with services.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        user.digest = digest
        session.add(user)
    return user


def record_way_in(
    services: Services, action: AuditAction, *, user_id: int | None, detail: str
) -> None:
    """The audit trail's record of a way into the pages (never a token or initData)."""
    with services.session() as session:
        user = session.get(User, user_id) if user_id is not None else None
        audit.record(
            session,
            action=action,
            at=services.clock.now(),
            actor=user,
            channel=AuditChannel.WEB,
            subject_user_id=user_id,
            detail=detail,
        )
