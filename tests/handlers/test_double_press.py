"""A double press is answered truthfully: Save stores once, and a second press — also one that
arrived together with the first, before either was handled — answers "Al opgeslagen ✓" and
leaves the saved message as it was; Cancel or Change after a save never says nothing was saved."""

from __future__ import annotations

import copy
from typing import Any

from sqlmodel import Session, select

from bot.storage.models import Absence, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, TgUser
from tests.utils.harness import BotHarness

CARE = TgUser(521, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB)


async def _question(bot: BotHarness, registry: Session) -> ApiCall:
    await bot.send(
        CARE, f"/start {invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school='12AB')}"
    )
    [question] = await bot.send(CARE, "Sanne 1 uur geoorloofd vandaag (tandarts)")
    return question


async def _together(
    bot: BotHarness, question: ApiCall, *labels: str, shown: dict[str, Any] | None = None
) -> list[str]:
    """Press these buttons of `question` — on the message as the user's app shows it (`shown`,
    or as it is now) — so fast that the presses arrive together; the answers in order."""
    telegram = bot.telegram
    message = shown or telegram.message(CARE.id, question.result["message_id"])
    data = {b["text"]: b["callback_data"] for b in question.buttons}
    mark = len(telegram.calls)
    updates = [telegram.push_callback(CARE, message, data[label]) for label in labels]
    for update_id in updates:
        await bot.handled(update_id)
    return [str(c.params.get("text", "")) for c in telegram.calls[mark:]
            if c.method == "answerCallbackQuery"]  # fmt: skip


def _stored(registry: Session) -> list[Absence]:
    registry.expire_all()
    return list(registry.exec(select(Absence)).all())


async def test_save_pressed_twice_at_once_stores_once_and_says_so(
    bot: BotHarness, registry: Session
) -> None:
    question = await _question(bot, registry)

    answers = await _together(bot, question, "Opslaan", "Opslaan")

    assert answers == ["Opgeslagen.", "Al opgeslagen ✓"]
    assert len(_stored(registry)) == 1
    text = bot.telegram.message(CARE.id, question.result["message_id"])["text"]
    assert text.startswith("Opgeslagen: ")
    assert "niets opgeslagen" not in text


async def test_save_pressed_again_on_a_device_still_showing_the_buttons_says_it_was_saved(
    bot: BotHarness, registry: Session
) -> None:
    question = await _question(bot, registry)
    # Another device (or a slow app) still shows the question with its buttons.
    other_device = copy.deepcopy(bot.telegram.message(CARE.id, question.result["message_id"]))
    await _together(bot, question, "Opslaan")
    saved = bot.telegram.message(CARE.id, question.result["message_id"])["text"]

    for label in ("Opslaan", "Annuleren", "Wijzigen"):
        assert await _together(bot, question, label, shown=other_device) == ["Al opgeslagen ✓"]
    assert bot.telegram.message(CARE.id, question.result["message_id"])["text"] == saved
    assert len(_stored(registry)) == 1


async def test_cancel_then_save_at_once_stores_nothing(bot: BotHarness, registry: Session) -> None:
    question = await _question(bot, registry)

    answers = await _together(bot, question, "Annuleren", "Opslaan")

    assert answers[1] == "Dit was geannuleerd: er is niets opgeslagen."
    assert _stored(registry) == []
    text = bot.telegram.message(CARE.id, question.result["message_id"])["text"]
    assert text == "Geannuleerd. Er is niets opgeslagen."
