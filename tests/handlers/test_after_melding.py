"""After a melding (002 §2.2.2.3, 004 LPA1–LPA3), end to end: the school marks the 16-hour
report done; leerplicht is then asked to report back within 10 working days and, while no
officer is linked to the pupil, the BOC-er to link one; the link closes that; leerplicht's
report back, given with Done, stands in the dossier for the school to see."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.storage.models import Absence, DeadlineRow, Pupil, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import BotHarness, done_button, texts

AMS = ZoneInfo("Europe/Amsterdam")
CARE = TgUser(981, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB)
BOC = TgUser(982, "Bo Bestuur", "nl")  # Stichting Bolder, the board of 12AB
LP = TgUser(983, "Lea Leerplicht", "nl")  # Alphen aan den Rijn, where Sanne lives
REPORT = (
    "16 uur ongeoorloofd verzuim binnen 4 schoolweken: ouders informeren, dan melden bij leerplicht"
)
BACK = "Er is een melding gedaan: koppel aan de school terug wat ermee gebeurd is"
LINK = "Er is een melding gedaan en er is geen leerplichtambtenaar aan de leerling gekoppeld"


def _open(session: Session, pupil: Pupil) -> dict[str, tuple[date, str]]:
    session.expire_all()
    rows = session.exec(
        select(DeadlineRow).where(
            DeadlineRow.pupil_id == pupil.id,
            DeadlineRow.rule.in_(["LEERPLICHT_TERUGKOPPELING", "LEERPLICHT_KOPPELEN"]),  # type: ignore[attr-defined]
        )
    )
    return {row.rule: (row.due, str(row.status)) for row in rows}


async def _nudges(bot: BotHarness, telegram: FakeTelegram, clock: FixedClock, at: datetime) -> int:
    """Planning and delivery at `at`; the mark of the calls before."""
    clock.current = at
    reminders = reminders_of(bot.application)
    assert reminders is not None
    reminders.plan(everything=True)
    mark = len(telegram.calls)
    await deliver_due(services=reminders.services, bot=reminders.bot)
    return mark


def _nudge(telegram: FakeTelegram, user: TgUser, text: str, mark: int) -> ApiCall:
    [found] = [
        c for c in telegram.calls[mark:]
        if c.method == "sendMessage" and c.chat_id == user.id and text in c.text
    ]  # fmt: skip
    return found


async def test_a_melding_asks_leerplicht_to_report_back_and_the_boc_to_link(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    for user, role, org in (
        (CARE, Role.ZORGCOORDINATOR, {"school": "12AB"}),
        (BOC, Role.BOC, {"bestuur": "Stichting Bolder"}),
        (LP, Role.LEERPLICHT, {"gemeente": "Alphen aan den Rijn"}),
    ):
        await bot.send(user, f"/start {invitation_code(registry, role, now=NOW, **org)}")
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    for day in (16, 17, 18):
        registry.add(Absence(pupil_id=sanne.id, day=date(2026, 11, day), hours=4,
                             kind="ongeoorloofd", created_at=NOW))  # fmt: skip
    registry.commit()
    [question] = await bot.send(CARE, "Sanne 4 uur ongeoorloofd vandaag")
    await bot.press(CARE, question, "Opslaan")
    assert _open(registry, sanne) == {}  # no melding made yet: nothing follows

    # Monday 30 November: the report is due; the school makes it and marks it done.
    mark = await _nudges(bot, telegram, clock, datetime(2026, 11, 30, 9, 0, tzinfo=AMS))
    nudge = _nudge(telegram, CARE, REPORT, mark)
    await bot.press(CARE, nudge, done_button(nudge, REPORT))
    assert _open(registry, sanne) == {
        "LEERPLICHT_TERUGKOPPELING": (date(2026, 12, 14), "open"),  # 10 working days
        "LEERPLICHT_KOPPELEN": (date(2026, 12, 2), "open"),  # 2 working days
    }

    # Wednesday 2 December: the BOC-er is asked to link, and links Lea; that closes it.
    mark = await _nudges(bot, telegram, clock, datetime(2026, 12, 2, 9, 0, tzinfo=AMS))
    _nudge(telegram, BOC, LINK, mark)
    [asked] = await bot.send(BOC, "/koppel Sanne")
    await bot.press(BOC, asked, "Lea Leerplicht (Alphen aan den Rijn)")
    assert _open(registry, sanne)["LEERPLICHT_KOPPELEN"][1] != "open"

    # Monday 14 December: leerplicht is asked to report back, and does, with Done.
    mark = await _nudges(bot, telegram, clock, datetime(2026, 12, 14, 9, 0, tzinfo=AMS))
    back = _nudge(telegram, LP, BACK, mark)
    calls = await bot.press(LP, back, done_button(back, BACK))
    [what] = [c for c in calls if c.method == "sendMessage"]
    assert what.text.startswith("Wat is er met de melding gebeurd?")
    verdict = "thuiszitter: nee, gesprek gevoerd, afspraken gemaakt"
    assert texts(await bot.send(LP, verdict, reply_to=what)) == [
        f"Vastgelegd bij de termijn: {verdict}"
    ]
    assert _open(registry, sanne)["LEERPLICHT_TERUGKOPPELING"] == (date(2026, 12, 14), "done")
    # The school sees that it came back, in the dossier.
    [card] = texts(await bot.send(CARE, "/dossier Sanne"))
    assert any(
        line.startswith(f"✓ {BACK}")
        and line.endswith(f"Lea Leerplicht op 14 december 2026: {verdict}")
        for line in card.splitlines()
    ), card
