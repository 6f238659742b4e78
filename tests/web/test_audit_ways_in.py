"""Every way in is audited — invitations made and redeemed, sign-ins with a link or the Mini
App, refused sign-ins, sign-outs, sessions ended by a change of access — without secrets, and
the administrator reads and downloads the trail on the pages."""

from __future__ import annotations

from playwright.async_api import expect
from sqlmodel import Session, select

from bot.local.botapi import TgUser
from bot.storage.models import AuditEvent
from tests.utils.browser import chromium
from tests.utils.harness import BotHarness
from tests.web.conftest import ZOE, sign_in_link, signed_in

ADA = TgUser(900005, "Ada")  # the sample region's administrator


async def test_the_ways_in_are_audited_and_the_administrator_reads_them(
    bot: BotHarness, site: str, session: Session
) -> None:
    async with chromium() as browser:
        zoe = await signed_in(browser, bot, ZOE, site)
        await zoe.get_by_role("button", name="Uitloggen").click()
        stranger = await browser.new_page()
        wrong = await stranger.request.post(f"{site}/app/signin", form={"token": "made-up"})
        assert wrong.status == 401
        # Not for a care coordinator.
        zoe_again = await signed_in(browser, bot, ZOE, site)
        refused = await zoe_again.goto(f"{site}/app/audit")
        assert refused is not None
        assert refused.status == 404

        link = await sign_in_link(bot, ADA, site)
        admin = await browser.new_page(locale="nl-NL")
        await admin.goto(link)
        await admin.get_by_role("button", name="Inloggen").click()
        await admin.get_by_role("link", name="Audit").click()
        trail = admin.locator("ol.audit")
        await expect(trail).to_contain_text("meldde zich aan")
        await expect(trail).to_contain_text("logde uit")
        await expect(trail).to_contain_text("maakte een uitnodiging")
        async with admin.expect_download() as downloading:
            await admin.get_by_role("link", name="Het hele auditlogboek (CSV)").click()
        saved = await (await downloading.value).path()
        assert saved is not None
        rows = saved.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,at,")
    actions = {row.split(",")[5] for row in rows[1:]}
    assert {"invite", "sign_in", "sign_out"} <= actions
    session.expire_all()
    events = session.exec(select(AuditEvent)).all()
    details = {(e.action, e.detail) for e in events}
    assert {("sign_in", "link"), ("sign_out", "web"), ("sign_in_refused", "link"),
            ("sign_in", "invitation")} <= details  # fmt: skip
    # Never a secret: the links' tokens appear nowhere in the trail.
    token = link.rsplit("/", 1)[1]
    assert not [e for e in events if token in (e.detail or "")]
