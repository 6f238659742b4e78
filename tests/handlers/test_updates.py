"""Quick updates in chat, end to end: understood, confirmed, stored only on Save."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.storage.models import Absence, Case, CaseEntry, Pupil, Role
from tests.utils.datasets import pupil_row, pupils_csv
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness, alerts, edited, texts

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
        f"Klopt dit?\nS.V. #{case.id}: ongeoorloofd afwezig, 4 uur op maandag 23 november 2026"
    )
    assert [b["text"] for b in question.buttons] == ["Opslaan", "Wijzigen", "Annuleren"]
    assert question.params["protect_content"] is True
    assert _absences(registry) == []  # nothing is stored before Save

    calls = await bot.press(CARE, question, "Opslaan")

    assert texts(calls) == [
        f"Opgeslagen: S.V. #{case.id}: ongeoorloofd afwezig, 4 uur op maandag 23 november 2026"
    ]
    [absence] = _absences(registry)
    assert (absence.pupil_id, absence.day, absence.hours, absence.kind) == (
        sanne.id, date(2026, 11, 23), 4.0, "ongeoorloofd",
    )  # fmt: skip


async def test_english_user_gets_english(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE_EN, "12AB")
    [question] = await bot.send(CARE_EN, "Sanne is ill today")
    assert question.text.startswith("Is this right?\nS.V. #")
    assert question.text.endswith("ill, 5 hours on Monday 23 November 2026")
    # Said on a Monday, "since Monday" may mean today or a week ago: asked, in English.
    [which] = await bot.send(CARE_EN, "Sanne sick since Monday")
    assert which.text.endswith("Since which day?")
    assert [b["text"] for b in which.buttons] == [
        "since Monday 23 November 2026", "since Monday 16 November 2026", "Cancel",
    ]  # fmt: skip
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
    [question] = await bot.send(CARE, "Sanne 1 uur ongeoorloofd vandaag")
    await bot.press(CARE, question, "Opslaan")
    save_data = question.buttons[0]["callback_data"]

    again = await bot.press_data(CARE, question, save_data)

    assert alerts(again) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
    assert len(_absences(registry)) == 1


async def test_a_double_tap_is_not_an_error(
    bot: BotHarness, registry: Session, caplog: pytest.LogCaptureFixture
) -> None:
    # The second tap finds the buttons already gone: Telegram refuses to remove them again
    # ("message is not modified"). That is ordinary use, not a failure.
    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne 1 uur ongeoorloofd vandaag")
    await bot.press(CARE, question, "Opslaan")
    save_data = question.buttons[0]["callback_data"]
    caplog.clear()

    again = await bot.press_data(CARE, question, save_data)
    third = await bot.press_data(CARE, question, save_data)

    assert (
        alerts(again) == alerts(third) == ["Deze knop is verlopen. Geef de opdracht nog een keer."]
    )
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
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
    import_csv(
        settings=PROTOCOL,
        session=registry,
        stream=StringIO(pupils_csv([twin])),
        today=NOW.date(),
        now=NOW,
    )
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
    assert unknown.startswith(
        "Ik ken geen leerling “Pietje” onder jouw leerlingen. /leerlingen toont ze.\n"
        "Begin het bericht met de naam van de leerling of het label dat /leerlingen toont"
    )
    assert unknown.endswith("of “S.V. #12 4 uur ongeoorloofd vandaag”.")
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
    # The dossier says when it was closed; the start date is called the start date.
    [card] = texts(await bot.send(CARE, "/dossier Sanne"))
    assert "Status: afgesloten op 23 november 2026" in card.splitlines()
    assert "Begonnen: 1 januari 2026" in card.splitlines()
    assert "sinds 1 januari 2026" not in card
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
        "Sanne geschorst van 16 november t/m 18 november",
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
        # A confidential note says so in its confirmation.
        assert ("vertrouwelijk" in saved) == ("vertrouwelijk" in text), (text, saved)
    # ... and in the school's own timeline.
    [card] = texts(await bot.send(CARE, "/dossier Sanne"))
    [note] = [line for line in card.splitlines() if "wacht op diagnose" in line]
    assert note.endswith("wacht op diagnose (vertrouwelijk)")

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

    # The 12 hours stored behind the bot's back reached the early-warning level on the 18th,
    # but the report it warns of is due now: the warning is overtaken, never shown as overdue
    # beside the report.
    assert saved.splitlines()[1:] == [
        "⏰ 16 uur ongeoorloofd verzuim binnen 4 schoolweken: ouders informeren, dan melden bij leerplicht: "
        "uiterlijk maandag 30 november 2026",
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
    # Only what is still to be done counts (not the history of the import): "1 open termijn".
    assert re.search(r"\b\d+ open termijn(en)?$", sanne), sanne


async def test_removal_and_variawet_in_chat(bot: BotHarness, registry: Session) -> None:
    from bot.storage.models import Movement, VariawetApplication

    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne verwijderd vandaag")
    assert question.text.endswith("verwijderd van school op maandag 23 november 2026")
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


# ----- issue 11: never a wrong date, hour or kind; never a silent overwrite -----


def _hours_of(session: Session, kind: str) -> dict[date, float]:
    return {a.day: a.hours for a in _absences(session) if a.kind == kind}


async def test_hours_on_the_same_day_add_up_or_replace_only_when_chosen(
    bot: BotHarness, registry: Session, clock: FixedClock
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [first] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd vandaag")
    await bot.press(CARE, first, "Opslaan")
    clock.advance(timedelta(days=1))  # Tuesday: "gisteren" is the same Monday

    [second] = await bot.send(CARE, "Sanne 1 uur ongeoorloofd gisteren")

    assert second.text.splitlines()[1:] == [
        f"{_label(registry)}: ongeoorloofd afwezig, 1 uur op maandag 23 november 2026 "
        "(bij de 2 uur die er al stond: 3 uur in totaal)",
        "Op die dag staan al uren van deze soort. Optellen of vervangen?",
    ]
    assert [b["text"] for b in second.buttons] == ["Optellen", "Vervangen", "Wijzigen", "Annuleren"]
    assert _hours_of(registry, "ongeoorloofd") == {date(2026, 11, 23): 2.0}  # nothing yet
    [added] = texts(await bot.press(CARE, second, "Optellen"))
    assert added.endswith("(bij de 2 uur die er al stond: 3 uur in totaal)")
    assert _hours_of(registry, "ongeoorloofd") == {date(2026, 11, 23): 3.0}

    [third] = await bot.send(CARE, "Sanne 4 uur ongeoorloofd gisteren")
    [replaced] = texts(await bot.press(CARE, third, "Vervangen"))
    assert replaced.endswith(
        "4 uur op maandag 23 november 2026 (in plaats van de 3 uur die er stond)"
    )
    assert _hours_of(registry, "ongeoorloofd") == {date(2026, 11, 23): 4.0}


async def test_a_confirmation_gone_stale_stores_nothing(bot: BotHarness, registry: Session) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    [one] = await bot.send(CARE, "Sanne 1 uur ongeoorloofd vandaag")
    [two] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd vandaag")
    await bot.press(CARE, one, "Opslaan")

    [refused] = texts(await bot.press(CARE, two, "Opslaan"))

    assert refused.startswith("Intussen is voor deze leerling afwezigheid opgeslagen")
    assert _hours_of(registry, "ongeoorloofd") == {date(2026, 11, 23): 1.0}


async def test_a_weekend_too_many_hours_and_a_date_long_ago_are_asked_about(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")

    [weekend] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd gisteren")
    [long_day] = await bot.send(CARE, "Sanne 7 uur ongeoorloofd vandaag")
    [long_ago] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd 2 oktober")
    [impossible] = texts(await bot.send(CARE, "Sanne 40 uur ongeoorloofd"))

    assert weekend.text.splitlines()[-1] == (
        "⚠️ Zondag 22 november 2026 is geen schooldag (weekend, vakantie of vrije dag)."
    )
    assert long_day.text.splitlines()[-1] == (
        "⚠️ Op maandag 23 november 2026 is dat meer afwezigheid dan een schooldag van 5 uur heeft."
    )
    assert (
        long_ago.text.splitlines()[-1] == "⚠️ Vrijdag 2 oktober 2026 is meer dan vier weken geleden."
    )
    for question in (weekend, long_day, long_ago):
        assert [b["text"] for b in question.buttons] == ["Toch opslaan", "Wijzigen", "Annuleren"]
    assert impossible.startswith("Dat zijn meer uren dan er in één dag passen.")
    assert _absences(registry) == []
    await bot.press(CARE, weekend, "Toch opslaan")
    assert _hours_of(registry, "ongeoorloofd") == {date(2026, 11, 22): 2.0}


async def test_which_monday_is_asked_and_the_answer_is_stored(
    bot: BotHarness, registry: Session, clock: FixedClock
) -> None:
    clock.advance(timedelta(days=2))  # Wednesday 25 November
    await _sign_in(bot, registry, CARE, "12AB")

    [question] = await bot.send(CARE, "Sanne vorige maandag 2 uur ongeoorloofd")

    assert question.text == f"{_label(registry)}: Welke dag bedoel je?"
    assert [b["text"] for b in question.buttons] == [
        "maandag 23 november 2026", "maandag 16 november 2026", "Annuleren",
    ]  # fmt: skip
    confirm = edited(await bot.press(CARE, question, "maandag 16 november 2026"))
    assert confirm.params["text"].endswith("2 uur op maandag 16 november 2026")
    await bot.press(CARE, confirm, "Opslaan")
    assert _hours_of(registry, "ongeoorloofd") == {date(2026, 11, 16): 2.0}


async def test_the_kind_and_the_last_day_are_asked_when_not_said(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")

    [kind] = await bot.send(CARE, "Sanne 3 uur afwezig")
    [until] = await bot.send(CARE, "Sanne geschorst van 16 november tot 18 november")

    assert kind.text.endswith("Wat voor afwezigheid is het?")
    assert [b["text"] for b in kind.buttons] == [
        "ongeoorloofd afwezig", "geoorloofd afwezig", "ziek", "Annuleren",
    ]  # fmt: skip
    assert until.text.endswith("Hoort de laatste dag erbij?")
    assert [b["text"] for b in until.buttons] == [
        "tot en met woensdag 18 november 2026", "tot en met dinsdag 17 november 2026", "Annuleren",
    ]  # fmt: skip
    ill = edited(await bot.press(CARE, kind, "ziek"))
    assert ill.params["text"].endswith("ziek, 3 uur op maandag 23 november 2026")
    suspended = edited(await bot.press(CARE, until, "tot en met dinsdag 17 november 2026"))
    assert suspended.params["text"].endswith(
        "geschorst van maandag 16 november 2026 tot en met dinsdag 17 november 2026"
    )


async def test_two_facts_in_one_message_are_both_shown_and_stored(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    who = _label(registry)

    [question] = await bot.send(
        CARE, "hoi, even doorgeven: Sanne 2 uur ongeoorloofd en 1x te laat vandaag"
    )

    assert question.text.splitlines() == [
        "Klopt dit?",
        f"{who}: ongeoorloofd afwezig, 2 uur op maandag 23 november 2026",
        f"{who}: 1× te laat op maandag 23 november 2026 (telt als 1 uur)",
    ]
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))
    assert saved.splitlines()[:3] == ["Opgeslagen:", *question.text.splitlines()[1:]]
    assert sorted((a.kind, a.hours) for a in _absences(registry)) == [
        ("ongeoorloofd", 2.0), ("te_laat", 1.0),
    ]  # fmt: skip


async def test_a_sick_period_shows_its_school_days_and_minutes_are_minutes(
    bot: BotHarness, registry: Session, clock: FixedClock
) -> None:
    clock.advance(timedelta(days=3))  # Thursday 26 November
    await _sign_in(bot, registry, CARE, "12AB")

    [sick] = await bot.send(CARE, "Sanne ziek sinds maandag")
    [late] = await bot.send(CARE, "Sanne vanochtend 10 min te laat")

    assert sick.text.endswith(
        "ziek van maandag 23 november 2026 tot en met donderdag 26 november 2026: "
        "4 schooldagen van 5 uur"
    )
    assert late.text.endswith(": 10 minuten te laat op donderdag 26 november 2026")
    await bot.press(CARE, late, "Opslaan")
    [row] = _absences(registry)
    assert (row.kind, row.day, round(row.hours * 60)) == ("te_laat", date(2026, 11, 26), 10)


async def test_refusals_say_what_was_not_understood_with_an_example(
    bot: BotHarness, registry: Session
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    await _sign_in(bot, registry, CARE_EN, "12AB")

    [number] = texts(await bot.send(CARE, "Sanne 4 ongeoorloofd"))
    [future] = texts(await bot.send(CARE, "Sanne ziek vanaf 3 december"))
    [days] = texts(await bot.send(CARE_EN, "Sanne 2x late last week"))
    [lead_in] = texts(await bot.send(CARE, "hoi Pietje ziek"))

    assert number == (
        "Ik begreep niet elk woord, dus ik heb niets opgeslagen.\n"
        "Begrepen: leerling “Sanne”, ongeoorloofd afwezig.\nNiet begrepen: “4”.\n"
        "Bijvoorbeeld: “Sanne 4 uur ongeoorloofd vandaag”."
    )
    assert future == (
        "Verzuim en terugkeer kun je alleen registreren voor vandaag of eerder.\n"
        "Begrepen: leerling “Sanne”, ziek.\n"
        "Donderdag 3 december 2026 ligt in de toekomst.\n"
        "Bijvoorbeeld: “Sanne ziek sinds maandag” of “Sanne 2 uur ziek gisteren”."
    )
    assert days == (
        "On which days? Name each day, so that every day is right.\n"
        "Understood: pupil “Sanne”, late.\n"
        "For example: “Sanne late Monday and Wednesday” or “Sanne 10 minutes late”."
    )
    assert lead_in.startswith("Ik ken geen leerling “Pietje”")
    assert _absences(registry) == []


async def test_new_pupil_can_be_left_and_times_out(
    bot: BotHarness, registry: Session, clock: FixedClock
) -> None:
    await _sign_in(bot, registry, CARE, "12AB")
    await bot.send(CARE, "/nieuw")

    [busy] = texts(await bot.send(CARE, "/help"))
    assert busy == (
        "Je bent een nieuwe leerling aan het registreren. Beantwoord de vraag hierboven, "
        "of stuur /annuleer om te stoppen."
    )
    clock.advance(timedelta(minutes=31))
    [stopped] = texts(await bot.send(CARE, "Sanne 2 uur ongeoorloofd vandaag"))
    assert stopped.startswith("De registratie van een nieuwe leerling is gestopt na 30 minuten")
    # The conversation is over: the same message now is a quick update.
    [question] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd vandaag")
    assert question.text.startswith("Klopt dit?")


def _label(session: Session) -> str:
    case = session.exec(select(Case).where(Case.pupil_id == _sanne(session).id)).one()
    return f"S.V. #{case.id}"


async def test_a_database_fault_gets_one_apology_and_the_retry_is_stored_once(
    bot: BotHarness, registry: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    import bot.handlers.gate as gate

    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd vandaag")
    found = gate.read_account

    def locked(*_: object, **__: object) -> None:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(gate, "read_account", locked)
    pressed = await bot.press(CARE, question, "Opslaan")
    replies = await bot.send(CARE, "Sanne ziek")

    sorry = "Sorry, er ging bij mij iets mis. Probeer het nog eens;"
    assert [a[: len(sorry)] for a in alerts(pressed)] == [sorry]
    assert texts(pressed) == []
    assert [t[: len(sorry)] for t in texts(replies)] == [sorry]  # one apology, not two
    assert _absences(registry) == []
    monkeypatch.setattr(gate, "read_account", found)
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))
    assert saved.startswith("Opgeslagen:")
    assert len(_absences(registry)) == 1


async def test_a_database_locked_during_the_save_gets_one_apology_and_the_retry_stores_once(
    bot: BotHarness, registry: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    import bot.services.cases as cases
    from bot.services.cases import apply_update

    await _sign_in(bot, registry, CARE, "12AB")
    [question] = await bot.send(CARE, "Sanne 2 uur ongeoorloofd vandaag")

    def locked(**kwargs: Any) -> Any:
        # The absences are written, then the commit meets another process's write lock.
        apply_update(**kwargs)
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(cases, "apply_update", locked)
    pressed = await bot.press(CARE, question, "Opslaan")

    sorry = "Sorry, er ging bij mij iets mis. Probeer het nog eens;"
    assert [a[: len(sorry)] for a in alerts(pressed)] + [
        t[: len(sorry)] for t in texts(pressed)
    ] == [sorry]  # one apology, in one place
    assert _absences(registry) == []  # nothing half-written
    monkeypatch.setattr(cases, "apply_update", apply_update)
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))
    assert saved.startswith("Opgeslagen:")
    assert len(_absences(registry)) == 1


async def test_the_early_warning_closes_when_the_report_it_warned_of_is_due(
    bot: BotHarness, registry: Session, clock: FixedClock
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.reminders.delivery import deliver_due
    from bot.reminders.runtime import reminders_of
    from bot.services.deadlines import sync_pupils

    ams = ZoneInfo("Europe/Amsterdam")
    sanne = _sanne(registry)
    await _sign_in(bot, registry, CARE, "12AB")
    # 5 + 5 hours on Wednesday and Thursday: the early-warning level (10) on the 19th; 1 more
    # on Friday. The daily recomputation stores the warning and its nudge goes out.
    for day, hours in ((18, 5), (19, 5), (20, 1)):
        registry.add(Absence(pupil_id=sanne.id, day=date(2026, 11, day), hours=hours,
                             kind="ongeoorloofd", created_at=NOW))  # fmt: skip
    sync_pupils(session=registry, pupil_ids=[sanne.id], as_of=NOW.date(), now=NOW,
                settings=PROTOCOL)  # fmt: skip
    registry.commit()
    reminders = reminders_of(bot.application)
    assert reminders is not None
    reminders.plan(everything=True)
    await deliver_due(services=reminders.services, bot=reminders.bot)
    assert [c for c in bot.telegram.sent_to(CARE.id) if "Vroegsignalering" in c.text]

    # Today's 5 hours make 16: the report is due; the warning is overtaken, said once.
    [question] = await bot.send(CARE, "Sanne 5 uur ongeoorloofd vandaag")
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))
    assert saved.splitlines()[1:] == [
        "⏰ 16 uur ongeoorloofd verzuim binnen 4 schoolweken: ouders informeren, dan melden bij leerplicht: "
        "uiterlijk maandag 30 november 2026",
        "✓ Vroegsignalering: het ongeoorloofd verzuim loopt op richting 16 uur in 4 schoolweken;"
        " ga nu in gesprek met ouders en leerling: opgegaan in de 16-uursmelding",
    ]
    # No fresh warning nudge afterwards, and it never climbs the ladder.
    mark = len(bot.telegram.calls)
    for day in (23, 24, 30):
        clock.current = datetime(2026, 11, day, 10, 0, tzinfo=ams)
        reminders.plan(everything=True)
        await deliver_due(services=reminders.services, bot=reminders.bot)
    clock.current = datetime(2026, 12, 7, 10, 0, tzinfo=ams)
    reminders.plan(everything=True)
    await deliver_due(services=reminders.services, bot=reminders.bot)
    later = [c.text for c in bot.telegram.calls[mark:] if c.method == "sendMessage"]
    assert not [text for text in later if "Vroegsignalering" in text]
    assert [text for text in later if "16 uur ongeoorloofd verzuim" in text]  # the report's
