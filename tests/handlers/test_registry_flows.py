"""Dossier, pupil list, leerplicht links, files and /nieuw, end to end."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.storage import crypto
from bot.storage.models import Absence, Case, CaseFile, Pupil, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import BotHarness, alerts, texts

AMS = ZoneInfo("Europe/Amsterdam")
CARE = TgUser(601, "Zorg", "nl")  # De Regenboog (12AB), board Stichting Bolder
BOC = TgUser(602, "Bo Bestuur", "nl")  # Stichting Bolder
SWV = TgUser(603, "Sam SWV", "nl")
LP = TgUser(604, "Lea Leerplicht", "nl")  # Alphen aan den Rijn, where Sanne lives
OTHER_CARE = TgUser(605, "Ander", "nl")  # De Vlinder (56EF), board Stichting Kompas

ORGS = {
    CARE: (Role.ZORGCOORDINATOR, {"school": "12AB"}),
    BOC: (Role.BOC, {"bestuur": "Stichting Bolder"}),
    SWV: (Role.SWV, {"swv": "SWV Rijn en Gouwe"}),
    LP: (Role.LEERPLICHT, {"gemeente": "Alphen aan den Rijn"}),
    OTHER_CARE: (Role.ZORGCOORDINATOR, {"school": "56EF"}),
}


def _messages(calls: list[ApiCall]) -> list[ApiCall]:
    return [call for call in calls if call.method == "sendMessage"]


async def _sign_in(bot: BotHarness, session: Session, *users: TgUser) -> None:
    for user in users:
        role, org = ORGS[user]
        await bot.send(user, f"/start {invitation_code(session, role, now=NOW, **org)}")


def _sanne(session: Session) -> Pupil:
    return session.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()


async def test_dossier_shows_the_case_card_without_a_birth_date(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE)
    sanne = _sanne(registry)
    case = registry.exec(select(Case).where(Case.pupil_id == sanne.id)).one()
    [question] = await bot.send(CARE, "Sanne 3 uur ongeoorloofd vandaag")
    await bot.press(CARE, question, "Opslaan")

    [card] = texts(await bot.send(CARE, "/dossier Sanne"))

    lines = card.splitlines()
    assert lines[:7] == [
        f"Dossier S.V. #{case.id}",
        "Sanne de Vries, 16 jaar",
        "School: De Regenboog (12AB)",
        "Gemeente: Alphen aan den Rijn",
        "Categorie: B2 – langdurig relatief verzuim",
        "Status: lopend, sinds 1 januari 2026",
        "Passend aanbod: niet geregistreerd",
    ]
    assert "Verzuim in de laatste 4 weken: ongeoorloofd afwezig 3 uur" in card
    assert "23 november 2026 — ongeoorloofd afwezig 3 u" in card
    assert sanne.birth_date is not None
    assert str(sanne.birth_date.year) not in card


async def test_dossier_asks_when_the_name_is_unknown_or_missing(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE)
    assert texts(await bot.send(CARE, "/dossier")) == [
        "Welke leerling? Bijvoorbeeld: /dossier Sanne"
    ]
    [unknown] = texts(await bot.send(CARE, "/dossier Pietje"))
    assert unknown.startswith("Ik ken geen leerling “Pietje”")


async def test_pupil_list_is_paginated_and_opens_dossiers(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, SWV)

    [page_one] = await bot.send(SWV, "/leerlingen")

    assert page_one.text.splitlines()[0] == "Jouw leerlingen (20), pagina 1 van 2:"
    labels = [b["text"] for b in page_one.buttons]
    assert len(labels) == 11
    assert labels[-1] == "»"
    [page_two] = texts(await bot.press(SWV, page_one, "»"))
    assert page_two.splitlines()[0] == "Jouw leerlingen (20), pagina 2 van 2:"
    first = labels[0]
    # Page one's buttons are gone from the edited message: a fresh list to open a dossier.
    [again] = await bot.send(SWV, "/leerlingen")
    [card] = texts(await bot.press(SWV, again, first))
    assert card.startswith("Dossier " + first.split(" — ")[0])


async def test_leerplicht_sees_a_b2_pupil_only_after_a_boc_links_them(
    bot: BotHarness, registry: Session, telegram: FakeTelegram
) -> None:
    await _sign_in(bot, registry, BOC, LP)
    [before] = texts(await bot.send(LP, "/dossier Sanne"))
    assert before.startswith("Ik ken geen leerling “Sanne”")

    [question] = await bot.send(BOC, "/koppel Sanne")
    assert question.text.startswith("Welke leerplichtambtenaar mag S.V. #")
    calls = await bot.press(BOC, question, "Lea Leerplicht (Alphen aan den Rijn)")

    assert texts(calls)[0].startswith("Lea Leerplicht ziet nu S.V. #")
    notice = telegram.sent_to(LP.id)[-1]
    assert notice.text.startswith("Je bent gekoppeld aan S.V. #")
    [after] = texts(await bot.send(LP, "/dossier Sanne"))
    assert after.splitlines()[1].startswith("Sanne de Vries")

    [unlink_question] = await bot.send(BOC, "/ontkoppel Sanne")
    await bot.press(BOC, unlink_question, "Lea Leerplicht (Alphen aan den Rijn)")
    [gone] = texts(await bot.send(LP, "/dossier Sanne"))
    assert gone.startswith("Ik ken geen leerling “Sanne”")


async def test_only_boc_and_swv_may_link(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, LP)
    assert texts(await bot.send(CARE, "/koppel Sanne")) == ["Dit is niet beschikbaar."]
    assert texts(await bot.send(LP, "/koppel Sanne")) == ["Dit is niet beschikbaar."]


async def test_files_are_filed_and_confidential_ones_never_reach_leerplicht(
    bot: BotHarness, registry: Session, telegram: FakeTelegram
) -> None:
    await _sign_in(bot, registry, CARE, SWV, LP)
    report = b"%PDF-1.4 plan van aanpak"
    medical = b"%PDF-1.4 verslag jeugdarts"
    mark = len(telegram.calls)
    await bot.handled(telegram.push_document(
        CARE, file_name="plan.pdf", mime_type="application/pdf", content=report, caption="Sanne"
    ))  # fmt: skip
    await bot.handled(telegram.push_document(
        CARE, file_name="../../etc/arts.pdf", mime_type="application/pdf", content=medical,
        caption="Sanne vertrouwelijk",
    ))  # fmt: skip
    replies = texts([c for c in telegram.calls[mark:] if c.chat_id == CARE.id])
    assert replies[0].startswith("Bewaard bij S.V. #")
    assert replies[0].endswith(": plan.pdf")
    assert replies[1].splitlines()[1] == (
        "Gemarkeerd als vertrouwelijk: leerplichtambtenaren zien het niet."
    )
    stored = registry.exec(select(CaseFile).order_by(CaseFile.id)).all()
    assert [(f.file_name, f.content, f.confidential) for f in stored] == [
        ("plan.pdf", report, False), ("arts.pdf", medical, True),
    ]  # fmt: skip

    [card] = await bot.send(CARE, "/dossier Sanne")
    assert [b["text"] for b in card.buttons] == ["📎 plan.pdf", "📎 arts.pdf"]
    sent = await bot.press(CARE, card, "📎 arts.pdf")
    assert [c.params["document"] for c in sent if c.method == "sendDocument"] == [medical]

    # Linked leerplicht sees the plan but not the confidential report, not even by replay.
    [question] = await bot.send(SWV, "/koppel Sanne")
    await bot.press(SWV, question, "Lea Leerplicht (Alphen aan den Rijn)")
    [lp_card] = await bot.send(LP, "/dossier Sanne")
    assert [b["text"] for b in lp_card.buttons] == ["📎 plan.pdf"]
    replay = await bot.press_data(LP, lp_card, card.buttons[1]["callback_data"])
    assert texts(replay) == []  # the gate refuses data copied from another message
    assert alerts(replay) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
    # Another school cannot fetch it either.
    await _sign_in(bot, registry, OTHER_CARE)
    [own] = await bot.send(OTHER_CARE, "/leerlingen")
    fetch = await bot.press_data(OTHER_CARE, own, card.buttons[0]["callback_data"])
    assert texts(fetch) == []
    assert alerts(fetch) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]


async def test_refused_files(bot: BotHarness, registry: Session, telegram: FakeTelegram) -> None:
    await _sign_in(bot, registry, CARE)
    cases = [
        dict(file_name="virus.exe", mime_type="application/x-msdownload", content=b"MZ", caption="Sanne"),
        dict(file_name="big.pdf", mime_type="application/pdf", content=b"%PDF", caption="Sanne",
             claimed_size=25 * 1024 * 1024),
        dict(file_name="plan.pdf", mime_type="application/pdf", content=b"%PDF", caption=""),
        # A program renamed to look like a PDF.
        dict(file_name="plan.pdf", mime_type="application/pdf", content=b"MZ\x90\x00", caption="Sanne"),
    ]  # fmt: skip
    replies = []
    for document in cases:
        mark = len(telegram.calls)
        await bot.handled(telegram.push_document(CARE, **document))  # type: ignore[arg-type]
        replies += texts([c for c in telegram.calls[mark:] if c.chat_id == CARE.id])
    assert replies[0].startswith("Ik kan alleen PDF-, Word-, Excel-")
    assert replies[1] == "Dat bestand is te groot: hoogstens 10 MB."
    assert replies[2].startswith("Van wie is dit bestand?")
    assert replies[3].startswith("Dat bestand is niet wat het type zegt")
    assert registry.exec(select(CaseFile)).all() == []


async def test_a_photo_is_filed(bot: BotHarness, registry: Session, telegram: FakeTelegram) -> None:
    await _sign_in(bot, registry, CARE)
    mark = len(telegram.calls)
    await bot.handled(telegram.push_photo(CARE, content=b"\xff\xd8\xffjpeg", caption="Sanne"))
    [reply] = texts([c for c in telegram.calls[mark:] if c.chat_id == CARE.id])
    assert reply.endswith(": foto.jpg")


async def test_a_png_sent_as_a_photo_is_filed_as_a_png(
    bot: BotHarness, registry: Session, telegram: FakeTelegram
) -> None:
    # Some clients send a screenshot as a photo without turning it into a JPEG.
    await _sign_in(bot, registry, CARE)
    mark = len(telegram.calls)
    png = b"\x89PNG\r\n\x1a\nscreenshot"
    await bot.handled(telegram.push_photo(CARE, content=png, caption="Sanne"))
    [reply] = texts([c for c in telegram.calls[mark:] if c.chat_id == CARE.id])
    assert reply.endswith(": foto.png")
    [stored] = registry.exec(select(CaseFile)).all()
    assert (stored.mime_type, stored.content) == ("image/png", png)
    # What is neither a JPEG nor a PNG is still refused.
    mark = len(telegram.calls)
    await bot.handled(telegram.push_photo(CARE, content=b"GIF89a", caption="Sanne"))
    [refused] = texts([c for c in telegram.calls[mark:] if c.chat_id == CARE.id])
    assert refused.startswith("Dat bestand is niet wat het type zegt")


async def test_new_pupil_step_by_step(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE)

    assert texts(await bot.send(CARE, "/nieuw"))[0].endswith("Voornaam?")
    assert texts(await bot.send(CARE, "Daan")) == [
        "Achternaam (met tussenvoegsel, bijvoorbeeld “de Vries”)?"
    ]
    assert texts(await bot.send(CARE, "van Dijk")) == ["Geboortedatum? Bijvoorbeeld 15-03-2015."]
    assert texts(await bot.send(CARE, "15 maart"))[0].startswith(
        "Met die geboortedatum kan ik niets"
    )
    # A date that has a year but cannot be a date of birth is answered with what is wrong.
    assert texts(await bot.send(CARE, "31-02-2015")) == [
        "Die dag bestaat niet. Kijk de dag en de maand na, zoals 15-03-2015."
    ]
    assert texts(await bot.send(CARE, "12 mei 2031")) == [
        "Die datum ligt in de toekomst. Schrijf de geboortedatum met het jaar, zoals 15-03-2015."
    ]
    assert texts(await bot.send(CARE, "1-1-1990")) == [
        "Met die geboortedatum zou de leerling niet leerplichtig zijn (2 tot en met 25 jaar). "
        "Kijk het jaar na."
    ]
    [gemeente] = await bot.send(CARE, "15-03-2015")
    assert gemeente.text == "In welke gemeente woont de leerling?"
    pressed = await bot.press(CARE, gemeente, "Gouda")
    # The question keeps the answer given, without its buttons.
    [answered] = [c for c in pressed if c.method == "editMessageText"]
    assert answered.text == "In welke gemeente woont de leerling?\n→ Gouda"
    assert answered.buttons == []
    [category] = _messages(pressed)
    # Enrolled at a school: not B1 (that is for a pupil without a school).
    assert [b["text"] for b in category.buttons] == [
        "A1 – ziekte", "A2 – vrijstelling", "B2 – langdurig relatief verzuim",
    ]  # fmt: skip
    [since] = _messages(await bot.press(CARE, category, "B2 – langdurig relatief verzuim"))
    assert since.text.startswith("Sinds wanneer?")
    [summary] = await bot.send(CARE, "2-11-2026")
    assert summary.text.splitlines() == [
        "Controleer even:",
        "Daan van Dijk, 15 maart 2015",
        "School: De Regenboog",
        "Gemeente: Gouda",
        "B2 – langdurig relatief verzuim, sinds 2 november 2026",
    ]
    # Another device (or a slow app) still shows the summary with its buttons.
    other_device = copy.deepcopy(bot.telegram.message(CARE.id, summary.result["message_id"]))
    [done] = texts(await bot.press(CARE, summary, "Opslaan"))
    # Save pressed again there: said to be saved, nothing doubled, the outcome left as it is.
    for label in ("Opslaan", "Annuleren"):
        data = next(b["callback_data"] for b in summary.buttons if b["text"] == label)
        update_id = bot.telegram.push_callback(CARE, other_device, data)
        await bot.handled(update_id)
        assert bot.telegram.calls[-1].params.get("text") == "Al opgeslagen ✓"
    assert bot.telegram.message(CARE.id, summary.result["message_id"])["text"] == done
    # An old step button pressed after the end is answered, not ignored.
    stale = await bot.press(CARE, gemeente, "Gouda")
    assert alerts(stale) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]

    pupil = registry.exec(
        select(Pupil).where(Pupil.token_full == crypto.active().token("Daan van Dijk"))
    ).one()
    assert (pupil.first_name, pupil.last_name) == ("Daan", "van Dijk")
    case = registry.exec(select(Case).where(Case.pupil_id == pupil.id)).one()
    first, *deadlines = done.splitlines()
    assert first == f"Geregistreerd: D.D. #{case.id}. /dossier toont het dossier."
    # The deadlines the registration created, the nearest three: at home since Monday 2
    # November, so a thuiszitter after 4 school weeks (Friday 27 November), a plan 10 school
    # days later, and escalation when still without an offer after 2 months.
    assert deadlines == [
        "⏰ 4 weken afwezig: thuiszitter. Contact met leerplicht, melden bij het SWV, plan van "
        "aanpak: uiterlijk vrijdag 27 november 2026",
        "⏰ Leg een plan van aanpak vast met een regie-/contactpersoon: uiterlijk vrijdag 11 "
        "december 2026",
        # 2 months from 2 November is Saturday 2 January: the next working day.
        "⏰ 2 maanden thuis zonder passend aanbod: opschalen naar het bestuur: uiterlijk maandag "
        "4 januari 2027",
    ]
    assert (case.category, case.start_date.isoformat()) == ("B2", "2026-11-02")
    # After the conversation, free text is a quick update again.
    [question] = await bot.send(CARE, "Daan 2 uur ongeoorloofd vandaag")
    assert question.text.startswith(f"Klopt dit?\nD.D. #{case.id}")


async def test_new_pupil_can_be_cancelled_at_any_step(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE)
    before = len(registry.exec(select(Pupil)).all())
    await bot.send(CARE, "/nieuw")
    await bot.send(CARE, "Daan")

    assert texts(await bot.send(CARE, "/annuleer")) == ["Geannuleerd. Er is niets opgeslagen."]
    registry.expire_all()
    assert len(registry.exec(select(Pupil)).all()) == before


async def test_confidential_notes_and_illness_stay_with_the_school(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, SWV, LP)
    for text in (
        "notitie Sanne (vertrouwelijk): wacht op diagnose",
        "notitie Sanne: moeder gebeld",
        "Sanne 3 uur ziek vandaag",
    ):
        [question] = await bot.send(CARE, text)
        await bot.press(CARE, question, "Opslaan")
    [question] = await bot.send(SWV, "/koppel Sanne")
    await bot.press(SWV, question, "Lea Leerplicht (Alphen aan den Rijn)")

    [school_view] = texts(await bot.send(CARE, "/dossier Sanne"))
    [lp_view] = texts(await bot.send(LP, "/dossier Sanne"))

    assert "wacht op diagnose" in school_view
    assert "ziek 3 uur" in school_view
    assert "wacht op diagnose" not in lp_view
    assert "moeder gebeld" in lp_view
    assert "ziek" not in lp_view
    assert "geoorloofd afwezig 3 u" in lp_view  # absent, and how long, but not why


async def test_a_long_timeline_says_how_much_more_there_is_and_shows_it(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE)
    sanne = _sanne(registry)
    for back in range(1, 21):  # 20 days of absence, on top of what Sanne has
        registry.add(Absence(pupil_id=sanne.id, day=NOW.date() - timedelta(days=back),
                             hours=1.0, kind="ongeoorloofd", created_at=NOW))  # fmt: skip
    registry.commit()
    calls = await bot.send(CARE, "/dossier Sanne")
    [card] = [c for c in calls if c.method == "sendMessage"]
    timeline = card.text.split("Tijdlijn:\n")[1].splitlines()
    assert len(timeline) == 16  # the newest 15, then how many more
    older = int(timeline[-1].split()[3])  # "… en nog N oudere regels: …"
    assert timeline[-1] == (
        f"… en nog {older} oudere regels: de knop “Oudere regels” laat ze zien."
    )
    assert older >= 5
    [page] = [c for c in await bot.press(CARE, card, "Oudere regels") if c.method == "sendMessage"]
    lines = page.text.splitlines()
    total = 15 + older
    first = (
        f"Tijdlijn van S.V. #{_case_id(registry, sanne)}, regels 16–{min(30, total)} van {total}:"
    )
    assert lines[0] == first
    assert len(lines) == 1 + min(15, older)
    assert ("Oudere regels" in [b["text"] for b in page.buttons]) == (total > 30)


def _case_id(session: Session, pupil: Pupil) -> int:
    case = session.exec(select(Case).where(Case.pupil_id == pupil.id)).one()
    assert case.id is not None
    return case.id


async def test_the_dossier_lists_the_achterstand_of_an_open_case_first(
    bot: BotHarness, registry: Session
) -> None:
    # Sanne's B2 case started on 1 January 2026 and was imported on 23 November: her case is
    # open, so what fell due in the first months is achterstand (overdue, listed first, kept in
    # view), not history; the early warning of today's 10 hours is due today.
    await _sign_in(bot, registry, CARE)
    [friday] = await bot.send(CARE, "Sanne 5 uur ongeoorloofd vrijdag")
    await bot.press(CARE, friday, "Opslaan")
    [question] = await bot.send(CARE, "Sanne 5 uur ongeoorloofd vandaag")
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))
    assert "⏰ Vroegsignalering" in saved

    [card] = texts(await bot.send(CARE, "/dossier Sanne"))

    lines = card.splitlines()
    deadlines = lines[lines.index("Open termijnen:") + 1 : lines.index("Tijdlijn:") - 1]
    overdue = [line for line in deadlines if line.startswith("⚠ ")]
    assert overdue
    assert deadlines[: len(overdue)] == overdue  # first
    assert all(", was uiterlijk " in line for line in overdue)
    assert any(line.startswith("⚠ 4 weken afwezig: thuiszitter.") for line in overdue)
    assert not [line for line in deadlines if line.startswith("🗂 ")]
    assert (
        "⏰ Vroegsignalering: het ongeoorloofd verzuim loopt op richting 16 uur in 4 schoolweken; "
        "ga nu in gesprek met ouders en leerling — uiterlijk 23 november 2026"
    ) in deadlines

    # The nudge says what triggered the warning, in plain figures.
    reminders = reminders_of(bot.application)
    reminders.plan()
    await deliver_due(services=reminders.services, bot=reminders.bot)
    [nudge] = [c.text for c in bot.telegram.sent_to(CARE.id) if "Vroegsignalering" in c.text
               and c.text.startswith("⏰")]  # fmt: skip
    assert "10 uur ongeoorloofd in 2 schooldagen." in nudge.splitlines()


async def test_a_case_registered_late_lists_its_achterstand_once_and_climbs_from_today(
    bot: BotHarness, registry: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    # Registered on Monday 23 November, at home since Monday 5 October (midden: autumn holiday
    # 17–25 October): a thuiszitter on Friday 6 November, the plan due Friday 20 November —
    # both overdue the day the bot learns of them.
    await _sign_in(bot, registry, CARE, BOC)
    await bot.send(CARE, "/nieuw")
    await bot.send(CARE, "Daan")
    await bot.send(CARE, "van Dijk")
    [gemeente] = await bot.send(CARE, "15-03-2015")
    [category] = _messages(await bot.press(CARE, gemeente, "Gouda"))
    await bot.press(CARE, category, "B2 – langdurig relatief verzuim")
    [summary] = await bot.send(CARE, "5-10-2026")
    [done] = texts(await bot.press(CARE, summary, "Opslaan"))
    label = done.splitlines()[0].removeprefix("Geregistreerd: ").split(". /dossier")[0]
    assert label.startswith("D.v.D. #") or label.startswith("D.D. #")
    assert done.splitlines()[1:] == [
        "⚠ 4 weken afwezig: thuiszitter. Contact met leerplicht, melden bij het SWV, plan van "
        "aanpak: te laat, dit moest uiterlijk vrijdag 6 november 2026",
        "⚠ Leg een plan van aanpak vast met een regie-/contactpersoon: te laat, dit moest "
        "uiterlijk vrijdag 20 november 2026",
        # 2 months from 5 October is Saturday 5 December: the next working day.
        "⏰ 2 maanden thuis zonder passend aanbod: opschalen naar het bestuur: uiterlijk maandag "
        "7 december 2026",
        "⏰ 3 maanden thuis zonder passend aanbod: opschalen naar het SWV: uiterlijk dinsdag 5 "
        "januari 2027",
        "⏰ De leerling wordt 18: dossier afsluiten of overdragen: uiterlijk dinsdag 15 maart 2033",
    ]

    async def day(month: int, day: int, hour: int = 10) -> list[ApiCall]:
        clock.current = datetime(2026, month, day, hour, 0, tzinfo=AMS)
        reminders = reminders_of(bot.application)
        assert reminders is not None
        reminders.plan(everything=True)
        mark = len(telegram.calls)
        await deliver_due(services=reminders.services, bot=reminders.bot)
        return [c for c in telegram.calls[mark:] if c.method == "sendMessage" and label in c.text]

    # The school hears of the achterstand at once, in one message.
    sent = await day(11, 23)
    [to_school] = [c for c in sent if c.chat_id == CARE.id]
    assert to_school.text.startswith("Jouw termijnen (")
    assert "6 november 2026" in to_school.text
    assert "20 november 2026" in to_school.text

    # 4 working days later nothing has climbed; on the 5th the board's BOC-er gets the plan
    # (a line of their digest, or a message of its own), saying how long it is open where.
    def climbed(calls: list[ApiCall]) -> list[str]:
        return [
            line
            for c in calls
            if c.chat_id == BOC.id
            for line in ([c.text] if c.text.startswith("⏰ Naar jou") else c.text.splitlines())
            if label in line and "⬆ Staat" in line
        ]

    assert climbed(await day(11, 27)) == []
    # The school's two overdue steps (the plan, and no action for 4 weeks); the 4 weeks
    # already went to the BOC-er.
    actions = sorted(line.split(". ", 1)[-1].split(" — ")[0] for line in climbed(await day(11, 30)))
    assert actions == [
        "Leg een actie vast: dan is er 4 weken geen actie geweest",
        "Leg een plan van aanpak vast met een regie-/contactpersoon",
    ]


async def test_new_pupil_without_a_school_can_only_be_b1(
    bot: BotHarness, registry: Session
) -> None:
    boc = TgUser(971, "Bo", "nl")
    code = invitation_code(registry, Role.BOC, now=NOW, bestuur="Stichting Bolder")
    await bot.send(boc, f"/start {code}")
    for text in ("/nieuw", "Noor", "Zonderschool"):
        await bot.send(boc, text)
    [school] = await bot.send(boc, "15-03-2015")
    pressed = await bot.press(boc, school, "Geen school (niet ingeschreven)")
    [asked] = [c for c in pressed if c.method == "sendMessage"]
    if asked.text.startswith("In welke gemeente"):
        pressed = await bot.press(boc, asked, asked.buttons[0]["text"])
        [asked] = [c for c in pressed if c.method == "sendMessage"]
    assert asked.text == "Welke categorie?"
    assert [b["text"] for b in asked.buttons] == ["B1 – niet ingeschreven (absoluut verzuim)"]


def test_the_service_refuses_a_category_the_school_does_not_allow(registry: Session) -> None:
    from datetime import date

    from bot.services.access import NotAvailable
    from bot.services.new_pupil import NewPupil
    from bot.services.registration import register_pupil
    from bot.storage.models import School, User
    from tests.utils.factories import PROTOCOL

    staff = User(telegram_id=9001, role=Role.SWV.value, swv_id=1, created_at=NOW)
    registry.add(staff)
    registry.commit()
    school = registry.exec(select(School)).first()
    assert school is not None
    for school_id, category in ((school.id, "B1"), (None, "A1"), (None, "B2")):
        new = NewPupil.read({"first_name": "Test", "last_name": "Leerling",
                             "birth_date": date(2015, 3, 15), "school_id": school_id,
                             "gemeente_id": None, "category": category, "article": None,
                             "start": NOW.date()}, today=NOW.date())  # fmt: skip
        with pytest.raises(NotAvailable):
            register_pupil(session=registry, user=staff, new=new, now=NOW, settings=PROTOCOL)
