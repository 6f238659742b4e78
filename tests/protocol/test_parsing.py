"""The quick-update parser on real-world phrasings (Dutch and English, typos, extra words).

Each expectation was written from what the sentence means before the parser was run. A refusal
is acceptable; a wrong date, hour or kind is not. Add every new phrasing you meet.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.protocol.parsing import (
    AbsenceOnDay,
    AbsencePeriod,
    Ambiguous,
    BackAtSchool,
    ContactPerson,
    DayPart,
    Entry,
    Evaluation,
    Exemption,
    FailureReason,
    Item,
    LateArrival,
    Movement,
    Offer,
    ParseFailure,
    Question,
    QuickUpdate,
    Result,
    Suspension,
    Variawet,
    VariawetStep,
    parse_quick_update,
)
from bot.protocol.vocabulary import AbsenceKind, EntryKind, MovementKind

ONG, GEO, ZIEK = AbsenceKind.ONGEOORLOOFD, AbsenceKind.GEOORLOOFD, AbsenceKind.ZIEK
WHOLE, HALF = DayPart.WHOLE, DayPart.HALF
R = FailureReason

Expected = QuickUpdate | Ambiguous | FailureReason


def U(name: str, *items: Item, dropped: bool = False) -> QuickUpdate:
    return QuickUpdate(name, items, dropped)


def ong(day: date, amount: float | DayPart = WHOLE) -> AbsenceOnDay:
    return AbsenceOnDay(ONG, day, amount)


def geo(day: date, amount: float | DayPart = WHOLE) -> AbsenceOnDay:
    return AbsenceOnDay(GEO, day, amount)


def ziek(day: date, amount: float | DayPart = WHOLE) -> AbsenceOnDay:
    return AbsenceOnDay(ZIEK, day, amount)


def late(day: date, count: int = 1, hours: float | None = None) -> LateArrival:
    return LateArrival(day, count, hours)


def ask(question: Question, *options: QuickUpdate) -> Ambiguous:
    return Ambiguous(question, options)


def check(text: str, today: date, expected: Expected) -> None:
    result = parse_quick_update(text, today)
    if isinstance(expected, FailureReason):
        assert isinstance(result, ParseFailure), result
        assert result.reason is expected
    else:
        assert result == expected


# ----- Wednesday 17 March 2027 -----

TODAY = date(2027, 3, 17)
MON = date(2027, 3, 15)
YESTERDAY = date(2027, 3, 16)
D = lambda day: date(2027, 3, day)  # noqa: E731

CASES: list[tuple[str, Expected]] = [
    # unauthorised absence
    ("Sanne 4 uur ongeoorloofd vandaag", U("Sanne", ong(TODAY, 4.0))),
    ("Sanne 4 uur ongeoorloofd", U("Sanne", ong(TODAY, 4.0))),
    ("sanne vandaag 4 uur ongeoorloofd afwezig", U("sanne", ong(TODAY, 4.0))),
    ("Sanne 4u ongeoorloofd gisteren", U("Sanne", ong(YESTERDAY, 4.0))),
    ("Sanne 2,5 uur ongeoorloofd afwezig op maandag", U("Sanne", ong(MON, 2.5))),
    ("Sanne de Vries 3 uur ongeoorloofd 3 maart", U("Sanne de Vries", ong(D(3), 3.0))),
    ("Sanne 6 uur ongeoorloofd 15-03-2027", U("Sanne", ong(MON, 6.0))),
    ("Sanne 6 uur ongeoorloofd 2027-03-15", U("Sanne", ong(MON, 6.0))),
    ("Sanne 1 uur ongeoorloofd 15/3", U("Sanne", ong(MON, 1.0))),
    ("Sanne heeft vandaag 2 uur gespijbeld", U("Sanne", ong(TODAY, 2.0))),
    ("Sanne spijbelt 3 uur", U("Sanne", ong(TODAY, 3.0))),
    ("Sanne 4 uur ongeoorlofd vandaag", U("Sanne", ong(TODAY, 4.0))),
    ("Sanne 4 uur ongeorloofd", U("Sanne", ong(TODAY, 4.0))),
    ("Sanne 4 uur ongeoorlooft", U("Sanne", ong(TODAY, 4.0))),
    ("Sanne twee uur ongeoorloofd gisteren", U("Sanne", ong(YESTERDAY, 2.0))),
    ("Sanne was gisteren 5 uur ongeoorloofd afwezig", U("Sanne", ong(YESTERDAY, 5.0))),
    ("Sanne 4 hours unauthorised today", U("Sanne", ong(TODAY, 4.0))),
    ("Sanne 4 hours unauthorized absence yesterday", U("Sanne", ong(YESTERDAY, 4.0))),
    ("Sanne unexcused 3 hrs on Monday", U("Sanne", ong(MON, 3.0))),
    ("Sanne truant 2h March 3", U("Sanne", ong(D(3), 2.0))),
    ("Sanne 4 uur ongeoorloofd afgelopen maandag", U("Sanne", ong(MON, 4.0))),
    ("Sanne 4 uur ongeoorloofd ma", U("Sanne", ong(MON, 4.0))),
    # authorised absence
    ("Sanne 2 uur geoorloofd afwezig", U("Sanne", geo(TODAY, 2.0))),
    ("Sanne 2 uur geoorloofd 3 maart", U("Sanne", geo(D(3), 2.0))),
    ("Sanne excused 2 hours yesterday", U("Sanne", geo(YESTERDAY, 2.0))),
    ("Sanne 3 uur verlof vandaag", U("Sanne", geo(TODAY, 3.0))),
    # sick
    ("Sanne ziek sinds maandag", U("Sanne", AbsencePeriod(ZIEK, MON, TODAY))),
    ("Sanne is ziek sinds 15 maart", U("Sanne", AbsencePeriod(ZIEK, MON, TODAY))),
    ("Sanne ziek", U("Sanne", ziek(TODAY))),
    ("Sanne vandaag ziek gemeld", U("Sanne", ziek(TODAY))),
    ("Sanne gisteren 3 uur ziek", U("Sanne", ziek(YESTERDAY, 3.0))),
    ("Sanne ziekgemeld", U("Sanne", ziek(TODAY))),
    ("Sanne sick since Monday", U("Sanne", AbsencePeriod(ZIEK, MON, TODAY))),
    ("Sanne is ill today", U("Sanne", ziek(TODAY))),
    # "sinds woensdag" said on a Wednesday: since today, or since a week ago? Asked.
    ("Sanne sinds woensdag ziek", ask(Question.WHICH_START, U("Sanne", AbsencePeriod(ZIEK, TODAY, TODAY)), U("Sanne", AbsencePeriod(ZIEK, D(10), TODAY)))),
    # late: a count over a week or without a day does not say which days
    ("Sanne 2x te laat deze week", R.NEEDS_DAYS),
    ("Sanne te laat vandaag", U("Sanne", late(TODAY))),
    ("Sanne 3 keer te laat", R.NEEDS_DAYS),
    ("Sanne twee keer te laat gisteren", U("Sanne", late(YESTERDAY, 2))),
    ("Sanne late twice this week", R.NEEDS_DAYS),
    ("Sanne was late yesterday", U("Sanne", late(YESTERDAY))),
    ("Sanne 1 uur te laat", U("Sanne", late(TODAY, 1, 1.0))),
    ("Sanne halve dag te laat", R.NEEDS_HOURS),  # how late is not said
    ("Sanne hele dag te laat", R.NEEDS_HOURS),
    # back at school
    ("Sanne is weer op school", U("Sanne", BackAtSchool(TODAY))),
    ("Sanne weer op school sinds maandag", U("Sanne", BackAtSchool(MON))),
    ("Sanne gaat weer naar school", U("Sanne", BackAtSchool(TODAY))),
    ("Sanne is back at school", U("Sanne", BackAtSchool(TODAY))),
    ("Sanne terug op school vanaf gisteren", U("Sanne", BackAtSchool(YESTERDAY))),
    # suitable offer
    ("Sanne heeft passend aanbod vanaf 1 maart: dagbesteding", U("Sanne", Offer(D(1), "dagbesteding"))),
    ("Sanne passend aanbod sinds 1 maart: zorgboerderij 3 dagen", U("Sanne", Offer(D(1), "zorgboerderij 3 dagen"))),
    ("aanbod Sanne: onderwijs-zorgarrangement vanaf 1 april", U("Sanne", Offer(date(2027, 4, 1), "onderwijs-zorgarrangement"))),
    ("Sanne has a suitable offer from 1 March: day care", U("Sanne", Offer(D(1), "day care"))),
    # action, goal, party, note
    ("actie Sanne: RTG met ouders op 12 maart", U("Sanne", Entry(EntryKind.ACTION, D(12), "RTG met ouders"))),
    ("Actie voor Sanne: MDO gepland 24 maart", U("Sanne", Entry(EntryKind.ACTION, D(24), "MDO gepland"))),
    ("actie Sanne de Vries: huisbezoek", U("Sanne de Vries", Entry(EntryKind.ACTION, TODAY, "huisbezoek"))),
    ("action Sanne: meeting with parents on March 12", U("Sanne", Entry(EntryKind.ACTION, D(12), "meeting with parents"))),
    ("doel Sanne: elke ochtend 2 uur naar school", U("Sanne", Entry(EntryKind.GOAL, TODAY, "elke ochtend 2 uur naar school"))),
    ("goal Sanne: back to full days by May", U("Sanne", Entry(EntryKind.GOAL, TODAY, "back to full days by May"))),
    ("betrokkene Sanne: jeugdarts GGD", U("Sanne", Entry(EntryKind.PARTY, TODAY, "jeugdarts GGD"))),
    ("betrokken Sanne: wijkteam", U("Sanne", Entry(EntryKind.PARTY, TODAY, "wijkteam"))),
    ("involved Sanne: youth care worker", U("Sanne", Entry(EntryKind.PARTY, TODAY, "youth care worker"))),
    ("notitie Sanne: moeder gebeld, geen gehoor", U("Sanne", Entry(EntryKind.NOTE, TODAY, "moeder gebeld, geen gehoor"))),
    # suspension: "tot" may or may not include the last day, so the bot asks
    ("Sanne geschorst van 3 maart tot 5 maart", ask(Question.UNTIL, U("Sanne", Suspension(D(3), D(5))), U("Sanne", Suspension(D(3), D(4))))),
    ("Sanne geschorst 15-03-2027 t/m 17-03-2027", U("Sanne", Suspension(MON, TODAY))),
    ("Sanne geschorst vandaag", U("Sanne", Suspension(TODAY, TODAY))),
    ("Sanne suspended from 3 March to 5 March", ask(Question.UNTIL, U("Sanne", Suspension(D(3), D(5))), U("Sanne", Suspension(D(3), D(4))))),
    # exemption
    ("Sanne vrijstelling 5A van 1 maart tot 31 juli", U("Sanne", Exemption("5A", D(1), date(2027, 7, 31)))),
    ("Sanne vrijstelling artikel 5 onder a per 1 maart", U("Sanne", Exemption("5A", D(1)))),
    ("Sanne exemption 5B from 1 March to 31 July", U("Sanne", Exemption("5B", D(1), date(2027, 7, 31)))),
    ("Sanne vrijstelling 5C", U("Sanne", Exemption("5C", TODAY))),
    # not understood, with the reason
    ("", R.EMPTY),
    ("   ", R.EMPTY),
    ("x" * 501, R.TOO_LONG),
    ("4 uur ongeoorloofd vandaag", R.NO_NAME),
    ("hallo", R.NOT_UNDERSTOOD),
    ("Sanne doet het goed", R.UNKNOWN_WORDS),
    ("Sanne 4 uur ongeoorloofd morgen", R.FUTURE_DATE),
    ("Sanne 4 uur ongeoorloofd 20 maart 2027", R.FUTURE_DATE),
    ("Sanne vrijstelling", R.NO_ARTICLE),
    ("Sanne vrijstelling 5A van 1 mei tot 1 maart 2027", R.END_BEFORE_START),
    ("actie Sanne:", R.NO_TEXT),
    # contact, evaluation and confidential notes
    ("regie Sanne: Jan Jansen (IB)", U("Sanne", ContactPerson("Jan Jansen (IB)"))),
    ("contactpersoon Sanne: mevr. Bakker", U("Sanne", ContactPerson("mevr. Bakker"))),
    ("evaluatie Sanne: terug naar school sinds 1 maart, goed verlopen", U("Sanne", Evaluation("terug naar school sinds 1 maart, goed verlopen"))),
    # the result of the latest open action (which one is decided when it is confirmed)
    ("resultaat Sanne: moeder stemt in met het plan", U("Sanne", Result("moeder stemt in met het plan"))),
    ("Sanne resultaat: vader reageert niet", U("Sanne", Result("vader reageert niet"))),
    ("uitkomst Sanne: RTG gehouden op 3 maart", U("Sanne", Result("RTG gehouden op 3 maart"))),
    ("result Sanne: mother agreed to the plan", U("Sanne", Result("mother agreed to the plan"))),
    ("resultaat Sanne:", R.NO_TEXT),
    ("notitie Sanne (vertrouwelijk): diagnose volgt", U("Sanne", Entry(EntryKind.NOTE, TODAY, "diagnose volgt", True))),
    ("vertrouwelijke notitie Sanne: gesprek met jeugdarts", U("Sanne", Entry(EntryKind.NOTE, TODAY, "gesprek met jeugdarts", True))),
    ("medische notitie voor Sanne: ziekenhuisopname", U("Sanne", Entry(EntryKind.NOTE, TODAY, "ziekenhuisopname", True))),
    ("note Sanne confidential: seeing a psychologist", U("Sanne", Entry(EntryKind.NOTE, TODAY, "seeing a psychologist", True))),
    # movements and Variawet
    ("Sanne verwijderd per 1 maart", U("Sanne", Movement(MovementKind.VERWIJDERING, D(1)))),
    ("Sanne verwijderd op 15 maart, nieuwe school: De Brug", U("Sanne", Movement(MovementKind.VERWIJDERING, MON, "De Brug"))),
    ("Sanne uitgeschreven vandaag", U("Sanne", Movement(MovementKind.UITSCHRIJVING, TODAY))),
    ("Sanne ingeschreven op 16-03-2027", U("Sanne", Movement(MovementKind.INSCHRIJVING, YESTERDAY))),
    ("Sanne removed from school yesterday", U("Sanne", Movement(MovementKind.VERWIJDERING, YESTERDAY))),
    ("Sanne uitgeschreven morgen", R.FUTURE_DATE),
    ("variawet Sanne: aangevraagd 1 maart", U("Sanne", Variawet(VariawetStep.APPLIED, D(1)))),
    ("variawet Sanne: toegekend", U("Sanne", Variawet(VariawetStep.APPROVED, TODAY))),
    ("variawet Sanne: afgewezen op 15 maart", U("Sanne", Variawet(VariawetStep.REJECTED, MON))),
    ("variawet Sanne: approved yesterday", U("Sanne", Variawet(VariawetStep.APPROVED, YESTERDAY))),
    ("variawet Sanne: iets", R.NO_TEXT),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:50] or "empty" for c in CASES])
def test_parse(text: str, expected: Expected) -> None:
    check(text, TODAY, expected)


# ----- Tuesday 1 December 2026: the phrasings that were stored wrongly or refused -----

T = date(2026, 12, 1)
N = lambda day: date(2026, 11, day)  # noqa: E731
MA, ZO, VR, DO, WO = N(30), N(29), N(27), N(26), N(25)
PREV = [N(23), N(24), N(25), N(26), N(27)]  # Monday–Friday of the previous week
KINDS = (ONG, GEO, ZIEK)


def which_kind(name: str, day: date, amount: float | DayPart = WHOLE) -> Ambiguous:
    return ask(Question.WHICH_KIND, *(U(name, AbsenceOnDay(k, day, amount)) for k in KINDS))


def which_day(name: str, days: list[date], kind: AbsenceKind) -> Ambiguous:
    options = [U(name, AbsenceOnDay(kind, day)) for day in days]
    return ask(Question.WHICH_DAY, *options, U(name, AbsencePeriod(kind, days[0], days[-1])))


DECEMBER: list[tuple[str, Expected]] = [
    # relative dates
    ("Sanne 4 uur ongeoorloofd gister", U("Sanne", ong(MA, 4.0))),
    ("Sanne gister 2 uur ongeoorloofd", U("Sanne", ong(MA, 2.0))),
    ("Noah 4 dagen geleden 3 uur ongeoorloofd", U("Noah", ong(VR, 3.0))),
    ("Noah was 4 dagen geleden ziek", U("Noah", ziek(VR))),
    ("Milan vorige week maandag 2 uur ongeoorloofd", U("Milan", ong(N(23), 2.0))),
    ("Milan vorige week dinsdag ziek", U("Milan", ziek(N(24)))),
    ("Milan maandag vorige week te laat", U("Milan", late(N(23)))),
    ("Emma 2x te laat vorige week", R.NEEDS_DAYS),
    ("Emma volgende week maandag ziek", R.FUTURE_DATE),
    ("Emma ziek sinds vorige week donderdag", U("Emma", AbsencePeriod(ZIEK, DO, T))),
    ("Emma ziek vanaf 3 december", R.FUTURE_DATE),
    ("Emma 15 december 2 uur ongeoorloofd", R.FUTURE_DATE),
    ("Daan eergisteren 3 uur ongeoorloofd", U("Daan", ong(ZO, 3.0))),
    ("Daan vanochtend te laat", U("Daan", late(T))),
    ("Daan vanochtend 10 min te laat", U("Daan", late(T, 1, 10 / 60))),
    ("Daan 20 minutes late today", U("Daan", late(T, 1, 20 / 60))),
    ("Sanne V. vanochtend te laat", U("Sanne V.", late(T))),
    ("Lucas 2 weken geleden ziek", which_day("Lucas", [N(16), N(17), N(18), N(19), N(20)], ZIEK)),
    ("Lucas vorige week ziek", which_day("Lucas", PREV, ZIEK)),
    ("Lucas vorige maandag 2 uur ongeoorloofd", ask(Question.WHICH_DAY, U("Lucas", ong(MA, 2.0)), U("Lucas", ong(N(23), 2.0)))),
    ("Lucas afgelopen maandag ziek", U("Lucas", ziek(MA))),
    ("Lucas maandag 4 uur ongeoorloofd", U("Lucas", ong(MA, 4.0))),
    ("Lucas dinsdag 4 uur ongeoorloofd", ask(Question.WHICH_DAY, U("Lucas", ong(T, 4.0)), U("Lucas", ong(N(24), 4.0)))),
    ("Lucas vandaag 4 uur ongeoorloofd", U("Lucas", ong(T, 4.0))),
    ("Lucas woensdag ziek", U("Lucas", ziek(WO))),
    ("Julia deze week maandag ziek", U("Julia", ziek(MA))),
    ("Julia ziek van maandag tot en met vandaag", U("Julia", AbsencePeriod(ZIEK, MA, T))),
    ("Julia ziek van 23 november t/m 25 november", U("Julia", AbsencePeriod(ZIEK, N(23), N(25)))),
    ("Julia ziek van 23 tot 25 november", ask(Question.UNTIL, U("Julia", AbsencePeriod(ZIEK, N(23), N(25))), U("Julia", AbsencePeriod(ZIEK, N(23), N(24))))),
    ("Julia 3 december ziek", R.FUTURE_DATE),
    ("Julia ziek 3 dec", R.FUTURE_DATE),
    ("Sem yesterday 3 hours unauthorised", U("Sem", ong(MA, 3.0))),
    ("Sem 2 days ago sick", U("Sem", ziek(ZO))),
    ("Sem was absent without permission last week Monday", U("Sem", ong(N(23)))),
    ("Sem sick since last Thursday", U("Sem", AbsencePeriod(ZIEK, DO, T))),
    ("Sem late this morning", U("Sem", late(T))),
    ("Sem 1 hour unauthorised the day before yesterday", U("Sem", ong(ZO, 1.0))),
    # hours: lesson periods, time ranges, minutes, number words
    ("Tess het 3e en 4e uur ongeoorloofd", U("Tess", ong(T, 2.0))),
    ("Tess 3e en 4e uur ongeoorloofd gisteren", U("Tess", ong(MA, 2.0))),
    ("Tess het 1e uur ongeoorloofd", U("Tess", ong(T, 1.0))),
    ("Tess 2e t/m 5e uur ongeoorloofd", U("Tess", ong(T, 4.0))),
    ("Tess van 9 tot 11 ongeoorloofd afwezig", U("Tess", ong(T, 2.0))),
    ("Tess ongeoorloofd van 9:00 tot 11:30", U("Tess", ong(T, 2.5))),
    ("Tess 9-11 uur ongeoorloofd", U("Tess", ong(T, 2.0))),
    ("Tess een uur ongeoorloofd", U("Tess", ong(T, 1.0))),
    ("Tess vier uur ongeoorloofd gisteren", U("Tess", ong(MA, 4.0))),
    ("Tess kwartier te laat", U("Tess", late(T, 1, 0.25))),
    ("Tess een kwartier te laat vandaag", U("Tess", late(T, 1, 0.25))),
    ("Tess halve dag ziek", U("Tess", ziek(T, HALF))),
    ("Tess hele dag ongeoorloofd afwezig", U("Tess", ong(T))),
    ("Tess half uur te laat", U("Tess", late(T, 1, 0.5))),
    ("Tess anderhalf uur ongeoorloofd", U("Tess", ong(T, 1.5))),
    ("Yara periods 3 and 4 unauthorised", U("Yara", ong(T, 2.0))),
    ("Yara 2 lesuren ongeoorloofd", U("Yara", ong(T, 2.0))),
    ("Yara 2,5 uur geoorloofd", U("Yara", geo(T, 2.5))),
    ("Yara 2.5 hours excused yesterday", U("Yara", geo(MA, 2.5))),
    ("Yara 40 uur ongeoorloofd", R.TOO_MANY_HOURS),
    ("Yara 7 uur ongeoorloofd", U("Yara", ong(T, 7.0))),
    ("Yara 30 min te laat", U("Yara", late(T, 1, 0.5))),
    ("Yara drie kwartier ongeoorloofd", U("Yara", ong(T, 0.75))),
    ("Yara 10 minuten te laat gisteren", U("Yara", late(MA, 1, 10 / 60))),
    ("Yara 1st and 2nd period unauthorised", U("Yara", ong(T, 2.0))),
    # two or more facts in one message
    ("Noah 2 uur ongeoorloofd en 1x te laat vandaag", U("Noah", ong(T, 2.0), late(T))),
    ("Noah gisteren 2 uur ongeoorloofd en 1x te laat", U("Noah", ong(MA, 2.0), late(MA))),
    ("Noah 1 uur ziek en 2 uur ongeoorloofd gisteren", U("Noah", ziek(MA, 1.0), ong(MA, 2.0))),
    ("Noah te laat maandag en woensdag", U("Noah", late(WO), late(MA))),
    ("Noah 2x te laat, maandag en vrijdag", U("Noah", late(VR), late(MA))),
    ("Noah maandag en vrijdag ziek", U("Noah", ziek(VR), ziek(MA))),
    ("Noah maandag 2 uur en dinsdag 3 uur ongeoorloofd", R.UNCLEAR_DATES),  # which Tuesday
    ("Noah maandag 2 uur en vandaag 3 uur ongeoorloofd", U("Noah", ong(MA, 2.0), ong(T, 3.0))),
    ("Noah maandag en dinsdag 2 uur en 3 uur ongeoorloofd", R.UNCLEAR_DATES),
    ("Noah 2 uur ongeoorloofd maandag en 1x te laat dinsdag", R.UNCLEAR_DATES),  # which Tuesday
    ("Noah 2 uur ongeoorloofd maandag en 1x te laat vandaag", U("Noah", ong(MA, 2.0), late(T))),
    ("Milan: tandarts 9-10", R.DATE_OR_TIME),
    ("Olivier 3 uur ongeoorloofd 20-11", U("Olivier", ong(N(20), 3.0))),
    ("Noa ziek op 23 en 24 november", U("Noa", ziek(N(23)), ziek(N(24)))),
    ("Lara 3 kwartier te laat", U("Lara", late(T, 1, 0.75))),
    ("Jayden - ziek", U("Jayden", ziek(T))),
    ("Sanne suspended from 2 through 4 November", U("Sanne", Suspension(N(2), N(4)))),
    # the name first, after a greeting, or at the end; a keyword after the name
    ("hoi, even doorgeven: Sanne 4 uur ongeoorloofd", U("Sanne", ong(T, 4.0))),
    ("graag noteren: Sanne ziek", U("Sanne", ziek(T))),
    ("Hallo! Milan 2 uur ongeoorloofd gisteren", U("Milan", ong(MA, 2.0))),
    ("vandaag 3 uur ongeoorloofd afwezig Milan", U("Milan", ong(T, 3.0))),
    ("gisteren ziek Milan", U("Milan", ziek(MA))),
    ("Elin actie: gesprek met ouders", U("Elin", Entry(EntryKind.ACTION, T, "gesprek met ouders"))),
    ("Liv doel: elke ochtend naar school", U("Liv", Entry(EntryKind.GOAL, T, "elke ochtend naar school"))),
    ("Liv notitie: moeder gebeld", U("Liv", Entry(EntryKind.NOTE, T, "moeder gebeld"))),
    ("Elin actie: huisbezoek op 3 december", U("Elin", Entry(EntryKind.ACTION, date(2026, 12, 3), "huisbezoek"))),
    ("Goedemorgen, Sanne is vandaag ziek", U("Sanne", ziek(T))),
    ("ter info: Sanne te laat", U("Sanne", late(T))),
    ("Update: Noah 1x te laat", U("Noah", late(T))),
    # the words people use
    ("Sanne zonder reden afwezig", U("Sanne", ong(T))),
    ("Sanne 2 uur zonder reden afwezig", U("Sanne", ong(T, 2.0))),
    ("Sanne onwettig afwezig gisteren", U("Sanne", ong(MA))),
    ("Sanne absent without permission today", U("Sanne", ong(T))),
    ("Sanne 2 uur tandarts", U("Sanne", geo(T, 2.0))),
    ("Sanne orthodontist 1 uur", U("Sanne", geo(T, 1.0))),
    ("Sanne dentist 2 hours yesterday", U("Sanne", geo(MA, 2.0))),
    ("Sanne griep", U("Sanne", ziek(T))),
    ("Sanne heeft griep sinds maandag", U("Sanne", AbsencePeriod(ZIEK, MA, T))),
    ("Sanne is terug", U("Sanne", BackAtSchool(T))),
    ("Sanne is weer terug sinds maandag", U("Sanne", BackAtSchool(MA))),
    ("Sanne hele dag afwezig", which_kind("Sanne", T)),
    ("Sanne 3 uur afwezig", which_kind("Sanne", T, 3.0)),
    ("Sanne niet op school gisteren", which_kind("Sanne", MA)),
    ("Sanne afwezig ivm tandarts", U("Sanne", geo(T), dropped=True)),
    ("Sanne 2 uur ongeoorloofd want geen zin", U("Sanne", ong(T, 2.0), dropped=True)),
    ("Sanne koorts", U("Sanne", ziek(T))),
    ("Sanne called in sick", U("Sanne", ziek(T))),
    ("Sanne spijbelt vandaag", U("Sanne", ong(T))),
    ("Sanne ziek gemeld door moeder", U("Sanne", ziek(T))),
    # what is refused rather than guessed
    ("Sanne niet ziek", R.NEGATION),
    ("Sanne was niet te laat", R.NEGATION),
    ("Sanne 4 ongeoorloofd", R.UNKNOWN_WORDS),
    ("Sanne 4 uur ongeoorloofd Engels", R.UNKNOWN_WORDS),
    ("Sanne en Milan ziek", R.SEVERAL_PUPILS),  # read per pupil by parse_several
    ("Sanne ziek 31-02-2026", R.BAD_DATE),
    ("Sanne 2x ongeoorloofd", R.NEEDS_DAYS),
    ("Sanne 3 keer te laat", R.NEEDS_DAYS),
    ("Sanne twee keer te laat gisteren", U("Sanne", late(MA, 2))),
    ("Sanne 4 uur ongeoorloofd morgen", R.FUTURE_DATE),
    ("4 uur ongeoorloofd vandaag", R.NO_NAME),
    ("hallo", R.NOT_UNDERSTOOD),
    ("Sanne om 9.30 binnen", R.NOT_UNDERSTOOD),  # a time of day; what happened is not said
    # English
    ("Sanne 4 hours unauthorised today", U("Sanne", ong(T, 4.0))),
    ("Sanne unexcused 3 hrs on Monday", U("Sanne", ong(MA, 3.0))),
    ("Sanne was late yesterday", U("Sanne", late(MA))),
    ("Sanne late twice yesterday", U("Sanne", late(MA, 2))),
    ("Sanne is ill today", U("Sanne", ziek(T))),
    ("Sanne off sick since Monday", U("Sanne", AbsencePeriod(ZIEK, MA, T))),
    ("Sanne is back at school", U("Sanne", BackAtSchool(T))),
    ("Sanne flu", U("Sanne", ziek(T))),
    ("Sanne doctor's appointment 2 hours", U("Sanne", geo(T, 2.0))),
    ("Sanne skipped school yesterday", U("Sanne", ong(MA))),
    # suspension, exemption and the rest
    ("Sanne geschorst van 2 november tot 4 november", ask(Question.UNTIL, U("Sanne", Suspension(N(2), N(4))), U("Sanne", Suspension(N(2), N(3))))),
    ("Sanne geschorst van 2 t/m 4 november", U("Sanne", Suspension(N(2), N(4)))),
    ("Sanne geschorst vandaag", U("Sanne", Suspension(T, T))),
    ("Sanne geschorst 23-11-2026 t/m 25-11-2026", U("Sanne", Suspension(N(23), N(25)))),
    ("Sanne vrijstelling 5A van 1 december tot 31 juli", U("Sanne", Exemption("5A", T, date(2027, 7, 31)))),
    ("Sanne vrijstelling 5B per 1 januari", U("Sanne", Exemption("5B", date(2027, 1, 1)))),
    ("Sanne uitgeschreven gisteren", U("Sanne", Movement(MovementKind.UITSCHRIJVING, MA))),
    ("Sanne verwijderd vorige week maandag", U("Sanne", Movement(MovementKind.VERWIJDERING, N(23)))),
    ("variawet Sanne: aangevraagd gisteren", U("Sanne", Variawet(VariawetStep.APPLIED, MA))),
    ("Sanne passend aanbod vanaf 1 december: dagbesteding", U("Sanne", Offer(T, "dagbesteding"))),
    ("actie Sanne: MDO op 10 december", U("Sanne", Entry(EntryKind.ACTION, date(2026, 12, 10), "MDO"))),
    ("notitie Sanne (vertrouwelijk): diagnose volgt", U("Sanne", Entry(EntryKind.NOTE, T, "diagnose volgt", True))),
    # met while building this: each was once read wrongly
    ("Tess ziek van 9 tot 11 november", ask(Question.UNTIL, U("Tess", AbsencePeriod(ZIEK, N(9), N(11))), U("Tess", AbsencePeriod(ZIEK, N(9), N(10))))),
    ("Sanne maandag 1 december ziek", R.BAD_DATE),  # 1 December is a Tuesday
    ("Sanne dinsdag 1 december ziek", U("Sanne", ziek(T))),
    ("Bas geschorst tot en met vrijdag", U("Bas", Suspension(T, date(2026, 12, 4)))),
    ("Bas geschorst 2 dagen", R.UNKNOWN_WORDS),
    ("Sanne is niet terug op school", R.NEGATION),
    ("hoe gaat het?", R.NOT_UNDERSTOOD),
    ("Finn kwam 25 minuten te laat", U("Finn", late(T, 1, 25 / 60))),
    ("Sanne kwartiertje te laat", U("Sanne", late(T, 1, 0.25))),
    ("Hugo notitie: vader belt morgen terug", U("Hugo", Entry(EntryKind.NOTE, T, "vader belt morgen terug"))),
    ("Sanne ingeschreven op nieuwe school per 1 december", U("Sanne", Movement(MovementKind.INSCHRIJVING, T))),
    ("Sanne ingeschreven, nieuwe school: De Brug", U("Sanne", Movement(MovementKind.INSCHRIJVING, T, "De Brug"))),
    ("vrijstelling Sanne 5B vanaf 1 december", U("Sanne", Exemption("5B", T))),
    ("Puck ongeoorloofd afwezig vorige week maandag t/m woensdag", U("Puck", AbsencePeriod(ONG, N(23), N(25)))),
    ("Stijn 3 uur geoorloofd (begrafenis opa)", U("Stijn", geo(T, 3.0), dropped=True)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DECEMBER, ids=[c[0][:50] for c in DECEMBER])
def test_parse_on_the_first_of_december(text: str, expected: Expected) -> None:
    check(text, T, expected)


def test_the_table_has_at_least_two_hundred_phrasings() -> None:
    assert len(CASES) + len(DECEMBER) >= 200


def test_an_end_without_a_year_lies_after_the_start() -> None:
    november = date(2026, 11, 23)
    assert parse_quick_update("Sanne vrijstelling 5A van 1 december tot 31 juli", november) == (
        U("Sanne", Exemption("5A", date(2026, 12, 1), date(2027, 7, 31)))
    )
    assert parse_quick_update("Sanne geschorst van 30 december t/m 2 januari", november) == (
        U("Sanne", Suspension(date(2026, 12, 30), date(2027, 1, 2)))
    )


def test_a_refusal_says_what_was_not_understood() -> None:
    result = parse_quick_update("Sanne 4 uur ongeoorloofd Engels en Wiskunde", T)
    assert isinstance(result, ParseFailure)
    assert result.name == "Sanne"
    assert result.unknown == ("engels", "wiskunde")


def test_a_future_date_is_named() -> None:
    result = parse_quick_update("Emma ziek vanaf 3 december", T)
    assert isinstance(result, ParseFailure)
    assert result.day == date(2026, 12, 3)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_example_a_refusal_offers_is_understood(locale: str) -> None:
    import re

    from bot.i18n import translator
    from bot.views.texts import EXAMPLES
    from bot.views.updates import HINT_EXAMPLES

    tr = translator(locale)
    texts = [tr.gettext(text).format(name="Sanne") for text in HINT_EXAMPLES.values()]
    examples = [
        e for text in [*texts, tr.gettext(EXAMPLES)] for e in re.findall(r"“([^”]+)”", text)
    ]
    assert len(examples) >= 10
    for example in examples:
        result = parse_quick_update(example, T)
        assert isinstance(result, QuickUpdate | Ambiguous), (example, result)
