"""The local trial is private to this computer: its Bot API, chat page and pages under /app
answer only requests addressed to this machine (no DNS rebinding), its Bot API refuses what a
browser sends on behalf of another site, and its token is a secret made at every start."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from sqlmodel import Session

from bot.clock import FixedClock
from bot.local import chat
from bot.local.botapi import TOKEN, secret_token
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.runtime import services_of
from bot.services.demo import add_sample_region
from bot.web.site import add_web
from tests.utils.fake_telegram import FakeTelegram
from tests.utils.harness import BotHarness

ZOE = 900001


@pytest.fixture
async def trial(bot: BotHarness, session: Session, clock: FixedClock) -> AsyncIterator[str]:
    """The trial's site as `run_trial` assembles it: Bot API, chat page and pages, one server."""
    add_sample_region(session, now=clock.now(), settings=PROTOCOL)
    assert isinstance(bot.telegram, FakeTelegram)
    app = web.Application()
    bot.telegram.add_routes(app)
    services = services_of(bot.application)
    chat.add_routes(app, api=bot.telegram, services=services)
    add_web(app, services, bot.application.bot, health=False)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def _status(method: str, url: str, **kwargs: object) -> int:
    async with aiohttp.ClientSession() as client, client.request(method, url, **kwargs) as answer:  # type: ignore[arg-type]
        return answer.status


async def test_a_foreign_host_is_refused_everywhere(trial: str, bot: BotHarness) -> None:
    token = bot.telegram.token
    rebound = {"Host": "evil.example"}
    for path in (f"/bot{token}/getMe", f"/bot{token}/getUpdates", "/chat", "/chat/api/people",
                 "/app/pupils", "/app/start", "/app/agenda"):  # fmt: skip
        assert await _status("GET", trial + path, headers=rebound) == 403, path
    assert await _status("POST", trial + "/app/signin", headers=rebound) == 403
    # Addressed to this machine, the same requests are served as before.
    assert await _status("GET", trial + f"/bot{token}/getMe") == 200
    assert await _status("GET", trial + "/chat") == 200


async def test_the_bot_api_refuses_what_another_site_makes_a_browser_send(
    trial: str, bot: BotHarness
) -> None:
    send = f"{trial}/bot{bot.telegram.token}/sendMessage"
    form = {"chat_id": str(ZOE), "text": "Van een andere site"}
    before = len(bot.telegram.calls)
    # A plain form posted from another site (the browser adds its Origin), or a script's fetch
    # from there (Sec-Fetch-Site: cross-site): refused, nothing reaches the chat.
    assert await _status("POST", send, data=form, headers={"Origin": "http://evil.example"}) == 403
    assert await _status("POST", send, data=form, headers={"Origin": "null"}) == 403
    assert await _status("POST", send, data=form, headers={"Sec-Fetch-Site": "cross-site"}) == 403
    assert await _status("GET", send.replace("sendMessage", "getUpdates"),
                         headers={"Sec-Fetch-Site": "same-site"}) == 403  # fmt: skip
    assert bot.telegram.calls[before:] == []
    # The bot's own client sends neither: served.
    assert await _status("POST", send, data=form) == 200


def test_every_start_has_a_secret_token_of_its_own() -> None:
    first, second = secret_token(), secret_token()
    assert first != second
    assert TOKEN not in (first, second)
    assert len(first.split(":", 1)[1]) >= 40
