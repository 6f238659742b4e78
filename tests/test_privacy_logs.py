"""Nothing personal in the logs: run a day's work end to end and scan every log record."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.logs import ContextFilter, quiet_libraries
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.storage.models import Pupil, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.harness import BotHarness

CARE = TgUser(1201, "Zorg", "nl")
SWV = TgUser(1202, "Sam", "nl")
NOTE = "moeder belde over de diagnose van de jeugdarts"
SECRET = ("Sanne", "de", "Vries,", "12-03-2015")


async def test_no_pupil_data_in_any_log_record(
    bot: BotHarness,
    registry: Session,
    clock: FixedClock,
    telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    quiet_libraries()  # as `python -m bot run` configures logging
    caplog.set_level(logging.DEBUG)
    await bot.send(
        CARE, f"/start {invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school='12AB')}"
    )
    await bot.send(
        SWV, f"/start {invitation_code(registry, Role.SWV, now=NOW, swv='SWV Rijn en Gouwe')}"
    )
    for text in (
        "Sanne 4 uur ongeoorloofd vandaag",
        f"notitie Sanne (vertrouwelijk): {NOTE}",
        "Sanne heeft passend aanbod vanaf 1 december: dagbesteding",
        "Sanne is weer op school",
    ):
        [question] = await bot.send(CARE, text)
        await bot.press(CARE, question, "Opslaan")
    await bot.send(CARE, "/dossier Sanne de Vries")
    await bot.send(CARE, "/leerlingen")
    await bot.send(CARE, "Pietje Puk 3 uur ongeoorloofd")  # unknown name, echoed in chat only
    await bot.send(SWV, "/kwartaal")
    await bot.handled(telegram.push_document(
        CARE, file_name="verslag Sanne de Vries.pdf", mime_type="application/pdf",
        content=b"%PDF-1.4 ...", caption="Sanne vertrouwelijk",
    ))  # fmt: skip
    reminders = reminders_of(bot.application)
    reminders.plan(everything=True)
    clock.current = datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    await deliver_due(services=reminders.services, bot=reminders.bot)

    secrets = {NOTE, "Pietje", "dagbesteding", "verslag Sanne"}
    for pupil in registry.exec(select(Pupil)):
        secrets |= {pupil.first_name, pupil.last_name}
        if pupil.birth_date is not None:
            secrets |= {pupil.birth_date.isoformat(), pupil.birth_date.strftime("%d-%m-%Y")}
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert caplog.records  # the flows did log
    leaks = sorted(secret for secret in secrets if secret and secret in logged)
    assert leaks == []


async def test_records_of_an_update_carry_its_update_and_user_id(
    bot: BotHarness, registry: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(ContextFilter())  # as the bot's own log handler has
    await bot.send(
        CARE, f"/start {invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school='12AB')}"
    )
    caplog.clear()
    await bot.send(CARE, "/dossier Sanne")
    [viewed] = [r for r in caplog.records if "viewed dossier" in r.getMessage()]
    assert isinstance(viewed.update_id, int)  # type: ignore[attr-defined]
    assert viewed.user_id == 1  # type: ignore[attr-defined]


async def test_an_unhandled_error_is_logged_without_data_and_the_user_gets_an_apology(
    bot: BotHarness, registry: Session, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    await bot.send(
        CARE, f"/start {invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school='12AB')}"
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(" ".join(SECRET))  # the traceback shows this line, not the value

    monkeypatch.setattr("bot.handlers.dossier.read_dossier", broken)
    caplog.set_level(logging.ERROR)
    [reply] = await bot.send(CARE, "/dossier Sanne")
    assert reply.text.startswith("Sorry, er ging bij mij iets mis.")
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "builtins.RuntimeError" in error.getMessage()
    assert "bot/handlers/dossier.py" in error.getMessage()
    assert "Sanne" not in error.getMessage()
