"""Staying under Telegram's limits: ~30 messages per second overall, 1 per second per chat.

Both bots of the process (the one that answers and the one that sends nudges) share one
`TelegramLimits`. A 429 answer for one private chat holds back that chat only; 429 answers for
several chats at once (or for a request without a chat) mean the bot as a whole is over the
limit, and then everything waits.
"""

from __future__ import annotations

import asyncio
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

OVERALL_PER_SECOND = 29  # one below Telegram's 30, so that network jitter cannot make it 31
# Messages are spaced at least this much of 1/29 s: a message that left a little late (the
# event loop wakes timers to the millisecond) lets the next leave a little early, so lateness
# does not add up, and there are never bursts.
MIN_GAP_SHARE = 0.8
PER_CHAT_SECONDS = 1.0
# 429 answers for this many different chats within a second: the whole bot is held back.
GLOBAL_AFTER_CHATS = 3


class MovingWindow:
    """At most `count` messages in any second, at least `gap` seconds apart.

    A leaky bucket of one (aiolimiter's, spaced 1/29 s) loses every late wake-up for good:
    measured, 1.5 ms a message, about 4 % of the rate. Counting the last second instead keeps
    the rate whatever the lateness, and the gap keeps the messages spread over that second.
    """

    def __init__(self, count: int, gap: float) -> None:
        self._count = count
        self._gap = gap
        self._sent: deque[float] = deque(maxlen=count)
        self._turn = asyncio.Lock()  # first come, first served

    def wait(self, now: float, *, spaced: bool = True) -> float:
        """Seconds until the next message may leave (0: now); `spaced` off: only the count
        holds it back, not the gap (for a reply, see `acquire`)."""
        full = self._sent[0] + 1.0 - now if len(self._sent) == self._count else 0.0
        gap = self._sent[-1] + self._gap - now if self._sent and spaced else 0.0
        return max(0.0, full, gap)

    def take(self, now: float) -> None:
        """A message left now."""
        self._sent.append(now)

    async def acquire(self, *, spaced: bool = True) -> None:
        """Wait for the next slot and take it. A reply to a person (`spaced` off) does not
        queue behind bulk sending: it takes a slot as soon as the second has room, and the gap
        that spreads bulk sending over the second does not hold it back."""
        loop = asyncio.get_running_loop()
        # The waits are on the clock, not on an event: a slot frees itself as the second moves.
        if not spaced:
            while (wait := self.wait(loop.time(), spaced=False)) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
            self.take(loop.time())
            return
        async with self._turn:  # first come, first served among bulk sends
            # Looked at again after the wait: a reply may have taken a slot meanwhile.
            while (wait := self.wait(loop.time())) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
            self.take(loop.time())


class TelegramLimits:
    """The state shared by the bots of one process: the overall bucket and who is held back."""

    def __init__(self, on_refused: Callable[[], object] | None = None) -> None:
        self.overall = MovingWindow(OVERALL_PER_SECOND, MIN_GAP_SHARE / OVERALL_PER_SECOND)
        self._on_refused = on_refused  # counts each 429 (the metrics)
        self._last: dict[int, float] = {}  # chat → loop time its last message left
        self._held: dict[int, float] = {}  # chat → loop time until which it waits
        self._paused_until = 0.0
        self._refusals: deque[tuple[float, int | None]] = deque(maxlen=64)

    async def chat_turn(self, chat_id: int) -> None:
        """Take a slot of the overall bucket, a second or more after this chat's last message.

        The second counts from when the last message left (then from its answer, see
        `answered`), not from when it queued for the overall bucket: otherwise one that waited
        long there could leave just before the next.
        """
        loop = asyncio.get_running_loop()
        while True:
            wait = self._last.get(chat_id, -PER_CHAT_SECONDS) + PER_CHAT_SECONDS - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            await self.overall.acquire()
            now = loop.time()
            if now >= self._last.get(chat_id, -PER_CHAT_SECONDS) + PER_CHAT_SECONDS:
                self._last[chat_id] = now
                self._forget(now)
                return

    def answered(self, chat_id: int) -> None:
        """Telegram answered this chat's message: the next one's second counts from now.

        Counting from the answer, not from when the message left, keeps a second between the
        two as Telegram receives them, however long the first took on the way.
        """
        self._last[chat_id] = asyncio.get_running_loop().time()

    def _forget(self, now: float) -> None:
        if len(self._last) > 4096:
            for chat, last in list(self._last.items()):
                if now - last > PER_CHAT_SECONDS:
                    del self._last[chat]

    async def wait_turn(self, chat_id: int | None) -> None:
        """Wait out a hold on everything, and one on this chat."""
        loop = asyncio.get_running_loop()
        # A hold can grow while it is waited out (another 429), so it is looked at again after.
        while (until := self.held_until(chat_id)) > loop.time():  # noqa: ASYNC110
            await asyncio.sleep(until - loop.time())

    def held_until(self, chat_id: int | None) -> float:
        """Loop time until which a message to this chat has to wait (0: it need not)."""
        return max(self._paused_until, self._held.get(chat_id, 0.0) if chat_id else 0.0)

    def refused(self, chat_id: int | None, seconds: float) -> None:
        """Telegram answered 429 with `retry_after`: hold back that chat, or everything."""
        now = asyncio.get_running_loop().time()
        until = now + seconds
        self._refusals.append((now, chat_id))
        if self._on_refused is not None:
            self._on_refused()
        recent = {chat for at, chat in self._refusals if now - at < 1.0}
        if chat_id is None or None in recent or len(recent) >= GLOBAL_AFTER_CHATS:
            self._paused_until = max(self._paused_until, until)
        else:
            self._held[chat_id] = max(self._held.get(chat_id, 0.0), until)
            for chat, held_until in list(self._held.items()):
                if held_until < now:
                    del self._held[chat]


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked to wait, whether PTB gives it as seconds or as a timedelta."""
    with warnings.catch_warnings():
        # PTB 22.2+ warns that the type will become timedelta; both are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return float(wait) if isinstance(wait, int | float) else wait.total_seconds()


class TelegramRateLimiter(BaseRateLimiter[int]):
    """python-telegram-bot's rate-limiter hook over a shared `TelegramLimits`.

    `per_chat`: also keep one second between messages to the same private chat, and spread
    the messages over the second (nudges are sent in bulk, many at once for one person). Without
    it the bot answers people: its messages count in the same second, but do not queue behind
    the bulk sending's spacing. `max_retries`: how often a 429 is waited out here before the
    caller sees it; delivery passes 0 and waits per chat itself, so that it can stop at once
    when the process stops.

    As python-telegram-bot's own limiter, only requests to a chat count: answering a button
    press, polling for updates or setting commands sends no message.
    """

    def __init__(self, limits: TelegramLimits, *, per_chat: bool, max_retries: int) -> None:
        self.limits = limits
        self._per_chat = per_chat
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up: the shared state lives in `TelegramLimits`."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        private = chat_id if isinstance(chat_id, int) and chat_id > 0 else None
        attempt = 0
        while True:
            await self.limits.wait_turn(private)
            if self._per_chat and private is not None:
                await self.limits.chat_turn(private)
            elif chat_id is not None:
                await self.limits.overall.acquire(spaced=self._per_chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self.limits.refused(private, retry_seconds(error))
                if attempt >= self._max_retries:
                    raise
                attempt += 1
            finally:
                if self._per_chat and private is not None:
                    self.limits.answered(private)


def nudge_rate_limiter(limits: TelegramLimits | None = None) -> TelegramRateLimiter:
    """The limiter of the bot that sends nudges: one per second per chat, 429s left to delivery."""
    return TelegramRateLimiter(limits or TelegramLimits(), per_chat=True, max_retries=0)
