"""With WEB_BASE_URL set the chat carries pointers: dossiers, the list, files and the pupils behind
the overview open in the Mini App. (The directory's fixture scans every message for names.)"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.messages import BUTTON_PREFIX
from bot.reminders.runtime import reminders_of
from bot.services.organisations import set_clear_named_messages
from bot.storage.models import CaseFile, Swv
from tests.utils.harness import BotHarness, texts
from tests.web.conftest import PUBLIC, SOPHIE, ZOE
from tests.web.test_pages import PDF, _zoes_and_not


def _web_app(call_buttons: list[dict[str, object]]) -> list[tuple[object, str]]:
    return [(b["text"], b["web_app"]["url"]) for b in call_buttons if "web_app" in b]  # type: ignore[index]


async def test_dossier_and_list_open_in_the_mini_app(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, _other = _zoes_and_not(session)
    [call] = await bot.send(ZOE, f"/dossier {mine.first_name} {mine.last_name}")
    assert re.fullmatch(r"Dossier [A-Z]\.[A-Z]\. #\d+: het opent in de app\.", call.text)
    assert _web_app(call.buttons) == [
        ("Dossier openen", f"{PUBLIC}/app/start?next=/app/pupils/{mine.id}")
    ]
    [listed] = await bot.send(ZOE, "/leerlingen")
    assert listed.text == "Jouw leerlingen: zoeken, filteren en openen in de app."
    assert _web_app(listed.buttons) == [("Lijst openen", f"{PUBLIC}/app/start?next=/app/pupils")]


async def test_a_file_sent_in_chat_is_not_filed_but_removed_with_a_pointer(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, _other = _zoes_and_not(session)
    mark = len(bot.telegram.calls)
    sent = bot.telegram.push_document(
        ZOE, file_name="verslag.pdf", mime_type="application/pdf", content=PDF,
        caption=f"{mine.first_name} {mine.last_name}",
    )  # fmt: skip
    await bot.handled(sent)
    calls = bot.telegram.calls[mark:]
    assert [c.method for c in calls] == ["sendMessage", "deleteMessage"]
    assert calls[0].text.startswith("Bestanden voeg je toe op de dossierpagina")
    assert session.exec(select(CaseFile)).all() == []


async def test_the_quarterly_overview_keeps_its_pupil_list_for_the_page(
    bot: BotHarness, site: str
) -> None:
    calls = await bot.send(SOPHIE, "/kwartaal")
    names = [c.params.get("document_filename") for c in calls if c.method == "sendDocument"]
    assert names
    assert not any("leerlingen" in str(name) for name in names)
    pointer = [c for c in calls if _web_app(c.buttons)]
    assert _web_app(pointer[0].buttons) == [
        ("Overzicht openen", f"{PUBLIC}/app/start?next=/app/overview")
    ]


async def test_a_nudges_open_case_button_opens_the_mini_app_itself(
    bot: BotHarness, site: str, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=1))
    reminders = reminders_of(bot.application)
    reminders.plan()
    await deliver_due(services=reminders.services, bot=reminders.bot)
    nudges = [c for c in bot.telegram.sent_to(ZOE.id) if "Dossier openen" in str(c.buttons)]
    assert nudges
    for nudge in nudges:
        [(text, url)] = _web_app(nudge.buttons)
        assert text == "Dossier openen"
        assert re.fullmatch(re.escape(f"{PUBLIC}/app/start?next=/app/pupils/") + r"\d+", url)
    # A nudge sent before the pages were on still has the old button: it answers with a pointer.
    nudge_id = re.search(r"d:(\d+)", str(nudges[0].buttons))
    assert nudge_id is not None
    answer = await bot.press_data(ZOE, nudges[0], f"{BUTTON_PREFIX}o:{nudge_id.group(1)}")
    [pointer] = [c for c in answer if c.method == "sendMessage"]
    assert "het opent in de app" in pointer.text
    assert _web_app(pointer.buttons)[0][1].startswith(f"{PUBLIC}/app/start?next=/app/pupils/")


async def test_a_quick_update_by_name_is_confirmed_pseudonymously(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, _other = _zoes_and_not(session)
    calls = await bot.send(ZOE, f"{mine.first_name} {mine.last_name} 2 uur ongeoorloofd vandaag")
    assert any("Klopt dit?" in text for text in texts(calls))
    saved = await bot.press(ZOE, calls[-1], "Opslaan")
    assert any("Opgeslagen" in text for text in texts(saved))


async def test_a_new_pupil_is_registered_on_the_page_not_in_the_chat(
    bot: BotHarness, site: str
) -> None:
    # /nieuw would ask for the name and date of birth in the chat: with the pages on it opens
    # the form instead, and the next message is not taken for a first name.
    [call] = await bot.send(ZOE, "/nieuw")
    assert call.text == (
        "Een nieuwe leerling registreer je in de app: naam en geboortedatum horen niet in de chat."
    )
    assert _web_app(call.buttons) == [
        ("Nieuwe leerling", f"{PUBLIC}/app/start?next=/app/pupils/new")
    ]
    [answer] = await bot.send(ZOE, "Fleur")
    assert "Voornaam" not in answer.text


def _typed_names(bot: BotHarness, user_id: int, name: str) -> list[str]:
    """The messages still in `user_id`'s chat that contain `name`."""
    return [
        m["text"]
        for (chat, _id), m in bot.telegram.messages.items()
        if chat == user_id and name in str(m.get("text", ""))
    ]


async def test_a_typed_name_is_deleted_from_the_chat_once_saved_when_the_swv_chose_so(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, _other = _zoes_and_not(session)
    full = f"{mine.first_name} {mine.last_name}"
    # Not chosen (the default): the user's own message stays.
    [confirm] = await bot.send(ZOE, f"{full} 2 uur ongeoorloofd vandaag")
    assert full not in confirm.text
    await bot.press(ZOE, confirm, "Opslaan")
    assert _typed_names(bot, ZOE.id, full) == [f"{full} 2 uur ongeoorloofd vandaag"]
    swv = session.get(Swv, mine.swv_id)
    assert swv is not None
    set_clear_named_messages(session=session, swv_name=swv.name, on=True)
    session.commit()
    # Chosen: once saved, the message with the name is gone; the chat keeps the label.
    [confirm] = await bot.send(ZOE, f"{full} 1 uur geoorloofd vandaag")
    assert _typed_names(bot, ZOE.id, f"{full} 1 uur")
    saved = await bot.press(ZOE, confirm, "Opslaan")
    assert [c.method for c in saved if c.method == "deleteMessage"] == ["deleteMessage"]
    assert _typed_names(bot, ZOE.id, f"{full} 1 uur") == []
    # Cancelled, nothing saved: nothing is deleted either.
    [confirm] = await bot.send(ZOE, f"{full} 3 uur ziek vandaag")
    await bot.press(ZOE, confirm, "Annuleren")
    assert _typed_names(bot, ZOE.id, f"{full} 3 uur") == [f"{full} 3 uur ziek vandaag"]


async def test_what_was_done_is_kept_without_its_text_in_the_chat(
    bot: BotHarness, site: str, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=1))
    reminders = reminders_of(bot.application)
    assert reminders is not None
    reminders.plan()
    await deliver_due(services=reminders.services, bot=reminders.bot)
    [nudge, *_] = [
        c for c in bot.telegram.sent_to(ZOE.id)
        if any(b["text"] in ("✓ Afgehandeld", "✓ 1") for b in c.buttons)
    ]  # fmt: skip
    label = next(b["text"] for b in nudge.buttons if b["text"] in ("✓ Afgehandeld", "✓ 1"))
    [question] = [c for c in await bot.press(ZOE, nudge, label) if c.method == "sendMessage"]
    note = "thuisbezoek gedaan, afspraken gemaakt over de terugkeer"

    answer = texts(await bot.send(ZOE, note, reply_to=question))

    assert answer == ["Vastgelegd bij de termijn (de tekst staat in het dossier)."]
    # The bot never sends the note's text into the chat.
    assert not [c for c in bot.telegram.calls if c.chat_id == ZOE.id and note in c.text]
