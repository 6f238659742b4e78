"""The per-user limit on messages and sign-ins: a moving minute, counted on a clock of the test."""

from __future__ import annotations

import pytest

from bot.services.ratelimit import Channel, MessageLimiter, MovingMinute


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# (seconds after the first hit, key) → allowed? With 3 a minute.
HITS = [
    ((0, "a"), True),
    ((10, "a"), True),
    ((20, "a"), True),
    ((30, "a"), False),  # the fourth within a minute
    ((30, "b"), True),  # another key counts apart
    ((59.9, "a"), False),  # the first is not a minute old yet
    ((60, "a"), True),  # now it is: one slot free
    ((61, "a"), False),  # the one at 10 s still counts (the refused ones did not)
    ((70, "a"), True),
    ((200, "a"), True),  # a quiet spell empties the window
]


def test_a_moving_minute_allows_count_hits_in_any_minute() -> None:
    clock = Clock()
    window = MovingMinute(3, clock=clock)
    start = clock.now
    got = []
    for (seconds, key), _ in HITS:
        clock.now = start + seconds
        got.append(window.hit(key))
    assert got == [allowed for _, allowed in HITS]


def test_keys_not_hit_for_a_minute_are_forgotten_as_others_come() -> None:
    clock = Clock()
    window = MovingMinute(1, clock=clock)
    for key in range(1500):
        window.hit(f"old {key}")
    assert len(window._hits) == 1500  # all within the minute: all kept
    clock.now += 61
    for key in range(600):
        window.hit(f"new {key}")
    # Looked at when the keys had doubled since the last look (2,048): the old ones are gone.
    assert not any(key.startswith("old") for key in window._hits)
    assert len(window._hits) == 600
    assert not window.hit("new 0")  # the new ones still count


@pytest.mark.parametrize(("channel", "allowed"), [(Channel.CHAT, 2), (Channel.WEB, 20)])
def test_the_pages_allow_ten_requests_for_every_message(channel: Channel, allowed: int) -> None:
    clock = Clock()
    limiter = MessageLimiter(2, clock=clock)
    results = [limiter.allow(7, channel) for _ in range(allowed + 1)]
    assert results == [True] * allowed + [False]
    assert limiter.allow(8, channel)  # another user
    assert limiter.warn(7)
    assert not limiter.warn(7)  # one warning a minute
    clock.now += 60
    assert limiter.allow(7, channel)
    assert limiter.warn(7)
