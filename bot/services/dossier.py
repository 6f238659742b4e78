"""What a dossier shows, for one user: the case card, recent absence, timeline and files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlmodel import Session, col, select

from bot.protocol.calendar import DUTCH_TZ
from bot.protocol.rules import school_year_start
from bot.protocol.vocabulary import AbsenceKind
from bot.services import audit
from bot.services.access import sees_confidential, visible_pupil
from bot.services.cases import TimelineItem, label, latest_case, timeline, visible_pupil_page
from bot.services.container import Services
from bot.services.deadlines import open_deadline_counts
from bot.services.files import file_for
from bot.storage.models import (
    Absence,
    AuditAction,
    Case,
    CaseFile,
    DeadlineRow,
    DeadlineStatus,
    Gemeente,
    LeerplichtLink,
    School,
    User,
)


class DossierDeadline(NamedTuple):
    """An open deadline in the dossier: overdue ones (achterstand included) first."""

    rule: str
    due: date
    # Known only long after it was due, of a pupil nothing asks action for: never nudged.
    history: bool
    overdue: bool


class DoneDeadline(NamedTuple):
    """A deadline marked done: when, by whom, and what was done (if it was given)."""

    rule: str
    due: date
    done_on: date | None
    by: str
    note: str | None


# The dossier shows this many deadlines marked done (the export has them all).
_DONE_SHOWN = 5


@dataclass(frozen=True)
class DossierView:
    """Everything /dossier shows; built per user, so leerplicht never gets medical details."""

    pupil_id: int
    label: str
    full_name: str
    age: int | None
    school: str | None
    gemeente: str | None
    case: Case | None
    absence_hours: dict[str, float]
    timeline: list[TimelineItem]
    # Hours per kind since 1 August (`year_start`): "how many hours has Mila missed?".
    year_hours: dict[str, float] = field(default_factory=dict)
    year_start: date | None = None
    timeline_total: int = 0
    files: list[tuple[int, str]] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    # The open deadlines, history last.
    deadlines: list[DossierDeadline] = field(default_factory=list)
    # Shown on the web page only; the chat shows the age.
    birth_date: date | None = None
    # The latest deadlines marked done, newest first, with what was done.
    done: list[DoneDeadline] = field(default_factory=list)


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def dossier_view(*, session: Session, user: User, pupil_id: int, now: datetime) -> DossierView:
    """The dossier of a pupil `user` may see (the view is audited); NotAvailable otherwise."""
    pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
    assert pupil.id is not None
    today = now.date()
    audit.record(session, action=AuditAction.VIEW_DOSSIER, at=now, actor=user, pupil_id=pupil.id)
    school = session.get(School, pupil.school_id) if pupil.school_id else None
    gemeente = session.get(Gemeente, pupil.gemeente_id) if pupil.gemeente_id else None
    since = today - timedelta(days=27)
    year_start = school_year_start(today)
    hours: dict[str, float] = {}
    year_hours: dict[str, float] = {}
    confidential_ok = sees_confidential(user)
    for absence in session.exec(
        select(Absence).where(
            Absence.pupil_id == pupil.id,
            col(Absence.day) >= min(since, year_start),
            col(Absence.day) <= today,
        )
    ):
        kind = absence.kind
        if kind == AbsenceKind.ZIEK and not confidential_ok:
            # Leerplicht sees that a pupil was absent with permission, not that it was illness.
            kind = AbsenceKind.GEOORLOOFD
        if absence.day >= since:
            hours[kind] = hours.get(kind, 0.0) + absence.hours
        if absence.day >= year_start:
            year_hours[kind] = year_hours.get(kind, 0.0) + absence.hours
    items, total = timeline(session=session, user=user, pupil=pupil)
    items = _for_reader(items, confidential_ok)
    case_ids = [c.id for c in session.exec(select(Case).where(Case.pupil_id == pupil.id))]
    files_query = select(CaseFile).where(col(CaseFile.case_id).in_(case_ids))
    if not confidential_ok:
        files_query = files_query.where(col(CaseFile.confidential).is_(False))
    files = [
        (f.id, f"{f.file_name} — {f.description}" if f.description else f.file_name)
        for f in session.exec(files_query.order_by(col(CaseFile.id)))
    ]
    linked = []
    if confidential_ok:
        linked = [
            u.display_name or str(u.id)
            for u in session.exec(
                select(User)
                .join(LeerplichtLink, col(LeerplichtLink.user_id) == col(User.id))
                .where(LeerplichtLink.pupil_id == pupil.id)
            )
        ]
    open_rows = session.exec(
        select(DeadlineRow).where(
            DeadlineRow.pupil_id == pupil.id, DeadlineRow.status == DeadlineStatus.OPEN
        )
    ).all()
    deadlines = sorted(
        (DossierDeadline(d.rule, d.due, d.history, d.due < today) for d in open_rows),
        key=lambda d: (d.history, d.due),
    )
    return DossierView(
        pupil_id=pupil.id,
        label=label(session=session, pupil=pupil),
        full_name=f"{pupil.first_name} {pupil.last_name}",
        age=_age(pupil.birth_date, today),
        school=f"{school.name} ({school.brin})" if school else None,
        gemeente=gemeente.name if gemeente else None,
        case=latest_case(session=session, pupil_id=pupil.id),
        absence_hours=hours,
        timeline=items,
        year_hours=year_hours,
        year_start=year_start,
        timeline_total=total,
        files=[(file_id, name) for file_id, name in files if file_id is not None],
        linked=linked,
        deadlines=deadlines,
        birth_date=pupil.birth_date,
        done=_done(session, pupil.id),
    )


def _done(session: Session, pupil_id: int) -> list[DoneDeadline]:
    rows = session.exec(
        select(DeadlineRow, User.display_name)
        .join(User, col(User.id) == col(DeadlineRow.done_by_id), isouter=True)
        .where(DeadlineRow.pupil_id == pupil_id, DeadlineRow.status == DeadlineStatus.DONE)
        .order_by(col(DeadlineRow.done_at).desc(), col(DeadlineRow.id).desc())
        .limit(_DONE_SHOWN)
    ).all()
    return [
        DoneDeadline(
            d.rule,
            d.due,
            d.done_at.astimezone(DUTCH_TZ).date() if d.done_at else None,
            name or "",
            d.done_note,
        )
        for d, name in rows
    ]


def _for_reader(items: list[TimelineItem], confidential_ok: bool) -> list[TimelineItem]:
    """Leerplicht sees that a pupil was absent with permission, not that it was illness."""
    if confidential_ok:
        return items
    return [
        TimelineItem(i.day, "absence:geoorloofd", i.text, i.hours)
        if i.kind == "absence:ziek"
        else i
        for i in items
    ]


@dataclass(frozen=True)
class TimelinePart:
    """Older entries of a pupil's timeline: from `offset` on, of `total`."""

    label: str
    items: list[TimelineItem]
    offset: int
    total: int


def older_timeline(services: Services, *, user: User, pupil_id: int, offset: int) -> TimelinePart:
    """The timeline's entries from `offset` on (/dossier shows the newest); NotAvailable when
    `user` may not see the pupil."""
    with services.session() as session:
        pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
        audit.record(
            session,
            action=AuditAction.VIEW_DOSSIER,
            at=services.clock.now(),
            actor=user,
            pupil_id=pupil_id,
            detail="timeline",
        )
        items, total = timeline(session=session, user=user, pupil=pupil, offset=max(0, offset))
        return TimelinePart(
            label=label(session=session, pupil=pupil),
            items=_for_reader(items, sees_confidential(user)),
            offset=max(0, offset),
            total=total,
        )


def read_dossier(services: Services, *, user: User, pupil_id: int) -> DossierView:
    """The dossier of a pupil `user` may see (audited); NotAvailable otherwise."""
    with services.session() as session:
        return dossier_view(session=session, user=user, pupil_id=pupil_id, now=services.clock.now())


def label_and_first_name(services: Services, *, user: User, pupil_id: int) -> tuple[str, str]:
    """For a form on the pupil's own page: the label and the first name (the page shows the full
    name already); NotAvailable when `user` may not see the pupil."""
    with services.session() as session:
        pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
        return label(session=session, pupil=pupil), pupil.first_name


def download_file(services: Services, *, user: User, file_id: int) -> CaseFile:
    """A filed document `user` may see (audited); NotAvailable otherwise."""
    with services.session() as session:
        return file_for(session=session, user=user, file_id=file_id, now=services.clock.now())


@dataclass(frozen=True)
class PupilLine:
    """One pupil in a user's list: the chat label ("S.V. #42"), the latest case, the deadlines."""

    pupil_id: int
    label: str
    category: str | None
    status: str | None
    open_deadlines: int


def pupil_list(
    services: Services, *, user: User, page: int, per_page: int
) -> tuple[list[PupilLine], int]:
    """One page of the pupils `user` may see, and how many there are in all."""
    with services.session() as session:
        pupils, total = visible_pupil_page(session=session, user=user, page=page, per_page=per_page)
        counts = open_deadline_counts(session=session, pupil_ids=[p.id for p in pupils if p.id])
        lines = []
        for pupil in pupils:
            assert pupil.id is not None
            case = latest_case(session=session, pupil_id=pupil.id)
            lines.append(
                PupilLine(
                    pupil_id=pupil.id,
                    label=label(session=session, pupil=pupil),
                    category=case.category if case else None,
                    status=case.status if case else None,
                    open_deadlines=counts.get(pupil.id, 0),
                )
            )
    return lines, total
