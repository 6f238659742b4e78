"""The local trial's chat page in a real headless Chromium: the bot as a newcomer meets it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp import web
from playwright.async_api import expect
from sqlmodel import Session

from bot.clock import FixedClock
from bot.local import chat
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of, services_of
from bot.services.demo import add_sample_region
from tests.utils.browser import chromium
from tests.utils.fake_telegram import FakeTelegram
from tests.utils.harness import BotHarness

ZOE = "900001"  # the sample region's care coordinator at De Oefenboom


@pytest.fixture
async def page_url(bot: BotHarness, session: Session, clock: FixedClock) -> AsyncIterator[str]:
    """The chat page, served next to the bot as in the local trial, on the sample region."""
    add_sample_region(session, now=clock.now(), settings=PROTOCOL)
    app = web.Application()
    chat.add_routes(app, api=bot.telegram, services=services_of(bot.application))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/chat"
    await runner.cleanup()


async def test_pick_a_role_send_an_update_save_it_and_receive_a_nudge(
    bot: BotHarness, page_url: str, clock: FixedClock
) -> None:
    async with chromium() as browser:
        page = await browser.new_page(locale="nl-NL")
        await page.goto(page_url)
        await expect(page.locator("h1")).to_have_text("Thuiszitbot — lokale proef")
        await expect(page.locator(".notice")).to_contain_text("verzonnen")
        people = page.locator("#person option")
        await expect(people).to_have_count(6)  # one per role, and a newcomer
        await page.select_option("#person", ZOE)

        await page.fill("#text", "Mila Demovic 2 uur ongeoorloofd vandaag")
        await page.click("#compose button[type=submit]")
        question = page.locator(".message.bot").last
        await expect(question).to_contain_text("Klopt dit?")
        await expect(question).to_contain_text("ongeoorloofd afwezig, 2 uur op maandag 23 november")
        await expect(page.locator(".message.mine").last).to_have_text(
            "Mila Demovic 2 uur ongeoorloofd vandaag"
        )
        await question.get_by_role("button", name="Opslaan").click()
        await expect(page.locator("#alert")).to_have_text("Opgeslagen.")
        await expect(question).to_contain_text("Opgeslagen: ")
        await expect(question.get_by_role("button")).to_have_count(0)

        # A file with the pupil's name as caption is filed with the case.
        await page.set_input_files(
            "#file", files=[{"name": "verslag.pdf", "mimeType": "application/pdf",
                             "buffer": b"%PDF-1.4\n% een verslag\n%%EOF\n"}],
        )  # fmt: skip
        await page.fill("#text", "Sanne Voorbeeld")
        await page.click("#compose button[type=submit]")
        await expect(page.locator(".message.mine .document").last).to_have_text("📎 verslag.pdf")
        await expect(page.locator(".message.bot").last).to_contain_text(
            "Bewaard bij S.V. #1: verslag.pdf"
        )

        # Time passes; the bot's next delivery sends the care coordinator what is due.
        clock.advance(timedelta(hours=1))
        reminders = reminders_of(bot.application)
        reminders.plan()
        await deliver_due(services=reminders.services, bot=reminders.bot)
        # The sample region's overdue steps of open cases (achterstand) come as one message.
        nudge = page.locator(".message.bot").filter(has_text="Jouw termijnen").last
        await expect(nudge).to_contain_text("4 weken afwezig: thuiszitter")
        await expect(nudge.get_by_role("button", name="✓ 1", exact=True)).to_be_visible()


async def test_requests_from_other_sites_are_refused(bot: BotHarness, page_url: str) -> None:
    telegram = bot.telegram
    assert isinstance(telegram, FakeTelegram)
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(page_url)
        send = page_url.replace("/chat", f"/chat/api/send/{ZOE}")
        # Without the trial's header (what a form on another site would send): refused.
        plain = await page.request.post(send, data={"text": "Mila 2 uur ziek"})
        # Through another host name (DNS rebinding): refused too.
        rebound = await page.request.get(
            page_url.replace("/chat", f"/chat/api/chat/{ZOE}"), headers={"Host": "evil.example"}
        )
        # Someone who is not one of the trial's people: not found.
        stranger = await page.request.post(
            page_url.replace("/chat", "/chat/api/send/1"),
            data={"text": "hoi"}, headers={"X-Local-Trial": "1"},
        )  # fmt: skip

    assert (plain.status, rebound.status, stranger.status) == (403, 403, 404)
    assert [c for c in telegram.calls if c.method == "sendMessage"] == []


async def test_the_swv_receives_the_quarterly_workbook_and_chart(
    bot: BotHarness, page_url: str
) -> None:
    async with chromium() as browser:
        page = await browser.new_page(locale="nl-NL")
        await page.goto(page_url)
        await page.select_option("#person", "900004")  # Sophie, of the SWV

        await page.fill("#text", "/kwartaal")
        await page.click("#compose button[type=submit]")

        chart = page.locator(".message.bot img").first
        await expect(chart).to_be_visible()
        workbook = page.locator(".message.bot a.document", has_text=".xlsx").first
        await expect(workbook).to_be_visible()
        href = await workbook.get_attribute("href") or ""
        response = await page.request.get(page_url.removesuffix("/chat") + href)
        assert response.ok
        assert (await response.body()).startswith(b"PK")  # an xlsx is a zip file
        assert await chart.evaluate("image => image.naturalWidth") > 100  # a drawn PNG


async def test_the_admin_invites_a_newcomer_who_signs_in_on_the_page(
    bot: BotHarness, page_url: str
) -> None:
    async with chromium() as browser:
        page = await browser.new_page(locale="nl-NL")
        await page.goto(page_url)
        await page.select_option("#person", "900005")  # Ada, the administrator
        await page.fill("#text", "/uitnodigen")
        await page.click("#compose button[type=submit]")
        question = page.locator(".message.bot").last
        await question.get_by_role("button", name="zorgcoördinator").click()
        await question.get_by_role("button", name="Het Proefkompas (fictief) (99BB)").click()
        await expect(question).to_contain_text("Uitnodiging voor een zorgcoördinator")
        code = (await question.inner_text()).rsplit("start=", 1)[1].strip()

        await page.select_option("#person", "900099")  # not signed in yet
        await page.fill("#text", f"/start {code}")
        await page.click("#compose button[type=submit]")

        await expect(page.locator(".message.bot").last).to_contain_text(
            "Welkom! Je bent aangemeld als zorgcoördinator bij Het Proefkompas (fictief)."
        )
