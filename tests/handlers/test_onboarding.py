"""Invitation → /start CODE → welcome, end to end through the fake Bot API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from bot.storage.models import Role, User
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import BOT_USERNAME, FakeTelegram, TgUser
from tests.utils.harness import BotHarness, alerts, texts

ANNE = TgUser(101, "Anne", "nl")
JOHN = TgUser(102, "John", "en-GB")
STRANGER = TgUser(999, "Onbekend", "nl")


async def test_zorgcoordinator_is_welcomed_in_dutch_with_role_and_school(
    bot: BotHarness, orgs: Session
) -> None:
    code = invitation_code(orgs, Role.ZORGCOORDINATOR, now=NOW, school="12AB")

    calls = await bot.send(ANNE, f"/start {code}")

    [welcome] = texts(calls)
    assert welcome.startswith("Welkom! Je bent aangemeld als zorgcoördinator bij De Regenboog.")
    assert "/help — Wat ik voor je kan doen" in welcome
    assert "/uitnodigen" not in welcome
    user = orgs.exec(select(User).where(User.telegram_id == ANNE.id)).one()
    assert (user.role, user.language, user.active) == ("zorgcoordinator", "nl", True)


async def test_english_speaker_is_welcomed_in_english(bot: BotHarness, orgs: Session) -> None:
    code = invitation_code(orgs, Role.BOC, now=NOW, bestuur="Stichting Kompas")

    [welcome] = texts(await bot.send(JOHN, f"/start {code}"))

    assert welcome.startswith(
        "Welcome! You are signed in as board support coordinator (BOC) at Stichting Kompas."
    )
    # English speakers are shown the English names of the commands (both names work).
    assert "/language — Switch language: Nederlands or English" in welcome
    assert "/pupils — Your pupils" in welcome
    assert "/taal" not in welcome
    assert "/leerlingen" not in welcome


async def test_registration_sets_the_chat_command_menu_for_the_role(
    bot: BotHarness, orgs: Session, telegram: FakeTelegram
) -> None:
    code = invitation_code(orgs, Role.ADMIN, now=NOW, swv="SWV Rijn en Gouwe")

    calls = await bot.send(ANNE, f"/start {code}")

    [menu] = [c for c in calls if c.method == "setMyCommands"]
    assert menu.params["scope"] == {"type": "chat", "chat_id": ANNE.id}
    assert [c["command"] for c in menu.params["commands"]] == [
        "help",
        "leerlingen",
        "dossier",
        "nieuw",
        "agenda",
        "koppel",
        "ontkoppel",
        "kwartaal",
        "inspectie",
        "verificatie",
        "uitnodigen",
        "gebruikers",
        "intrekken",
        "audit",
        "web",
        "instellingen",
        "taal",
    ]
    assert menu.params["commands"][10]["description"] == "Een collega uitnodigen"


async def test_default_menus_are_published_in_dutch_and_english(
    bot: BotHarness, telegram: FakeTelegram
) -> None:
    default = '{"type": "default"}'
    assert telegram.commands[f"{default}|"] == [
        {"command": "help", "description": "Wat ik voor je kan doen"}
    ]
    assert telegram.commands[f"{default}|nl"][0]["description"] == "Wat ik voor je kan doen"
    assert telegram.commands[f"{default}|en"][0]["description"] == "What I can do for you"


async def test_unknown_user_gets_one_short_explanation_and_nothing_else(
    bot: BotHarness, orgs: Session
) -> None:
    for text in ("hallo", "/help", "/uitnodigen", "Sanne 4 uur ongeoorloofd vandaag", "/start"):
        calls = await bot.send(STRANGER, text)
        assert [c.method for c in calls] == ["sendMessage"]
        assert texts(calls) == [
            "Deze bot is alleen voor uitgenodigde professionals. Vraag de beheerder van je "
            "samenwerkingsverband om een uitnodiging en stuur dan /start met daarachter je code."
        ]
    assert orgs.exec(select(User)).all() == []


async def test_unknown_user_pressing_a_button_gets_the_explanation(
    bot: BotHarness, orgs: Session, telegram: FakeTelegram
) -> None:
    code = invitation_code(orgs, Role.ADMIN, now=NOW, swv="SWV Rijn en Gouwe")
    await bot.send(ANNE, f"/start {code}")
    [question] = await bot.send(ANNE, "/taal")

    calls = await bot.press_data(STRANGER, question, question.buttons[0]["callback_data"])

    assert alerts(calls)[0].startswith("Deze bot is alleen voor uitgenodigde professionals.")
    assert [c.method for c in calls] == ["answerCallbackQuery"]


async def test_a_code_works_once(bot: BotHarness, orgs: Session) -> None:
    code = invitation_code(orgs, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    await bot.send(ANNE, f"/start {code}")

    calls = await bot.send(JOHN, f"/start {code}")

    assert texts(calls) == ["This invitation has already been used. Ask for a new invitation."]
    assert orgs.exec(select(User).where(User.telegram_id == JOHN.id)).first() is None


async def test_an_expired_code_is_refused(bot: BotHarness, orgs: Session) -> None:
    eight_days_ago = NOW - timedelta(days=8)
    code = invitation_code(orgs, Role.LEERPLICHT, now=eight_days_ago, gemeente="Gouda")

    calls = await bot.send(ANNE, f"/start {code}")

    assert texts(calls) == ["Deze uitnodiging is verlopen. Vraag om een nieuwe uitnodiging."]
    assert orgs.exec(select(User)).all() == []


async def test_a_wrong_code_is_refused_and_repeated_wrong_codes_are_slowed_down(
    bot: BotHarness, orgs: Session
) -> None:
    refusal = (
        "Deze code ken ik niet. Kijk of je hem helemaal hebt overgenomen, of vraag om een "
        "nieuwe uitnodiging."
    )
    for attempt in range(3):
        assert texts(await bot.send(STRANGER, f"/start wrongcode{attempt:02d}xxxxxxxxxxx")) == [
            refusal
        ]
    # The third wrong code locks the sender out for a while, even for a right code.
    code = invitation_code(orgs, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    [slowed] = texts(await bot.send(STRANGER, f"/start {code}"))
    assert slowed == "Te veel verkeerde codes. Probeer het over 1 minuut opnieuw."
    assert orgs.exec(select(User)).all() == []
    # Someone else is not affected.
    [welcome] = texts(await bot.send(ANNE, f"/start {code}"))
    assert welcome.startswith("Welkom!")


async def test_registered_user_sending_start_again_gets_help(
    bot: BotHarness, orgs: Session
) -> None:
    code = invitation_code(orgs, Role.SWV, now=NOW, swv="SWV Rijn en Gouwe")
    await bot.send(ANNE, f"/start {code}")
    other = invitation_code(orgs, Role.ADMIN, now=NOW, swv="SWV Rijn en Gouwe")

    [again] = texts(await bot.send(ANNE, f"/start {other}"))
    [plain] = texts(await bot.send(ANNE, "/start"))

    # Said once: "medewerker van SWV …", not "medewerker van het samenwerkingsverband bij SWV …".
    assert again == "Je bent al aangemeld als medewerker van SWV Rijn en Gouwe."
    assert plain.startswith("Je ziet alle leerlingen van je samenwerkingsverband")
    # The second code was not used up by someone already registered.
    [welcome] = texts(await bot.send(JOHN, f"/start {other}"))
    assert welcome.startswith("Welcome! You are signed in as administrator of SWV Rijn en Gouwe.")


async def test_group_chats_are_ignored(
    bot: BotHarness, orgs: Session, telegram: FakeTelegram
) -> None:
    code = invitation_code(orgs, Role.SWV, now=NOW, swv="SWV Rijn en Gouwe")
    mark = len(telegram.calls)
    update_id = telegram.push_group_message(ANNE, -5000, f"/start {code}")
    await bot.handled(update_id)
    assert telegram.calls[mark:] == []


async def test_deep_link_code_is_the_same_as_start_code(bot: BotHarness, orgs: Session) -> None:
    # t.me/<bot>?start=CODE makes the Telegram app send exactly "/start CODE".
    code = invitation_code(orgs, Role.BOC, now=NOW, bestuur="Stichting Bolder")
    [welcome] = texts(await bot.send(ANNE, f"/start {code}"))
    assert "BOC-er) bij Stichting Bolder" in welcome
    assert BOT_USERNAME


async def test_a_pasted_invitation_link_is_redeemed_like_the_code(
    bot: BotHarness, orgs: Session
) -> None:
    # Sent as text (copied from an e-mail) instead of opened: the same as "/start CODE".
    code = invitation_code(orgs, Role.BOC, now=NOW, bestuur="Stichting Bolder")
    [welcome] = texts(
        await bot.send(ANNE, f"Hier is hij: https://t.me/{BOT_USERNAME}?start={code}")
    )
    assert welcome.startswith("Welkom! Je bent aangemeld als")
    assert "bij Stichting Bolder" in welcome
    # Pasted again once registered: already signed in, nothing stored as a quick update.
    [again] = texts(await bot.send(ANNE, f"t.me/{BOT_USERNAME}?start={code}"))
    assert again.startswith("Je bent al aangemeld als")
    # An unknown code in a link is refused as an unknown code, not as "not invited".
    [wrong] = texts(await bot.send(JOHN, f"https://t.me/{BOT_USERNAME}?start=nope123"))
    assert wrong.startswith("I do not know this code.")


async def test_every_command_in_the_menus_is_understood_in_both_languages(bot: BotHarness) -> None:
    from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

    from bot.handlers.commands import COMMANDS

    def commands(handler: BaseHandler[Any, Any, Any]) -> set[str]:
        if isinstance(handler, CommandHandler):
            return set(handler.commands)
        if isinstance(handler, ConversationHandler):
            return {c for h in handler.entry_points for c in commands(h)}
        return set()

    understood = {c for group in bot.application.handlers.values() for h in group
                  for c in commands(h)}  # fmt: skip
    offered = {c.name_in(locale) for c in COMMANDS for locale in ("nl", "en")}
    assert offered <= understood
    assert {c.name_in("en") for c in COMMANDS} != {c.name for c in COMMANDS}
