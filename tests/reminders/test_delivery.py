"""Nudges end to end: the right person, at the right working hour, never lost, never doubled.

The bot's clock is fixed and moved by the tests; planning and delivery are called as the jobs
would call them (the scheduler only wakes them up).
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import REMINDERS_KEY, Reminders
from bot.services.deadlines import sync_organisations
from bot.services.importing import import_csv
from bot.storage.models import Bestuur, DeadlineRow, Gemeente, Nudge, Role, Swv, User
from tests.utils.datasets import pupil_row, pupils_csv
from tests.utils.factories import NOW, invitation_code, organisations
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import BotHarness, alerts

AMS = ZoneInfo("Europe/Amsterdam")
ROOT = Path(__file__).resolve().parents[2]
LP = TgUser(801, "Lea Leerplicht", "nl")  # Alphen aan den Rijn
SWV = TgUser(802, "Sam SWV", "en")
ADMIN = TgUser(803, "Ada Admin", "nl")
EXEMPTION_ENDS = "Vrijstelling eindigt over 3 maanden"


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AMS)


def _quiet_organisations(session: Session) -> None:
    """Register the organisations as of June 2027, so their own periodic deadlines (monthly
    overview, verification, quarterly dates) stay out of these tests."""
    later = date(2027, 6, 1)
    for model in (Swv, Bestuur, Gemeente):
        for org in session.exec(select(model)):
            org.registered_on = later
            session.add(org)
    sync_organisations(session=session, as_of=NOW.date(), now=NOW)
    session.commit()


def _exempted_pupil(session: Session) -> None:
    """Sanne (Alphen): exemption 5A from 1 December 2026 to 31 March 2027 → contact the SWV
    3 months before the end: due Thursday 31 December 2026 (leerplicht and the SWV)."""
    organisations(session)
    row = pupil_row(0) | {
        "categorie": "A2", "vrijstelling_artikel": "5A", "startdatum": "2026-12-01",
        "vrijstelling_einddatum": "2027-03-31", "vrijstelling_permanent": "nee",
    }  # fmt: skip
    result = import_csv(
        session=session, stream=io.StringIO(pupils_csv([row])), today=NOW.date(), now=NOW
    )
    assert result.ok, result.errors
    session.commit()
    _quiet_organisations(session)


async def _sign_in(bot: BotHarness, session: Session, *users: TgUser) -> None:
    orgs = {
        LP: (Role.LEERPLICHT, {"gemeente": "Alphen aan den Rijn"}),
        SWV: (Role.SWV, {"swv": "SWV Rijn en Gouwe"}),
        ADMIN: (Role.ADMIN, {"swv": "SWV Rijn en Gouwe"}),
    }
    for user in users:
        role, org = orgs[user]
        await bot.send(user, f"/start {invitation_code(session, role, now=NOW, **org)}")


def _reminders(bot: BotHarness) -> Reminders:
    reminders: Reminders = bot.application.bot_data[REMINDERS_KEY]
    return reminders


async def _deliver_at(bot: BotHarness, clock: FixedClock, moment: datetime) -> None:
    clock.current = moment
    reminders = _reminders(bot)
    reminders.plan()
    await deliver_due(services=reminders.services, bot=reminders.bot)


def _nudges_to(telegram: FakeTelegram, user: TgUser, about: str = EXEMPTION_ENDS) -> list[ApiCall]:
    return [c for c in telegram.sent_to(user.id) if c.method == "sendMessage" and about in c.text]


async def test_the_exemption_end_reaches_leerplicht_at_eight_on_working_days(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP)
    _reminders(bot).plan(everything=True)

    await _deliver_at(bot, clock, at(2026, 12, 17, 7, 59))
    assert _nudges_to(telegram, LP) == []
    await _deliver_at(bot, clock, at(2026, 12, 17, 8, 0))
    [first] = _nudges_to(telegram, LP)
    assert first.text.splitlines() == [
        "⏰ Over twee weken:",
        "Vrijstelling eindigt over 3 maanden: contact met het SWV over een nieuw onderwijsperspectief",
        f"{first.text.splitlines()[2].split(' — ')[0]} — uiterlijk donderdag 31 december 2026",
    ]
    assert first.text.splitlines()[2].startswith("S.V. #")
    assert first.params["protect_content"] is True
    assert [b["text"] for b in first.buttons] == [
        "✓ Afgehandeld",
        "Morgen",
        "Volgende week",
        "Dossier openen",
    ]

    for night_or_weekend in (
        at(2026, 12, 17, 22, 0),
        at(2026, 12, 19, 12, 0),
        at(2026, 12, 27, 9, 0),
    ):
        await _deliver_at(bot, clock, night_or_weekend)
        assert len(_nudges_to(telegram, LP)) == 1
    await _deliver_at(bot, clock, at(2026, 12, 28, 8, 0))  # 3 working days before Thursday 31st
    await _deliver_at(bot, clock, at(2026, 12, 31, 8, 0))
    texts = [c.text.splitlines()[0] for c in _nudges_to(telegram, LP)]
    assert texts == ["⏰ Over twee weken:", "⏰ Over drie werkdagen:", "⏰ Vandaag:"]


async def test_done_closes_it_for_everybody_and_updates_their_messages(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP, SWV)
    _reminders(bot).plan(everything=True)
    await _deliver_at(bot, clock, at(2026, 12, 31, 8, 0))
    [lp_nudge] = _nudges_to(telegram, LP)
    [swv_nudge] = _nudges_to(telegram, SWV, about="Exemption ends in 3 months")  # English user

    calls = await bot.press(LP, lp_nudge, "✓ Afgehandeld")

    assert alerts(calls) == ["Afgehandeld."]
    edits = {c.chat_id: c for c in telegram.calls if c.method == "editMessageText"}
    assert edits[SWV.id].text.splitlines()[-1] == "✓ Done (Lea Leerplicht, December 31, 2026)"
    assert edits[LP.id].text.splitlines()[-1] == "✓ Afgehandeld (jou, 31 december 2026)"
    assert edits[SWV.id].params["message_id"] == swv_nudge.result["message_id"]
    session.expire_all()
    deadline = session.exec(
        select(DeadlineRow).where(DeadlineRow.rule == "VRIJSTELLING_EINDE_3M")
    ).one()
    assert deadline.status == "done"
    planned = session.exec(
        select(Nudge).where(Nudge.deadline_id == deadline.id, Nudge.status == "planned")
    ).all()
    assert planned == []
    # A week later nobody hears about it again.
    await _deliver_at(bot, clock, at(2027, 1, 7, 8, 0))
    assert len(_nudges_to(telegram, LP)) == 1
    # Someone else's nudge button is not theirs to press.
    again = await bot.press_data(SWV, swv_nudge, lp_nudge.buttons[0]["callback_data"])
    assert alerts(again) == ["This is not available."]


async def test_later_reminds_the_next_working_day(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP)
    _reminders(bot).plan(everything=True)
    await _deliver_at(bot, clock, at(2026, 12, 31, 8, 0))
    [nudge] = _nudges_to(telegram, LP)

    calls = await bot.press(LP, nudge, "Morgen")

    assert alerts(calls) == ["Ik herinner je er maandag 4 januari 2027 weer aan."]  # 1 Jan: holiday
    await _deliver_at(bot, clock, at(2027, 1, 4, 8, 0))
    assert [c.text.splitlines()[0] for c in _nudges_to(telegram, LP)] == [
        "⏰ Vandaag:",
        "⏰ Herinnering:",
    ]


async def test_down_across_the_due_date_sends_one_late_nudge(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP)
    _reminders(bot).plan(everything=True)  # planned in November: 17, 28 and 31 December

    await _deliver_at(bot, clock, at(2027, 1, 5, 10, 0))  # the bot was down until 5 January

    [late] = _nudges_to(telegram, LP)
    assert late.text.splitlines()[0] == "⏰ Vandaag:"
    assert late.text.splitlines()[-1] == "(Later verstuurd: de bot was een tijd niet bereikbaar.)"
    session.expire_all()
    ends = session.exec(
        select(DeadlineRow).where(DeadlineRow.rule == "VRIJSTELLING_EINDE_3M")
    ).one()
    statuses = sorted(
        n.status
        for n in session.exec(select(Nudge).where(Nudge.deadline_id == ends.id))
        if n.kind in ("before_14", "before_3", "due")
    )
    assert statuses == ["cancelled", "cancelled", "sent"]


async def test_a_user_who_blocked_the_bot_is_marked_inactive_and_the_admins_are_told(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP, ADMIN)
    _reminders(bot).plan(everything=True)
    telegram.blocked.add(LP.id)

    await _deliver_at(bot, clock, at(2026, 12, 17, 8, 0))

    session.expire_all()
    lea = session.exec(select(User).where(User.telegram_id == LP.id)).one()
    assert lea.active is False
    [notice] = [c for c in telegram.sent_to(ADMIN.id) if "geblokkeerd" in c.text]
    assert notice.text.startswith("Lea Leerplicht (leerplichtambtenaar) heeft de bot geblokkeerd")
    attempts = len([r for r in telegram.received if r[1] == LP.id])
    await _deliver_at(bot, clock, at(2026, 12, 28, 8, 0))
    assert len([r for r in telegram.received if r[1] == LP.id]) == attempts  # no retry loop


async def test_a_deadline_nobody_receives_is_reported_to_the_admins_once(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, ADMIN)  # no leerplicht officer, no SWV staff
    _reminders(bot).plan(everything=True)
    _reminders(bot).plan(everything=True)

    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))
    await _deliver_at(bot, clock, at(2026, 11, 30, 10, 30))

    unassigned = [c for c in telegram.sent_to(ADMIN.id) if EXEMPTION_ENDS in c.text]
    assert len(unassigned) == 1
    assert unassigned[0].text.startswith("⏰ Niemand ontvangt deze termijn")


async def test_many_nudges_at_once_stay_under_telegrams_limits(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    organisations(session)
    rows = [pupil_row(n) | {"categorie": "B1", "startdatum": "2026-11-02", "school_brin": "",
                            "school_naam": "", "onderwijssoort": "", "regio": "", "bestuur": "",
                            "gemeente": "Gouda", "vrijstelling_artikel": "",
                            "vrijstelling_permanent": ""} for n in range(3)]  # fmt: skip
    result = import_csv(
        session=session, stream=io.StringIO(pupils_csv(rows)), today=NOW.date(), now=NOW
    )
    assert result.ok, result.errors
    session.commit()
    _quiet_organisations(session)
    officers = [TgUser(900 + n, f"Officer {n}", "nl") for n in range(40)]
    for officer in officers:
        code = invitation_code(session, Role.LEERPLICHT, now=NOW, gemeente="Gouda")
        await bot.send(officer, f"/start {code}")
    telegram.enforce_limits = True
    _reminders(bot).plan(everything=True)

    started = asyncio.get_running_loop().time()
    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))
    elapsed = asyncio.get_running_loop().time() - started

    assert telegram.too_many_requests == 0
    per_officer = [
        len([c for c in telegram.sent_to(o.id) if "Niet ingeschreven" in c.text]) for o in officers
    ]
    assert per_officer == [3] * 40  # 3 pupils each: under the digest threshold
    assert elapsed >= 120 / 30 - 0.5  # 120 messages cannot go faster than Telegram allows


async def test_killed_while_sending_nothing_is_lost_and_at_most_one_is_doubled(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram, database_url: str
) -> None:
    organisations(session)
    rows = [pupil_row(0) | {"categorie": "B1", "startdatum": "2026-11-02", "school_brin": "",
                            "school_naam": "", "onderwijssoort": "", "regio": "", "bestuur": "",
                            "gemeente": "Gouda"}]  # fmt: skip
    import_csv(session=session, stream=io.StringIO(pupils_csv(rows)), today=NOW.date(), now=NOW)
    session.commit()
    _quiet_organisations(session)
    officers = [TgUser(950 + n, f"Officer {n}", "nl") for n in range(6)]
    for officer in officers:
        await bot.send(
            officer,
            f"/start {invitation_code(session, Role.LEERPLICHT, now=NOW, gemeente='Gouda')}",
        )
    _reminders(bot).plan(everything=True)
    moment = at(2026, 11, 23, 10, 30)
    before = len(telegram.received)
    telegram.hold_at = before + 3  # the third nudge reaches Telegram, then the process dies

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.utils.deliver_process", database_url, telegram.base_url,
        moment.isoformat(), cwd=str(ROOT), env={**os.environ},
    )  # fmt: skip
    await telegram.wait_for_received(before + 3)
    process.kill()
    await process.wait()
    telegram.release()

    await _deliver_at(bot, clock, moment)  # the restarted bot

    per_officer = [
        len([r for r in telegram.received[before:] if r[1] == o.id and "Niet ingeschreven" in r[2]])
        for o in officers
    ]
    assert all(count >= 1 for count in per_officer), per_officer  # nothing lost
    assert sum(per_officer) <= len(officers) + 1, per_officer  # at most the one in flight doubled
    session.expire_all()
    stuck = session.exec(select(Nudge).where(col(Nudge.status).in_(["planned", "sending"]),
                                             Nudge.planned_at <= moment)).all()  # fmt: skip
    assert stuck == []


async def test_agenda_and_settings_in_chat(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP)

    [nothing] = await bot.send(LP, "/agenda")  # 23 November: the 31 December deadline is too far
    clock.current = at(2026, 12, 10, 9, 0)
    [agenda] = await bot.send(LP, "/agenda")

    assert nothing.text == "Je hebt de komende 30 dagen geen openstaande termijnen."
    lines = agenda.text.splitlines()
    assert lines[:3] == [
        "Jouw termijnen tot en met 9 januari 2027:",
        "",
        "Week 53 (vanaf 28 december 2026)",
    ]
    assert lines[3].startswith(
        "• 31 december 2026 — Vrijstelling eindigt over 3 maanden: contact met het SWV over een "
        "nieuw onderwijsperspectief — S.V. #"
    )
    assert len(lines) == 4

    [settings] = await bot.send(LP, "/instellingen")
    assert settings.text.splitlines()[1] == (
        "Werktijden (alleen dan herinneringen, maandag tot en met vrijdag): 08:00–18:00"
    )
    await bot.press(LP, settings, "09:00–17:00")
    await bot.press(LP, settings, "Samenvatting: aan")
    session.expire_all()
    lea = session.exec(select(User).where(User.telegram_id == LP.id)).one()
    assert (lea.work_start.hour, lea.work_end.hour, lea.digest) == (9, 17, True)


async def _gouda_b1_pupils(bot: BotHarness, session: Session, count: int) -> TgUser:
    organisations(session)
    rows = [pupil_row(n) | {"categorie": "B1", "startdatum": "2026-11-02", "school_brin": "",
                            "school_naam": "", "onderwijssoort": "", "regio": "", "bestuur": "",
                            "gemeente": "Gouda", "vrijstelling_artikel": "",
                            "vrijstelling_permanent": ""} for n in range(count)]  # fmt: skip
    result = import_csv(
        session=session, stream=io.StringIO(pupils_csv(rows)), today=NOW.date(), now=NOW
    )
    assert result.ok, result.errors
    session.commit()
    _quiet_organisations(session)
    officer = TgUser(990, "Olga", "nl")
    await bot.send(
        officer, f"/start {invitation_code(session, Role.LEERPLICHT, now=NOW, gemeente='Gouda')}"
    )
    _reminders(bot).plan(everything=True)
    return officer


async def test_more_than_five_at_once_become_one_digest(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 6)

    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))

    [digest] = [
        c
        for c in telegram.sent_to(officer.id)
        if c.method == "sendMessage" and c.text.startswith("Jouw")
    ]
    lines = digest.text.splitlines()
    assert lines[0] == "Jouw termijnen (6):"
    assert all(
        line.startswith(f"{n}. Niet ingeschreven") for n, line in enumerate(lines[1:], start=1)
    )
    assert [b["text"] for b in digest.buttons] == [f"✓ {n}" for n in range(1, 7)]
    # Done from the digest closes that one deadline.
    await bot.press(officer, digest, "✓ 2")
    session.expire_all()
    assert len(session.exec(select(DeadlineRow).where(DeadlineRow.status == "done")).all()) == 1


async def test_a_429_answer_is_waited_out_as_told(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 1)
    telegram.throttle_once.add(officer.id)

    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))

    assert telegram.too_many_requests == 1
    [nudge] = [
        c
        for c in telegram.sent_to(officer.id)
        if c.method == "sendMessage" and "Niet ingeschreven" in c.text
    ]
    attempts = [r for r in telegram.received if r[1] == officer.id and "Niet ingeschreven" in r[2]]
    assert len(attempts) == 2
    assert attempts[1][0] - attempts[0][0] >= 1.0  # waited the second Telegram asked for
    assert nudge.text.startswith("⏰ Nu te doen:")


async def test_a_network_error_is_retried_later_without_doubling(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 1)
    telegram.fail_once.add(officer.id)

    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))
    delivered = [c for c in telegram.sent_to(officer.id) if "Niet ingeschreven" in c.text]
    assert delivered == []  # the attempt failed
    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30, 59))
    assert [
        c for c in telegram.sent_to(officer.id) if "Niet ingeschreven" in c.text
    ] == []  # backing off
    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 31, 1))

    delivered = [c for c in telegram.sent_to(officer.id) if "Niet ingeschreven" in c.text]
    assert len(delivered) == 1
    session.expire_all()
    [nudge] = session.exec(select(Nudge).where(Nudge.status == "sent")).all()
    assert nudge.attempts == 2
