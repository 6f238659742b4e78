"""A user's deadlines as a calendar subscription: its address (a secret of 256 bits, shown once),
whose an address is, and what the feed holds (the user's agenda: `reminders.actions.agenda`)."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete
from sqlmodel import col, select

from bot.services import audit
from bot.services.container import Services
from bot.services.identity import active_caller
from bot.storage.models import AuditAction, AuditChannel, User
from bot.storage.side_tables import CalendarFeedRow

# The address's path on the pages' server, before the secret.
FEED_PATH = "/ics/"
# How far ahead the feed reaches (the agenda's 30 days would leave a calendar's month empty).
FEED_DAYS = 366


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_address(services: Services, *, user: User, channel: AuditChannel) -> str:
    """A new secret for `user`'s feed; the one before stops working. Audited (never the
    secret): only its digest is kept, so this is the only time it can be shown."""
    assert user.id is not None
    secret = secrets.token_urlsafe(32)
    now = services.clock.now()
    with services.session() as session:
        session.execute(delete(CalendarFeedRow).where(col(CalendarFeedRow.user_id) == user.id))
        session.add(
            CalendarFeedRow(
                user_id=user.id,
                key=_digest(secret),
                generation=user.access_generation,
                created_at=now,
            )
        )
        audit.record(
            session,
            action=AuditAction.FEED_MADE,
            at=now,
            actor=user,
            channel=channel,
            subject_user_id=user.id,
        )
    return secret


def feed_addresses(services: Services, secret: str) -> tuple[str, str | None]:
    """The feed's https address, and its webcal:// form (which calendars open as a
    subscription) when the pages are public."""
    address = f"{services.settings.web_root()}{FEED_PATH}{secret}"
    if not address.startswith("https://"):
        return address, None
    return address, "webcal://" + address.removeprefix("https://")


def reader(services: Services, secret: str) -> User | None:
    """Whose feed an address is, if they still have the access it was made under (a
    revocation or a change of role ends it); None for any other address."""
    if not 20 <= len(secret) <= 100:
        return None
    with services.session() as session:
        row = session.exec(
            select(CalendarFeedRow).where(CalendarFeedRow.key == _digest(secret))
        ).first()
    if row is None:
        return None
    user = active_caller(services, user_id=row.user_id)
    if user is None or user.access_generation != row.generation:
        return None
    return user


def record_read(services: Services, *, user: User) -> None:
    """The audit trail's record that a calendar read this user's deadlines."""
    with services.session() as session:
        audit.record(
            session,
            action=AuditAction.FEED_READ,
            at=services.clock.now(),
            actor=user,
            channel=AuditChannel.WEB,
            subject_user_id=user.id,
            detail="calendar",
        )
