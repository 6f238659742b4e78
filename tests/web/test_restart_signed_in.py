"""A restart of the bot signs nobody out of the pages and loses no form waiting for Save: as an
operator restarts it (`python -m bot run`, SIGTERM, run again), with a browser signed in."""

from __future__ import annotations

import asyncio
import re
import signal
from pathlib import Path

import pytest
from playwright.async_api import expect
from sqlmodel import Session, select

from bot.__main__ import main
from bot.storage.models import Absence, Pupil
from tests.utils.browser import chromium
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.process import bot_process, telegram_env
from tests.web.conftest import PUBLIC

CARE = TgUser(1401, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB): sees Sanne


async def _answered(telegram: FakeTelegram, text: str) -> str:
    """What the bot answers CARE to `text` (it runs, and so do its pages)."""
    mark = len(telegram.calls)
    telegram.push_message(CARE, text)
    call = await telegram.wait_for_call("sendMessage", CARE.id, after=mark, limit=60)
    return call.text


async def test_a_browser_stays_signed_in_and_its_waiting_form_saves_once_after_a_restart(
    cli_env: str,
    registry: Session,
    telegram: FakeTelegram,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["invite", "--role", "zorgcoordinator", "--school", "12AB"]) == 0
    code = capsys.readouterr().out.splitlines()[-1]
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    env = telegram_env(telegram) | {"WEB_BASE_URL": PUBLIC}
    site = f"http://127.0.0.1:{env['WEB_PORT']}"
    async with chromium() as browser:
        page = await browser.new_page(locale="nl-NL")
        async with bot_process("run", env=env, cwd=tmp_path) as first:
            await _answered(telegram, f"/start {code}")
            found = re.search(r"https://\S+", await _answered(telegram, "/web"))
            assert found is not None
            await page.goto(site + found.group(0).removeprefix(PUBLIC))
            await page.get_by_role("button", name="Inloggen").click()
            await expect(page.locator("h1")).to_have_text("Jouw leerlingen")
            await page.goto(f"{site}/app/pupils/{sanne.id}")
            await page.fill("textarea[name=text]", "2 uur ongeoorloofd vandaag")
            await page.get_by_role("button", name="Controleren").click()
            await expect(page.locator("ul.confirm")).to_contain_text("2")
            first.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(first.wait(), timeout=10) == 0

        async with bot_process("run", env=env, cwd=tmp_path) as second:
            await _answered(telegram, "/help")
            # The confirmation shown before the restart: Save stores it, once.
            await page.get_by_role("button", name="Opslaan").click()
            await expect(page.locator(".notice")).to_contain_text("Opgeslagen:")
            registry.expire_all()
            stored = registry.exec(select(Absence).where(Absence.pupil_id == sanne.id)).all()
            assert [(a.hours, a.kind) for a in stored] == [(2.0, "ongeoorloofd")]
            # Still signed in on every page.
            await page.goto(f"{site}/app/pupils")
            await expect(page.locator("h1")).to_have_text("Jouw leerlingen")
            second.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(second.wait(), timeout=10) == 0
