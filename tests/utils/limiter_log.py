"""What the rate limiter decided: when each message was let go, and to which chat.

Tests of the sending rate assert on these decisions (the limiter's own clock), never on when
the fake Telegram happened to receive the requests: on a loaded machine requests that left
evenly spaced can arrive bunched, and that says nothing about the bot.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

import pytest

from bot.reminders.limits import MovingWindow, TelegramLimits


@dataclass
class LimiterLog:
    """Every slot the overall window gave out, and every chat's turn, in loop seconds."""

    slots: list[float] = field(default_factory=list)
    turns: list[tuple[float, int]] = field(default_factory=list)
    most_waiting: int = 0  # the most messages waiting for a slot at one moment
    _waiting: int = 0

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        take, acquire, chat_turn = MovingWindow.take, MovingWindow.acquire, TelegramLimits.chat_turn
        log = self

        def logged_take(window: MovingWindow, now: float) -> None:
            log.slots.append(now)
            take(window, now)

        async def logged_acquire(window: MovingWindow) -> None:
            log._waiting += 1
            log.most_waiting = max(log.most_waiting, log._waiting)
            try:
                await acquire(window)
            finally:
                log._waiting -= 1

        async def logged_turn(limits: TelegramLimits, chat_id: int) -> None:
            await chat_turn(limits, chat_id)
            log.turns.append((asyncio.get_running_loop().time(), chat_id))

        monkeypatch.setattr(MovingWindow, "take", logged_take)
        monkeypatch.setattr(MovingWindow, "acquire", logged_acquire)
        monkeypatch.setattr(TelegramLimits, "chat_turn", logged_turn)

    def busiest_second(self) -> int:
        """The most slots given out within any one second."""
        return max(
            (
                sum(1 for t in self.slots[i:] if t - start < 1.0)
                for i, start in enumerate(self.slots)
            ),
            default=0,
        )

    def closest_in_one_chat(self) -> float:
        """The shortest time between two turns of the same chat (inf: no chat had two)."""
        by_chat: dict[int, list[float]] = {}
        for at, chat in self.turns:
            by_chat.setdefault(chat, []).append(at)
        gaps = [b - a for times in by_chat.values() for a, b in itertools.pairwise(times)]
        return min(gaps, default=float("inf"))

    def order(self, chats: set[int]) -> list[int]:
        """The chats among `chats` in the order their turns were given."""
        return [chat for _, chat in self.turns if chat in chats]
