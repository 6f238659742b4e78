"""/kwartaal and /overzicht in chat, and the draft report on the quarterly nudge."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlmodel import Session

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.storage.models import Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import BotHarness, texts

SWV = TgUser(1101, "Sam SWV", "nl")
BOC = TgUser(1102, "Bo BOC", "nl")  # Stichting Kompas: only De Vlinder (56EF)
LP = TgUser(1103, "Lea", "nl")  # Gouda
CARE = TgUser(1104, "Zorg", "nl")


async def _sign_in(bot: BotHarness, session: Session) -> None:
    for user, role, org in (
        (SWV, Role.SWV, {"swv": "SWV Rijn en Gouwe"}),
        (BOC, Role.BOC, {"bestuur": "Stichting Kompas"}),
        (LP, Role.LEERPLICHT, {"gemeente": "Gouda"}),
        (CARE, Role.ZORGCOORDINATOR, {"school": "12AB"}),
    ):
        await bot.send(user, f"/start {invitation_code(session, role, now=NOW, **org)}")


def _workbook(call_params: dict[str, object]) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(call_params["document"]))  # type: ignore[arg-type]
    return {
        name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames
    }


async def test_kwartaal_for_the_swv_and_scoped_for_a_boc(
    bot: BotHarness, registry: Session, telegram: FakeTelegram
) -> None:
    await _sign_in(bot, registry)

    swv_calls = await bot.send(SWV, "/kwartaal")
    boc_calls = await bot.send(BOC, "/kwartaal")

    [photo] = [c for c in swv_calls if c.method == "sendPhoto"]
    assert photo.params["photo"][:8] == b"\x89PNG\r\n\x1a\n"
    summary = photo.params["caption"].splitlines()
    assert summary[0].startswith("SWV Rijn en Gouwe op 15 september 2026: ")
    assert summary[1].endswith("sinds 15 juni 2026.")
    # The overview; on 23 November the draft for 15 December (near: it is checked before then);
    # and for SWV staff the confidential pupil list as a file of its own.
    [document, draft, pupils] = [c for c in swv_calls if c.method == "sendDocument"]
    assert document.params["document_filename"] == "kwartaal-2026Q3.xlsx"
    assert draft.params["document_filename"] == "kwartaal-2026Q4-concept.xlsx"
    assert draft.params["caption"] == (
        "Concept voor de komende peildatum, 15 december 2026, met de gegevens van vandaag: "
        "controleer het met de scholen voor die tijd."
    )
    definitions = {row[0]: row[1] for row in _workbook(draft.params)["Definities"]}
    assert definitions["Peildatum van dit overzicht"] == "15-12-2026"
    assert str(definitions["Status"]).startswith("CONCEPT: met de gegevens van 23-11-2026")
    assert pupils.params["document_filename"] == "kwartaal-2026Q3-leerlingen-vertrouwelijk.xlsx"
    assert pupils.params["caption"].startswith("Vertrouwelijk:")
    swv_book = _workbook(document.params)
    boc_book = _workbook(next(c for c in boc_calls if c.method == "sendDocument").params)
    swv_schools = {row[0] for row in swv_book["Per school"][1:]}
    boc_schools = {row[0] for row in boc_book["Per school"][1:]}
    assert boc_schools == {"De Vlinder (56EF)"}  # only the board's own school
    assert boc_schools < swv_schools
    pupil_book = load_workbook(io.BytesIO(pupils.params["document"]))
    assert pupil_book.sheetnames == ["Vertrouwelijk"]
    sheet = pupil_book["Vertrouwelijk"]
    assert str(sheet["A1"].value).startswith("VERTROUWELIJK: leerlingen op peildatum 15-09-2026")
    assert sheet.oddHeader.center.text == "VERTROUWELIJK"
    assert "VERTROUWELIJK" in str(sheet.oddFooter.center.text)
    confidential = _workbook(pupils.params)["Vertrouwelijk"]
    assert confidential[1][0] == "Leerling"
    # Named as the chat names them (this SWV chose initials): one label form everywhere.
    assert any(str(row[0]).startswith("S.V. #") for row in confidential[2:])
    # The overview itself holds counts only; a BOC-er gets no pupil list at all.
    assert all("ertrouwelijk" not in name for name in swv_book)
    boc_files = [c.params["document_filename"] for c in boc_calls if c.method == "sendDocument"]
    assert boc_files == ["kwartaal-2026Q3.xlsx", "kwartaal-2026Q4-concept.xlsx"]
    all_text = " ".join(str(v) for sheet in _workbook(pupils.params).values() for row in sheet
                        for v in row)  # fmt: skip
    assert "de Vries" not in all_text  # initials only
    assert "Sanne" not in all_text
    [made_by] = [row[1] for row in boc_book["Definities"] if row[0] == "Gemaakt door"]
    assert made_by == "Bo BOC (bovenschools ondersteuningscoördinator, BOC-er)"


async def test_overzicht_for_leerplicht_and_not_for_others(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry)

    calls = await bot.send(LP, "/overzicht")

    assert texts(calls)[0].startswith("Gouda op 23 november 2026: ")
    [document] = [c for c in calls if c.method == "sendDocument"]
    book = _workbook(document.params)
    assert {row[0] for row in book["Per gemeente"][1:]} <= {"Gouda"}
    assert texts(await bot.send(CARE, "/overzicht")) == ["Dit is niet beschikbaar."]
    assert texts(await bot.send(CARE, "/kwartaal")) == ["Dit is niet beschikbaar."]
    # Leerplicht asking for the quarterly overview is pointed to its own.
    assert texts(await bot.send(LP, "/kwartaal")) == [
        "Het kwartaaloverzicht maken het samenwerkingsverband en de besturen. Jouw overzicht van "
        "de schoolmissers in je gemeente, voor het samenwerkingsverband: /overzicht."
    ]


async def test_the_quarterly_nudge_carries_the_draft_report(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    await _sign_in(bot, registry)
    reminders = reminders_of(bot.application)
    reminders.plan(everything=True)
    clock.current = datetime(2026, 12, 15, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    reminders.plan(everything=True)

    await deliver_due(services=reminders.services, bot=reminders.bot)

    to_swv = telegram.sent_to(SWV.id)
    drafts = [
        c
        for c in to_swv
        if c.method == "sendDocument"
        and c.params["document_filename"] == "kwartaal-2026Q4-concept.xlsx"
    ]
    assert drafts, [c.text[:60] for c in to_swv]
    book = _workbook(drafts[0].params)
    assert book["Definities"][-3][1] == "15-12-2026"


async def test_the_draft_is_the_nudge_itself_uploaded_once_and_done_edits_its_caption(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    await _sign_in(bot, registry)
    colleague = TgUser(1105, "Sil SWV", "nl")
    await bot.send(
        colleague, f"/start {invitation_code(registry, Role.SWV, now=NOW, swv='SWV Rijn en Gouwe')}"
    )
    reminders = reminders_of(bot.application)
    clock.current = datetime(2026, 12, 15, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    reminders.plan(everything=True)
    uploads_before = telegram.uploads

    await deliver_due(services=reminders.services, bot=reminders.bot)

    def draft_to(user: TgUser) -> ApiCall:
        [call] = [c for c in telegram.sent_to(user.id) if c.method == "sendDocument"
                  and "15 december" in c.text]  # fmt: skip
        return call

    mine, theirs = draft_to(SWV), draft_to(colleague)
    # One message: the nudge is the caption, its buttons under the workbook.
    assert mine.text.startswith("⏰ Vandaag:"), mine.text
    assert mine.text.endswith("Conceptrapportage bij deze termijn."), mine.text
    assert [b["text"] for b in mine.buttons][:3] == ["✓ Afgehandeld", "Morgen", "Volgende week"]
    # Built and uploaded once for the SWV; the colleague's copy is sent by its file id.
    documents = [mine.params["document"], theirs.params["document"]]
    assert [type(d) for d in documents].count(bytes) == 1
    assert next(d for d in documents if isinstance(d, str)) in telegram.files
    # One upload per organisation: the SWV's (shared by both), the board's, Gouda's monthly one.
    assert telegram.uploads - uploads_before == 3
    nudge_sends = [c for c in telegram.calls if c.method == "sendMessage" and c.chat_id == SWV.id
                   and c.text.startswith("⏰") and "Kwartaal" in c.text]  # fmt: skip
    assert nudge_sends == []  # no separate text message for the same nudge

    await bot.press(colleague, theirs, "✓ Afgehandeld")

    for user, call in ((SWV, mine), (colleague, theirs)):
        message = telegram.message(user.id, call.result["message_id"])
        assert "✓ Afgehandeld" in message["caption"], message["caption"]
        assert "reply_markup" not in message


async def test_inspectie_gives_the_swv_its_registration_and_nobody_else(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry)

    [document] = [c for c in await bot.send(SWV, "/inspectie") if c.method == "sendDocument"]

    assert document.params["document_filename"] == "inspectie-2026-11-23.xlsx"
    assert document.params["caption"].startswith("De registratie voor de Inspectie")
    book = _workbook(document.params)
    # The same registration as `python -m bot report inspectie`: pseudonyms, never names.
    rows = [row for sheet in book.values() for row in sheet]
    assert any(str(cell).startswith("TZ-") for row in rows for cell in row)
    assert not any("Sanne" in str(cell) for row in rows for cell in row)
    for other in (BOC, LP, CARE):
        assert texts(await bot.send(other, "/inspectie")) == ["Dit is niet beschikbaar."]
