"""The domain's vocabulary, declared once: the kinds of absence, of timeline entries and of
enrolment changes. The parser reads messages into them, the tables store them, the texts name
them (`bot.texts`), and the CSV columns take their values."""

from __future__ import annotations

from enum import StrEnum


class AbsenceKind(StrEnum):
    """Kinds of absence (README, "CSV import")."""

    ONGEOORLOOFD = "ongeoorloofd"
    ZIEK = "ziek"
    GEOORLOOFD = "geoorloofd"
    TE_LAAT = "te_laat"
    SCHORSING = "schorsing"


# The kinds a quick update records as hours on a day; a suspension is a fact of its own
# (`parsing.Suspension`), stored as a period.
DAILY_KINDS: tuple[AbsenceKind, ...] = (
    AbsenceKind.ONGEOORLOOFD,
    AbsenceKind.GEOORLOOFD,
    AbsenceKind.ZIEK,
    AbsenceKind.TE_LAAT,
)


class EntryKind(StrEnum):
    """The timeline entries of a case."""

    GOAL = "goal"
    PARTY = "party"
    ACTION = "action"
    NOTE = "note"


class MovementKind(StrEnum):
    """Enrolment changes that the protocol reacts to (002 §2.1.4, §2.2.1)."""

    VERWIJDERING = "verwijdering"
    UITSCHRIJVING = "uitschrijving"
    INSCHRIJVING = "inschrijving"
