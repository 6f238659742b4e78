"""Reading the cases for the reports (names never leave the database here)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.reports.overview import CaseRecord
from bot.storage.models import Bestuur, Case, Gemeente, Pupil, School


def case_records(
    *, session: Session, swv_id: int | None = None, bestuur_id: int | None = None
) -> list[CaseRecord]:
    """Every case (of one SWV, or one board's schools), with its organisations' names."""
    schools = {s.id: s for s in session.exec(select(School))}
    boards = {b.id: b for b in session.exec(select(Bestuur))}
    gemeenten = {g.id: g.name for g in session.exec(select(Gemeente))}
    query = select(Case, Pupil.school_id, Pupil.gemeente_id, Pupil.swv_id).join(
        Pupil, col(Pupil.id) == col(Case.pupil_id)
    )
    if swv_id is not None:
        query = query.where(Pupil.swv_id == swv_id)
    records = []
    for case, school_id, gemeente_id, _swv in session.exec(query):
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
                gemeente=gemeenten.get(gemeente_id) if gemeente_id else None,
            )
        )
    return records
