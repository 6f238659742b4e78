"""Quick updates in chat, end to end: understood, confirmed, stored only on Save."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from bot.storage.models import Absence, Case, CaseEntry, Pupil, Role
from tests.utils.datasets import pupil_row, pupils_csv
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness, alerts, texts

CARE = TgUser(501, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB)
OTHER_CARE = TgUser(502, "Ander", "nl")  # zorgcoördinator of Het Baken (34CD)
CARE_EN = TgUser(503, "Care", "en")


async def _sign_in(bot: BotHarness, session: Session, user: TgUser, brin: str) -> None:
    code = invitation_code(session, Role.ZORGCOORDINATOR, now=NOW, school=brin)
    await bot.send(user, f"/start {code}")


def _absences(session: Session) -> list[Absence]:
    session.expire_all()
    return list(session.exec(select(Absence)).all())


def _sanne(session: Session) -> Pupil:
    return session.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()


async def test_absence_is_confirmed_then_saved(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    sanne = _sanne(registry)
    case = registry.exec(select(Case).where(Case.pupil_id == sanne.id)).one()

    [question] = await bot.send(CARE, "Sanne 4 uur ongeoorloofd vandaag")

    assert question.text == (
        f"Klopt dit?\nS.V. #{case.id}: ongeoorloofd afwezig, 4 uur op 23 november 2026"
    )
    assert [b["text"] for b in question.buttons] == ["Opslaan", "Wijzigen", "Annuleren"]
    assert question.params["protect_content"] is True
    assert _absences(registry) == []  # nothing is stored before Save

    calls = await bot.press(CARE, question, "Opslaan")

    assert texts(calls) == [
        f"Opgeslagen: S.V. #{case.id}: ongeoorloofd afwezig, 4 uur op 23 november 2026"
    ]
    [absence] = _absences(registry)
    assert (absence.pupil_id, absence.day, absence.hours, absence.kind) == (
        sanne.id, date(2026, 11, 23), 4.0, "ongeoorloofd",
    )  # fmt: skip


async def test_english_user_gets_english(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE_EN, "12AB")
    [question] = await bot.send(CARE_EN, "Sanne sick since Monday")
    assert question.text.startswith("Is this right?\nS.V. #")
    assert question.text.endswith("ill since November 23, 2026 (every school day up to today)")
    assert [b["text"] for b in question.buttons] == ["Save", "Change", "Cancel"]


async def test_cancel_and_change_store_nothing(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [first] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd gisteren")
    [second] = await bot.send(CARE, "Sanne 3 uur ongeoorloofd gisteren")

    cancelled = await bot.press(CARE, first, "Annuleren")
    changed = await bot.press(CARE, second, "Wijzigen")

    assert texts(cancelled) == ["Geannuleerd. Er is niets opgeslagen."]
    assert texts(changed)[0].startswith("Er is niets opgeslagen. Stuur de verbeterde update.")
    assert _absences(registry) == []


async def test_saving_twice_stores_once(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne 1 uur ongeoorloofd gisteren")
    await bot.press(CARE, question, "Opslaan")
    save_data = question.buttons[0]["callback_data"]

    again = await bot.press_data(CARE, question, save_data)

    assert alerts(again) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
    assert len(_absences(registry)) == 1


async def test_sick_since_monday_registers_each_school_day(
    bot: BotHarness, registry: Session, clock: object
) -> None:
    from datetime import timedelta

    clock.advance(timedelta(days=3))  # type: ignore[attr-defined]  # Thursday 26 November
    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne ziek sinds maandag")
    await bot.press(CARE, question, "Opslaan")

    days = sorted((a.day, a.hours, a.kind) for a in _absences(registry))
    assert days == [(date(2026, 11, d), 5.0, "ziek") for d in (23, 24, 25, 26)]


async def test_two_matching_pupils_get_buttons(bot: BotHarness, registry: Session) -> None:
    from io import StringIO

    from bot.services.importing import import_csv

    twin = pupil_row(30) | {"leerling_id": "L00100", "voornaam": "Sanne", "achternaam": "Bakker"}
    import_csv(session=registry, stream=StringIO(pupils_csv([twin])), today=NOW.date(), now=NOW)
    registry.commit()
    await _sign_in(bot, registry, CARE, "12AB")

    [question] = await bot.send(CARE, "Sanne 1 uur ongeoorloofd vandaag")

    assert question.text == "Welke leerling bedoel je?"
    labels = [b["text"] for b in question.buttons]
    assert labels[0].startswith("S.V. #")
    assert labels[0].endswith("(De Regenboog)")
    assert labels[1].startswith("S.B. #")
    assert labels[2] == "Annuleren"
    [confirm] = texts(await bot.press(CARE, question, labels[1]))
    assert "S.B. #" in confirm
    # The full name disambiguates directly.
    [direct] = await bot.send(CARE, "Sanne Bakker 1 uur ongeoorloofd vandaag")
    assert direct.text.startswith("Klopt dit?\nS.B. #")


async def test_not_understood_and_unknown_names(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")

    [vague] = texts(await bot.send(CARE, "hoe gaat het?"))
    [unknown] = texts(await bot.send(CARE, "Pietje 4 uur ongeoorloofd vandaag"))
    [future] = texts(await bot.send(CARE, "Sanne 4 uur ongeoorloofd morgen"))

    assert vague.startswith("Dat begrijp ik niet als update van een dossier.\nBijvoorbeeld:")
    assert unknown == "Ik ken geen leerling “Pietje” onder jouw leerlingen. /leerlingen toont ze."
    assert future.startswith("Verzuim en terugkeer kun je alleen registreren voor vandaag")


async def test_a_pupil_of_another_school_is_unknown_and_cannot_be_written(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    await _sign_in(bot, registry, OTHER_CARE, "34CD")
    [question] = await bot.send(CARE, "Sanne 4 uur ongeoorloofd vandaag")
    save_data = question.buttons[0]["callback_data"]

    [unknown] = texts(await bot.send(OTHER_CARE, "Sanne 4 uur ongeoorloofd vandaag"))
    # Replaying the first user's Save button from another school's chat:
    [own] = await bot.send(OTHER_CARE, "hallo")
    replay = await bot.press_data(OTHER_CARE, own, save_data)

    assert unknown.startswith("Ik ken geen leerling “Sanne”")
    assert texts(replay) == []  # refused by the gate: that data is not on this message
    assert alerts(replay) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
    assert "S.V." not in " ".join(texts(replay) + alerts(replay))
    assert _absences(registry) == []


async def test_back_at_school_closes_the_open_case(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne is weer op school")
    await bot.press(CARE, question, "Opslaan")

    registry.expire_all()
    case = registry.exec(select(Case).where(Case.pupil_id == _sanne(registry).id)).one()
    assert (case.end_date, case.status) == (date(2026, 11, 23), "closed")
    [again] = await bot.send(CARE, "Sanne is weer op school")
    [refused] = texts(await bot.press(CARE, again, "Opslaan"))
    assert refused == "Er is geen lopend dossier voor deze leerling. Maak er een aan met /nieuw."


async def test_offer_action_and_goal(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    for text in (
        "Sanne heeft passend aanbod vanaf 1 december: dagbesteding",
        "actie Sanne: RTG met ouders op 12 december",
        "doel Sanne: elke ochtend 2 uur naar school",
    ):
        [question] = await bot.send(CARE, text)
        await bot.press(CARE, question, "Opslaan")

    registry.expire_all()
    case = registry.exec(select(Case).where(Case.pupil_id == _sanne(registry).id)).one()
    assert (case.offer_since, case.offer_description) == (date(2026, 12, 1), "dagbesteding")
    entries = registry.exec(select(CaseEntry).order_by(CaseEntry.id)).all()
    assert [(e.kind, e.day, e.text) for e in entries] == [
        ("action", date(2026, 12, 12), "RTG met ouders"),
        ("goal", date(2026, 11, 23), "elke ochtend 2 uur naar school"),
    ]


async def test_a_huge_message_is_refused_politely(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [reply] = texts(await bot.send(CARE, "Sanne " + "heel lang verhaal " * 50))
    assert reply.startswith("Dat is te lang voor een snelle update")
    # Longer than Telegram itself allows (a forged update): refused before any handler.
    [reply] = texts(await bot.send(CARE, "Sanne " + "heel lang verhaal " * 250))
    assert reply.startswith("Dat bericht is te lang voor mij (hoogstens 4096 tekens")
    [reply] = texts(await bot.send(CARE, "x" * 10_000_000))
    assert reply.startswith("Dat bericht is te lang voor mij")
    assert registry.exec(select(func.count()).select_from(Absence)).one() == 0


async def test_suspension_exemption_party_note_contact_and_evaluation(
    bot: BotHarness, registry: Session
) -> None:
    from bot.storage.models import Exemption, Suspension

    await _sign_in(bot, registry, CARE, "12AB")
    for text in (
        "Sanne geschorst van 16 november tot 18 november",
        "betrokkene Sanne: jeugdarts GGD",
        "notitie Sanne (vertrouwelijk): wacht op diagnose",
        "regie Sanne: Jan Jansen (IB)",
        "Sanne is weer op school",
        "evaluatie Sanne: goed verlopen, terug in de klas",
        "Sanne vrijstelling 5A van 1 december tot 31 juli",
    ):
        [question] = await bot.send(CARE, text)
        assert question.text.startswith("Klopt dit?"), (text, question.text)
        [saved] = texts(await bot.press(CARE, question, "Opslaan"))
        assert saved.startswith("Opgeslagen:"), (text, saved)
        assert "5A" not in saved  # an exemption's ground is not shown in chat

    registry.expire_all()
    sanne = _sanne(registry)
    [suspension] = registry.exec(select(Suspension)).all()
    assert (suspension.start_date, suspension.end_date) == (date(2026, 11, 16), date(2026, 11, 18))
    entries = registry.exec(select(CaseEntry).order_by(CaseEntry.id)).all()
    assert [(e.kind, e.text, e.confidential) for e in entries] == [
        ("party", "jeugdarts GGD", False),
        ("note", "wacht op diagnose", True),
    ]
    cases = registry.exec(select(Case).where(Case.pupil_id == sanne.id).order_by(Case.id)).all()
    assert (cases[0].contact_person, cases[0].evaluation) == (
        "Jan Jansen (IB)", "goed verlopen, terug in de klas",
    )  # fmt: skip
    assert (cases[1].category, cases[1].exemption_article) == ("A2", "5A")
    [exemption] = registry.exec(select(Exemption).where(Exemption.pupil_id == sanne.id)).all()
    assert (exemption.start_date, exemption.end_date) == (date(2026, 12, 1), date(2027, 7, 31))


async def test_evaluation_waits_until_the_case_has_ended(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "evaluatie Sanne: nog niet")
    [refused] = texts(await bot.press(CARE, question, "Opslaan"))
    assert refused == "Het dossier loopt nog. Leg de evaluatie vast als het is afgesloten."


async def test_crossing_16_hours_says_which_deadline_it_created(
    bot: BotHarness, registry: Session
) -> None:
    sanne = _sanne(registry)
    for day in (16, 17, 18):
        registry.add(Absence(pupil_id=sanne.id, day=date(2026, 11, day), hours=4,
                             kind="ongeoorloofd", created_at=NOW))  # fmt: skip
    registry.commit()
    await _sign_in(bot, registry, CARE, "12AB")

    [question] = await bot.send(CARE, "Sanne 4 uur ongeoorloofd vandaag")
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))

    assert saved.splitlines()[1:] == [
        "⏰ 16 uur ongeoorloofd verzuim binnen 4 schoolweken: melden bij leerplicht: "
        "uiterlijk maandag 30 november 2026"
    ]


async def test_back_at_school_creates_the_evaluation_and_lapses_what_no_longer_applies(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne is weer op school")  # B2 since 1 January 2026

    [saved] = texts(await bot.press(CARE, question, "Opslaan"))

    lines = saved.splitlines()
    assert lines[0].startswith("Opgeslagen: S.V. #")
    assert (
        "⏰ Evalueer de afgesloten thuiszitperiode (optioneel): uiterlijk maandag 21 december 2026"
        in lines
    )
    # The no-action reminder moved with the case's end; it is not worth a line.
    assert not [line for line in lines if "geen actie" in line]


async def test_pupil_list_shows_open_deadline_counts(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [page] = await bot.send(CARE, "/leerlingen")
    sanne = next(b["text"] for b in page.buttons if b["text"].startswith("S.V."))
    assert sanne.split(" — ")[1:3][0] == "B2, lopend"
    assert sanne.endswith("open termijnen")


async def test_removal_and_variawet_in_chat(bot: BotHarness, registry: Session) -> None:
    from bot.storage.models import Movement, VariawetApplication

    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne verwijderd vandaag")
    assert question.text.endswith("verwijderd van school op 23 november 2026")
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))
    assert (
        "⏰ Verwijderd zonder nieuwe school: SWV, leerplicht en bestuur informeren: "
        "uiterlijk maandag 23 november 2026"
    ) in saved.splitlines()

    [decision] = await bot.send(CARE, "variawet Sanne: toegekend")
    [refused] = texts(await bot.press(CARE, decision, "Opslaan"))
    assert refused == "Er is geen openstaande Variawet-aanvraag voor deze leerling."
    [applied] = await bot.send(CARE, "variawet Sanne: aangevraagd 16 november")
    [saved] = texts(await bot.press(CARE, applied, "Opslaan"))
    assert (
        "⏰ Variawet-aanvraag: er moet een besluit komen: uiterlijk maandag 11 januari 2027"
        in saved
    )
    [decision] = await bot.send(CARE, "variawet Sanne: toegekend")
    await bot.press(CARE, decision, "Opslaan")

    registry.expire_all()
    [movement] = registry.exec(select(Movement)).all()
    assert (movement.kind, movement.day, movement.new_school_name) == (
        "verwijdering",
        date(2026, 11, 23),
        None,
    )
    [application] = registry.exec(select(VariawetApplication)).all()
    assert (application.applied_on, application.decided_on, application.approved) == (
        date(2026, 11, 16), date(2026, 11, 23), True,
    )  # fmt: skip
