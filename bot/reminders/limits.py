"""Staying under Telegram's limits: ~30 messages per second overall, 1 per second per chat."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter, BaseRateLimiter

OVERALL_PER_SECOND = 29  # one below Telegram's 30, spaced evenly rather than in bursts
PER_CHAT_SECONDS = 1.0


def overall_limiter(max_retries: int = 3) -> AIORateLimiter:
    """python-telegram-bot's AIORateLimiter with its overall bucket spaced evenly.

    The default bucket lets 30 requests through at once and then 30 per second, so one second
    can hold nearly 60; a bucket of one that refills 29 times a second never exceeds 30.
    """
    return AIORateLimiter(
        overall_max_rate=1, overall_time_period=1 / OVERALL_PER_SECOND, max_retries=max_retries
    )


class PerChatRateLimiter(BaseRateLimiter[int]):
    """One message per second per private chat, on top of a shared overall limiter.

    Used for nudges, which can come many at once for one person; interactive replies come one
    or two at a time and only use the overall limiter.
    """

    def __init__(self, overall: BaseRateLimiter[int]) -> None:
        self._overall = overall
        self._chats: dict[int, AsyncLimiter] = {}

    async def initialize(self) -> None:
        await self._overall.initialize()

    async def shutdown(self) -> None:
        self._chats.clear()

    def _chat(self, chat_id: int) -> AsyncLimiter:
        if len(self._chats) > 4096:
            for key, limiter in list(self._chats.items()):
                if limiter.has_capacity(1):
                    del self._chats[key]
        limiter = self._chats.get(chat_id)
        if limiter is None:
            limiter = self._chats[chat_id] = AsyncLimiter(1, PER_CHAT_SECONDS)
        return limiter

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
        if isinstance(chat_id, int) and chat_id > 0:
            async with self._chat(chat_id):
                return await self._overall.process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
        return await self._overall.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
