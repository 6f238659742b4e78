"""What a confirmation says about the deadlines a change created or closed (table; the texts
written from their meaning first)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import translator
from bot.protocol.rules import SUPERSEDED, Deadline, Rule
from bot.services.deadlines import DeadlineChanges
from bot.views.deadlines import deadline_lines

TODAY = date(2026, 11, 23)  # a Monday
PLAN = "Leg een plan van aanpak vast met een regie-/contactpersoon"
MELDING = (
    "16 uur ongeoorloofd verzuim binnen 4 schoolweken: ouders informeren, dan melden bij leerplicht"
)
WARNING = (
    "Vroegsignalering: het ongeoorloofd verzuim loopt op richting 16 uur in 4 schoolweken; ga nu"
    " in gesprek met ouders en leerling"
)
NO_OFFER = "2 maanden thuis zonder passend aanbod: opschalen naar het bestuur"


def _plan(due: date) -> Deadline:
    return Deadline(due, Rule.PLAN_VAN_AANPAK, pupil_id=1)


@pytest.mark.parametrize(
    ("changes", "lines"),
    [
        (DeadlineChanges(created=[_plan(date(2026, 11, 30))]),
         [f"⏰ {PLAN}: uiterlijk maandag 30 november 2026"]),
        # Created already past its due date: it says so.
        (DeadlineChanges(created=[_plan(date(2026, 11, 16))]),
         [f"⚠ {PLAN}: te laat, dit moest uiterlijk maandag 16 november 2026"]),
        (DeadlineChanges(closed=[_plan(date(2026, 12, 1))]), [f"✓ Vervallen: {PLAN}"]),
        # Closed long before it would come up (an 11-year-old's 18th birthday): never applied
        # to anyone yet, so not reported as lapsed.
        (DeadlineChanges(closed=[Deadline(date(2033, 5, 1), Rule.LEERPLICHT_EINDE, pupil_id=1)]),
         []),
        # The early warning overtaken by the 16-hour report: said why, and the report is news.
        (DeadlineChanges(
            created=[Deadline(date(2026, 11, 30), Rule.MELDING_16_UUR, pupil_id=1)],
            closed=[Deadline(date(2026, 11, 20), Rule.DREIGEND_16_UUR, pupil_id=1,
                             closed=SUPERSEDED)]),
         [f"⏰ {MELDING}: uiterlijk maandag 30 november 2026",
          f"✓ {WARNING}: opgegaan in de 16-uursmelding"]),
        # A deadline that moved (closed at one date, created at another) is never shown both
        # as overdue and as closed.
        (DeadlineChanges(created=[_plan(date(2026, 11, 19))], closed=[_plan(date(2026, 11, 18))]),
         [f"⚠ {PLAN}: te laat, dit moest uiterlijk donderdag 19 november 2026"]),
        # Achterstand first, however old, then what is coming; more than three overdue are
        # counted and pointed to.
        (DeadlineChanges(created=[
            _plan(date(2026, 12, 4)),
            *(Deadline(date(2026, 9, day), Rule.ZONDER_AANBOD_2M,
                       pupil_id=1) for day in (1, 2, 3, 4))]),
         [f"⚠ {NO_OFFER}: te laat, dit moest uiterlijk dinsdag 1 september 2026",
          f"⚠ {NO_OFFER}: te laat, dit moest uiterlijk woensdag 2 september 2026",
          f"⚠ {NO_OFFER}: te laat, dit moest uiterlijk donderdag 3 september 2026",
          "… en nog 1 te laat: /agenda toont ze.",
          f"⏰ {PLAN}: uiterlijk vrijdag 4 december 2026"]),
    ],
)  # fmt: skip
def test_deadline_lines(changes: DeadlineChanges, lines: list[str]) -> None:
    assert deadline_lines(changes, TODAY, translator("nl")) == lines


def test_deadline_lines_in_english() -> None:
    changes = DeadlineChanges(created=[_plan(date(2026, 11, 16))])
    assert deadline_lines(changes, TODAY, translator("en")) == [
        "⚠ Record a plan with a named contact person: overdue, this was due by Monday 16 November 2026"
    ]
