"""The product's local Bot API (bot/local/botapi.py), with the failures tests need on demand.

The bot under test is a real python-telegram-bot Application pointed at this server through
TELEGRAM_BASE_URL, exactly as in the local trial; tests put updates in and read the calls.
Here Telegram can also be slow, throttle, fail once, block the bot or refuse a chat for good.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.local.botapi import BOT_ID, BOT_USERNAME, TOKEN, ApiCall, LocalBotApi, TgUser

__all__ = ["BOT_ID", "BOT_USERNAME", "TOKEN", "ApiCall", "FakeTelegram", "TgUser"]


@dataclass
class FakeTelegram(LocalBotApi):
    """The local Bot API; `start()` it inside a running event loop."""

    # Telegram's limits, enforced when asked: 30 messages per second overall, 1 per chat.
    enforce_limits: bool = False
    too_many_requests: int = 0
    blocked: set[int] = field(default_factory=set)
    # Chats whose next message is answered with 429 (retry after `throttle_seconds`), once.
    throttle_once: set[int] = field(default_factory=set)
    throttle_seconds: int = 1
    # Chats whose next message fails with 502 Bad Gateway (a network error), once.
    fail_once: set[int] = field(default_factory=set)
    # Chats for which Telegram refuses every message for good (400), as for a deleted chat.
    refuse: set[int] = field(default_factory=set)
    # Hold the n-th sendMessage (counted from 1) without answering, as if the bot died then.
    hold_at: int | None = None
    received: list[tuple[float, int, str]] = field(default_factory=list)
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    _sends: list[tuple[float, int]] = field(default_factory=list)
    _new_receipt: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_for_received(self, count: int, limit: float = 30.0) -> None:
        """Wait until `count` messages (sendMessage, sendDocument) have arrived (answered or held)."""

        async def arrived() -> None:
            while len(self.received) < count:
                self._new_receipt.clear()
                await self._new_receipt.wait()

        await asyncio.wait_for(arrived(), limit)

    def release(self) -> None:
        """Let a held request go on (or stop holding)."""
        self.hold_at = None
        self._released.set()

    async def _gate(self, method: str, params: dict[str, Any]) -> web.Response | None:
        chat_id = params.get("chat_id")
        now = time.monotonic()
        if method in ("sendMessage", "sendDocument"):
            text = params.get("text") if method == "sendMessage" else params.get("caption")
            self.received.append((now, chat_id or 0, str(text or "")))
            self._new_receipt.set()
            if self.hold_at is not None and len(self.received) >= self.hold_at:
                await self._released.wait()
        refusal = await super()._gate(method, params)
        if refusal is not None:
            return refusal
        if chat_id in self.refuse:
            return _refusal(400, "Bad Request: chat not found")
        if chat_id in self.fail_once:
            self.fail_once.discard(chat_id)
            return web.Response(status=502, text="Bad Gateway")
        if chat_id in self.throttle_once:
            self.throttle_once.discard(chat_id)
            self.too_many_requests += 1
            return _too_many(self.throttle_seconds)
        if chat_id in self.blocked:
            return _refusal(403, "Forbidden: bot was blocked by the user")
        if self.enforce_limits and chat_id is not None:
            # Telegram's limits concern messages to chats: a button's answer or a poll for
            # updates is none.
            recent = [(t, c) for t, c in self._sends if now - t < 1.0]
            same_chat = [t for t, c in recent if c == chat_id and now - t < 0.95]
            if len(recent) >= 30 or same_chat:
                self.too_many_requests += 1
                return _too_many(1)
            self._sends = [*recent, (now, chat_id or 0)]
        return None


def _refusal(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )


def _too_many(wait: int) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {wait}",
         "parameters": {"retry_after": wait}},
        status=429,
    )  # fmt: skip
