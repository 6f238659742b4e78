"""Telegram's limits: the overall window, and 429 answers — one chat's holds back that chat;
several chats' at once, everything."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest

from bot.reminders.limits import (
    MIN_GAP_SHARE,
    OVERALL_PER_SECOND,
    MovingWindow,
    TelegramLimits,
    TelegramRateLimiter,
)

GAP = MIN_GAP_SHARE / OVERALL_PER_SECOND

# (when earlier messages left, now, seconds until the next may leave)
WINDOW_CASES = [
    ([], 0.0, 0.0),  # nothing sent yet
    ([0.0], 0.01, GAP - 0.01),  # too soon after the last
    ([0.0], 0.5, 0.0),
    ([i * GAP for i in range(29)], 28 * GAP + GAP, 1.0 - 29 * GAP),  # 29 in the second: full
    ([i * GAP for i in range(29)], 1.0, 0.0),  # the first left the second
    ([0.0, *(0.2 + i * GAP for i in range(28))], 0.99, 0.01),  # full, the gap already kept
]


@pytest.mark.parametrize(("sent", "now", "waits"), WINDOW_CASES)
def test_when_the_next_message_may_leave(sent: list[float], now: float, waits: float) -> None:
    window = MovingWindow(OVERALL_PER_SECOND, GAP)
    for at in sent:
        window.take(at)

    assert window.wait(now) == pytest.approx(waits, abs=1e-9)


def test_late_wake_ups_cost_no_rate_and_no_second_holds_more_than_29() -> None:
    # The event loop wakes a timer up to a few milliseconds late; a leaky bucket of one loses
    # all of that (1,000 messages at 1.5 ms late: 1.5 s, 4 %). The window makes it up.
    window = MovingWindow(OVERALL_PER_SECOND, GAP)
    late = random.Random(12)
    now, sent = 0.0, []
    for _ in range(1_000):
        now += window.wait(now) + late.uniform(0.0, 0.003)
        window.take(now)
        sent.append(now)

    busiest = max(sum(1 for t in sent[i:i + 40] if t - start < 1.0)
                  for i, start in enumerate(sent))  # fmt: skip
    assert busiest <= OVERALL_PER_SECOND
    assert 1_000 / sent[-1] >= 0.99 * OVERALL_PER_SECOND
    assert min(b - a for a, b in itertools.pairwise(sent)) >= GAP


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


# (when earlier messages left, now, seconds until a reply may leave): the count holds a reply
# back, the gap that spreads bulk sending does not.
REPLY_CASES = [
    ([0.0], 0.001, 0.0),  # right after a nudge: at once
    ([i * GAP for i in range(29)], 29 * GAP, 1.0 - 29 * GAP),  # 29 in the second: it waits too
    ([i * GAP for i in range(28)], 28 * GAP, 0.0),  # room for one more
]


@pytest.mark.parametrize(("sent", "now", "waits"), REPLY_CASES)
def test_when_a_reply_may_leave(sent: list[float], now: float, waits: float) -> None:
    window = MovingWindow(OVERALL_PER_SECOND, GAP)
    for at in sent:
        window.take(at)

    assert window.wait(now, spaced=False) == pytest.approx(waits, abs=1e-9)


# (the bot that sends nudges?, method, chat): which turn the request waits for.
TURNS = [
    (False, "sendMessage", 5, "slot, not spaced"),  # an answer to a person
    (False, "editMessageText", 5, "slot, not spaced"),  # the message a person looks at
    (False, "answerCallbackQuery", None, "none"),  # no message: Telegram does not count it
    (False, "getUpdates", None, "none"),
    (True, "sendMessage", 5, "chat turn"),  # a nudge: a second per chat, spread
    (True, "sendMessage", -100, "slot, spaced"),  # a group: the overall window, spread
    (True, "setMyCommands", None, "none"),
]


@pytest.mark.parametrize(("nudges", "method", "chat", "turn"), TURNS)
async def test_which_turn_a_request_waits_for(
    nudges: bool, method: str, chat: int | None, turn: str
) -> None:
    limits = TelegramLimits()
    taken: list[str] = []

    async def slot(*, spaced: bool = True) -> None:
        taken.append("slot, spaced" if spaced else "slot, not spaced")

    async def chat_turn(chat_id: int) -> None:
        taken.append("chat turn")

    limits.overall.acquire = slot  # type: ignore[method-assign]
    limits.chat_turn = chat_turn  # type: ignore[method-assign]
    limiter = TelegramRateLimiter(limits, per_chat=nudges, max_retries=0)

    async def call() -> str:
        return "done"

    data = {"chat_id": chat} if chat is not None else {}
    assert await limiter.process_request(call, (), {}, method, data, None) == "done"
    assert taken == ([] if turn == "none" else [turn])
