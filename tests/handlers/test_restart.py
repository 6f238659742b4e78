"""A confirmation waiting for Save survives a restart of the bot: Save pressed after it stores
exactly once what was confirmed before it, and the confirmation is edited as always."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.__main__ import main
from bot.clock import FixedClock
from bot.handlers.context import BotContext
from bot.handlers.new_pupil import forget_stale_drafts
from bot.persistence import USER
from bot.services import chat_state, privacy
from bot.services.container import Services
from bot.storage.models import Absence, ChatState, Pupil, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import alerts, observed_application, running_bot, texts
from tests.utils.process import bot_process, telegram_env

CARE = TgUser(1401, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB): sees Sanne


def _absences(session: Session) -> list[tuple[float, str]]:
    session.expire_all()
    return [(a.hours, a.kind) for a in session.exec(select(Absence))]


async def _confirmed_then_stopped(
    telegram: FakeTelegram, services: Services, registry: Session
) -> ApiCall:
    """A bot that confirmed an update, waiting for Save, and then stopped: that confirmation."""
    code = invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    async with running_bot(telegram, services) as bot:
        await bot.send(CARE, f"/start {code}")
        [question] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd vandaag")
        assert "Opslaan" in [button["text"] for button in question.buttons]
    return question


async def test_save_pressed_after_a_restart_stores_what_was_confirmed_once(
    telegram: FakeTelegram, services: Services, registry: Session
) -> None:
    question = await _confirmed_then_stopped(telegram, services, registry)
    # Stopped. What waits is kept sealed: no name in it as stored.
    [kept] = registry.exec(select(ChatState)).all()
    raw = registry.connection().exec_driver_sql("SELECT value FROM chat_state").scalar()
    assert b"Sanne" not in bytes(raw)
    assert b"Sanne" in kept.value  # opened with the key, it is the update as confirmed

    async with running_bot(telegram, services) as bot:
        pressed = await bot.press(CARE, question, "Opslaan")
        [saved] = texts(pressed)
        assert saved.startswith("Opgeslagen:")
        assert _absences(registry) == [(2.0, "ongeoorloofd")]
        # The same button again (a double tap): nothing more is stored.
        await bot.press(CARE, question, "Opslaan")
        assert _absences(registry) == [(2.0, "ongeoorloofd")]


async def test_without_a_restart_nothing_is_written_when_nothing_changed(
    telegram: FakeTelegram, services: Services, registry: Session
) -> None:
    # A process that handles no updates (a standby) must not overwrite the one that does.
    async with running_bot(telegram, services) as bot:
        assert bot.application.running  # started, and handled nothing
    assert registry.exec(select(ChatState)).all() == []


async def test_forgetting_a_pupil_with_the_bot_stopped_clears_the_kept_buttons(
    telegram: FakeTelegram, services: Services, registry: Session
) -> None:
    question = await _confirmed_then_stopped(telegram, services, registry)
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    privacy.forget(registry, sanne, now=NOW)
    registry.commit()
    assert registry.exec(select(ChatState)).all() == []  # the name as typed is gone too

    async with running_bot(telegram, services) as bot:
        pressed = await bot.press(CARE, question, "Opslaan")
        assert alerts(pressed) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
        assert _absences(registry) == []


async def test_a_confirmation_survives_sigterm_and_a_new_process(
    cli_env: str,
    registry: Session,
    telegram: FakeTelegram,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As an operator restarts it (a deploy): `python -m bot run`, SIGTERM, run again."""
    assert main(["invite", "--role", "zorgcoordinator", "--school", "12AB"]) == 0
    code = capsys.readouterr().out.splitlines()[-1]
    async with bot_process("run", env=telegram_env(telegram), cwd=tmp_path) as first:
        telegram.push_message(CARE, f"/start {code}")
        await telegram.wait_for_call("sendMessage", CARE.id, limit=60)
        mark = len(telegram.calls)
        telegram.push_message(CARE, "Sanne 2 uur ongeoorloofd vandaag")
        question = await telegram.wait_for_call("sendMessage", CARE.id, after=mark, limit=60)
        first.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(first.wait(), timeout=10) == 0
    [save] = [b["callback_data"] for b in question.buttons if b["text"] == "Opslaan"]
    async with bot_process("run", env=telegram_env(telegram), cwd=tmp_path) as second:
        mark = len(telegram.calls)
        telegram.push_callback(CARE, question.result, save)
        edited = await telegram.wait_for_call("editMessageText", CARE.id, after=mark, limit=60)
        assert edited.text.startswith("Opgeslagen:")
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), timeout=10) == 0
    assert _absences(registry) == [(2.0, "ongeoorloofd")]


async def _registering_then_stopped(
    telegram: FakeTelegram, services: Services, registry: Session
) -> None:
    """A bot where CARE began registering a new pupil (first name given), then stopped."""
    code = invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    async with running_bot(telegram, services) as bot:
        await bot.send(CARE, f"/start {code}")
        assert texts(await bot.send(CARE, "/nieuw"))[0].endswith("Voornaam?")
        assert texts(await bot.send(CARE, "Daan")) == [
            "Achternaam (met tussenvoegsel, bijvoorbeeld “de Vries”)?"
        ]


async def test_a_registration_in_progress_goes_on_after_a_restart(
    telegram: FakeTelegram, services: Services, registry: Session
) -> None:
    await _registering_then_stopped(telegram, services, registry)
    async with running_bot(telegram, services) as bot:
        assert texts(await bot.send(CARE, "van Dijk")) == [
            "Geboortedatum? Bijvoorbeeld 15-03-2015."
        ]
        # The draft came along: saved, the pupil has the first name typed before the restart.
        [gemeente] = await bot.send(CARE, "15-03-2015")
        [category] = _sent(await bot.press(CARE, gemeente, gemeente.buttons[0]["text"]))
        await bot.press(CARE, category, "B2 – langdurig relatief verzuim")
        [summary] = await bot.send(CARE, "5-10-2026")
        assert texts(await bot.press(CARE, summary, "Opslaan"))[0].startswith("Geregistreerd: ")
    registry.expire_all()
    [daan] = [p for p in registry.exec(select(Pupil)) if p.last_name == "van Dijk"]  # sealed
    assert daan.first_name == "Daan"


def _sent(calls: list[ApiCall]) -> list[ApiCall]:
    return [call for call in calls if call.method == "sendMessage"]


async def test_a_standby_takes_over_a_registration_begun_after_it_started(
    telegram: FakeTelegram, services: Services, registry: Session
) -> None:
    standby = observed_application(services)
    await standby.initialize()  # it loads what people were doing now: nothing yet
    await _registering_then_stopped(telegram, services, registry)
    async with running_bot(telegram, services, standby) as bot:
        assert texts(await bot.send(CARE, "van Dijk")) == [
            "Geboortedatum? Bijvoorbeeld 15-03-2015."
        ]


async def test_a_registration_left_unfinished_leaves_the_database_after_30_minutes(
    telegram: FakeTelegram, services: Services, registry: Session, clock: FixedClock
) -> None:
    await _registering_then_stopped(telegram, services, registry)
    draft = f"{USER}{CARE.id}"
    assert chat_state.load(services, draft) is not None  # kept over the restart, sealed
    async with running_bot(telegram, services) as bot:
        context = BotContext(bot.application)
        await forget_stale_drafts(context)
        await bot.application.update_persistence()
        assert chat_state.load(services, draft) is not None  # not yet
        clock.advance(timedelta(minutes=31))
        await forget_stale_drafts(context)
        await bot.application.update_persistence()
        assert chat_state.load(services, draft) is None
        # The next message says the registration had stopped; nothing stored.
        [stopped] = texts(await bot.send(CARE, "van Dijk"))
        assert stopped.startswith("De registratie van een nieuwe leerling is gestopt na 30 minuten")
