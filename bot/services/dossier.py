"""What a dossier shows, for one user: the case card, recent absence, timeline and files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from bot.services import audit
from bot.services.access import sees_confidential, visible_pupil
from bot.services.cases import TimelineItem, label, latest_case, timeline
from bot.storage.models import (
    Absence,
    AbsenceKind,
    AuditAction,
    Case,
    CaseFile,
    Gemeente,
    LeerplichtLink,
    School,
    User,
)


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
    files: list[tuple[int, str]] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)


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
    hours: dict[str, float] = {}
    confidential_ok = sees_confidential(user)
    for absence in session.exec(
        select(Absence).where(Absence.pupil_id == pupil.id, col(Absence.day) >= since)
    ):
        kind = absence.kind
        if kind == AbsenceKind.ZIEK.value and not confidential_ok:
            # Leerplicht sees that a pupil was absent with permission, not that it was illness.
            kind = AbsenceKind.GEOORLOOFD.value
        hours[kind] = hours.get(kind, 0.0) + absence.hours
    items = timeline(session=session, user=user, pupil=pupil)
    if not confidential_ok:
        items = [
            TimelineItem(i.day, "absence:geoorloofd", i.text, i.hours)
            if i.kind == "absence:ziek"
            else i
            for i in items
        ]
    case_ids = [c.id for c in session.exec(select(Case).where(Case.pupil_id == pupil.id))]
    files_query = select(CaseFile).where(col(CaseFile.case_id).in_(case_ids))
    if not confidential_ok:
        files_query = files_query.where(col(CaseFile.confidential).is_(False))
    files = [(f.id, f.file_name) for f in session.exec(files_query.order_by(col(CaseFile.id)))]
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
        files=[(file_id, name) for file_id, name in files if file_id is not None],
        linked=linked,
    )
