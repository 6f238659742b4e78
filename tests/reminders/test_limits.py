"""Telegram's 429 answers: one chat's holds back that chat; several chats' at once, everything."""

from __future__ import annotations

import asyncio

import pytest

from bot.reminders.limits import TelegramLimits

# (429 answers as (chat, retry after) in the same moment, chat asked about, held for seconds)
CASES = [
    ([(1, 3.0)], 1, 3.0),
    ([(1, 3.0)], 2, 0.0),  # another chat goes on
    ([(1, 3.0), (2, 3.0)], 3, 0.0),  # two chats: still each on its own
    ([(1, 3.0), (2, 3.0), (3, 5.0)], 4, 5.0),  # three chats within a second: the whole bot
    ([(None, 2.0)], 7, 2.0),  # no chat (a group or a method without one): the whole bot
    ([(1, 3.0), (1, 10.0)], 1, 10.0),  # the longer wait counts
    ([(1, 10.0), (1, 3.0)], 1, 10.0),
]


@pytest.mark.parametrize(("refusals", "chat", "held"), CASES)
async def test_who_waits_after_a_429(
    refusals: list[tuple[int | None, float]], chat: int, held: float
) -> None:
    limits = TelegramLimits()
    now = asyncio.get_running_loop().time()
    for refused_chat, seconds in refusals:
        limits.refused(refused_chat, seconds)

    waits = max(0.0, limits.held_until(chat) - now)

    assert waits == pytest.approx(held, abs=0.05)
