"""The forms in a real headless Chromium: a new pupil and case, and an update on a pupil's page,
with the chat's checks and confirmation; Save stores what the confirmation showed, once."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Page, expect
from sqlmodel import Session, col, select

from bot.protocol.vocabulary import AbsenceKind, EntryKind
from bot.storage.models import (
    Absence,
    AuditAction,
    AuditEvent,
    Case,
    CaseEntry,
    CaseStatus,
    Pupil,
    School,
)
from tests.utils.browser import chromium
from tests.utils.harness import BotHarness
from tests.web.conftest import ZOE, signed_in

TODAY = date(2026, 11, 23)  # the test clock's Monday


def _count(session: Session, model: type[Pupil] | type[Absence]) -> int:
    session.expire_all()
    return len(session.exec(select(model)).all())


async def _pending_token(page: Page) -> str:
    token = await page.locator("input[name=pending]").first.get_attribute("value")
    assert token
    return token


async def fill_new_pupil(page: Page, *, born: str) -> None:
    """The new-pupil form filled in for Fleur van Dam, A1 since today, and checked."""
    await page.fill("#first_name", "Fleur")
    await page.fill("#last_name", "van Dam")
    await page.fill("#birth_date", born)
    # Nothing is preselected: the municipality is chosen (the first one here).
    await page.select_option("#gemeente", index=1)
    await page.select_option("#category", "A1")
    await page.fill("#start", "vandaag")
    await page.get_by_role("button", name="Controleren").click()


async def test_a_new_pupil_is_checked_confirmed_and_saved_once(
    bot: BotHarness, site: str, session: Session
) -> None:
    before = _count(session, Pupil)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.set_viewport_size({"width": 390, "height": 844})
        await page.get_by_role("link", name="Nieuwe leerling").click()
        # No municipality is chosen for her: the list starts at "— kies —".
        await expect(page.locator("#gemeente")).to_have_value("?")
        # On a phone (Telegram's webview): one column, nothing wider than the screen.
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        await fill_new_pupil(page, born="31-02-2014")
        # A day that does not exist: asked again, with what was typed kept, nothing stored.
        await expect(page.locator(".error")).to_have_text(
            "Die dag bestaat niet. Kijk de dag en de maand na, zoals 15-03-2015."
        )
        await expect(page.locator("#first_name")).to_have_value("Fleur")
        assert _count(session, Pupil) == before
        await page.fill("#birth_date", "14-03-2014")
        # B1 is for a pupil without a school: not with the school she registers at.
        await page.select_option("#category", "B1")
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.locator(".error")).to_contain_text("B1 is voor een leerling die niet")
        assert _count(session, Pupil) == before
        await page.select_option("#category", "A1")
        await page.get_by_role("button", name="Controleren").click()
        card = page.locator("dl.confirm")
        await expect(card).to_contain_text("Fleur van Dam")
        await expect(card).to_contain_text("14 maart 2014")
        await expect(card).to_contain_text("De Oefenboom")
        await expect(card).to_contain_text("23 november 2026")
        # The municipality she chose (none was chosen for her) is on the card.
        await expect(card.locator("dd").nth(3)).not_to_have_text("Onbekend")
        assert _count(session, Pupil) == before
        token, csrf = (
            await _pending_token(page),
            await page.locator("input[name=csrf]").first.get_attribute("value"),
        )
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.locator("h1")).to_contain_text("Fleur van Dam")
        await expect(page.locator(".notice")).to_contain_text("Geregistreerd:")
        # Sent again (a double click, the back button): nothing more is stored.
        again = await page.request.post(
            site + "/app/pupils/new/save", form={"pending": token, "csrf": csrf or ""}
        )
        assert again.status == 409
    assert _count(session, Pupil) == before + 1
    fleur = session.exec(select(Pupil).order_by(col(Pupil.id).desc())).first()
    assert fleur is not None
    assert (fleur.first_name, fleur.last_name, fleur.birth_date) == (
        "Fleur",
        "van Dam",
        date(2014, 3, 14),
    )
    oefenboom = session.exec(select(School).where(School.brin == "99AA")).one()
    assert fleur.school_id == oefenboom.id
    case = session.exec(select(Case).where(Case.pupil_id == fleur.id)).one()
    assert (case.category, case.start_date, case.status) == ("A1", TODAY, CaseStatus.CURRENT)
    created = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.CREATE, AuditEvent.pupil_id == fleur.id
        )
    ).one()
    assert created.channel == "web"


def _quiet_pupil(session: Session) -> Pupil:
    """A pupil of Zoë's school with an open case and no absence stored this month."""
    oefenboom = session.exec(select(School).where(School.brin == "99AA")).one()
    for pupil in session.exec(select(Pupil).where(Pupil.school_id == oefenboom.id)):
        case = session.exec(
            select(Case).where(Case.pupil_id == pupil.id, Case.status == CaseStatus.CURRENT)
        ).first()
        absent = session.exec(
            select(Absence).where(
                Absence.pupil_id == pupil.id, col(Absence.day) >= date(2026, 11, 1)
            )
        ).first()
        if case is not None and absent is None:
            return pupil
    raise AssertionError("the sample region has no such pupil")


async def test_an_update_on_the_pupils_page_is_read_as_in_chat_and_saved_as_shown(
    bot: BotHarness, site: str, session: Session
) -> None:
    pupil = _quiet_pupil(session)
    other = session.exec(select(Pupil).where(Pupil.id != pupil.id)).first()
    assert other is not None
    rows = _count(session, Absence)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.goto(f"{site}/app/pupils/{pupil.id}")
        # Not understood: why, and nothing stored.
        await page.fill("textarea[name=text]", "4 uur vandaag")
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.locator(".problem")).to_contain_text("Wat voor afwezigheid is het")
        await expect(page.locator("textarea[name=text]")).to_have_value("4 uur vandaag")
        assert _count(session, Absence) == rows
        # Understood: the confirmation shows the day and the hours; Save stores exactly that.
        await page.fill("textarea[name=text]", "4 uur ongeoorloofd vandaag")
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.locator("ul.confirm")).to_contain_text("maandag 23 november 2026")
        await expect(page.locator("ul.confirm")).to_contain_text("4")
        assert _count(session, Absence) == rows
        token = await _pending_token(page)
        csrf = await page.locator("input[name=csrf]").first.get_attribute("value")
        # The waiting update belongs to this pupil's page: posted to another's, it is refused.
        forged = await page.request.post(
            f"{site}/app/pupils/{other.id}/update/save", form={"pending": token, "csrf": csrf or ""}
        )
        assert forged.status in (404, 409)
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.locator(".notice")).to_contain_text("Opgeslagen:")
        stored = session.exec(select(Absence).where(Absence.pupil_id == pupil.id)).all()
        assert [(a.day, a.kind, a.hours) for a in stored] == [
            (TODAY, AbsenceKind.ONGEOORLOOFD, 4.0)
        ]
        # Hours of that kind already stored that day: add up or replace, as the chat asks.
        await page.fill("textarea[name=text]", "2 uur ongeoorloofd vandaag")
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.get_by_role("button", name="Optellen")).to_be_visible()
        await page.get_by_role("button", name="Vervangen").click()
        await expect(page.locator(".notice")).to_contain_text("Opgeslagen:")
        session.expire_all()
        stored = session.exec(select(Absence).where(Absence.pupil_id == pupil.id)).all()
        assert [(a.day, a.kind, a.hours) for a in stored] == [
            (TODAY, AbsenceKind.ONGEOORLOOFD, 2.0)
        ]
        # Read two ways ("since Monday" on a Monday): asked, then stored as chosen.
        await page.fill("textarea[name=text]", "ziek sinds maandag")
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.locator(".question")).to_have_text("Sinds welke dag?")
        await page.get_by_role("button", name="sinds maandag 16 november 2026").click()
        await expect(page.locator("ul.confirm")).to_contain_text("16 november 2026")
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.locator(".notice")).to_contain_text("Opgeslagen:")
    session.expire_all()
    ill = session.exec(
        select(Absence).where(Absence.pupil_id == pupil.id, Absence.kind == AbsenceKind.ZIEK)
    ).all()
    assert min(a.day for a in ill) == date(2026, 11, 16)
    assert max(a.day for a in ill) == TODAY
    channels = {
        e.channel
        for e in session.exec(
            select(AuditEvent).where(
                AuditEvent.pupil_id == pupil.id, AuditEvent.action == AuditAction.CHANGE
            )
        )
    }
    assert channels == {"web"}


async def test_a_result_on_the_pupils_page_completes_the_action_it_names(
    bot: BotHarness, site: str, session: Session
) -> None:
    pupil = _quiet_pupil(session)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.goto(f"{site}/app/pupils/{pupil.id}")
        for text in ("actie: huisbezoek vandaag", "resultaat: ouders akkoord met het plan"):
            await page.fill("textarea[name=text]", text)
            await page.get_by_role("button", name="Controleren").click()
            if text.startswith("resultaat"):
                await expect(page.locator("ul.confirm")).to_contain_text(
                    "resultaat van de actie van maandag 23 november 2026: ouders akkoord"
                )
            await page.get_by_role("button", name="Opslaan").click()
            await expect(page.locator(".notice")).to_contain_text("Opgeslagen:")
        await expect(page.locator("ol.timeline")).to_contain_text(
            "huisbezoek — resultaat: ouders akkoord met het plan"
        )
    session.expire_all()
    [action] = [
        e
        for e in session.exec(select(CaseEntry).where(CaseEntry.kind == EntryKind.ACTION))
        if e.text == "huisbezoek"
    ]
    assert action.result == "ouders akkoord met het plan"
