"""/taal: switching between Dutch and English."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.storage.models import Role, User
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness, alerts, texts

ANNE = TgUser(201, "Anne", "nl")


async def _register(bot: BotHarness, session: Session) -> None:
    code = invitation_code(session, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    await bot.send(ANNE, f"/start {code}")


async def test_taal_offers_both_languages_and_switches_with_a_button(
    bot: BotHarness, orgs: Session
) -> None:
    await _register(bot, orgs)

    [question] = await bot.send(ANNE, "/taal")
    assert question.text == "Welke taal zal ik gebruiken?"
    assert [b["text"] for b in question.buttons] == ["Nederlands", "English"]

    calls = await bot.press(ANNE, question, "English")

    assert texts(calls) == [
        "From now on I will speak English with you.",
        # The question keeps the choice; its buttons go.
        "Which language shall I use? ✓ English",
    ]
    [choice] = [c for c in calls if c.method == "editMessageText"]
    assert choice.buttons == []
    [menu] = [c for c in calls if c.method == "setMyCommands"]
    assert menu.params["commands"][0] == {
        "command": "help",
        "description": "What I can do for you",
    }
    orgs.expire_all()
    assert orgs.exec(select(User).where(User.telegram_id == ANNE.id)).one().language == "en"
    [help_text] = texts(await bot.send(ANNE, "/help"))
    assert help_text.startswith("You keep track of the pupils of your school")


async def test_taal_with_an_argument_switches_directly(bot: BotHarness, orgs: Session) -> None:
    await _register(bot, orgs)
    await bot.send(ANNE, "/taal en")

    calls = await bot.send(ANNE, "/taal nl")

    assert texts(calls)[0] == "Vanaf nu spreek ik Nederlands met je."


async def test_a_forged_button_gets_a_polite_answer_and_changes_nothing(
    bot: BotHarness, orgs: Session
) -> None:
    await _register(bot, orgs)
    [question] = await bot.send(ANNE, "/taal")

    calls = await bot.press_data(ANNE, question, "forged-data-that-the-bot-never-made")

    assert alerts(calls) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
    orgs.expire_all()
    assert orgs.exec(select(User).where(User.telegram_id == ANNE.id)).one().language == "nl"
