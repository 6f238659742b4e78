"""Every page and form in a real headless Chromium: sign-in, the pupils, a dossier, the agenda,
the overview; the access rules, CSRF, and what the chat shows meanwhile."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from urllib.parse import quote

from playwright.async_api import Route, expect
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.services.web_access import sign_init_data
from bot.storage.models import (
    AuditAction,
    AuditEvent,
    CaseFile,
    DeadlineRow,
    DeadlineStatus,
    Pupil,
    School,
)
from tests.utils.browser import chromium
from tests.utils.harness import BotHarness
from tests.web.conftest import SOPHIE, ZOE, sign_in_link, signed_in


def _pupil(session: Session, number: int) -> Pupil:
    """The sample region's pupil FICT<number>."""
    pupil = session.exec(select(Pupil).where(Pupil.leerling_id == f"FICT{number:03d}")).one()
    return pupil


async def test_swv_staff_signs_in_with_the_link_finds_filters_and_opens_a_dossier(
    bot: BotHarness, site: str, session: Session
) -> None:
    link = await sign_in_link(bot, SOPHIE, site)
    sanne = _pupil(session, 1)
    async with chromium() as browser:
        page = await browser.new_page(locale="nl-NL", viewport={"width": 1280, "height": 900})
        await page.goto(link)
        await page.get_by_role("button", name="Inloggen").click()
        await expect(page.locator("h1")).to_have_text("Jouw leerlingen")
        # The whole SWV: 40 pupils of the sample region.
        await expect(page.locator(".count")).to_have_text("40 leerlingen")
        await page.select_option("select[name=category]", "A1")
        await page.get_by_role("button", name="Tonen").click()
        await expect(page.locator(".count")).to_have_text("4 leerlingen")
        await page.select_option("select[name=category]", "")
        await page.select_option("select[name=status]", "closed")
        await page.get_by_role("button", name="Tonen").click()
        await expect(page.locator(".count")).to_have_text("2 leerlingen")
        await page.select_option("select[name=status]", "")
        await page.fill("input[name=q]", f"{sanne.first_name} {sanne.last_name}")
        await page.get_by_role("button", name="Tonen").click()
        await expect(page.locator(".count")).to_have_text("1 leerling")
        # The search is posted: the name stands in no address, nor in the browser's history.
        assert sanne.last_name.lower() not in page.url.lower()
        assert "q=" not in page.url
        # The filter is kept while paging and coming back.
        await page.goto(site + "/app/pupils")
        await expect(page.locator(".count")).to_have_text("1 leerling")
        await expect(page.locator("input[name=q]")).to_have_value(
            f"{sanne.first_name} {sanne.last_name}"
        )
        await page.get_by_role("link", name=f"{sanne.first_name} {sanne.last_name}").click()
        await expect(page.locator("h1")).to_contain_text(f"{sanne.first_name} {sanne.last_name}")
        session.expire_all()
        viewed = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == AuditAction.VIEW_DOSSIER, AuditEvent.pupil_id == sanne.id
            )
        ).one()
        assert viewed.channel == "web"
        assert sanne.birth_date is not None
        await expect(page.locator("dl.card")).to_contain_text("Geboortedatum")
        await expect(page.locator("dl.card")).to_contain_text(str(sanne.birth_date.year))
        # The link worked once: used again, it opens nothing.
        again = await browser.new_page(locale="nl-NL")
        await again.goto(link)
        await again.get_by_role("button", name="Inloggen").click()
        await expect(again.locator(".message")).to_contain_text("al gebruikt of verlopen")
        response = await again.goto(site + "/app/pupils")
        assert response is not None
        assert response.status == 401


def _zoes_and_not(session: Session) -> tuple[Pupil, Pupil]:
    """A pupil of Zoë's school (De Oefenboom), and one of another school."""
    oefenboom = session.exec(select(School).where(School.brin == "99AA")).one()
    mine = session.exec(select(Pupil).where(Pupil.school_id == oefenboom.id)).first()
    other = session.exec(
        select(Pupil).where(Pupil.school_id != oefenboom.id, Pupil.school_id.is_not(None))  # type: ignore[union-attr]
    ).first()
    assert mine is not None
    assert other is not None
    return mine, other


async def test_a_care_coordinator_sees_only_her_school_and_gets_404_for_another(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, other = _zoes_and_not(session)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        # Her school: 10 of the 40 pupils.
        await expect(page.locator(".count")).to_have_text("10 leerlingen")
        # The report catalogue gives her no overview, so the navigation offers none.
        await expect(page.get_by_role("link", name="Overzicht")).to_have_count(0)
        await expect(page.get_by_role("link", name="Agenda")).to_have_count(1)
        listing = await page.content()
        assert f"{mine.first_name} {mine.last_name}" in listing
        assert f"{other.first_name} {other.last_name}" not in listing
        response = await page.goto(f"{site}/app/pupils/{other.id}")
        assert response is not None
        assert response.status == 404
        refused = await page.content()
        refused_text = await page.locator("main").text_content()
        assert other.last_name not in refused
        assert other.first_name not in refused
        assert str(other.id) not in (await page.locator("main").text_content() or "")
        # A pupil that does not exist looks the same.
        missing = await page.goto(f"{site}/app/pupils/999999")
        assert missing is not None
        assert missing.status == 404
        assert await page.locator("main").text_content() == refused_text
        # Nor can she download another school's files or open the SWV's overview.
        overview = await page.goto(f"{site}/app/overview")
        assert overview is not None
        assert overview.status == 404
        registration = await page.goto(f"{site}/app/overview/inspectie.xlsx")
        assert registration is not None
        assert registration.status == 404
        # Nor record an update for another school's pupil, or register one at another school.
        token = await page.locator("input[name=csrf]").first.get_attribute("value") or ""
        update = await page.request.post(
            f"{site}/app/pupils/{other.id}/update", form={"csrf": token, "text": "ziek vandaag"}
        )
        assert update.status == 404
        assert other.last_name not in await update.text()
        elsewhere = await page.request.post(f"{site}/app/pupils/new", form={
            "csrf": token, "first_name": "Fleur", "last_name": "van Dam",
            "birth_date": "14-03-2014", "school": str(other.school_id), "gemeente": "",
            "category": "A1", "start": "vandaag",
        })  # fmt: skip
        assert elsewhere.status == 400
        assert "Op welke school" in await elsewhere.text()
        session.expire_all()
        assert "van Dam" not in {p.last_name for p in session.exec(select(Pupil))}


async def test_without_sign_in_every_page_is_401_and_healthz_is_200(site: str) -> None:
    async with chromium() as browser:
        page = await browser.new_page()
        for path in ("/app/pupils", "/app/pupils/1", "/app/agenda", "/app/overview",
                     "/app/files/1", "/app/overview/workbook.xlsx"):  # fmt: skip
            response = await page.goto(site + path)
            assert response is not None
            assert response.status == 401, path
        forged = await page.request.get(
            site + "/app/pupils", headers={"Authorization": "tma auth_date=1&hash=00"}
        )
        assert forged.status == 401
        health = await page.request.get(site + "/healthz")
        assert (health.status, await health.text()) == (200, "ok")
        headers = (await page.request.get(site + "/app/pupils")).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors https://web.telegram.org" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "no-referrer"


async def test_a_form_without_the_session_token_or_from_another_site_is_refused(
    bot: BotHarness, site: str, session: Session
) -> None:
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.goto(site + "/app/agenda")
        form = page.locator("ul.agenda form").first
        action = await form.get_attribute("action")
        token = await form.locator("input[name=csrf]").get_attribute("value")
        assert action is not None
        assert token
        without = await page.request.post(site + action, form={"action": "d"})
        wrong = await page.request.post(site + action, form={"action": "d", "csrf": "x" * 32})
        elsewhere = await page.request.post(
            site + action, form={"action": "d", "csrf": token},
            headers={"Origin": "https://evil.example"},
        )  # fmt: skip
        assert (without.status, wrong.status, elsewhere.status) == (403, 403, 403)
        assert "Dit formulier is verlopen" in await without.text()
        # Nothing was marked done.
        await page.reload()
        await expect(page.locator(f"form[action='{action}']")).to_have_count(1)


def _mini_app_data(telegram_id: int, token: str, signed_at: datetime) -> str:
    return sign_init_data(
        {"auth_date": str(int(signed_at.timestamp())),
         "user": json.dumps({"id": telegram_id, "first_name": "Zoë"})},
        bot_token=token,
    )  # fmt: skip


async def test_the_mini_app_opens_a_dossier_on_a_phone_from_its_init_data(
    bot: BotHarness, site: str, session: Session, clock: FixedClock
) -> None:
    mine, _other = _zoes_and_not(session)
    token = bot.telegram.token
    signed = _mini_app_data(ZOE.id, token, clock.now())
    start = f"{site}/app/start?next=/app/pupils/{mine.id}"
    async with chromium() as browser:
        phone = await browser.new_page(
            locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True
        )
        await phone.goto(f"{start}#tgWebAppData={quote(signed)}")
        await expect(phone.locator("h1")).to_contain_text(f"{mine.first_name} {mine.last_name}")
        # One column: nothing wider than the phone.
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
        await phone.goto(f"{site}/app/pupils")
        await expect(phone.locator(".count")).to_have_text("10 leerlingen")
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 390

        # initData signed with another bot's token, or an hour and a bit old: not opened.
        for forged in (
            _mini_app_data(ZOE.id, "1" + token, clock.now()),
            _mini_app_data(ZOE.id, token, clock.now() - timedelta(minutes=61)),
        ):
            other = await browser.new_page(locale="nl-NL")
            await other.goto(f"{start}#tgWebAppData={quote(forged)}")
            await expect(other.locator("#failed")).to_be_visible()
            response = await other.goto(f"{site}/app/pupils/{mine.id}")
            assert response is not None
            assert response.status == 401
        # The header itself also opens a page (an API call from the Mini App).
        direct = await browser.new_page()
        answer = await direct.request.get(
            f"{site}/app/pupils/{mine.id}", headers={"Authorization": f"tma {signed}"}
        )
        assert answer.status == 200
        assert mine.last_name in await answer.text()


async def test_the_agenda_marks_a_deadline_done_and_snoozes_another(
    bot: BotHarness, site: str, session: Session
) -> None:
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.get_by_role("link", name="Agenda").click()
        items = page.locator("ul.agenda li")
        count = await items.count()
        assert count >= 2
        first = await items.first.locator("form").get_attribute("action")
        assert first is not None
        # What was done goes with Done, and shows in the dossier.
        note = "gesprek met moeder gehad, afspraken op papier"
        await items.first.get_by_label("Wat is er gedaan (optioneel)").fill(note)
        await items.first.get_by_role("button", name="✓ Afgehandeld").click()
        await expect(page.locator(".notice")).to_have_text("Afgehandeld.")
        await expect(items).to_have_count(count - 1)
        deadline_id = int(first.rsplit("/", 1)[1])
        session.expire_all()
        done = session.get(DeadlineRow, deadline_id)
        assert done is not None
        assert done.status == DeadlineStatus.DONE
        assert done.done_by_id is not None
        assert done.done_note == note
        await page.goto(f"{site}/app/pupils/{done.pupil_id}")
        await expect(page.locator("ul.done li")).to_contain_text(note)
        await page.go_back()
        assert (
            session.exec(
                select(AuditEvent).where(AuditEvent.action == AuditAction.DEADLINE_DONE)
            ).first()
            is not None
        )
        # Next week: it stays on the agenda (it is still open), the reminder moves.
        await items.first.get_by_role("button", name="Volgende week").click()
        await expect(page.locator(".notice")).to_have_text("Ik herinner je er later opnieuw aan.")
        await expect(items).to_have_count(count - 1)
        # Done again on the gone deadline (an old tab): not found, nothing changes.
        token = await items.first.locator("input[name=csrf]").get_attribute("value")
        again = await page.request.post(site + first, form={"action": "d", "csrf": token or ""})
        assert again.status == 404


PDF = b"%PDF-1.4\n% een verslag\n%%EOF\n"


async def test_a_file_is_added_on_the_dossier_page_and_downloaded_again(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, _other = _zoes_and_not(session)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.goto(f"{site}/app/pupils/{mine.id}")
        await page.set_input_files("input[name=file]", files=[
            {"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": PDF}])  # fmt: skip
        await page.get_by_role("button", name="Bewaren").click()
        await expect(page.locator(".notice")).to_have_text(
            "Het bestand is bij het dossier bewaard."
        )
        async with page.expect_download() as downloading:
            await page.get_by_role("link", name="verslag.pdf").click()
        download = await downloading.value
        saved = await download.path()
        assert saved is not None
        assert saved.read_bytes() == PDF

        # A "PDF" that is not one is refused, and nothing is filed.
        await page.set_input_files("input[name=file]", files=[
            {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"}])  # fmt: skip
        await page.get_by_role("button", name="Bewaren").click()
        await expect(page.locator(".message")).to_have_text(
            "Dit bestand is niet wat het type zegt; het is niet bewaard."
        )
    session.expire_all()
    assert [f.file_name for f in session.exec(select(CaseFile))] == ["verslag.pdf"]


async def test_swv_staff_see_the_quarterly_overview_with_its_chart_and_downloads(
    bot: BotHarness, site: str
) -> None:
    async with chromium() as browser:
        page = await signed_in(browser, bot, SOPHIE, site)
        await page.get_by_role("link", name="Overzicht").click()
        await expect(page.locator("h1")).to_have_text("Het kwartaaloverzicht")
        await expect(page.locator(".summary")).to_contain_text("SWV Proefregio (fictief) op")
        chart = page.locator("img.chart")
        await expect(chart).to_be_visible()
        assert await chart.evaluate("image => image.naturalWidth") > 100
        async with page.expect_download() as downloading:
            await page.get_by_role("link", name="Werkmap (xlsx)").click()
        saved = await (await downloading.value).path()
        assert saved is not None
        assert saved.read_bytes().startswith(b"PK\x03\x04")
        pupils = page.get_by_role(
            "link", name="De leerlingen achter deze cijfers (vertrouwelijk, xlsx)"
        )
        await expect(pupils).to_be_visible()
        # The Inspectie's registration, made by the same catalogue as the command line's.
        async with page.expect_download() as downloading:
            await page.get_by_role(
                "link", name="De registratie voor de Inspectie (geanonimiseerd, xlsx)"
            ).click()
        registration = await downloading.value
        assert registration.suggested_filename.startswith("inspectie-")
        saved = await registration.path()
        assert saved is not None
        assert saved.read_bytes().startswith(b"PK\x03\x04")


async def test_the_mini_app_works_framed_in_telegrams_web_client(
    bot: BotHarness, site: str, session: Session, clock: FixedClock
) -> None:
    """web.telegram.org shows a Mini App in a frame: the pages are then a third party, whose
    strict cookie would never be sent. Signed in there, the pages still open from link to link,
    and a form still works."""
    mine, _other = _zoes_and_not(session)
    signed = _mini_app_data(ZOE.id, bot.telegram.token, clock.now())
    start = f"{site}/app/start?next=/app/pupils#tgWebAppData={quote(signed)}"
    async with chromium(LOOPBACK_FRAMES) as browser:
        page = await browser.new_page(locale="nl-NL")

        async def telegram_web(route: Route) -> None:
            await route.fulfill(
                content_type="text/html",
                body=f'<!doctype html><title>Telegram</title><iframe src="{start}" '
                'width="400" height="800"></iframe>',
            )

        await page.route("https://web.telegram.org/**", telegram_web)
        await page.goto("https://web.telegram.org/k/")
        app = page.frame_locator("iframe")
        await expect(app.locator(".count")).to_have_text("10 leerlingen")
        await app.get_by_role("link", name=f"{mine.first_name} {mine.last_name}").click()
        await expect(app.locator("h1")).to_contain_text(f"{mine.first_name} {mine.last_name}")
        await app.get_by_role("link", name="Agenda").click()
        await expect(app.locator("h1")).to_contain_text("Jouw termijnen")
        before = await app.locator("ul.agenda li").count()
        await app.locator("ul.agenda li").first.get_by_role("button", name="✓ Afgehandeld").click()
        await expect(app.locator(".notice")).to_have_text("Afgehandeld.")
        await expect(app.locator("ul.agenda li")).to_have_count(before - 1)
        # The cookie is partitioned: outside Telegram's frame the same browser is not signed in.
        response = await page.goto(f"{site}/app/pupils")
        assert response is not None
        assert response.status == 401


# The test's "web.telegram.org" is a public page framing the pages on 127.0.0.1, which Chromium's
# Local Network Access blocks; in real use both are public addresses.
LOOPBACK_FRAMES = "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests"


def _typo(full_name: str) -> str:
    """The name with its second-to-last letter mistyped: no longer a part of any name."""
    return full_name[:-2] + ("x" if full_name[-2] != "x" else "q") + full_name[-1]


async def test_a_mistyped_search_offers_did_you_mean_only_among_her_own_pupils(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, other = _zoes_and_not(session)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.fill("input[name=q]", _typo(f"{mine.first_name} {mine.last_name}"))
        await page.get_by_role("button", name="Tonen").click()
        await expect(page.locator(".count")).to_have_text("0 leerlingen")
        suggestion = page.locator(".did-you-mean")
        await expect(suggestion).to_contain_text("Bedoel je:")
        await suggestion.get_by_role("link", name=f"{mine.first_name} {mine.last_name}").click()
        await expect(page.locator("h1")).to_contain_text(f"{mine.first_name} {mine.last_name}")
        # The dossier answers "how many hours this school year?" as the chat does.
        await expect(page.locator("dl.card")).to_contain_text(
            "Afwezigheid dit schooljaar (sinds 1 augustus 2026)"
        )
        # A pupil of another school is never suggested: a suggestion would reveal the name.
        await page.goto(site + "/app/pupils")
        await page.fill("input[name=q]", _typo(f"{other.first_name} {other.last_name}"))
        await page.get_by_role("button", name="Tonen").click()
        await expect(page.locator(".count")).to_have_text("0 leerlingen")
        assert other.last_name not in ((await page.locator("main").text_content()) or "")
