"""The quick-update parser on real-world phrasings (Dutch and English, typos, extra words)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.protocol.parsing import (
    FailureReason,
    ParseFailure,
    QuickUpdate,
    UpdateKind,
    parse_quick_update,
)

TODAY = date(2027, 3, 17)  # a Wednesday
MON = date(2027, 3, 15)
YESTERDAY = date(2027, 3, 16)

A = UpdateKind.ABSENCE


def absence(name: str, kind: str, **fields: object) -> QuickUpdate:
    return QuickUpdate(A, name, absence_kind=kind, **fields)  # type: ignore[arg-type]


CASES: list[tuple[str, QuickUpdate | ParseFailure]] = [
    # unauthorised absence
    ("Sanne 4 uur ongeoorloofd vandaag", absence("Sanne", "ongeoorloofd", hours=4.0, day=TODAY)),
    ("Sanne 4 uur ongeoorloofd", absence("Sanne", "ongeoorloofd", hours=4.0, day=TODAY)),
    ("sanne vandaag 4 uur ongeoorloofd afwezig", absence("sanne", "ongeoorloofd", hours=4.0, day=TODAY)),
    ("Sanne 4u ongeoorloofd gisteren", absence("Sanne", "ongeoorloofd", hours=4.0, day=YESTERDAY)),
    ("Sanne 2,5 uur ongeoorloofd afwezig op maandag", absence("Sanne", "ongeoorloofd", hours=2.5, day=MON)),
    ("Sanne de Vries 3 uur ongeoorloofd 3 maart", absence("Sanne de Vries", "ongeoorloofd", hours=3.0, day=date(2027, 3, 3))),
    ("Sanne 6 uur ongeoorloofd 15-03-2027", absence("Sanne", "ongeoorloofd", hours=6.0, day=MON)),
    ("Sanne 6 uur ongeoorloofd 2027-03-15", absence("Sanne", "ongeoorloofd", hours=6.0, day=MON)),
    ("Sanne 1 uur ongeoorloofd 15/3", absence("Sanne", "ongeoorloofd", hours=1.0, day=MON)),
    ("Sanne heeft vandaag 2 uur gespijbeld", absence("Sanne", "ongeoorloofd", hours=2.0, day=TODAY)),
    ("Sanne spijbelt 3 uur", absence("Sanne", "ongeoorloofd", hours=3.0, day=TODAY)),
    ("Sanne 4 uur ongeoorlofd vandaag", absence("Sanne", "ongeoorloofd", hours=4.0, day=TODAY)),
    ("Sanne 4 uur ongeorloofd", absence("Sanne", "ongeoorloofd", hours=4.0, day=TODAY)),
    ("Sanne 4 uur ongeoorlooft", absence("Sanne", "ongeoorloofd", hours=4.0, day=TODAY)),
    ("Sanne twee uur ongeoorloofd gisteren", absence("Sanne", "ongeoorloofd", hours=2.0, day=YESTERDAY)),
    ("Sanne was gisteren 5 uur ongeoorloofd afwezig", absence("Sanne", "ongeoorloofd", hours=5.0, day=YESTERDAY)),
    ("Sanne 4 hours unauthorised today", absence("Sanne", "ongeoorloofd", hours=4.0, day=TODAY)),
    ("Sanne 4 hours unauthorized absence yesterday", absence("Sanne", "ongeoorloofd", hours=4.0, day=YESTERDAY)),
    ("Sanne unexcused 3 hrs on Monday", absence("Sanne", "ongeoorloofd", hours=3.0, day=MON)),
    ("Sanne truant 2h March 3", absence("Sanne", "ongeoorloofd", hours=2.0, day=date(2027, 3, 3))),
    ("Sanne 4 uur ongeoorloofd afgelopen maandag", absence("Sanne", "ongeoorloofd", hours=4.0, day=MON)),
    ("Sanne 4 uur ongeoorloofd ma", absence("Sanne", "ongeoorloofd", hours=4.0, day=MON)),
    # authorised absence
    ("Sanne 2 uur geoorloofd afwezig", absence("Sanne", "geoorloofd", hours=2.0, day=TODAY)),
    ("Sanne 2 uur geoorloofd 3 maart", absence("Sanne", "geoorloofd", hours=2.0, day=date(2027, 3, 3))),
    ("Sanne excused 2 hours yesterday", absence("Sanne", "geoorloofd", hours=2.0, day=YESTERDAY)),
    ("Sanne 3 uur verlof vandaag", absence("Sanne", "geoorloofd", hours=3.0, day=TODAY)),
    # sick
    ("Sanne ziek sinds maandag", absence("Sanne", "ziek", start=MON)),
    ("Sanne is ziek sinds 15 maart", absence("Sanne", "ziek", start=MON)),
    ("Sanne ziek", absence("Sanne", "ziek", day=TODAY)),
    ("Sanne vandaag ziek gemeld", absence("Sanne", "ziek", day=TODAY)),
    ("Sanne gisteren 3 uur ziek", absence("Sanne", "ziek", hours=3.0, day=YESTERDAY)),
    ("Sanne ziekgemeld", absence("Sanne", "ziek", day=TODAY)),
    ("Sanne sick since Monday", absence("Sanne", "ziek", start=MON)),
    ("Sanne is ill today", absence("Sanne", "ziek", day=TODAY)),
    ("Sanne sinds woensdag ziek", absence("Sanne", "ziek", start=TODAY)),
    # late
    ("Sanne 2x te laat deze week", absence("Sanne", "te_laat", count=2, day=TODAY)),
    ("Sanne te laat vandaag", absence("Sanne", "te_laat", count=1, day=TODAY)),
    ("Sanne 3 keer te laat", absence("Sanne", "te_laat", count=3, day=TODAY)),
    ("Sanne twee keer te laat gisteren", absence("Sanne", "te_laat", count=2, day=YESTERDAY)),
    ("Sanne late twice this week", absence("Sanne", "te_laat", count=2, day=TODAY)),
    ("Sanne was late yesterday", absence("Sanne", "te_laat", count=1, day=YESTERDAY)),
    ("Sanne 1 uur te laat", absence("Sanne", "te_laat", count=1, hours=1.0, day=TODAY)),
    # back at school
    ("Sanne is weer op school", QuickUpdate(UpdateKind.BACK_AT_SCHOOL, "Sanne", day=TODAY)),
    ("Sanne weer op school sinds maandag", QuickUpdate(UpdateKind.BACK_AT_SCHOOL, "Sanne", day=MON)),
    ("Sanne gaat weer naar school", QuickUpdate(UpdateKind.BACK_AT_SCHOOL, "Sanne", day=TODAY)),
    ("Sanne is back at school", QuickUpdate(UpdateKind.BACK_AT_SCHOOL, "Sanne", day=TODAY)),
    ("Sanne terug op school vanaf gisteren", QuickUpdate(UpdateKind.BACK_AT_SCHOOL, "Sanne", day=YESTERDAY)),
    # suitable offer
    ("Sanne heeft passend aanbod vanaf 1 maart: dagbesteding", QuickUpdate(UpdateKind.OFFER, "Sanne", start=date(2027, 3, 1), text="dagbesteding")),
    ("Sanne passend aanbod sinds 1 maart: zorgboerderij 3 dagen", QuickUpdate(UpdateKind.OFFER, "Sanne", start=date(2027, 3, 1), text="zorgboerderij 3 dagen")),
    ("aanbod Sanne: onderwijs-zorgarrangement vanaf 1 april", QuickUpdate(UpdateKind.OFFER, "Sanne", start=date(2027, 4, 1), text="onderwijs-zorgarrangement")),
    ("Sanne has a suitable offer from 1 March: day care", QuickUpdate(UpdateKind.OFFER, "Sanne", start=date(2027, 3, 1), text="day care")),
    # action, goal, party, note
    ("actie Sanne: RTG met ouders op 12 maart", QuickUpdate(UpdateKind.ACTION, "Sanne", day=date(2027, 3, 12), text="RTG met ouders")),
    ("Actie voor Sanne: MDO gepland 24 maart", QuickUpdate(UpdateKind.ACTION, "Sanne", day=date(2027, 3, 24), text="MDO gepland")),
    ("actie Sanne de Vries: huisbezoek", QuickUpdate(UpdateKind.ACTION, "Sanne de Vries", day=TODAY, text="huisbezoek")),
    ("action Sanne: meeting with parents on March 12", QuickUpdate(UpdateKind.ACTION, "Sanne", day=date(2027, 3, 12), text="meeting with parents")),
    ("doel Sanne: elke ochtend 2 uur naar school", QuickUpdate(UpdateKind.GOAL, "Sanne", day=TODAY, text="elke ochtend 2 uur naar school")),
    ("goal Sanne: back to full days by May", QuickUpdate(UpdateKind.GOAL, "Sanne", day=TODAY, text="back to full days by May")),
    ("betrokkene Sanne: jeugdarts GGD", QuickUpdate(UpdateKind.PARTY, "Sanne", day=TODAY, text="jeugdarts GGD")),
    ("betrokken Sanne: wijkteam", QuickUpdate(UpdateKind.PARTY, "Sanne", day=TODAY, text="wijkteam")),
    ("involved Sanne: youth care worker", QuickUpdate(UpdateKind.PARTY, "Sanne", day=TODAY, text="youth care worker")),
    ("notitie Sanne: moeder gebeld, geen gehoor", QuickUpdate(UpdateKind.NOTE, "Sanne", day=TODAY, text="moeder gebeld, geen gehoor")),
    # suspension
    ("Sanne geschorst van 3 maart tot 5 maart", QuickUpdate(UpdateKind.SUSPENSION, "Sanne", start=date(2027, 3, 3), end=date(2027, 3, 5))),
    ("Sanne geschorst 15-03-2027 t/m 17-03-2027", QuickUpdate(UpdateKind.SUSPENSION, "Sanne", start=MON, end=TODAY)),
    ("Sanne geschorst vandaag", QuickUpdate(UpdateKind.SUSPENSION, "Sanne", start=TODAY, end=TODAY)),
    ("Sanne suspended from 3 March to 5 March", QuickUpdate(UpdateKind.SUSPENSION, "Sanne", start=date(2027, 3, 3), end=date(2027, 3, 5))),
    # exemption
    ("Sanne vrijstelling 5A van 1 maart tot 31 juli", QuickUpdate(UpdateKind.EXEMPTION, "Sanne", start=date(2027, 3, 1), end=date(2027, 7, 31), article="5A")),
    ("Sanne vrijstelling artikel 5 onder a per 1 maart", QuickUpdate(UpdateKind.EXEMPTION, "Sanne", start=date(2027, 3, 1), article="5A")),
    ("Sanne exemption 5B from 1 March to 31 July", QuickUpdate(UpdateKind.EXEMPTION, "Sanne", start=date(2027, 3, 1), end=date(2027, 7, 31), article="5B")),
    ("Sanne vrijstelling 5C", QuickUpdate(UpdateKind.EXEMPTION, "Sanne", start=TODAY, article="5C")),
    # not understood, with the reason
    ("", ParseFailure(FailureReason.EMPTY)),
    ("   ", ParseFailure(FailureReason.EMPTY)),
    ("x" * 501, ParseFailure(FailureReason.TOO_LONG)),
    ("4 uur ongeoorloofd vandaag", ParseFailure(FailureReason.NO_NAME)),
    ("hallo", ParseFailure(FailureReason.NOT_UNDERSTOOD)),
    ("Sanne doet het goed", ParseFailure(FailureReason.NOT_UNDERSTOOD)),
    ("Sanne 4 uur ongeoorloofd morgen", ParseFailure(FailureReason.FUTURE_DATE)),
    ("Sanne 4 uur ongeoorloofd 20 maart 2027", ParseFailure(FailureReason.FUTURE_DATE)),
    ("Sanne vrijstelling", ParseFailure(FailureReason.NO_ARTICLE)),
    ("Sanne vrijstelling 5A van 1 mei tot 1 maart 2027", ParseFailure(FailureReason.END_BEFORE_START)),
    ("actie Sanne:", ParseFailure(FailureReason.NO_TEXT)),
]  # fmt: skip


def test_the_table_has_at_least_sixty_real_phrasings() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:50] or "empty" for c in CASES])
def test_parse(text: str, expected: QuickUpdate | ParseFailure) -> None:
    assert parse_quick_update(text, TODAY) == expected


MORE_CASES: list[tuple[str, QuickUpdate | ParseFailure]] = [
    ("regie Sanne: Jan Jansen (IB)", QuickUpdate(UpdateKind.CONTACT, "Sanne", day=TODAY, text="Jan Jansen (IB)")),
    ("contactpersoon Sanne: mevr. Bakker", QuickUpdate(UpdateKind.CONTACT, "Sanne", day=TODAY, text="mevr. Bakker")),
    ("evaluatie Sanne: terug naar school sinds 1 maart, goed verlopen", QuickUpdate(UpdateKind.EVALUATION, "Sanne", day=TODAY, text="terug naar school sinds 1 maart, goed verlopen")),
    ("notitie Sanne (vertrouwelijk): diagnose volgt", QuickUpdate(UpdateKind.NOTE, "Sanne", day=TODAY, text="diagnose volgt", confidential=True)),
    ("vertrouwelijke notitie Sanne: gesprek met jeugdarts", QuickUpdate(UpdateKind.NOTE, "Sanne", day=TODAY, text="gesprek met jeugdarts", confidential=True)),
    ("medische notitie voor Sanne: ziekenhuisopname", QuickUpdate(UpdateKind.NOTE, "Sanne", day=TODAY, text="ziekenhuisopname", confidential=True)),
    ("note Sanne confidential: seeing a psychologist", QuickUpdate(UpdateKind.NOTE, "Sanne", day=TODAY, text="seeing a psychologist", confidential=True)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MORE_CASES, ids=[c[0][:50] for c in MORE_CASES])
def test_parse_contact_evaluation_and_confidential_notes(
    text: str, expected: QuickUpdate | ParseFailure
) -> None:
    assert parse_quick_update(text, TODAY) == expected


def test_an_end_without_a_year_lies_after_the_start() -> None:
    november = date(2026, 11, 23)
    assert parse_quick_update("Sanne vrijstelling 5A van 1 december tot 31 juli", november) == (
        QuickUpdate(UpdateKind.EXEMPTION, "Sanne", start=date(2026, 12, 1), end=date(2027, 7, 31), article="5A")
    )  # fmt: skip
    assert parse_quick_update("Sanne geschorst van 30 december tot 2 januari", november) == (
        QuickUpdate(UpdateKind.SUSPENSION, "Sanne", start=date(2026, 12, 30), end=date(2027, 1, 2))
    )  # fmt: skip


MOVEMENTS: list[tuple[str, QuickUpdate | ParseFailure]] = [
    ("Sanne verwijderd per 1 maart", QuickUpdate(UpdateKind.MOVEMENT, "Sanne", day=date(2027, 3, 1), step="verwijdering")),
    ("Sanne verwijderd op 15 maart, nieuwe school: De Brug", QuickUpdate(UpdateKind.MOVEMENT, "Sanne", day=MON, text="De Brug", step="verwijdering")),
    ("Sanne uitgeschreven vandaag", QuickUpdate(UpdateKind.MOVEMENT, "Sanne", day=TODAY, step="uitschrijving")),
    ("Sanne ingeschreven op 16-03-2027", QuickUpdate(UpdateKind.MOVEMENT, "Sanne", day=YESTERDAY, step="inschrijving")),
    ("Sanne removed from school yesterday", QuickUpdate(UpdateKind.MOVEMENT, "Sanne", day=YESTERDAY, step="verwijdering")),
    ("Sanne uitgeschreven morgen", ParseFailure(FailureReason.FUTURE_DATE)),
    ("variawet Sanne: aangevraagd 1 maart", QuickUpdate(UpdateKind.VARIAWET, "Sanne", day=date(2027, 3, 1), step="applied")),
    ("variawet Sanne: toegekend", QuickUpdate(UpdateKind.VARIAWET, "Sanne", day=TODAY, step="approved")),
    ("variawet Sanne: afgewezen op 15 maart", QuickUpdate(UpdateKind.VARIAWET, "Sanne", day=MON, step="rejected")),
    ("variawet Sanne: approved yesterday", QuickUpdate(UpdateKind.VARIAWET, "Sanne", day=YESTERDAY, step="approved")),
    ("variawet Sanne: iets", ParseFailure(FailureReason.NO_TEXT)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MOVEMENTS, ids=[c[0][:50] for c in MOVEMENTS])
def test_parse_movements_and_variawet(text: str, expected: QuickUpdate | ParseFailure) -> None:
    assert parse_quick_update(text, TODAY) == expected
