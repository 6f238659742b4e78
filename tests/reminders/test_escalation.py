"""The escalation ladder end to end, with a fixed clock: a school's deadline still open 5
working days after its due date reaches the board's BOC-er, 5 more the SWV; each once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.storage.models import Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.harness import BotHarness, done_button, texts

AMS = ZoneInfo("Europe/Amsterdam")
CARE = TgUser(951, "Zorg Baken", "nl")  # zorgcoördinator of Het Baken (34CD, VO)
BOC = TgUser(952, "Boc Bolder", "nl")  # BOC-er of Stichting Bolder, Het Baken's board
SWV = TgUser(953, "Sam SWV", "nl")
ESCALATED = "⏰ Naar jou geëscaleerd (escalatieladder):"
ABOUT = "3 uur ongeoorloofd of te laat"


async def _people(bot: BotHarness, session: Session) -> None:
    for user, role, org in (
        (CARE, Role.ZORGCOORDINATOR, {"school": "34CD"}),
        (BOC, Role.BOC, {"bestuur": "Stichting Bolder"}),
        (SWV, Role.SWV, {"swv": "SWV Rijn en Gouwe"}),
    ):
        await bot.send(user, f"/start {invitation_code(session, role, now=NOW, **org)}")


async def _day(bot: BotHarness, clock: FixedClock, *parts: int) -> None:
    """Another working day at 9:00: the daily plan (everything), then delivery."""
    clock.current = datetime(*parts, 9, 0, tzinfo=AMS)
    reminders = reminders_of(bot.application)
    reminders.plan(everything=True)
    await deliver_due(services=reminders.services, bot=reminders.bot)


def _texts(telegram: FakeTelegram, user: TgUser, since: int) -> list[str]:
    """What the messages say about Daan's 3 hours: a nudge of its own, or its line in a digest
    (the registry has other open deadlines too, its achterstand among them)."""
    found = []
    for c in telegram.calls[since:]:
        if c.method == "sendMessage" and c.chat_id == user.id and ABOUT in c.text:
            lines = c.text.split("\n")
            digest = lines[0].startswith("Jouw termijnen")
            found.append(next(line for line in lines if ABOUT in line) if digest else c.text)
    return found


async def _three_hours_for_daan(bot: BotHarness) -> None:
    # Daan (L00001) is at Het Baken: 3 unauthorised hours in the school year → VO_3_UUR, due 5
    # working days later, for the school only.
    [question] = await bot.send(CARE, "Daan 3 uur ongeoorloofd vandaag")
    await bot.press(CARE, question, "Opslaan")


async def test_an_open_school_deadline_climbs_the_ladder_once_per_rung(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    await _people(bot, registry)
    await _three_hours_for_daan(bot)  # Monday 23 November: due Monday 30 November

    mark = len(telegram.calls)
    await _day(bot, clock, 2026, 12, 4)  # Friday: 4 working days past due
    assert not [t for t in _texts(telegram, BOC, mark) if t.startswith(ESCALATED)]

    mark = len(telegram.calls)
    await _day(bot, clock, 2026, 12, 7)  # Monday: 5 working days past due
    [to_boc] = _texts(telegram, BOC, mark)
    assert to_boc.startswith(ESCALATED) or to_boc.startswith("1.")
    assert "⬆ Staat 5 werkdagen na de uiterste datum open bij Het Baken." in to_boc
    assert _texts(telegram, SWV, mark) == []
    # The school's own weekly nudge says where it went.
    [weekly] = _texts(telegram, CARE, mark)
    assert "⬆ Geëscaleerd naar: bovenschools ondersteuningscoördinator (BOC-er)." in weekly

    mark = len(telegram.calls)
    await _day(bot, clock, 2026, 12, 8)
    assert _texts(telegram, BOC, mark) == []  # once

    mark = len(telegram.calls)
    await _day(bot, clock, 2026, 12, 14)  # Monday: 10 working days past due
    [to_swv] = _texts(telegram, SWV, mark)
    assert "⬆ Staat 10 werkdagen na de uiterste datum open bij Het Baken." in to_swv
    assert _texts(telegram, BOC, mark) == []


async def test_done_before_the_ladder_stops_it_and_a_holiday_is_not_a_working_day(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    await _people(bot, registry)
    clock.current = datetime(2026, 12, 18, 9, 0, tzinfo=AMS)
    # Friday 18 December: due Monday 28 December (Christmas Day skipped); 5 working days later
    # is Tuesday 5 January (New Year's Day skipped).
    await _three_hours_for_daan(bot)

    mark = len(telegram.calls)
    await _day(bot, clock, 2027, 1, 4)
    assert _texts(telegram, BOC, mark) == []
    await _day(bot, clock, 2027, 1, 5)
    [to_boc] = _texts(telegram, BOC, mark)
    assert "⬆ Staat 5 werkdagen na de uiterste datum open bij Het Baken." in to_boc

    # The school marks it done: nothing climbs further.
    [nudge] = [c for c in telegram.calls if c.chat_id == CARE.id and ABOUT in c.text][-1:]
    await bot.press(CARE, nudge, done_button(nudge, ABOUT))
    mark = len(telegram.calls)
    await _day(bot, clock, 2027, 1, 13)
    assert _texts(telegram, SWV, mark) == []


async def test_done_before_the_first_rung_sends_nothing_up(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    await _people(bot, registry)
    await _three_hours_for_daan(bot)  # due Monday 30 November
    await _day(bot, clock, 2026, 11, 30)
    [due] = [c for c in telegram.calls if c.chat_id == CARE.id and ABOUT in c.text][-1:]
    await bot.press(CARE, due, done_button(due, ABOUT))

    mark = len(telegram.calls)
    await _day(bot, clock, 2026, 12, 7)
    await _day(bot, clock, 2026, 12, 14)
    assert _texts(telegram, BOC, mark) == _texts(telegram, SWV, mark) == []


async def test_my_agenda_holds_what_was_escalated_to_me(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    await _people(bot, registry)
    await _three_hours_for_daan(bot)  # Monday 23 November: due Monday 30 November, school only

    await _day(bot, clock, 2026, 12, 4)  # 4 working days past due: still the school's alone
    [before] = texts(await bot.send(BOC, "/agenda"))
    assert ABOUT not in before

    await _day(bot, clock, 2026, 12, 7)  # 5 working days: escalated to the BOC-er
    [agenda] = texts(await bot.send(BOC, "/agenda"))
    [line] = [line for line in agenda.splitlines() if ABOUT in line]
    assert line.startswith("• 30 november 2026 — ")
    assert line.endswith("⬆ naar jou geëscaleerd")
    # The school's own agenda has it without the mark.
    [own] = [
        line for line in texts(await bot.send(CARE, "/agenda"))[0].splitlines() if ABOUT in line
    ]
    assert "⬆" not in own
