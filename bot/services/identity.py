"""Who is this: the one answer both front ends ask before anything else.

A chat message (by Telegram id), a page request with a session (by user id) or the Mini App's
signed initData (by the Telegram id it signs) all come here. Decided once for both channels:
whether the account still has access (revoked and blocked users have none), when they were
last active (which drives the list of unused accounts) and whether they are over their rate.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from bot.services.container import Services
from bot.services.ratelimit import Channel
from bot.services.web_access import InitDataRefused, init_data_user
from bot.storage.models import User

__all__ = [
    "Channel",
    "access_generation",
    "active_caller",
    "mark_seen",
    "mini_app_caller",
    "read_account",
    "recognise",
    "seen_due",
    "within_rate",
]

logger = logging.getLogger(__name__)

# "Last seen" is written at most this often, so that not every message or page is a write.
SEEN_EVERY = timedelta(hours=1)


# Asked before every message and page: one statement built once, read without a unit of work.
_USERS = User.metadata.tables["app_user"]
_BY_TELEGRAM_ID = select(_USERS).where(_USERS.c.telegram_id == bindparam("key"))
_BY_ID = select(_USERS).where(_USERS.c.id == bindparam("key"))


def recognise(
    services: Services, *, telegram_id: int | None = None, user_id: int | None = None
) -> User | None:
    """The registered user behind a message (`telegram_id`) or a page (`user_id`), whether or
    not they still have access; an active one's "last seen" is written (at most once per
    `SEEN_EVERY`)."""
    account = read_account(services, telegram_id=telegram_id, user_id=user_id)
    if account is not None and seen_due(services, account):
        mark_seen(services, account)
    return account


def seen_due(services: Services, account: User) -> bool:
    """Whether an active user's "last seen" is to be written now (see `mark_seen`)."""
    seen = account.last_seen_at
    return account.active and (seen is None or services.clock.now() - seen >= SEEN_EVERY)


def mark_seen(services: Services, account: User) -> None:
    """Write that the user was active now (a write: off the event loop)."""
    now = services.clock.now()
    with services.session() as session:
        session.execute(update(User).where(col(User.id) == account.id).values(last_seen_at=now))
    set_committed_value(account, "last_seen_at", now)  # as stored now, not a change


def read_account(
    services: Services, *, telegram_id: int | None = None, user_id: int | None = None
) -> User | None:
    """The user with this Telegram id (or user id), as stored."""
    by_id = user_id is not None
    assert by_id or telegram_id is not None
    with services.engine.connect() as connection:
        row = connection.execute(
            _BY_ID if by_id else _BY_TELEGRAM_ID, {"key": user_id if by_id else telegram_id}
        ).first()
    if row is None:
        return None
    account = User(**row._mapping)
    # As if a unit of work had read it and ended: adding it to one later updates, not inserts.
    make_transient_to_detached(account)
    return account


def active_caller(
    services: Services, *, telegram_id: int | None = None, user_id: int | None = None
) -> User | None:
    """The user behind a request if they still have access; None otherwise."""
    account = recognise(services, telegram_id=telegram_id, user_id=user_id)
    return account if account is not None and account.active else None


def access_generation(services: Services, user_id: int) -> int | None:
    """The access generation of a user who still has access (a sign-in link is redeemed
    against it); None when they have none."""
    account = active_caller(services, user_id=user_id)
    return account.access_generation if account is not None else None


def mini_app_caller(services: Services, init_data: str) -> User | None:
    """The active user whose Mini App signed this initData; None when it is refused."""
    token = services.settings.require_token()
    try:
        telegram_id = init_data_user(init_data, bot_token=token, now=services.clock.now())
    except InitDataRefused as refused:
        logger.info("web: initData refused (%s)", refused)
        return None
    return active_caller(services, telegram_id=telegram_id)


def within_rate(services: Services, telegram_id: int, channel: Channel) -> bool:
    """Count one request of this person on this channel; False when they are over its rate."""
    return services.message_limiter.allow(telegram_id, channel)
