"""/metrics: the figures an operator alerts on, in Prometheus's text format, counted from a day's
work; answered only to a scraper on this machine; without personal data (the log scan's
secrets applied to it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.metrics import Metrics
from bot.reminders.delivery import deliver_due
from bot.reminders.limits import TelegramLimits
from bot.reminders.runtime import reminders_of, services_of
from bot.storage.models import Pupil, Role
from bot.web.site import root_app
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness

CARE = TgUser(1301, "Zorg", "nl")
LP = TgUser(1302, "Lex", "nl")


@pytest.fixture
async def site(bot: BotHarness) -> AsyncIterator[str]:
    application = bot.application
    runner = web.AppRunner(root_app(services_of(application), application.bot,
                                    application=application), access_log=None)  # fmt: skip
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_a_days_work_is_counted_and_nothing_personal_is_in_it(
    bot: BotHarness, registry: Session, clock: FixedClock, site: str
) -> None:
    code = invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    await bot.send(CARE, f"/start {code}")
    [question] = await bot.send(CARE, "Sanne 4 uur ongeoorloofd vandaag")
    await bot.press(CARE, question, "Opslaan")
    await bot.send(CARE, "/dossier Sanne de Vries")
    reminders = reminders_of(bot.application)
    assert reminders is not None
    reminders.plan(everything=True)
    clock.current = datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    await deliver_due(services=reminders.services, bot=reminders.bot)
    async with aiohttp.ClientSession() as client:
        async with client.get(site + "/app/pupils") as refused:
            assert refused.status == 401
        async with client.get(site + "/metrics") as answer:
            assert answer.status == 200
            assert answer.headers["Content-Type"].startswith("text/plain")
            text = await answer.text()

    figures = _samples(text)
    assert figures[("thuiszitbot_updates_total", (("kind", "command"),))] == 2  # /start, /dossier
    assert figures[("thuiszitbot_updates_total", (("kind", "message"),))] == 1
    assert figures[("thuiszitbot_updates_total", (("kind", "button"),))] == 1
    assert figures[("thuiszitbot_update_seconds_count", ())] == 4
    assert figures[("thuiszitbot_nudges_total", (("outcome", "sent"),))] >= 1
    assert figures[("thuiszitbot_web_requests_total", (("status", "401"),))] == 1
    assert figures[("thuiszitbot_sender", ())] == 1
    assert ("thuiszitbot_nudges_due", ()) in figures
    secrets = set()
    for pupil in registry.exec(select(Pupil)):
        secrets |= {pupil.first_name, pupil.last_name, pupil.leerling_id}
        if pupil.birth_date is not None:
            secrets |= {pupil.birth_date.isoformat(), pupil.birth_date.strftime("%d-%m-%Y")}
    assert sorted(s for s in secrets if s and s in text) == []


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 200),  # 127.0.0.1: this machine
        ({"Host": "localhost:8080"}, 200),
        ({"Host": "[::1]"}, 200),
        ({"Host": "bot.example.nl"}, 404),  # the public site, or another website's name
        ({"X-Forwarded-For": "203.0.113.9"}, 404),  # through the proxy
    ],
)
async def test_only_a_scraper_on_this_machine_gets_the_figures(
    site: str, headers: dict[str, str], status: int
) -> None:
    async with (
        aiohttp.ClientSession() as client,
        client.get(site + "/metrics", headers=headers) as answer,
    ):
        assert answer.status == status


async def test_a_429_from_telegram_is_counted() -> None:
    metrics = Metrics()
    limits = TelegramLimits(on_refused=metrics.telegram_429.inc)
    limits.refused(42, 1.0)
    limits.refused(None, 1.0)
    assert _samples(metrics.text().decode())[("thuiszitbot_telegram_429_total", ())] == 2
