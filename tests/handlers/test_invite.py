"""/uitnodigen: an SWV administrator invites colleagues from the chat."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.storage.models import Invitation, Role, User
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import BOT_USERNAME, TgUser
from tests.utils.harness import BotHarness, alerts, texts

ADMIN = TgUser(301, "Beheer", "nl")
OTHER_ADMIN = TgUser(302, "Elders", "nl")
NEWCOMER = TgUser(303, "Nieuw", "nl")
CARE = TgUser(304, "Zorg", "nl")


async def _register(
    bot: BotHarness, session: Session, user: TgUser, role: Role, **org: str
) -> None:
    code = invitation_code(session, role, now=NOW, **org)
    await bot.send(user, f"/start {code}")


async def test_admin_invites_a_care_coordinator_who_can_then_sign_in(
    bot: BotHarness, orgs: Session
) -> None:
    await _register(bot, orgs, ADMIN, Role.ADMIN, swv="SWV Rijn en Gouwe")

    [question] = await bot.send(ADMIN, "/uitnodigen")
    assert question.text == "Wie wil je uitnodigen?"
    [pick_school] = texts(await bot.press(ADMIN, question, "zorgcoördinator"))
    assert pick_school == "Waar gaat de zorgcoördinator werken?"
    # Only the schools of the administrator's own SWV are offered.
    school_message = bot.telegram.calls[-1]
    assert [b["text"] for b in school_message.buttons] == [
        "De Regenboog (12AB)",
        "De Vlinder (56EF)",
        "Het Baken (34CD)",
    ]
    [invitation_text] = texts(await bot.press(ADMIN, school_message, "Het Baken (34CD)"))

    assert invitation_text.startswith("Uitnodiging voor een zorgcoördinator, geldig tot en met ")
    link = invitation_text.rsplit("\n", 1)[-1]
    assert link.startswith(f"https://t.me/{BOT_USERNAME}?start=")
    code = link.split("=", 1)[1]
    [welcome] = texts(await bot.send(NEWCOMER, f"/start {code}"))
    assert welcome.startswith("Welkom! Je bent aangemeld als zorgcoördinator bij Het Baken.")
    invitation = orgs.exec(select(Invitation).where(Invitation.used_at.is_not(None))).all()  # type: ignore[union-attr]
    admin = orgs.exec(select(User).where(User.telegram_id == ADMIN.id)).one()
    assert [i.created_by_id for i in invitation if i.role == "zorgcoordinator"][-1] == admin.id


async def test_admin_invites_an_swv_colleague_in_one_step(bot: BotHarness, orgs: Session) -> None:
    await _register(bot, orgs, ADMIN, Role.ADMIN, swv="SWV Rijn en Gouwe")
    [question] = await bot.send(ADMIN, "/uitnodigen")

    [text] = texts(await bot.press(ADMIN, question, "medewerker van het samenwerkingsverband"))

    code = text.rsplit("=", 1)[1]
    [welcome] = texts(await bot.send(NEWCOMER, f"/start {code}"))
    assert welcome.startswith("Welkom! Je bent aangemeld als medewerker van SWV Rijn en Gouwe.")


async def test_only_admins_may_invite(bot: BotHarness, orgs: Session) -> None:
    await _register(bot, orgs, CARE, Role.ZORGCOORDINATOR, school="12AB")

    assert texts(await bot.send(CARE, "/uitnodigen")) == ["Dit is niet beschikbaar."]


async def test_a_button_replayed_by_an_admin_of_another_swv_is_not_available(
    bot: BotHarness, orgs: Session
) -> None:
    await _register(bot, orgs, ADMIN, Role.ADMIN, swv="SWV Rijn en Gouwe")
    await _register(bot, orgs, OTHER_ADMIN, Role.ADMIN, swv="SWV Elders")
    [question] = await bot.send(ADMIN, "/uitnodigen")
    await bot.press(ADMIN, question, "zorgcoördinator")
    school_message = bot.telegram.calls[-1]
    button = next(b for b in school_message.buttons if b["text"] == "De Regenboog (12AB)")
    before = len(orgs.exec(select(Invitation)).all())
    [own_question] = await bot.send(OTHER_ADMIN, "/uitnodigen")

    # The other admin sends the first admin's button data from their own chat.
    calls = await bot.press_data(OTHER_ADMIN, own_question, button["callback_data"])

    # Refused before any handler: the data is not on the pressed message.
    assert texts(calls) == []
    assert alerts(calls) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
    orgs.expire_all()
    assert len(orgs.exec(select(Invitation)).all()) == before


async def test_a_button_pressed_after_losing_the_admin_role_is_not_available(
    bot: BotHarness, orgs: Session
) -> None:
    await _register(bot, orgs, ADMIN, Role.ADMIN, swv="SWV Rijn en Gouwe")
    [question] = await bot.send(ADMIN, "/uitnodigen")
    admin = orgs.exec(select(User).where(User.telegram_id == ADMIN.id)).one()
    admin.role = Role.SWV.value
    orgs.add(admin)
    orgs.commit()

    calls = await bot.press(ADMIN, question, "leerplichtambtenaar")

    assert texts(calls) == ["Dit is niet beschikbaar."]


async def test_a_stale_button_leaves_the_invitation_code_in_place(
    bot: BotHarness, orgs: Session
) -> None:
    await _register(bot, orgs, ADMIN, Role.ADMIN, swv="SWV Rijn en Gouwe")
    [question] = await bot.send(ADMIN, "/uitnodigen")
    role_data = next(b for b in question.buttons if b["text"] == "zorgcoördinator")["callback_data"]
    await bot.press(ADMIN, question, "zorgcoördinator")
    [invitation_text] = texts(await bot.press(ADMIN, bot.telegram.calls[-1], "Het Baken (34CD)"))

    # The role button tapped again, late (a slow client): the message shows the code by now.
    calls = await bot.press_data(ADMIN, question, role_data)

    assert alerts(calls) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
    assert texts(calls) == []
    shown = bot.telegram.message(ADMIN.id, question.result["message_id"])
    assert shown["text"] == invitation_text
