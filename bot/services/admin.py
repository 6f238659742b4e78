"""What an SWV administrator does in the chat: see the users, withdraw access, change a role,
read the audit trail. Each function is one action in its own unit of work."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from bot.services import audit
from bot.services.cases import label
from bot.services.container import Services
from bot.services.onboarding import membership_for
from bot.services.organisations import list_organisations
from bot.services.users import change_role, inactive_users, revoke, users_of
from bot.storage.models import AuditAction, Pupil, Role, User


@dataclass(frozen=True)
class UsersOverview:
    """The other users of an administrator's SWV (not revoked), and which of them have been idle
    too long."""

    users: list[User]
    idle: frozenset[int]
    days: int
    # Organisations of the SWV where nobody receives the deadlines of a role, and those roles.
    unstaffed: tuple[tuple[str, tuple[Role, ...]], ...] = ()


@dataclass(frozen=True)
class AuditLine:
    """One entry of the audit trail as the administrator reads it; `subject` is the pupil's
    chat label or the user concerned, `removed_pupil` the id of a pupil no longer stored."""

    at: datetime
    actor: User | None
    channel: str
    action: AuditAction | str
    pupil: str | None = None
    removed_pupil: int | None = None
    user: User | None = None
    user_id: int | None = None
    detail: str = ""


def users_overview(services: Services, *, admin: User) -> UsersOverview:
    """/gebruikers: everyone else in the admin's SWV, the idle ones marked."""
    days = services.settings.inactive_days
    with services.session() as session:
        users = [u for u in users_of(session, swv_id=admin.swv_id) if u.id != admin.id]
        idle = inactive_users(session, swv_id=admin.swv_id, now=services.clock.now(), days=days)
        organisations = list_organisations(session=session, swv_id=admin.swv_id)
    return UsersOverview(
        users=users,
        idle=frozenset(u.id for u in idle if u.id),
        days=days,
        unstaffed=tuple((row.name, row.missing) for row in organisations if row.missing),
    )


def colleague(services: Services, *, admin: User, user_id: int) -> User | None:
    """The user behind button data, if still in the admin's SWV, not revoked and not the admin
    themself (an admin does not withdraw or change their own access)."""
    with services.session() as session:
        user = session.get(User, user_id)
    if user is None or user.swv_id != admin.swv_id or user.revoked_at is not None:
        return None
    return None if user.id == admin.id else user


def withdraw(services: Services, *, admin: User, user_id: int) -> None:
    """Withdraw the access of one user (see `users.revoke`)."""
    with services.session() as session:
        target = session.get(User, user_id)
        assert target is not None
        revoke(session, target, now=services.clock.now(), by=admin)
    # This process's sessions and links of theirs end now (another process's at their next
    # request, by the access generation).
    services.web_sessions.close_user(user_id)


def set_role(services: Services, *, admin: User, user_id: int, role: Role, org_id: int) -> None:
    """Give one user another role at the organisation picked; raises `OrganisationError` or
    `UserChangeRefused` when that is not possible, and then nothing changes."""
    with services.session() as session:
        membership = membership_for(session=session, role=role, org_id=org_id)
        target = session.get(User, user_id)
        assert target is not None
        change_role(
            session, target, role=role, membership=membership, now=services.clock.now(), by=admin
        )
    services.web_sessions.close_user(user_id)


def audit_trail(services: Services, *, admin: User, limit: int) -> list[AuditLine]:
    """/audit: the newest entries of the admin's SWV, newest first."""
    lines: list[AuditLine] = []
    with services.session() as session:
        for event in audit.recent(session, swv_id=admin.swv_id, limit=limit):
            pupil = session.get(Pupil, event.pupil_id) if event.pupil_id is not None else None
            user_id = event.subject_user_id if event.pupil_id is None else None
            known = {a.value for a in AuditAction}
            lines.append(
                AuditLine(
                    at=event.at,
                    actor=session.get(User, event.actor_id) if event.actor_id else None,
                    channel=event.channel,
                    action=AuditAction(event.action) if event.action in known else event.action,
                    pupil=label(session=session, pupil=pupil) if pupil is not None else None,
                    removed_pupil=event.pupil_id
                    if event.pupil_id is not None and pupil is None
                    else None,
                    user=session.get(User, user_id) if user_id is not None else None,
                    user_id=user_id,
                    detail=event.detail or "",
                )
            )
    return lines


def audit_csv(services: Services, *, admin: User) -> str:
    """The whole audit trail of the admin's SWV as CSV (the download is audited too)."""
    buffer = io.StringIO()
    with services.session() as session:
        audit.export_csv(session, buffer, swv_id=admin.swv_id)
        audit.record(
            session, action=AuditAction.EXPORT, at=services.clock.now(), actor=admin, detail="audit"
        )
    return buffer.getvalue()
