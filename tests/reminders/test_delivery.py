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

import pytest
from sqlmodel import Session, col, select

from bot.clock import FixedClock
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import Reminders, reminders_of
from bot.services.deadlines import sync_organisations
from bot.services.importing import import_csv
from bot.storage.models import Bestuur, DeadlineRow, Gemeente, Nudge, Role, Swv, User
from tests.utils.datasets import pupil_row, pupils_csv
from tests.utils.factories import NOW, invitation_code, organisations
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import BotHarness, alerts, edited
from tests.utils.limiter_log import LimiterLog

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
    sync_organisations(settings=PROTOCOL, session=session, as_of=NOW.date(), now=NOW)
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
        settings=PROTOCOL,
        session=session,
        stream=io.StringIO(pupils_csv([row])),
        today=NOW.date(),
        now=NOW,
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
    reminders: Reminders = reminders_of(bot.application)
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
    assert edits[SWV.id].text.splitlines()[-1] == "✓ Done by Lea Leerplicht on 31 December 2026"
    assert edits[LP.id].text.splitlines()[-1] == "✓ Afgehandeld door jou op 31 december 2026"
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


async def _exemption_nudge(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> ApiCall:
    """Leerplicht's nudge on 31 December 2026 that an exemption ends in 3 months."""
    _exempted_pupil(session)
    await _sign_in(bot, session, LP)
    _reminders(bot).plan(everything=True)
    await _deliver_at(bot, clock, at(2026, 12, 31, 8, 0))
    [nudge] = _nudges_to(telegram, LP)
    return nudge


async def test_later_reminds_the_next_working_day(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    nudge = await _exemption_nudge(bot, session, clock, telegram)

    calls = await bot.press(LP, nudge, "Morgen")

    assert alerts(calls) == ["Ik herinner je er maandag 4 januari 2027 weer aan."]  # 1 Jan: holiday
    # The new date stays on the message, not only in a toast of a few seconds.
    later = edited(calls)
    assert later.text.startswith(nudge.text)
    assert later.text.endswith("💤 Uitgesteld: ik herinner je opnieuw op maandag 4 januari 2027.")
    assert later.buttons == []
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

    # Not the administrator's own deadlines: one line per organisation and missing role, due
    # within 6 weeks, once — never the deadlines themselves or a digest of them.
    sent = [c.text for c in telegram.sent_to(ADMIN.id) if c.method == "sendMessage"]
    summaries = [text for text in sent if text.startswith("ℹ ")]
    assert sorted(summaries) == [
        "ℹ Alphen aan den Rijn heeft geen leerplichtambtenaar: 1 termijn, uiterlijk donderdag 31 "
        "december 2026. Nodig iemand uit met /uitnodigen.",
        "ℹ SWV Rijn en Gouwe heeft geen medewerker van het samenwerkingsverband: 1 termijn, "
        "uiterlijk dinsdag 1 december 2026. Nodig iemand uit met /uitnodigen.",
    ]
    assert not [t for t in sent if EXEMPTION_ENDS in t or t.startswith(("Jouw termijnen", "⏰"))]


@pytest.mark.parametrize("with_draft", [False, True], ids=["plain", "with-draft-report"])
async def test_many_nudges_at_once_go_at_telegrams_rate_and_no_faster(
    bot: BotHarness,
    session: Session,
    clock: FixedClock,
    telegram: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    with_draft: bool,
) -> None:
    organisations(session)
    rows = [pupil_row(n) | {"categorie": "B1", "startdatum": "2026-11-09", "school_brin": "",
                            "school_naam": "", "onderwijssoort": "", "regio": "", "bestuur": "",
                            "gemeente": "Gouda", "vrijstelling_artikel": "",
                            "vrijstelling_permanent": ""} for n in range(3)]  # fmt: skip
    result = import_csv(
        settings=PROTOCOL,
        session=session,
        stream=io.StringIO(pupils_csv(rows)),
        today=NOW.date(),
        now=NOW,
    )
    assert result.ok, result.errors
    session.commit()
    _quiet_organisations(session)
    if with_draft:
        _monthly_overview_due(session)
    officers = [TgUser(900 + n, f"Officer {n}", "nl") for n in range(40)]
    for officer in officers:
        code = invitation_code(session, Role.LEERPLICHT, now=NOW, gemeente="Gouda")
        await bot.send(officer, f"/start {code}")
    _reminders(bot).plan(everything=True)
    decided = LimiterLog()
    decided.install(monkeypatch)

    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))

    per_officer = [
        len([c for c in telegram.sent_to(o.id) if "Niet ingeschreven" in c.text]) for o in officers
    ]
    assert per_officer == [3] * 40  # 3 pupils each: under the digest threshold
    messages = 40 * (4 if with_draft else 3)
    drafts = [c for c in telegram.calls if c.method == "sendDocument"]
    assert len(drafts) == (40 if with_draft else 0)
    assert telegram.uploads == (1 if with_draft else 0)  # built and uploaded once, then reused
    # No faster than Telegram allows, as the limiter decided it (its clock, not the fake's
    # arrival times, which a loaded machine bunches): 29 a second overall, 1 a second a chat.
    assert len(decided.turns) == messages
    assert decided.busiest_second() <= 29
    assert decided.closest_in_one_chat() >= 1.0
    # Nor slower than needed: enough chats wait for a slot at once to use every slot of a
    # second (one chat at a time, or a workbook per nudge, once made it 1 a second), and the
    # chats take turns, so every officer's first message goes before anyone's second.
    # bench/delivery.py measures the rate against Telegram's.
    assert decided.most_waiting >= 29
    order = decided.order({o.id for o in officers})
    firsts = [order.index(o.id) for o in officers]
    seconds = [order.index(o.id, first + 1) for o, first in zip(officers, firsts, strict=True)]
    assert max(firsts) < min(seconds)


def _monthly_overview_due(session: Session) -> None:
    """Gouda's monthly overview is due: its nudges carry the draft workbook."""
    gouda = session.exec(select(Gemeente).where(Gemeente.name == "Gouda")).one()
    session.add(DeadlineRow(identity="test:maandoverzicht", swv_id=gouda.swv_id,
                            org_kind="gemeente", org_id=gouda.id, rule="MAANDOVERZICHT_SWV",
                            due=NOW.date(), trigger_day=NOW.date(), status="open",
                            created_at=NOW, updated_at=NOW))  # fmt: skip
    session.commit()


@pytest.mark.parametrize("with_draft", [False, True], ids=["plain", "with-draft-report"])
async def test_killed_while_sending_nothing_is_lost_and_at_most_one_per_chat_is_doubled(
    bot: BotHarness,
    session: Session,
    clock: FixedClock,
    telegram: FakeTelegram,
    database_url: str,
    with_draft: bool,
) -> None:
    organisations(session)
    rows = [pupil_row(0) | {"categorie": "B1", "startdatum": "2026-11-09", "school_brin": "",
                            "school_naam": "", "onderwijssoort": "", "regio": "", "bestuur": "",
                            "gemeente": "Gouda"}]  # fmt: skip
    import_csv(
        settings=PROTOCOL,
        session=session,
        stream=io.StringIO(pupils_csv(rows)),
        today=NOW.date(),
        now=NOW,
    )
    session.commit()
    _quiet_organisations(session)
    if with_draft:
        _monthly_overview_due(session)
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

    def arrived(officer: TgUser, words: str) -> int:
        return len([r for r in telegram.received[before:] if r[1] == officer.id and words in r[2]])

    kinds = ["Niet ingeschreven", *(["maandoverzicht"] if with_draft else [])]
    for officer in officers:
        counts = [arrived(officer, words) for words in kinds]
        assert all(count >= 1 for count in counts), counts  # nothing lost
        assert sum(counts) <= len(kinds) + 1, counts  # at most the one in flight doubled
    if with_draft:  # the draft went with its nudge, every time it was sent
        drafts = [c for c in telegram.calls if c.method == "sendDocument"]
        assert len(drafts) >= len(officers)
        assert all("maandoverzicht" in c.text for c in drafts)
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
    # The current choices are marked.
    marked = [b["text"] for b in settings.buttons if b["text"].startswith("✓ ")]
    assert marked == ["✓ 08:00–18:00", "✓ Nederlands", "✓ Samenvatting: automatisch"]
    [changed] = [c for c in await bot.press(LP, settings, "09:00–17:00")
                 if c.method == "editMessageText"]  # fmt: skip
    assert "✓ 09:00–17:00" in [b["text"] for b in changed.buttons]
    await bot.press(LP, settings, "Samenvatting: aan")
    session.expire_all()
    lea = session.exec(select(User).where(User.telegram_id == LP.id)).one()
    assert (lea.work_start.hour, lea.work_end.hour, lea.digest) == (9, 17, True)


GOUDA_COLLEAGUE = TgUser(991, "Gijs", "nl")


async def _gouda_b1_pupils(
    bot: BotHarness, session: Session, count: int, colleague: bool = False
) -> TgUser:
    """Gouda's B1 pupils from Monday 9 November: leerplicht's first 14-day check is due today
    (a nudge at once, each its own — not achterstand, which would come as one message)."""
    organisations(session)
    rows = [pupil_row(n) | {"categorie": "B1", "startdatum": "2026-11-09", "school_brin": "",
                            "school_naam": "", "onderwijssoort": "", "regio": "", "bestuur": "",
                            "gemeente": "Gouda", "vrijstelling_artikel": "",
                            "vrijstelling_permanent": ""} for n in range(count)]  # fmt: skip
    result = import_csv(
        settings=PROTOCOL,
        session=session,
        stream=io.StringIO(pupils_csv(rows)),
        today=NOW.date(),
        now=NOW,
    )
    assert result.ok, result.errors
    session.commit()
    _quiet_organisations(session)
    officer = TgUser(990, "Olga", "nl")
    for user in [officer, GOUDA_COLLEAGUE] if colleague else [officer]:
        code = invitation_code(session, Role.LEERPLICHT, now=NOW, gemeente="Gouda")
        await bot.send(user, f"/start {code}")
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


async def test_a_429_for_one_chat_holds_back_that_chat_only(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 2, colleague=True)
    telegram.throttle_once.add(officer.id)
    telegram.throttle_seconds = 2
    before = len(telegram.received)
    started = asyncio.get_running_loop().time()

    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))

    def arrivals(user: TgUser) -> list[float]:
        return [t - started for t, chat, text in telegram.received[before:]
                if chat == user.id and "Niet ingeschreven" in text]  # fmt: skip

    refused, *delivered = arrivals(officer)
    assert len(delivered) == 2
    assert delivered[0] - refused >= 2.0  # the officer's chat waited as Telegram asked
    colleague = arrivals(GOUDA_COLLEAGUE)
    assert len(colleague) == 2
    # The colleague's chat did not wait for it: one second apart, both before the officer's.
    assert colleague[1] < refused + 1.9
    assert colleague[1] < delivered[0]


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


def _digests(telegram: FakeTelegram, user: TgUser) -> list[ApiCall]:
    return [
        c
        for c in telegram.sent_to(user.id)
        if c.method == "sendMessage" and c.text.startswith("Jouw")
    ]


async def test_a_digest_too_long_for_one_message_arrives_whole_in_several(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 200)

    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))

    digests = _digests(telegram, officer)
    officer_id = session.exec(select(User.id).where(User.telegram_id == officer.id)).one()
    due = session.exec(select(Nudge).where(Nudge.user_id == officer_id)).all()
    nudges = [n for n in due if n.status != "planned"]  # later reminders wait their turn
    assert len(nudges) >= 200
    assert {n.status for n in nudges} == {"sent"}  # none lost to Telegram's length limit
    assert len(digests) > 1
    assert all(len(c.text) <= 4096 for c in digests)
    assert sum(len(c.text.splitlines()) - 1 for c in digests) == len(nudges)
    assert sum(len(c.buttons) for c in digests) == len(nudges)
    # The buttons of a later message work, and close their own item.
    last = digests[-1]
    await bot.press(officer, last, "✓ 1")
    session.expire_all()
    [done] = session.exec(select(DeadlineRow).where(DeadlineRow.status == "done")).all()
    first_of_last = min(
        (n for n in nudges if n.message_id == last.result["message_id"]), key=lambda n: n.id or 0
    )
    assert done.id == first_of_last.deadline_id


async def test_done_in_one_chat_leaves_other_peoples_digests_intact(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 6, colleague=True)
    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))
    [mine] = _digests(telegram, officer)
    [theirs] = _digests(telegram, GOUDA_COLLEAGUE)

    await bot.press(officer, mine, "✓ 2")

    edits = [c for c in telegram.calls if c.method == "editMessageText"]
    [edited] = [c for c in edits if c.chat_id == GOUDA_COLLEAGUE.id]
    assert edited.params["message_id"] == theirs.result["message_id"]
    lines = edited.text.splitlines()
    assert len(lines) == len(theirs.text.splitlines()) == 7  # all six items are still there
    assert lines[2].startswith("2. ✓ Niet ingeschreven")
    assert [line for line in lines[1:] if "✓" in line] == [lines[2]]
    assert [b["text"] for b in edited.buttons] == ["✓ 1", "✓ 3", "✓ 4", "✓ 5", "✓ 6"]
    [own] = [c for c in edits if c.chat_id == officer.id]
    assert [b["text"] for b in own.buttons] == ["✓ 1", "✓ 3", "✓ 4", "✓ 5", "✓ 6"]


async def test_button_data_counts_only_on_its_own_message_and_a_second_press_is_answered(
    bot: BotHarness,
    session: Session,
    clock: FixedClock,
    telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 2)
    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))
    first, second = [c for c in telegram.sent_to(officer.id) if c.method == "sendMessage"][-2:]

    copied = await bot.press_data(officer, second, first.buttons[0]["callback_data"])

    assert alerts(copied) == ["Dit is niet beschikbaar."]
    session.expire_all()
    assert session.exec(select(DeadlineRow).where(DeadlineRow.status == "done")).all() == []
    later = next(b["callback_data"] for b in second.buttons if b["text"] == "Morgen")
    await bot.press_data(officer, second, later)
    again = await bot.press_data(officer, second, later)
    assert alerts(again)[0].startswith("Ik herinner je er dinsdag 24 november 2026")
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []


async def test_a_permanent_refusal_keeps_the_deadlines_open_and_tells_the_admins_once(
    bot: BotHarness,
    session: Session,
    clock: FixedClock,
    telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 6)
    await _sign_in(bot, session, ADMIN)
    telegram.refuse.add(officer.id)

    await _deliver_at(bot, clock, at(2026, 11, 23, 10, 30))

    session.expire_all()
    officer_id = session.exec(select(User.id).where(User.telegram_id == officer.id)).one()
    due = session.exec(select(Nudge).where(Nudge.user_id == officer_id)).all()
    nudges = [n for n in due if n.status != "planned"]  # later reminders wait their turn
    assert len(nudges) == 6
    assert {n.status for n in nudges} == {"failed"}
    refused = {session.get(DeadlineRow, n.deadline_id).status for n in nudges}  # type: ignore[union-attr]
    assert refused == {"open"}  # still to be done, and in /agenda
    told = [c.text for c in telegram.sent_to(ADMIN.id) if "Telegram weigerde" in c.text]
    assert told == [
        "Telegram weigerde 6 herinneringen voor Olga (leerplichtambtenaar). De termijnen blijven "
        "open: /agenda toont ze."
    ]
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(str(n.id) in errors[0] for n in nudges)


async def test_stopping_mid_delivery_finishes_the_message_in_flight_and_keeps_the_rest(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    officer = await _gouda_b1_pupils(bot, session, 5)  # five nudges, five messages
    clock.current = at(2026, 11, 23, 10, 30)
    reminders = _reminders(bot)
    reminders.plan()
    telegram.hold_at = len(telegram.received) + 2  # the 2nd message is in flight when we stop
    stop = asyncio.Event()
    run = asyncio.create_task(
        deliver_due(services=reminders.services, bot=reminders.bot, stop=stop)
    )
    await telegram.wait_for_received(telegram.hold_at)
    stop.set()
    telegram.release()

    report = await asyncio.wait_for(run, 5)

    assert report.sent == 2
    officer_id = session.exec(select(User.id).where(User.telegram_id == officer.id)).one()
    session.expire_all()
    due = [n for n in session.exec(select(Nudge).where(Nudge.user_id == officer_id))
           if n.planned_at <= clock.current]  # fmt: skip
    assert sorted(n.status for n in due) == ["planned"] * 3 + ["sent"] * 2
    # The next run sends the other three, and nothing twice.
    again = await deliver_due(services=reminders.services, bot=reminders.bot)
    assert again.sent == 3
    texts_sent = [c.text for c in telegram.sent_to(officer.id) if c.method == "sendMessage"
                  and c.text.startswith("⏰")]  # fmt: skip
    assert len(texts_sent) == len(set(texts_sent)) == 5


async def test_stopping_the_application_reaches_delivery(bot: BotHarness) -> None:
    reminders = _reminders(bot)
    assert not reminders.stopping.is_set()

    # What PTB runs on SIGTERM and SIGINT (after SystemExit) and after stop_running; the process
    # itself is stopped with SIGTERM in tests/test_cli.py.
    await bot.application.stop()

    assert reminders.stopping.is_set()


async def test_a_reply_to_a_nudge_about_one_pupil_needs_no_name(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    nudge = await _exemption_nudge(bot, session, clock, telegram)
    who = nudge.text.splitlines()[-1].split(" — ")[0]  # "S.V. #1"

    [confirm] = await bot.send(LP, "notitie: moeder gebeld, belt maandag terug", reply_to=nudge)

    assert confirm.text.splitlines()[0] == "Klopt dit?"
    assert "moeder gebeld, belt maandag terug" in confirm.text
    assert who in confirm.text
    # A question in reply is answered about the same pupil, and stores nothing.
    [answer] = await bot.send(LP, "hoeveel uur heeft ze gemist?", reply_to=nudge)
    assert answer.text.splitlines()[:2] == [
        who,
        "Afwezigheid dit schooljaar (sinds 1 augustus 2026): niets vastgelegd.",
    ]
