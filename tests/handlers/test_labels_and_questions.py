"""The bot's own labels typed back find their pupil; a typo is met with "Bedoel je …?" (only
among the pupils one may see); a question is answered from the dossier and never offered for
storing; a message about two pupils is confirmed per pupil."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from bot.storage.models import Absence, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, TgUser
from tests.utils.harness import BotHarness, texts

CARE = TgUser(531, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB): Sanne, Finn, …


async def _start(bot: BotHarness, registry: Session) -> None:
    code = invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    await bot.send(CARE, f"/start {code}")


async def _labels(bot: BotHarness) -> dict[str, str]:
    """The labels /leerlingen shows on its first page, by the pupil's first name (the list is
    sorted by name; Tess has no case, so no number)."""
    [listing] = await bot.send(CARE, "/leerlingen")
    labels = [b["text"].split(" — ")[0] for b in listing.buttons]
    # The list says how a label is typed back, with one of its own.
    assert "Een label kun je als naam terugtypen: “/dossier A.M. #" in listing.text
    names = ["Anna", "Finn", "Jesse", "Sanne", "Sara", "Tess"]
    assert len(labels) == len(names), labels
    return dict(zip(names, labels, strict=True))


def _confirmation(calls: list[ApiCall]) -> ApiCall:
    [call] = [c for c in calls if c.text.startswith("Klopt dit?")]
    return call


def _stored(registry: Session) -> list[Absence]:
    registry.expire_all()
    return list(registry.exec(select(Absence)).all())


async def test_every_label_in_the_list_typed_back_finds_that_pupil(
    bot: BotHarness, registry: Session
) -> None:
    await _start(bot, registry)
    labels = await _labels(bot)
    # Sanne de Vries and Sara Visser are both "S.V.": the number tells them apart.
    assert labels["Sanne"].startswith("S.V. #")
    assert labels["Sara"].startswith("S.V. #")
    for label in [label for label in labels.values() if "#" in label]:
        number = label.split("#")[1]
        for typed in (label, f"#{number}"):
            confirmation = _confirmation(await bot.send(CARE, f"{typed} 1 uur ziek vandaag"))
            # The confirmation names the same pupil it was typed for.
            assert label in confirmation.text
    # /dossier takes the label too.
    [dossier] = await bot.send(CARE, f"/dossier {labels['Sanne']}")
    assert dossier.text.startswith(f"Dossier {labels['Sanne']}")


async def test_initials_alone_find_the_pupil_and_a_wrong_pair_finds_none(
    bot: BotHarness, registry: Session
) -> None:
    await _start(bot, registry)
    labels = await _labels(bot)
    confirmation = _confirmation(await bot.send(CARE, "F.B. 1 uur ziek vandaag"))
    assert labels["Finn"] in confirmation.text
    # Two pupils share "S.V.": the usual choice, with a button for each.
    [choice] = await bot.send(CARE, "S.V. 1 uur ziek vandaag")
    assert choice.text == "Welke leerling bedoel je?"
    # (with the school, as every choice after a quick update shows it)
    shown = {b["text"].split(" (")[0] for b in choice.buttons}
    assert {labels["Sanne"], labels["Sara"]} <= shown
    # Finn's number with Sanne's initials: which one was meant is not guessed.
    finn = labels["Finn"].split("#")[1]
    [reply] = await bot.send(CARE, f"S.V. #{finn} 1 uur ziek vandaag")
    assert reply.text.startswith("Ik ken geen leerling")
    assert _stored(registry) == []


async def test_a_typo_is_met_with_did_you_mean_and_its_button_goes_on(
    bot: BotHarness, registry: Session
) -> None:
    await _start(bot, registry)
    labels = await _labels(bot)
    [reply] = await bot.send(CARE, "Sane de Vries 1 uur ziek vandaag")
    assert "Bedoel je:" in reply.text
    assert [b["text"] for b in reply.buttons] == [labels["Sanne"]]
    calls = await bot.press(CARE, reply, labels["Sanne"])
    assert any(t.startswith("Klopt dit?") and labels["Sanne"] in t for t in texts(calls))


async def test_a_suggestion_never_reveals_a_pupil_one_may_not_see(
    bot: BotHarness, registry: Session
) -> None:
    await _start(bot, registry)
    # Daan and Mila are at other schools: close names, but not this user's pupils.
    for typed in ("Dan 1 uur ziek vandaag", "Mila Brouwerr 1 uur ziek vandaag"):
        [reply] = await bot.send(CARE, typed)
        assert reply.text.startswith("Ik ken geen leerling")
        assert "Bedoel je" not in reply.text
        assert reply.buttons == []


async def test_a_question_is_answered_from_the_dossier_and_stores_nothing(
    bot: BotHarness, registry: Session
) -> None:
    await _start(bot, registry)
    labels = await _labels(bot)
    await bot.press(CARE, _confirmation(await bot.send(CARE, "Sanne 2 uur ongeoorloofd vandaag")),
                    "Opslaan")  # fmt: skip
    before = len(_stored(registry))
    for question in ("Hoeveel uur heeft Sanne gemist?", "Is Sanne vandaag ziek gemeld?",
                     f"wat staat er open voor {labels['Sanne']}"):  # fmt: skip
        [answer] = await bot.send(CARE, question)
        assert answer.text.startswith(labels["Sanne"])
        assert "Afwezigheid dit schooljaar (sinds 1 augustus 2026): ongeoorloofd afwezig 2 uur" in (
            answer.text
        )
        assert "Klopt dit?" not in answer.text
        assert answer.buttons == []
    assert len(_stored(registry)) == before
    [unnamed] = await bot.send(CARE, "hoeveel uur heeft ze gemist?")
    assert unnamed.text.startswith("Over welke leerling?")


async def test_the_dossier_shows_the_school_years_totals(
    bot: BotHarness, registry: Session
) -> None:
    await _start(bot, registry)
    [dossier] = await bot.send(CARE, "/dossier Tess")
    assert "Afwezigheid dit schooljaar (sinds 1 augustus 2026): niets vastgelegd." in dossier.text


async def test_a_message_about_two_pupils_is_confirmed_per_pupil(
    bot: BotHarness, registry: Session
) -> None:
    await _start(bot, registry)
    labels = await _labels(bot)
    calls = await bot.send(CARE, "Sanne en Finn vandaag allebei 1 uur ongeoorloofd")
    assert calls[0].text.startswith("Dit bericht gaat over 2 leerlingen")
    confirmations = [c for c in calls if c.text.startswith("Klopt dit?")]
    assert [labels["Sanne"] in confirmations[0].text, labels["Finn"] in confirmations[1].text] == [
        True, True,
    ]  # fmt: skip
    for confirmation in confirmations:
        await bot.press(CARE, confirmation, "Opslaan")
    stored = _stored(registry)
    assert sorted((a.kind, a.hours) for a in stored) == [("ongeoorloofd", 1.0)] * 2
    assert len({a.pupil_id for a in stored}) == 2
    assert all(re.search(r"1 uur", c.text) for c in confirmations)
