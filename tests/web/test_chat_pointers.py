"""With WEB_BASE_URL set the chat carries pointers: dossiers, the list, files and the pupils behind
the overview open in the Mini App. (The directory's fixture scans every message for names.)"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.storage.models import CaseFile
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
    assert listed.text == "Je leerlingen: zoeken, filteren en openen in de app."
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


async def test_a_nudges_open_case_button_points_into_the_mini_app(
    bot: BotHarness, site: str, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=1))
    reminders = reminders_of(bot.application)
    reminders.plan()
    await deliver_due(services=reminders.services, bot=reminders.bot)
    nudges = [c for c in bot.telegram.sent_to(ZOE.id) if "Dossier openen" in str(c.buttons)]
    assert nudges
    answer = await bot.press(ZOE, nudges[0], "Dossier openen")
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
