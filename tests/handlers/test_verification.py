"""/verificatie end to end: leerplicht goes through the open cases of their gemeente, and the
verification occurrence of that gemeente closes by itself; who may verify what."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from bot.storage.models import AuditEvent, CaseEntry, DeadlineRow, Gemeente, Role, User
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness, alerts, edited, texts

LP = TgUser(961, "Lea Leerplicht", "nl")  # Alphen aan den Rijn
CARE = TgUser(962, "Zorg", "nl")
BOC = TgUser(963, "Bas", "en")


def _occurrence(session: Session, gemeente: str) -> DeadlineRow:
    session.expire_all()
    org_id = session.exec(select(Gemeente.id).where(Gemeente.name == gemeente)).one()
    [row] = session.exec(
        select(DeadlineRow).where(
            DeadlineRow.rule == "LEERPLICHT_VERIFICATIE",
            DeadlineRow.org_kind == "gemeente",
            DeadlineRow.org_id == org_id,
            col(DeadlineRow.due) >= NOW.date(),
        )
    ).all()[:1]
    return row


async def test_leerplicht_verifies_their_gemeente_and_its_verification_closes(
    bot: BotHarness, registry: Session
) -> None:
    code = invitation_code(registry, Role.LEERPLICHT, now=NOW, gemeente="Alphen aan den Rijn")
    await bot.send(LP, f"/start {code}")
    occurrence = _occurrence(registry, "Alphen aan den Rijn")
    assert (occurrence.due.isoformat(), occurrence.status) == ("2026-12-01", "open")

    [card] = await bot.send(LP, "/verificatie")
    first = card.text.splitlines()
    number = re.fullmatch(r"Verificatie 1 van (\d+): \S+ #\d+", first[0])
    assert number, first
    total = int(number.group(1))
    assert total >= 2  # the B1 and A2 pupils of Alphen in the standard dataset
    assert first[-1] == "Klopt dit nog?"
    assert [b["text"] for b in card.buttons] == [
        "✓ Klopt nog", "Einddatum", "Actie of resultaat toevoegen", "Overslaan",
    ]  # fmt: skip
    who = first[0].split(": ", 1)[1]
    # Einddatum: a question about this card's pupil; the card stays as it was.
    calls = await bot.press(LP, card, "Einddatum")
    assert [c for c in calls if c.method == "editMessageText"] == []
    [asked] = [c for c in calls if c.method == "sendMessage"]
    assert asked.text.startswith(f"Vanaf welke dag is {who} weer op school?")
    # The reply needs no name; it is confirmed like any update (and not saved here).
    [confirm] = await bot.send(LP, "vandaag", reply_to=asked)
    assert confirm.text.splitlines()[0] == "Klopt dit?"
    assert confirm.text.splitlines()[1].startswith(f"{who}: weer op school")
    # A planned return is not an end date yet: it says how to record it.
    [planned] = await bot.send(LP, "op 14 december", reply_to=asked)
    assert "ligt in de toekomst" in planned.text
    assert f"“actie {who}: terug naar school gepland op 12 december”" in planned.text
    # An action or result: "gesprek met moeder gepland …" is the action, not a pupil's name.
    calls = await bot.press(LP, card, "Actie of resultaat toevoegen")
    [asked] = [c for c in calls if c.method == "sendMessage"]
    [confirm] = await bot.send(LP, "gesprek met moeder gepland op 14 december", reply_to=asked)
    assert confirm.text.splitlines()[0] == "Klopt dit?"
    assert "gesprek met moeder gepland" in confirm.text
    assert "14 december 2026" in confirm.text
    saved = edited(await bot.press(LP, confirm, "Opslaan"))
    assert saved.text.startswith("Opgeslagen: ")
    registry.expire_all()
    [entry] = registry.exec(select(CaseEntry)).all()
    assert (entry.kind, entry.day.isoformat(), entry.text) == (
        "action", "2026-12-14", "gesprek met moeder gepland",
    )  # fmt: skip

    message = card
    for _ in range(total):
        calls = await bot.press(LP, message, "✓ Klopt nog")
        assert alerts(calls) == ["Geverifieerd."]
        message = edited(calls)

    assert message.text == (
        f"Verificatie klaar: {total} van {total} open dossiers geverifieerd.\n"
        "Nieuwe thuiszitters? Registreer ze met /nieuw."
    )
    registry.expire_all()
    officer = registry.exec(select(User).where(User.telegram_id == LP.id)).one()
    closed = registry.get(DeadlineRow, occurrence.id)
    assert closed is not None
    assert (closed.status, closed.done_by_id) == ("done", officer.id)
    verified = registry.exec(select(AuditEvent).where(AuditEvent.action == "verify")).all()
    assert len(verified) == total
    assert {event.actor_id for event in verified} == {officer.id}


async def test_skipping_leaves_the_verification_open_and_a_school_cannot_verify(
    bot: BotHarness, registry: Session
) -> None:
    code = invitation_code(registry, Role.LEERPLICHT, now=NOW, gemeente="Alphen aan den Rijn")
    await bot.send(LP, f"/start {code}")
    [card] = await bot.send(LP, "/verificatie")
    calls = await bot.press(LP, card, "Overslaan")
    assert alerts(calls) == [""]
    assert _occurrence(registry, "Alphen aan den Rijn").status == "open"

    care = invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    await bot.send(CARE, f"/start {care}")
    assert texts(await bot.send(CARE, "/verificatie")) == ["Dit is niet beschikbaar."]
    # A pressed button copied into the school's chat is refused before any handler.
    forged = await bot.press_data(CARE, card, card.buttons[0]["callback_data"])
    assert alerts(forged) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]


async def test_a_board_verifies_in_english(bot: BotHarness, registry: Session) -> None:
    code = invitation_code(registry, Role.BOC, now=NOW, bestuur="Stichting Bolder")
    await bot.send(BOC, f"/start {code}")
    [card] = await bot.send(BOC, "/verify")
    assert re.fullmatch(r"Verification 1 of \d+: \S+ #\d+", card.text.splitlines()[0])
    assert [b["text"] for b in card.buttons] == [
        "✓ Still right", "End date", "Add an action or result", "Skip",
    ]  # fmt: skip
