"""A per-user limit on messages and button presses, so one account cannot flood the bot."""

from __future__ import annotations

from enum import StrEnum

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

# A page view is lighter than a message and desk work clicks through many: the pages allow
# this many requests for every message the chat allows.
WEB_REQUESTS_PER_MESSAGE = 10


class Channel(StrEnum):
    """Where a request comes from: each has a rate of its own, counted in one place."""

    CHAT = "chat"
    WEB = "web"


class MessageLimiter:
    """At most `per_minute` updates per user in any moving minute in the chat, and
    `WEB_REQUESTS_PER_MESSAGE` times as many requests on the pages; one warning per minute.

    Kept in memory: a restart forgets the counts, which costs nothing but a minute's flood.
    """

    def __init__(self, per_minute: int) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items = {
            Channel.CHAT: RateLimitItemPerMinute(per_minute),
            Channel.WEB: RateLimitItemPerMinute(per_minute * WEB_REQUESTS_PER_MESSAGE),
        }
        self._warning = RateLimitItemPerMinute(1)

    def allow(self, user_id: int, channel: Channel = Channel.CHAT) -> bool:
        """Count one request of this user on `channel`; False when they are over its limit."""
        return self._limiter.hit(self._items[channel], channel, str(user_id))

    def warn(self, user_id: int) -> bool:
        """Whether to tell the user they are over the limit (not again within the minute)."""
        return self._limiter.hit(self._warning, "warnings", str(user_id))


class SignInLimiter:
    """Sign-in attempts on the pages (a link confirmed, Mini App initData traded): at most
    `per_address` a minute from one address, `per_user` a minute for one user — so that no one
    can try link tokens by the thousand or fill the session table with a replayed initData."""

    def __init__(self, per_address: int = 30, per_user: int = 10) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._address = RateLimitItemPerMinute(per_address)
        self._user = RateLimitItemPerMinute(per_user)

    def allow_address(self, address: str) -> bool:
        """Count one attempt from `address`; False when it is over the limit."""
        return self._limiter.hit(self._address, "sign-in-address", address)

    def allow_user(self, user_id: int) -> bool:
        """Count one sign-in of `user_id`; False when they are over the limit."""
        return self._limiter.hit(self._user, "sign-in-user", str(user_id))
