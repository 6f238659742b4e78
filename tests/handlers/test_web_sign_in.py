"""/web without WEB_BASE_URL: a sign-in link to this computer's own pages; the chat works as
before (its dossier tests stay as they are)."""

from __future__ import annotations

import re

from sqlmodel import Session

from bot.local.botapi import TgUser
from bot.storage.models import Role
from tests.utils import factories
from tests.utils.harness import BotHarness, texts

ZC = TgUser(424201, "Zorg")


async def test_web_sends_a_one_time_link_to_the_local_pages(
    bot: BotHarness, orgs: Session, clock: object
) -> None:
    code = factories.invitation_code(orgs, Role.ZORGCOORDINATOR, now=factories.NOW,
                                     school="12AB")  # fmt: skip
    await bot.send(ZC, f"/start {code}")
    calls = await bot.send(ZC, "/web")
    [text] = texts(calls)
    assert re.search(r"http://127\.0\.0\.1:8080/app/signin/[\w-]{40,}$", text), text
    assert "één keer, 10 minuten lang" in text
    assert calls[0].params["link_preview_options"] == {"is_disabled": True}
