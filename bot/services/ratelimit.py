"""A per-user limit on messages and button presses, so one account cannot flood the bot."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import StrEnum

# A page view is lighter than a message and desk work clicks through many: the pages allow
# this many requests for every message the chat allows.
WEB_REQUESTS_PER_MESSAGE = 10


class MovingMinute:
    """At most `count` hits per key in any moving window of `seconds`; a refused hit does not
    count.

    In memory and without a thread: the `limits` library's memory storage (used here before)
    starts a thread to expire its entries on nearly every hit, measured at 0.3 ms a message in
    the bot, on every message and page. Keys not hit for a window are forgotten as others come.
    """

    def __init__(
        self, count: int, seconds: float = 60.0, clock: Callable[[], float] = time.time
    ) -> None:
        self._count = count
        self._seconds = seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._forget_at = 1024

    def hit(self, key: str) -> bool:
        """Count one hit of `key` now; False (and not counted) when the window is full."""
        now = self._clock()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque(maxlen=self._count)
        if len(hits) == self._count and now - hits[0] < self._seconds:
            return False
        hits.append(now)
        if len(self._hits) >= self._forget_at:
            self._forget(now)
        return True

    def _forget(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if now - hits[-1] >= self._seconds]:
            del self._hits[key]
        # Looked at again when the keys in use have doubled: the work stays in proportion.
        self._forget_at = max(1024, 2 * len(self._hits))


class Channel(StrEnum):
    """Where a request comes from: each has a rate of its own, counted in one place."""

    CHAT = "chat"
    WEB = "web"


class MessageLimiter:
    """At most `per_minute` updates per user in any moving minute in the chat, and
    `WEB_REQUESTS_PER_MESSAGE` times as many requests on the pages; one warning per minute.

    Kept in memory: a restart forgets the counts, which costs nothing but a minute's flood.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self._channels = {
            Channel.CHAT: MovingMinute(per_minute, clock=clock),
            Channel.WEB: MovingMinute(per_minute * WEB_REQUESTS_PER_MESSAGE, clock=clock),
        }
        self._warnings = MovingMinute(1, clock=clock)

    def allow(self, user_id: int, channel: Channel = Channel.CHAT) -> bool:
        """Count one request of this user on `channel`; False when they are over its limit."""
        return self._channels[channel].hit(str(user_id))

    def warn(self, user_id: int) -> bool:
        """Whether to tell the user they are over the limit (not again within the minute)."""
        return self._warnings.hit(str(user_id))


class SignInLimiter:
    """Sign-in attempts on the pages (a link confirmed, Mini App initData traded): at most
    `per_address` a minute from one address, `per_user` a minute for one user — so that no one
    can try link tokens by the thousand or fill the session table with a replayed initData."""

    def __init__(self, per_address: int = 30, per_user: int = 10) -> None:
        self._address = MovingMinute(per_address)
        self._user = MovingMinute(per_user)

    def allow_address(self, address: str) -> bool:
        """Count one attempt from `address`; False when it is over the limit."""
        return self._address.hit(address)

    def allow_user(self, user_id: int) -> bool:
        """Count one sign-in of `user_id`; False when they are over the limit."""
        return self._user.hit(str(user_id))
