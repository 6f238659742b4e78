"""Login CSRF: a page of another site cannot sign a visitor's browser in — with a sign-in link
or Mini App initData of someone else — so that what the visitor then registers lands in the
attacker's school. Driven in Chromium, the other site served on another port (another origin)."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from playwright.async_api import expect

from tests.utils.browser import chromium
from tests.utils.harness import BotHarness
from tests.web.conftest import SOPHIE, ZOE, sign_in_link, signed_in


@pytest.fixture
async def other_site() -> AsyncIterator[tuple[str, dict[str, str]]]:
    """Another website: it serves the page set in `pages` at /."""
    pages: dict[str, str] = {}

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=pages.get("/", ""), content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    # "localhost" is another origin than the bot's 127.0.0.1, as another site's name would be.
    yield f"http://localhost:{runner.addresses[0][1]}", pages
    await runner.cleanup()


async def test_a_sign_in_posted_from_another_site_is_refused(
    bot: BotHarness, site: str, other_site: tuple[str, dict[str, str]]
) -> None:
    attacker_link = await sign_in_link(bot, SOPHIE, site)  # the attacker's own link
    token = attacker_link.rsplit("/", 1)[1]
    url, pages = other_site
    pages["/"] = (
        f'<form id="f" method="post" action="{html.escape(site)}/app/signin">'
        f'<input name="token" value="{html.escape(token)}"></form>'
        '<script>document.getElementById("f").submit()</script>'
    )
    async with chromium() as browser:
        victim = await browser.new_page()
        answers: list[int] = []
        victim.on(
            "response", lambda r: answers.append(r.status) if "/app/signin" in r.url else None
        )
        await victim.goto(url)
        await expect(victim).to_have_url(f"{site}/app/signin")
        assert answers == [403]
        # Not signed in: the pages still ask who it is.
        response = await victim.goto(f"{site}/app/pupils")
        assert response is not None
        assert response.status == 401
        # The link itself was not used up by the forged post: its owner can still use it.
        owner = await browser.new_page(locale="nl-NL")
        await owner.goto(attacker_link)
        await owner.get_by_role("button", name="Inloggen").click()
        await expect(owner.locator("h1")).to_have_text("Jouw leerlingen")


async def test_initdata_traded_from_another_site_is_refused(bot: BotHarness, site: str) -> None:
    async with chromium() as browser:
        page = await browser.new_page()
        answer = await page.request.post(
            f"{site}/app/auth/tma",
            headers={"Authorization": "tma anything", "Origin": "http://evil.example",
                     "Sec-Fetch-Site": "cross-site"},
        )  # fmt: skip
        assert answer.status == 403


async def test_sign_in_attempts_are_limited_per_address_and_a_flood_signs_nobody_out(
    bot: BotHarness, site: str
) -> None:
    async with chromium() as browser:
        # Someone signed in keeps their session whatever another does.
        zoe = await signed_in(browser, bot, ZOE, site)
        page = await browser.new_page()
        statuses = [
            (await page.request.post(f"{site}/app/signin", form={"token": f"guess{n}"})).status
            for n in range(35)
        ]
        # 30 a minute from one address (Zoë's own sign-in was the first): wrong links are
        # answered as such, then "wait a minute".
        assert statuses[:29] == [401] * 29
        assert set(statuses[29:]) == {429}
        answer = await page.request.post(f"{site}/app/auth/tma",
                                         headers={"Authorization": "tma x"})  # fmt: skip
        assert answer.status == 429
        response = await zoe.goto(f"{site}/app/pupils")
        assert response is not None
        assert response.status == 200
