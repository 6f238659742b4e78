"""The issue's acceptance: with WEB_BASE_URL set and the SWV's choice to clear named messages, a
day of work through the chat and the Mini App leaves no pupil's full name, birth date, note or
file in the chat — in the bot's messages, and in what is left of the user's own."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.async_api import expect
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.services.organisations import set_clear_named_messages
from bot.storage.models import CaseEntry, Swv
from tests.utils.browser import chromium
from tests.utils.harness import BotHarness, edited
from tests.web.conftest import ZOE, personal_data, signed_in
from tests.web.test_forms import fill_new_pupil
from tests.web.test_pages import PDF, _zoes_and_not

NOTE = "moeder belt vrijdag met de huisarts"


async def test_a_day_through_chat_and_mini_app_leaves_no_personal_data_in_the_chat(
    bot: BotHarness, site: str, session: Session, clock: FixedClock
) -> None:
    mine, other = _zoes_and_not(session)
    full, elsewhere = f"{mine.first_name} {mine.last_name}", f"{other.first_name} {other.last_name}"
    swv = session.get(Swv, mine.swv_id)
    assert swv is not None
    set_clear_named_messages(session=session, swv_name=swv.name, on=True)
    session.commit()

    # Morning: the nudges arrive, naming pupils by label, each opening its dossier in the app.
    clock.advance(timedelta(hours=1))
    reminders = reminders_of(bot.application)
    reminders.plan()
    await deliver_due(services=reminders.services, bot=reminders.bot)
    # Chat: an absence and a note by full name, both saved; a lookup; a pupil of another
    # school; a message that cannot be stored.
    [confirm] = await bot.send(ZOE, f"{full} 3 uur ongeoorloofd vandaag")
    await bot.press(ZOE, confirm, "Opslaan")
    [confirm] = await bot.send(ZOE, f"notitie {full}: {NOTE}")
    assert NOTE in confirm.text  # asked with what was typed; the record of the save keeps none
    saved = edited(await bot.press(ZOE, confirm, "Opslaan"))
    assert NOTE not in saved.text
    assert "(de tekst staat in het dossier)" in saved.text
    await bot.send(ZOE, f"/dossier {full}")
    [unknown] = await bot.send(ZOE, f"/dossier {elsewhere}")
    assert unknown.text.startswith("Die leerling ken ik niet onder jouw leerlingen")
    [refused] = await bot.send(ZOE, f"{full} 4 uur vandaag")
    assert refused.text.startswith("Wat voor afwezigheid is het")
    await bot.send(ZOE, "/leerlingen")
    [pointer] = await bot.send(ZOE, "/nieuw")
    assert pointer.buttons[0]["web_app"]["url"].endswith("/app/pupils/new")  # type: ignore[index]
    # The Mini App (here a browser signed in with /web): a new pupil, a file, Done.
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.goto(f"{site}/app/pupils/new")
        await fill_new_pupil(page, born="14-03-2014")
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.locator("h1")).to_contain_text("Fleur van Dam")
        await page.goto(f"{site}/app/pupils/{mine.id}")
        await page.set_input_files(
            "input[type=file]",
            files=[{"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        await page.get_by_role("button", name="Bewaren").click()
        await expect(page.locator(".notice")).to_be_visible()
        await page.get_by_role("link", name="Agenda").click()
        await page.locator("ul.agenda li").first.get_by_role("button", name="✓ Afgehandeld").click()
        await expect(page.locator(".notice")).to_have_text("Afgehandeld.")

    assert NOTE in {e.text for e in session.exec(select(CaseEntry))}
    secrets = personal_data(session)
    assert {full, elsewhere, "Fleur van Dam", "14 maart 2014", NOTE} <= secrets
    # What is left in the chat, both ways: only the one message that was never saved still
    # names a pupil (the SWV's choice covers saved updates and answered lookups).
    left = [
        str(m.get("text", "")) + str(m.get("caption", ""))
        for (chat, _id), m in bot.telegram.messages.items()
        if chat == ZOE.id
    ]
    named = [text for text in left if any(s in text for s in secrets)]
    assert sorted(named) == sorted([f"/dossier {elsewhere}", f"{full} 4 uur vandaag"])
    assert not any(re.search(r"\.pdf\b", text) for text in left)
