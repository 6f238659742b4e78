"""Every confirmation in the bot is answered once: a second press of its button — at the same
moment (both presses arrive before either is handled), or later from a device that still shows
the buttons — stores nothing twice and says truthfully that it was done. For /koppel, /nieuw,
/verificatie and /uitnodigen (the quick updates have their own tests in test_double_press)."""

from __future__ import annotations

import copy
from typing import Any

from sqlmodel import Session, select

from bot.storage.models import AuditEvent, Invitation, LeerplichtLink, Pupil, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, TgUser
from tests.utils.harness import BotHarness

SWV = TgUser(541, "Sofie SWV", "nl")
LP = TgUser(542, "Lea Leerplicht", "nl")  # Alphen aan den Rijn
CARE = TgUser(543, "Zorg", "nl")  # De Regenboog (12AB)
ADMIN = TgUser(544, "Beheer", "nl")


async def _sign_in(
    bot: BotHarness, registry: Session, user: TgUser, role: Role, **org: str
) -> None:
    await bot.send(user, f"/start {invitation_code(registry, role, now=NOW, **org)}")


async def _together(
    bot: BotHarness,
    user: TgUser,
    call: ApiCall,
    label: str,
    times: int = 2,
    shown: dict[str, Any] | None = None,
) -> list[str]:
    """Press `label` under `call`'s message `times` at once (on the message as `shown`, or as
    it is now); the answers to the presses, in order."""
    telegram = bot.telegram
    message = shown or telegram.message(user.id, call.result["message_id"])
    data = next(b["callback_data"] for b in call.buttons if b["text"] == label)
    mark = len(telegram.calls)
    for update_id in [telegram.push_callback(user, message, data) for _ in range(times)]:
        await bot.handled(update_id)
    return [str(c.params.get("text", "")) for c in telegram.calls[mark:]
            if c.method == "answerCallbackQuery"]  # fmt: skip


def _told(bot: BotHarness, user: TgUser, start: str) -> int:
    return sum(1 for c in bot.telegram.calls if c.chat_id == user.id and c.text.startswith(start))


async def test_a_link_pressed_twice_links_once_and_tells_the_officer_once(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, SWV, Role.SWV, swv="SWV Rijn en Gouwe")
    await _sign_in(bot, registry, LP, Role.LEERPLICHT, gemeente="Alphen aan den Rijn")
    [question] = await bot.send(SWV, "/koppel Sanne")
    other_device = copy.deepcopy(bot.telegram.message(SWV.id, question.result["message_id"]))
    officer = question.buttons[0]["text"]

    assert await _together(bot, SWV, question, officer) == ["", "Al opgeslagen ✓"]
    assert await _together(bot, SWV, question, officer, 1, other_device) == ["Al opgeslagen ✓"]

    registry.expire_all()
    assert len(registry.exec(select(LeerplichtLink)).all()) == 1
    assert _told(bot, LP, "Je bent gekoppeld aan") == 1
    assert bot.telegram.message(SWV.id, question.result["message_id"])["text"].startswith(
        "Lea Leerplicht ziet nu"
    )


async def test_a_new_pupil_saved_twice_at_once_is_registered_once(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, Role.ZORGCOORDINATOR, school="12AB")
    for text in ("/nieuw", "Fenna", "Dubbel", "15-03-2015"):
        [asked] = await bot.send(CARE, text)
    gemeente = await bot.press(CARE, asked, asked.buttons[0]["text"])
    [category] = [c for c in gemeente if c.method == "sendMessage"]
    pressed = await bot.press(CARE, category, "A1 – ziekte")
    [since] = [c for c in pressed if c.method == "sendMessage"]
    [summary] = await bot.send(CARE, "vandaag")
    before = len(registry.exec(select(Pupil)).all())

    assert await _together(bot, CARE, summary, "Opslaan") == ["", "Al opgeslagen ✓"]

    registry.expire_all()
    assert len(registry.exec(select(Pupil)).all()) == before + 1
    shown = bot.telegram.message(CARE.id, summary.result["message_id"])["text"]
    assert shown.startswith("Geregistreerd: F.D. #")
    assert since.text.startswith("Sinds wanneer?")


async def test_a_verification_card_pressed_twice_counts_once(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, LP, Role.LEERPLICHT, gemeente="Alphen aan den Rijn")
    [card] = await bot.send(LP, "/verificatie")

    assert await _together(bot, LP, card, "✓ Klopt nog") == ["Geverifieerd.", "Al afgehandeld ✓"]

    registry.expire_all()
    assert len(registry.exec(select(AuditEvent).where(AuditEvent.action == "verify")).all()) == 1
    # The card moved on to the second case, once.
    shown = bot.telegram.message(LP.id, card.result["message_id"])["text"]
    assert shown.startswith("Verificatie 2 van ")


async def test_an_invitation_pressed_twice_is_made_once(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, ADMIN, Role.ADMIN, swv="SWV Rijn en Gouwe")
    before = len(registry.exec(select(Invitation)).all())
    [question] = await bot.send(ADMIN, "/uitnodigen")
    role = "medewerker van het samenwerkingsverband"

    assert await _together(bot, ADMIN, question, role) == ["", "Al opgeslagen ✓"]

    registry.expire_all()
    assert len(registry.exec(select(Invitation)).all()) == before + 1
