"""After a start or a crash the bot answers at once; the catch-up runs in the background."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.app import build_application
from bot.reminders import recompute
from bot.reminders.runtime import reminders_of
from bot.services.container import Services
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.harness import BotHarness, ObservedApplication, start_without_jobs, stop, texts


async def test_the_bot_answers_while_it_catches_up_after_start(
    telegram: FakeTelegram, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A catch-up that takes as long as we like (with 100,000 pupils it took 40 s).
    release = threading.Event()
    monkeypatch.setattr(recompute, "recompute_now", lambda _services: release.wait(30) and 0)
    application = build_application(services, application_class=ObservedApplication)
    assert isinstance(application, ObservedApplication)
    async with application:
        assert application.post_init is not None
        await asyncio.wait_for(application.post_init(application), 5)  # does not wait for it
        reminders = reminders_of(application)
        await start_without_jobs(application)
        try:
            answer = await BotHarness(telegram, application).send(TgUser(4242, "X", "nl"), "hoi")

            assert texts(answer)[0].startswith("Deze bot is alleen voor uitgenodigde")
            assert not reminders.ready.is_set()
            await reminders.deliver()  # nothing is sent before the catch-up is done
            assert [c for c in telegram.calls if c.method == "sendMessage"] == answer
            release.set()
            await asyncio.wait_for(reminders.ready.wait(), 10)
        finally:
            release.set()
            await stop(application)
