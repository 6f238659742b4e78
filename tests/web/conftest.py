"""The web pages, served next to the real bot as `python -m bot run` serves them, on the sample
region, with WEB_BASE_URL set: the chat then carries pointers only."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import pytest
from aiohttp import web
from playwright.async_api import Browser, Page, expect
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import translator
from bot.local.botapi import TgUser
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.runtime import services_of
from bot.services.demo import add_sample_region
from bot.storage.models import Case, CaseEntry, Pupil
from bot.web.site import root_app
from tests.utils.fake_telegram import FakeTelegram
from tests.utils.harness import BotHarness, texts

PUBLIC = "https://thuiszit.example"

ZOE = TgUser(900001, "Zoë")  # care coordinator at De Oefenboom
BAS = TgUser(900002, "Bas")  # BOC-er of the first board
LARS = TgUser(900003, "Lars")  # leerplicht
SOPHIE = TgUser(900004, "Sophie")  # SWV staff


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"web_base_url": PUBLIC})


@pytest.fixture
async def site(bot: BotHarness, session: Session, clock: FixedClock) -> AsyncIterator[str]:
    """The pages' root on 127.0.0.1 (what WEB_BASE_URL points to behind the proxy)."""
    add_sample_region(session, now=clock.now(), settings=PROTOCOL)
    runner = web.AppRunner(
        root_app(services_of(bot.application), bot.application.bot), access_log=None
    )
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


def local(url: str, site: str) -> str:
    """A link the bot sent (to WEB_BASE_URL), as the test's browser reaches it."""
    assert url.startswith(PUBLIC), url
    return site + url.removeprefix(PUBLIC)


async def sign_in_link(bot: BotHarness, user: TgUser, site: str) -> str:
    """The link from /web, as the browser reaches it."""
    [text] = texts(await bot.send(user, "/web"))
    found = re.search(r"https://\S+", text)
    assert found is not None, text
    return local(found.group(0), site)


async def signed_in(browser: Browser, bot: BotHarness, user: TgUser, site: str) -> Page:
    """A new page of `browser`, signed in as `user` with the link from /web."""
    page = await browser.new_page(locale="nl-NL")
    await page.goto(await sign_in_link(bot, user, site))
    await page.get_by_role("button", name="Inloggen").click()
    await expect(page.locator("h1")).to_have_text("Jouw leerlingen")
    return page


def identifying(session: Session) -> set[str]:
    """Every pupil's full name, surname and birth date (as digits and as the bot writes dates)."""
    session.expire_all()
    pupils = session.exec(select(Pupil)).all()
    secrets = {f"{p.first_name} {p.last_name}" for p in pupils}
    secrets |= {p.last_name for p in pupils if len(p.last_name) > 3}
    for pupil in pupils:
        if pupil.birth_date is not None:
            born = pupil.birth_date
            secrets |= {born.isoformat(), born.strftime("%d-%m-%Y")}
            secrets |= {f"{born.day}-{born.month}-{born.year}"}
            secrets |= {translator(language).date(born) for language in ("nl", "en")}
    return secrets


def personal_data(session: Session) -> set[str]:
    """What no chat message may keep with the pages on: the identifying data, and every note's
    and offer's text."""
    secrets = identifying(session)
    secrets |= {e.text for e in session.exec(select(CaseEntry)) if e.text and len(e.text) > 8}
    secrets |= {c.offer_description for c in session.exec(select(Case)) if c.offer_description}
    return {s for s in secrets if s}


@pytest.fixture(autouse=True)
def _chat_carries_no_personal_data(telegram: FakeTelegram, session: Session) -> Iterator[None]:
    """After every test here (the scan the issue asks for): no message the bot sent ever named a
    pupil in full or gave a birth date, and none of its messages, as they stand in the chat at
    the end, holds a note's text (a question to confirm a typed note shows it until Save or
    Cancel replaces the question)."""
    yield
    names = identifying(session)
    for call in telegram.calls:
        sent = " ".join(str(call.params.get(k, "")) for k in ("text", "caption"))
        leaked = sorted(s for s in names if s in sent)
        assert not leaked, f"{call.method} carries {leaked}: {sent!r}"
    secrets = personal_data(session)
    for message in telegram.messages.values():
        if message.get("from", {}).get("is_bot"):
            shown = f"{message.get('text', '')} {message.get('caption', '')}"
            kept = sorted(s for s in secrets if s in shown)
            assert not kept, f"the chat keeps {kept}: {shown!r}"
