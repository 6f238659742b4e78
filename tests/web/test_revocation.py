"""Access is checked again at every request, and revocation ends it: a signed-in browser, a
sign-in link made before, and a re-invitation to another school — none brings the old access
back."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import expect
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.runtime import services_of
from bot.services.ratelimit import MessageLimiter
from bot.services.users import revoke
from bot.storage.models import Role, User
from tests.utils.browser import chromium
from tests.utils.factories import invitation_code
from tests.utils.harness import BotHarness
from tests.web.conftest import ZOE, sign_in_link, signed_in


def _revoke_zoe(session: Session, clock: FixedClock) -> None:
    zoe = session.exec(select(User).where(User.telegram_id == ZOE.id)).one()
    assert revoke(session, zoe, now=clock.now(), by=None)
    session.commit()


async def test_revocation_ends_the_session_and_the_links_made_before(
    bot: BotHarness, site: str, session: Session, clock: FixedClock
) -> None:
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        link = await sign_in_link(bot, ZOE, site)  # made before the revocation
        _revoke_zoe(session, clock)

        response = await page.goto(f"{site}/app/pupils")
        assert response is not None
        assert response.status == 401
        # Asked again, still refused: the refused request did not keep the session.
        again = await page.goto(f"{site}/app/agenda")
        assert again is not None
        assert again.status == 401
        # The link from before opens nothing.
        other = await browser.new_page(locale="nl-NL")
        await other.goto(link)
        await other.get_by_role("button", name="Inloggen").click()
        await expect(other.locator(".message")).to_contain_text("al gebruikt of verlopen")
        refused = await other.goto(f"{site}/app/pupils")
        assert refused is not None
        assert refused.status == 401


async def test_invited_again_elsewhere_the_old_browser_stays_signed_out(
    bot: BotHarness, site: str, session: Session, clock: FixedClock
) -> None:
    async with chromium() as browser:
        old = await signed_in(browser, bot, ZOE, site)
        _revoke_zoe(session, clock)
        # Invited again, as care coordinator of another school.
        code = invitation_code(session, Role.ZORGCOORDINATOR, now=clock.now(), school="99BB")
        await bot.send(ZOE, f"/start {code}")
        response = await old.goto(f"{site}/app/pupils")
        assert response is not None
        assert response.status == 401
        # A new sign-in opens the new school's list.
        fresh = await signed_in(browser, bot, ZOE, site)
        await expect(fresh.locator("h1")).to_have_text("Jouw leerlingen")


async def test_the_pages_ask_who_this_is_as_the_chat_does(
    bot: BotHarness, site: str, session: Session, clock: FixedClock
) -> None:
    # One answer for both channels (bot.services.identity): a page counts as activity, as a
    # message does (the list of unused accounts reads it), and the pages have a rate too.
    services = services_of(bot.application)
    services.message_limiter = MessageLimiter(2)  # 2 messages a minute: 20 page requests
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        zoe = session.exec(select(User).where(User.telegram_id == ZOE.id)).one()
        zoe.last_seen_at = clock.now() - timedelta(days=40)
        session.add(zoe)
        session.commit()

        statuses = [(await page.request.get(f"{site}/app/agenda")).status for _ in range(21)]

        session.expire_all()
        seen = session.exec(select(User).where(User.telegram_id == ZOE.id)).one().last_seen_at
        assert seen is not None
        assert seen == clock.now()
        # 20 a minute, the sign-in's own page among them: answered, then refused from then on.
        assert set(statuses[:15]) == {200}
        assert statuses[-1] == 429
        assert statuses == sorted(statuses)
        refused = await page.goto(f"{site}/app/pupils")
        assert refused is not None
        assert refused.status == 429
        await expect(page.locator(".message")).to_contain_text("Te veel verzoeken")
        # Telegram is another channel: the chat still answers.
        assert await bot.send(ZOE, "/help")
