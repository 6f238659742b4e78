"""Reading the cases for the reports (names never leave the database here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot.protocol.calendar import DUTCH_TZ, SchoolCalendar
from bot.protocol.rules import thuiszitter_from
from bot.reports.overview import CaseRecord
from bot.services.deadlines import school_calendars
from bot.services.naming import pupil_label
from bot.services.organisations import organisation
from bot.storage.models import Bestuur, Case, Gemeente, Pupil, School, Swv


def case_records(
    *,
    session: Session,
    swv_id: int | None = None,
    bestuur_id: int | None = None,
    gemeente_id: int | None = None,
) -> list[CaseRecord]:
    """Every case (of one SWV, one board's schools, or one gemeente), with organisation names."""
    schools = {s.id: s for s in session.exec(select(School))}
    boards = {b.id: b for b in session.exec(select(Bestuur))}
    gemeenten = {g.id: g.name for g in session.exec(select(Gemeente))}
    query = select(Case, Pupil.school_id, Pupil.gemeente_id, Pupil.swv_id).join(
        Pupil, col(Pupil.id) == col(Case.pupil_id)
    )
    if swv_id is not None:
        query = query.where(Pupil.swv_id == swv_id)
    if gemeente_id is not None:
        query = query.where(Pupil.gemeente_id == gemeente_id)
    calendars = school_calendars(session)
    records = []
    for case, school_id, pupil_gemeente, _swv in session.exec(query):
        school = schools.get(school_id)
        board = boards.get(school.bestuur_id) if school else None
        if bestuur_id is not None and (board is None or board.id != bestuur_id):
            continue
        records.append(
            CaseRecord(
                pupil_id=case.pupil_id,
                category=case.category,
                article=case.exemption_article,
                start=case.start_date,
                end=case.end_date,
                offer_since=case.offer_since,
                school=f"{school.name} ({school.brin})" if school else None,
                bestuur=board.name if board else None,
                gemeente=gemeenten.get(pupil_gemeente) if pupil_gemeente else None,
                verified_on=case.verified_at.astimezone(DUTCH_TZ).date()
                if case.verified_at
                else None,
                thuiszitter_on=None
                if case.category == "A2"
                else thuiszitter_from(
                    case.start_date,
                    calendars[school_id][0] if school_id in calendars else SchoolCalendar(None),
                ),
            )
        )
    return records


@dataclass(frozen=True)
class Scope:
    """Whose overview: a whole SWV, one board, or one gemeente."""

    kind: str
    org_id: int
    name: str


def scoped_records(*, session: Session, scope: Scope) -> list[CaseRecord]:
    """The cases within a scope."""
    if scope.kind == "swv":
        return case_records(session=session, swv_id=scope.org_id)
    if scope.kind == "bestuur":
        return case_records(session=session, bestuur_id=scope.org_id)
    return case_records(session=session, gemeente_id=scope.org_id)


def scope_of(*, session: Session, kind: str, org_id: int) -> Scope | None:
    """The scope for an organisation, with its name."""
    org = organisation(session, kind, org_id)
    return Scope(kind, org_id, org.name) if org is not None else None


@dataclass(frozen=True)
class PupilLine:
    """One pupil on the confidential list: named as in chat, never more."""

    label: str
    category: str
    start: date
    school: str
    offer: str


def pupil_lines(*, session: Session, swv_id: int, day: date) -> list[PupilLine]:
    """The SWV's pupils with a case open on `day` (for SWV members only)."""
    schools = {s.id: f"{s.name} ({s.brin})" for s in session.exec(select(School))}
    swv = session.get(Swv, swv_id)
    # Named as the chat names them: the SWV's choice of initials or first names.
    naming = swv.pupil_naming if swv is not None else "initials"
    lines = []
    for case, pupil in session.exec(
        select(Case, Pupil)
        .join(Pupil, col(Pupil.id) == col(Case.pupil_id))
        .where(Pupil.swv_id == swv_id, Case.start_date <= day)
        .order_by(col(Case.start_date), col(Case.id))
    ):
        if case.end_date is not None and case.end_date < day:
            continue
        offer = "ja" if case.offer_since is not None and case.offer_since <= day else "nee"
        lines.append(
            PupilLine(
                label=pupil_label(pupil.first_name, pupil.last_name, case.id, naming),
                category=case.category,
                start=case.start_date,
                school=schools.get(pupil.school_id, "") if pupil.school_id else "",
                offer=offer,
            )
        )
    return lines
