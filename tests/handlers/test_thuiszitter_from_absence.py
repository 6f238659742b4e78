"""The brief's "4-week absence threshold reached", end to end: a pupil without a case whose
unauthorised absence covers 20 consecutive school days gets VIER_WEKEN_VERZUIM, and the
confirmation that reached it and its nudge offer one button that opens the case from the first
day absent (B2 or A1, the category asked, nothing guessed)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.protocol.calendar import SchoolCalendar
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.storage.models import Absence, Case, Pupil, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.harness import BotHarness, alerts, edited

AMS = ZoneInfo("Europe/Amsterdam")
CARE = TgUser(981, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB, midden)
SWV = TgUser(982, "Sam SWV", "nl")
FOUR_WEEKS = (
    "4 weken afwezig: thuiszitter. Contact met leerplicht, melden bij het SWV, plan van aanpak"
)


async def _tess_absent_19_school_days(bot: BotHarness, registry: Session) -> Pupil:
    """Tess (L00006, no case) is absent without leave from Tuesday 27 October (after the
    autumn holiday in midden) to Friday 20 November: 19 school days. Today, Monday 23 November,
    is the 20th."""
    await bot.send(
        CARE, f"/start {invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school='12AB')}"
    )
    await bot.send(
        SWV, f"/start {invitation_code(registry, Role.SWV, now=NOW, swv='SWV Rijn en Gouwe')}"
    )
    tess = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00006")).one()
    assert registry.exec(select(Case).where(Case.pupil_id == tess.id)).all() == []
    days = SchoolCalendar("midden").school_days(date(2026, 10, 27), date(2026, 11, 20))
    assert len(days) == 19
    for day in days:
        registry.add(
            Absence(pupil_id=tess.id, day=day, hours=5, kind="ongeoorloofd", created_at=NOW)
        )
    registry.commit()
    return tess


async def test_the_confirmation_that_reaches_four_weeks_opens_the_case(
    bot: BotHarness, registry: Session
) -> None:
    tess = await _tess_absent_19_school_days(bot, registry)

    [question] = await bot.send(CARE, "Tess 5 uur ongeoorloofd vandaag")
    saved = edited(await bot.press(CARE, question, "Opslaan"))

    assert f"⏰ {FOUR_WEEKS}: uiterlijk maandag 23 november 2026" in saved.text.splitlines()
    assert [b["text"] for b in saved.buttons] == ["📂 Thuiszitdossier openen vanaf 27 oktober 2026"]

    [which] = [
        c
        for c in await bot.press(CARE, saved, saved.buttons[0]["text"])
        if c.method == "sendMessage"
    ]
    assert which.text.startswith("Thuiszitdossier van ")
    assert "vanaf dinsdag 27 oktober 2026, de eerste dag afwezig? Kies de categorie:" in which.text
    labels = [b["text"] for b in which.buttons]
    assert labels[-1] == "Annuleren"
    assert [label[:2] for label in labels[:-1]] == ["B2", "A1"]
    assert registry.exec(select(Case).where(Case.pupil_id == tess.id)).all() == []  # asked only

    calls = await bot.press(CARE, which, labels[0])
    assert alerts(calls) == ["Opgeslagen."]
    record = edited(calls).text
    assert record.startswith("Opgeslagen: het dossier van ")
    assert record.splitlines()[0].endswith(", vanaf dinsdag 27 oktober 2026.")
    registry.expire_all()
    [case] = registry.exec(select(Case).where(Case.pupil_id == tess.id)).all()
    assert (str(case.category), case.start_date, case.end_date) == ("B2", date(2026, 10, 27), None)

    # Pressed again: the button is spent, nothing is opened twice.
    await bot.press(CARE, which, labels[0])
    registry.expire_all()
    assert len(registry.exec(select(Case).where(Case.pupil_id == tess.id)).all()) == 1


async def test_the_four_week_nudge_reaches_the_swv_and_opens_the_case(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    tess = await _tess_absent_19_school_days(bot, registry)
    [question] = await bot.send(CARE, "Tess 5 uur ongeoorloofd vandaag")
    await bot.press(CARE, question, "Opslaan")

    clock.current = datetime(2026, 11, 23, 10, 0, tzinfo=AMS)
    reminders = reminders_of(bot.application)
    assert reminders is not None
    reminders.plan(everything=True)
    mark = len(telegram.calls)
    await deliver_due(services=reminders.services, bot=reminders.bot)
    sent = [c for c in telegram.calls[mark:] if c.method == "sendMessage"]
    [to_swv] = [c for c in sent if c.chat_id == SWV.id and FOUR_WEEKS in c.text and "T." in c.text]
    [nudge] = [
        c for c in sent if c.chat_id == CARE.id and FOUR_WEEKS in c.text and c.text.startswith("⏰")
    ]
    assert "📂 Thuiszitdossier openen" in [b["text"] for b in nudge.buttons]

    [which] = [
        c
        for c in await bot.press(CARE, nudge, "📂 Thuiszitdossier openen")
        if c.method == "sendMessage"
    ]
    assert "vanaf dinsdag 27 oktober 2026, de eerste dag afwezig? Kies de categorie:" in which.text
    # Meanwhile the SWV's staff member opens it from the same nudge: the school's question then
    # stores nothing and says so.
    [swv_which] = [
        c
        for c in await bot.press(SWV, to_swv, "📂 Thuiszitdossier openen")
        if c.method == "sendMessage"
    ]
    await bot.press(SWV, swv_which, swv_which.buttons[1]["text"])  # A1
    calls = await bot.press(CARE, which, which.buttons[0]["text"])
    assert edited(calls).text == (
        "Intussen is voor deze leerling een dossier geopend. Er is niets opgeslagen; /dossier laat het zien."
    )
    registry.expire_all()
    [case] = registry.exec(select(Case).where(Case.pupil_id == tess.id)).all()
    assert (str(case.category), case.start_date) == ("A1", date(2026, 10, 27))


async def test_cancel_opens_nothing(bot: BotHarness, registry: Session) -> None:
    tess = await _tess_absent_19_school_days(bot, registry)
    [question] = await bot.send(CARE, "Tess 5 uur ongeoorloofd vandaag")
    saved = edited(await bot.press(CARE, question, "Opslaan"))
    [which] = [
        c
        for c in await bot.press(CARE, saved, saved.buttons[0]["text"])
        if c.method == "sendMessage"
    ]
    assert edited(await bot.press(CARE, which, "Annuleren")).text == (
        "Geannuleerd. Er is niets opgeslagen."
    )
    registry.expire_all()
    assert registry.exec(select(Case).where(Case.pupil_id == tess.id)).all() == []
