"""Done with evidence: after Done, what was done can be kept with the deadline (one line; for
the 16-hour report the date of the melding filled in, completed with DUO's kenmerk), shown in
the dossier, audited without its text, and in the pupil's export."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.services.privacy import pupil_record
from bot.storage.models import Absence, AuditEvent, DeadlineRow, Pupil, Role
from bot.texts import done_note_from_reply
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import BotHarness, done_button, texts

AMS = ZoneInfo("Europe/Amsterdam")
CARE = TgUser(971, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB)
REPORT = (
    "16 uur ongeoorloofd verzuim binnen 4 schoolweken: ouders informeren, dan melden bij leerplicht"
)
KEPT = "gemeld in het verzuimregister op 30 november 2026, kenmerk 2026-123456"


async def _report_due_today(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> tuple[Pupil, ApiCall]:
    """Sanne reaches 16 unauthorised hours on Monday 23 November: the report is due Monday 30
    November, when its nudge arrives."""
    await bot.send(
        CARE, f"/start {invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school='12AB')}"
    )
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    for day in (16, 17, 18):
        registry.add(Absence(pupil_id=sanne.id, day=date(2026, 11, day), hours=4,
                             kind="ongeoorloofd", created_at=NOW))  # fmt: skip
    registry.commit()
    [question] = await bot.send(CARE, "Sanne 4 uur ongeoorloofd vandaag")
    await bot.press(CARE, question, "Opslaan")
    clock.current = datetime(2026, 11, 30, 9, 0, tzinfo=AMS)
    reminders = reminders_of(bot.application)
    assert reminders is not None
    reminders.plan(everything=True)
    mark = len(telegram.calls)
    await deliver_due(services=reminders.services, bot=reminders.bot)
    [nudge] = [
        c for c in telegram.calls[mark:]
        if c.method == "sendMessage" and c.chat_id == CARE.id and REPORT in c.text
    ]  # fmt: skip
    return sanne, nudge


async def test_done_on_the_report_keeps_the_date_and_kenmerk(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    sanne, nudge = await _report_due_today(bot, registry, clock, telegram)

    calls = await bot.press(CARE, nudge, done_button(nudge, REPORT))
    [question] = [c for c in calls if c.method == "sendMessage"]
    assert question.text.startswith("Wanneer en onder welk kenmerk is het gemeld")
    assert "„gemeld in het verzuimregister op 30 november 2026, kenmerk …”" in question.text
    assert question.params["reply_markup"]["force_reply"] is True

    # The kenmerk alone completes the line that was filled in.
    assert texts(await bot.send(CARE, "2026-123456", reply_to=question)) == [
        f"Vastgelegd bij de termijn: {KEPT}"
    ]
    registry.expire_all()
    [row] = registry.exec(
        select(DeadlineRow).where(
            DeadlineRow.pupil_id == sanne.id, DeadlineRow.rule == "MELDING_16_UUR"
        )
    ).all()
    assert (str(row.status), row.done_note) == ("done", KEPT)

    # In the dossier, with who and when.
    [card] = texts(await bot.send(CARE, "/dossier Sanne"))
    assert f"✓ {REPORT} — afgehandeld door Zorg op 30 november 2026: {KEPT}" in card.splitlines()

    # Audited without its text; exported with it.
    events = registry.exec(select(AuditEvent).where(AuditEvent.action == "deadline_note")).all()
    assert [(e.pupil_id, e.detail) for e in events] == [(sanne.id, "MELDING_16_UUR")]
    assert all("123456" not in (e.detail or "") for e in registry.exec(select(AuditEvent)))
    record = pupil_record(registry, sanne, now=clock.now())
    assert KEPT in json.dumps(record, default=str, ensure_ascii=False)


async def test_a_line_of_ones_own_is_kept_as_typed_and_a_plain_message_is_no_answer(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    sanne, nudge = await _report_due_today(bot, registry, clock, telegram)
    calls = await bot.press(CARE, nudge, done_button(nudge, REPORT))
    [question] = [c for c in calls if c.method == "sendMessage"]

    # Not a reply to the question: read as anything else, nothing kept with the deadline.
    answer = texts(await bot.send(CARE, "gemeld op 27 november, kenmerk 2026-999"))
    assert not any(text.startswith("Vastgelegd") for text in answer)

    own = "gemeld op 27 november 2026 (telefonisch), kenmerk volgt"
    assert texts(await bot.send(CARE, own, reply_to=question)) == [
        f"Vastgelegd bij de termijn: {own}"
    ]
    # The question is answered once.
    again = texts(await bot.send(CARE, "2026-1", reply_to=question))
    assert not any(text.startswith("Vastgelegd") for text in again)
    registry.expire_all()
    [row] = registry.exec(
        select(DeadlineRow).where(
            DeadlineRow.pupil_id == sanne.id, DeadlineRow.rule == "MELDING_16_UUR"
        )
    ).all()
    assert row.done_note == own


@pytest.mark.parametrize(
    ("reply", "prefilled", "kept"),
    [
        ("2026-123456", "gemeld in het verzuimregister op 30 november 2026",
         "gemeld in het verzuimregister op 30 november 2026, kenmerk 2026-123456"),
        ("  VR/2026.77 ", "gemeld op 1 december 2026", "gemeld op 1 december 2026, kenmerk VR/2026.77"),
        # More than a kenmerk: kept as typed.
        ("kenmerk 2026-1", "gemeld op 1 december 2026", "kenmerk 2026-1"),
        ("gesprek gevoerd", "gemeld op 1 december 2026", "gesprek gevoerd"),
        # A word without a digit is no kenmerk.
        ("telefonisch", "gemeld op 1 december 2026", "telefonisch"),
        # Not a melding: nothing was filled in.
        ("2026-123456", None, "2026-123456"),
    ],
)  # fmt: skip
def test_a_reply_completes_the_filled_in_line_only_with_a_bare_kenmerk(
    reply: str, prefilled: str | None, kept: str
) -> None:
    assert done_note_from_reply(reply, prefilled) == kept
