"""Who is this: the one answer both front ends ask before anything else.

A chat message (by Telegram id), a page request with a session (by user id) or the Mini App's
signed initData (by the Telegram id it signs) all come here. Decided once for both channels:
whether the account still has access (revoked and blocked users have none), when they were
last active (which drives the list of unused accounts) and whether they are over their rate.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.services.container import Services
from bot.services.onboarding import find_user
from bot.services.ratelimit import Channel
from bot.services.web_access import InitDataRefused, init_data_user
from bot.storage.models import User

__all__ = [
    "Channel",
    "access_generation",
    "active_caller",
    "mini_app_caller",
    "recognise",
    "within_rate",
]

logger = logging.getLogger(__name__)

# "Last seen" is written at most this often, so that not every message or page is a write.
SEEN_EVERY = timedelta(hours=1)


def recognise(
    services: Services, *, telegram_id: int | None = None, user_id: int | None = None
) -> User | None:
    """The registered user behind a message (`telegram_id`) or a page (`user_id`), whether or
    not they still have access; an active one's "last seen" is written (at most once per
    `SEEN_EVERY`)."""
    now = services.clock.now()
    with services.session() as session:
        if user_id is not None:
            account = session.get(User, user_id)
        else:
            assert telegram_id is not None
            account = find_user(session=session, telegram_id=telegram_id)
        if account is None or not account.active:
            return account
        if account.last_seen_at is None or now - account.last_seen_at >= SEEN_EVERY:
            account.last_seen_at = now
            session.add(account)
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
