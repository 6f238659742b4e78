"""What a confirmation says about the deadlines a change created or closed (table; the texts
written from their meaning first)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.handlers.updates import deadline_lines
from bot.i18n import translator
from bot.protocol.rules import Deadline, Rule
from bot.services.deadlines import DeadlineChanges

TODAY = date(2026, 11, 23)  # a Monday
PLAN = "Leg een plan van aanpak vast met een regie-/contactpersoon"


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
    ],
)  # fmt: skip
def test_deadline_lines(changes: DeadlineChanges, lines: list[str]) -> None:
    assert deadline_lines(changes, TODAY, translator("nl")) == lines


def test_deadline_lines_in_english() -> None:
    changes = DeadlineChanges(created=[_plan(date(2026, 11, 16))])
    assert deadline_lines(changes, TODAY, translator("en")) == [
        "⚠ Record a plan with a named contact person: overdue, this was due by Monday 16 November 2026"
    ]
