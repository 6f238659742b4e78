"""Reading and changing the case registry, always through the access rules."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlmodel import Session, col, select

from bot.protocol.calendar import SchoolCalendar
from bot.protocol.parsing import QuickUpdate, UpdateKind
from bot.services import audit
from bot.services.access import sees_confidential, visible_pupil, visible_pupils
from bot.services.deadlines import DeadlineChanges, sync_pupils
from bot.services.naming import pupil_label
from bot.storage.crypto import fold_name
from bot.storage.models import (
    Absence,
    AbsenceKind,
    AuditAction,
    Case,
    CaseEntry,
    CaseStatus,
    Category,
    EntryKind,
    Exemption,
    Movement,
    Pupil,
    School,
    SchoolType,
    Suspension,
    Swv,
    User,
    VariawetApplication,
)

# Scheduled lesson hours per school day when an absence gives none (PROTOCOL.md, project
# default: 25 h/week PO, 30 h/week VO).
_DAILY_HOURS = {
    SchoolType.PO: 5.0, SchoolType.SO: 5.0, SchoolType.SBO: 5.0,
    SchoolType.VO: 6.0, SchoolType.VSO: 6.0,
}  # fmt: skip
LATE_ARRIVAL_HOURS = 1.0  # a late arrival counts one hour unless hours are given (004)


class UpdateError(Exception):
    """An understood update that cannot be applied; `code` picks the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def current_case(*, session: Session, pupil_id: int) -> Case | None:
    """The open case (no end date) that started last, or None."""
    return session.exec(
        select(Case)
        .where(Case.pupil_id == pupil_id, col(Case.end_date).is_(None))
        .order_by(col(Case.start_date).desc(), col(Case.id).desc())
    ).first()


def latest_case(*, session: Session, pupil_id: int) -> Case | None:
    """The open case, else the case that ended last."""
    return (
        current_case(session=session, pupil_id=pupil_id)
        or session.exec(
            select(Case)
            .where(Case.pupil_id == pupil_id)
            .order_by(col(Case.end_date).desc(), col(Case.id).desc())
        ).first()
    )


def label(*, session: Session, pupil: Pupil) -> str:
    """How chat messages name this pupil ("S.V. #42")."""
    assert pupil.id is not None
    swv = session.get(Swv, pupil.swv_id)
    case = latest_case(session=session, pupil_id=pupil.id)
    naming = swv.pupil_naming if swv is not None else "initials"
    return pupil_label(pupil.first_name, pupil.last_name, case.id if case else None, naming)


def calendar_for(*, session: Session, pupil: Pupil) -> SchoolCalendar:
    """The school calendar of the pupil's school (working days when there is no school)."""
    school = session.get(School, pupil.school_id) if pupil.school_id else None
    return SchoolCalendar(school.regio if school else None)


def daily_hours(*, session: Session, pupil: Pupil) -> float:
    """Scheduled lesson hours on one school day for this pupil."""
    school = session.get(School, pupil.school_id) if pupil.school_id else None
    return _DAILY_HOURS[SchoolType(school.onderwijssoort)] if school else 5.0


@dataclass(frozen=True)
class Applied:
    """What a saved update did, including the deadlines it created or closed."""

    pupil_id: int
    case_id: int | None
    days: int = 0
    changes: DeadlineChanges = field(default_factory=DeadlineChanges)


def apply_update(
    *,
    session: Session,
    user: User,
    pupil_id: int,
    update: QuickUpdate,
    today: date,
    now: datetime,
) -> Applied:
    """Store an understood update for a pupil the user may see; raises NotAvailable otherwise.

    The pupil's deadlines are recomputed in the same transaction.
    """
    applied = _apply(session, user, pupil_id, update, today, now)
    audit.record(
        session,
        action=AuditAction.CHANGE,
        at=now,
        actor=user,
        pupil_id=applied.pupil_id,
        detail=update.kind.value,
    )
    changes = sync_pupils(session=session, pupil_ids=[applied.pupil_id], as_of=today, now=now)
    return replace(applied, changes=changes)


def _apply(
    session: Session, user: User, pupil_id: int, update: QuickUpdate, today: date, now: datetime
) -> Applied:
    pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
    assert pupil.id is not None
    pupil.updated_at = now
    session.add(pupil)
    kind = update.kind
    if kind is UpdateKind.ABSENCE:
        return _absence(session, user, pupil, update, today, now)
    if kind is UpdateKind.SUSPENSION:
        assert update.start is not None and update.end is not None
        session.add(Suspension(pupil_id=pupil.id, start_date=update.start, end_date=update.end,
                               created_at=now))  # fmt: skip
        return Applied(pupil.id, _case_id(session, pupil.id))
    if kind is UpdateKind.EXEMPTION:
        return _exemption(session, pupil, update, now)
    if kind is UpdateKind.MOVEMENT:
        assert update.day is not None
        assert update.step is not None
        session.add(Movement(pupil_id=pupil.id, kind=update.step, day=update.day,
                             new_school_name=(update.text or None) and update.text[:200],
                             created_at=now))  # fmt: skip
        return Applied(pupil.id, _case_id(session, pupil.id))
    if kind is UpdateKind.VARIAWET:
        return _variawet(session, pupil, update, now)
    case = current_case(session=session, pupil_id=pupil.id)
    if kind is UpdateKind.BACK_AT_SCHOOL:
        if case is None:
            raise UpdateError("no_open_case")
        assert update.day is not None
        if update.day < case.start_date:
            raise UpdateError("before_case_start")
        case.end_date = update.day
        case.status = CaseStatus.CLOSED.value
        session.add(case)
        return Applied(pupil.id, case.id)
    if kind is UpdateKind.OFFER:
        if case is None:
            raise UpdateError("no_open_case")
        case.offer_since = update.start
        case.offer_description = (update.text or "")[:500] or None
        session.add(case)
        return Applied(pupil.id, case.id)
    case = case or latest_case(session=session, pupil_id=pupil.id)
    if case is None:
        raise UpdateError("no_case")
    if kind is UpdateKind.CONTACT:
        case.contact_person = (update.text or "")[:200]
        session.add(case)
        return Applied(pupil.id, case.id)
    if kind is UpdateKind.EVALUATION:
        if case.end_date is None:
            raise UpdateError("evaluation_while_open")
        case.evaluation = update.text
        session.add(case)
        return Applied(pupil.id, case.id)
    entry_kind = {
        UpdateKind.ACTION: EntryKind.ACTION,
        UpdateKind.GOAL: EntryKind.GOAL,
        UpdateKind.PARTY: EntryKind.PARTY,
        UpdateKind.NOTE: EntryKind.NOTE,
    }[kind]
    assert case.id is not None and update.day is not None
    session.add(
        CaseEntry(case_id=case.id, kind=entry_kind.value, day=update.day, text=update.text or "",
                  confidential=update.confidential, created_at=now, created_by_id=user.id)
    )  # fmt: skip
    return Applied(pupil.id, case.id)


def _case_id(session: Session, pupil_id: int) -> int | None:
    case = latest_case(session=session, pupil_id=pupil_id)
    return case.id if case else None


def _absence(
    session: Session, user: User, pupil: Pupil, update: QuickUpdate, today: date, now: datetime
) -> Applied:
    assert pupil.id is not None and update.absence_kind is not None
    kind = AbsenceKind(update.absence_kind)
    if update.start is not None:
        # A sick period "since Monday": every school day from then until today.
        days = calendar_for(session=session, pupil=pupil).school_days(update.start, today)
        if not days:
            raise UpdateError("no_school_days")
    else:
        assert update.day is not None
        days = [update.day]
    if kind is AbsenceKind.TE_LAAT:
        hours = update.hours or (update.count or 1) * LATE_ARRIVAL_HOURS
    else:
        hours = update.hours or daily_hours(session=session, pupil=pupil)
    existing = {
        a.day: a
        for a in session.exec(
            select(Absence).where(
                Absence.pupil_id == pupil.id, Absence.kind == kind.value, col(Absence.day).in_(days)
            )
        )
    }
    for day in days:
        entry = existing.get(day)
        if entry is None:
            session.add(Absence(pupil_id=pupil.id, day=day, hours=hours, kind=kind.value,
                                created_at=now, created_by_id=user.id))  # fmt: skip
        else:
            entry.hours = hours
            session.add(entry)
    return Applied(pupil.id, _case_id(session, pupil.id), days=len(days))


def _variawet(session: Session, pupil: Pupil, update: QuickUpdate, now: datetime) -> Applied:
    assert pupil.id is not None
    assert update.day is not None
    if update.step == "applied":
        session.add(VariawetApplication(pupil_id=pupil.id, applied_on=update.day, created_at=now))
        return Applied(pupil.id, _case_id(session, pupil.id))
    pending = session.exec(
        select(VariawetApplication)
        .where(
            VariawetApplication.pupil_id == pupil.id, col(VariawetApplication.decided_on).is_(None)
        )
        .order_by(col(VariawetApplication.applied_on).desc())
    ).first()
    if pending is None:
        raise UpdateError("no_variawet_application")
    if update.day < pending.applied_on:
        raise UpdateError("before_application")
    pending.decided_on = update.day
    pending.approved = update.step == "approved"
    session.add(pending)
    return Applied(pupil.id, _case_id(session, pupil.id))


def _exemption(session: Session, pupil: Pupil, update: QuickUpdate, now: datetime) -> Applied:
    assert pupil.id is not None and update.start is not None and update.article is not None
    session.add(Exemption(pupil_id=pupil.id, article=update.article, start_date=update.start,
                          end_date=update.end, created_at=now))  # fmt: skip
    case = current_case(session=session, pupil_id=pupil.id)
    if case is None or case.category != Category.A2.value:
        case = Case(pupil_id=pupil.id, category=Category.A2.value, exemption_article=update.article,
                    start_date=update.start, end_date=update.end, created_at=now)  # fmt: skip
        session.add(case)
        session.flush()
    return Applied(pupil.id, case.id)


@dataclass(frozen=True)
class TimelineItem:
    """One line of a dossier's timeline."""

    day: date
    kind: str
    text: str
    hours: float | None = None


def timeline(*, session: Session, user: User, pupil: Pupil, limit: int = 15) -> list[TimelineItem]:
    """The latest entries about a pupil, newest first; confidential ones only for the school."""
    assert pupil.id is not None
    items: list[TimelineItem] = [
        TimelineItem(a.day, f"absence:{a.kind}", "", a.hours)
        for a in session.exec(
            select(Absence)
            .where(Absence.pupil_id == pupil.id)
            .order_by(col(Absence.day).desc())
            .limit(limit)
        )
    ]
    case_ids = [c.id for c in session.exec(select(Case).where(Case.pupil_id == pupil.id))]
    query = select(CaseEntry).where(col(CaseEntry.case_id).in_(case_ids))
    if not sees_confidential(user):
        query = query.where(col(CaseEntry.confidential).is_(False))
    items += [
        TimelineItem(e.day, f"entry:{e.kind}", e.text)
        for e in session.exec(query.order_by(col(CaseEntry.day).desc()).limit(limit))
    ]
    items.sort(key=lambda item: item.day, reverse=True)
    return items[:limit]


def visible_pupil_page(
    *, session: Session, user: User, page: int, per_page: int
) -> tuple[list[Pupil], int]:
    """One page of the pupils `user` may see (by name), and the total number."""
    # Names are encrypted, so the database cannot sort by them: sort the decrypted names here.
    names = session.exec(
        select(Pupil.id, Pupil.first_name, Pupil.last_name).where(visible_pupils(user))
    ).all()
    ordered = sorted(names, key=lambda n: (fold_name(n[1]), fold_name(n[2]), n[0]))
    wanted = [pupil_id for pupil_id, _, _ in ordered[page * per_page : (page + 1) * per_page]]
    by_id = {p.id: p for p in session.exec(select(Pupil).where(col(Pupil.id).in_(wanted)))}
    return [by_id[pupil_id] for pupil_id in wanted], len(names)
