"""A restart of the bot signs nobody out of the pages and loses no form waiting for Save: as an
operator restarts it (`python -m bot run`, SIGTERM, run again), with a browser signed in."""

from __future__ import annotations

import asyncio
import re
import signal
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlmodel import Session, col, select

from bot.__main__ import main
from bot.storage.models import Absence, Case, Pupil
from tests.utils.browser import chromium
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import alerts
from tests.utils.process import bot_process, by_webhook, free_port, telegram_env
from tests.web.conftest import PUBLIC

CARE = TgUser(1401, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB): sees Sanne


async def _answered(telegram: FakeTelegram, text: str) -> str:
    """What the bot answers CARE to `text` (it runs, and so do its pages)."""
    mark = len(telegram.calls)
    telegram.push_message(CARE, text)
    call = await telegram.wait_for_call("sendMessage", CARE.id, after=mark, limit=60)
    return call.text


async def _confirmed_on_the_pages(
    page: Page, site: str, link: str, pupil_id: int | None, update: str
) -> tuple[str, str]:
    """Signed in with the /web answer `link`, `update` typed on the pupil's page and confirmed
    (not saved): the form's waiting value and its token."""
    found = re.search(r"https://\S+", link)
    assert found is not None
    await page.goto(site + found.group(0).removeprefix(PUBLIC))
    await page.get_by_role("button", name="Inloggen").click()
    await expect(page.locator("h1")).to_have_text("Jouw leerlingen")
    await page.goto(f"{site}/app/pupils/{pupil_id}")
    await page.fill("textarea[name=text]", update)
    await page.get_by_role("button", name="Controleren").click()
    await expect(page.locator("ul.confirm")).to_contain_text(update.split()[0])
    pending = await page.locator("input[name=pending]").first.get_attribute("value")
    csrf = await page.locator("input[name=csrf]").first.get_attribute("value")
    assert pending
    assert csrf
    return pending, csrf


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
            link = await _answered(telegram, "/web")
            await _confirmed_on_the_pages(page, site, link, sanne.id, "2 uur ongeoorloofd vandaag")
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


SECRET = "a-secret-of-our-own"


async def test_a_standby_taking_over_keeps_confirmations_forms_and_sessions(
    cli_env: str,
    registry: Session,
    telegram: FakeTelegram,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two processes on one database, each with its webhook and pages (a proxy sends Telegram's
    updates and the browsers to the live one). With both running, the live one confirms an
    update in the chat and a form on the pages, then stops; the standby, which started before
    either was confirmed, answers the Save of both, once, and the browser is still signed in."""
    assert main(["invite", "--role", "zorgcoordinator", "--school", "12AB"]) == 0
    code = capsys.readouterr().out.splitlines()[-1]
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    other = registry.exec(  # another pupil of the school with a case: a page with a form
        select(Pupil)
        .join(Case, col(Case.pupil_id) == Pupil.id)
        .where(Pupil.school_id == sanne.school_id, Pupil.id != sanne.id)
    ).first()
    assert other is not None
    live = telegram_env(telegram) | {
        "WEB_BASE_URL": PUBLIC, "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_URL": "https://bot.example.org/telegram/updates",
    }  # fmt: skip
    standby = live | {"WEB_PORT": str(free_port())}
    live_site, standby_site = (f"http://127.0.0.1:{env['WEB_PORT']}" for env in (live, standby))

    async def answer(site: str, text: str) -> ApiCall:
        mark = len(telegram.calls)
        telegram.push_message(CARE, text)
        await by_webhook(telegram, f"{site}/telegram/updates", SECRET)
        return await telegram.wait_for_call("sendMessage", CARE.id, after=mark, limit=60)

    async def press(site: str, question: ApiCall) -> list[ApiCall]:
        [save] = [b["callback_data"] for b in question.buttons if b["text"] == "Opslaan"]
        mark = len(telegram.calls)
        telegram.push_callback(CARE, telegram.message(CARE.id, question.result["message_id"]), save)
        await by_webhook(telegram, f"{site}/telegram/updates", SECRET)
        await telegram.wait_for_call("answerCallbackQuery", None, after=mark, limit=60)
        return telegram.calls[mark:]

    async with AsyncExitStack() as processes:
        browser = await processes.enter_async_context(chromium())
        # The live process first (on PostgreSQL it holds the sending role), then the standby.
        first = await processes.enter_async_context(bot_process("run", env=live, cwd=tmp_path))
        await telegram.wait_for_call("setWebhook", None, limit=60)
        mark = len(telegram.calls)
        second = await processes.enter_async_context(bot_process("run", env=standby, cwd=tmp_path))
        await telegram.wait_for_call("setWebhook", None, after=mark, limit=60)
        await answer(live_site, f"/start {code}")
        question = await answer(live_site, "Sanne 2 uur ongeoorloofd vandaag")
        link = (await answer(live_site, "/web")).text
        page = await browser.new_page(locale="nl-NL")
        pending, csrf = await _confirmed_on_the_pages(
            page, live_site, link, other.id, "3 uur ongeoorloofd vandaag"
        )
        first.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(first.wait(), timeout=10) == 0

        # The standby answers now: the chat's Save, once.
        mark = len(telegram.calls)
        assert alerts(await press(standby_site, question)) == ["Opgeslagen."]
        saved = await telegram.wait_for_call("editMessageText", CARE.id, after=mark, limit=60)
        assert saved.text.startswith("Opgeslagen:")
        again = await press(standby_site, question)
        assert alerts(again) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
        # The form waiting on the pages, saved through the standby's pages in the same session.
        save = await page.request.post(
            f"{standby_site}/app/pupils/{other.id}/update/save",
            form={"pending": pending, "csrf": csrf},
        )
        assert save.ok
        await page.goto(f"{standby_site}/app/pupils")
        await expect(page.locator("h1")).to_have_text("Jouw leerlingen")
        registry.expire_all()
        stored = {(a.pupil_id, a.hours, a.kind) for a in registry.exec(select(Absence))}
        assert stored == {(sanne.id, 2.0, "ongeoorloofd"), (other.id, 3.0, "ongeoorloofd")}
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), timeout=10) == 0
