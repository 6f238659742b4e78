"""The verification session (000): at least four times a year the SWV goes through the
thuiszitters with the BOC-ers and leerplicht — is each open case still right (end dates, actions
and results)? Each case records when it was last verified and by whom; a LEERPLICHT_VERIFICATIE
occurrence is done once every open case of its organisation was verified since 14 days before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from bot.protocol.rules import Rule
from bot.protocol.vocabulary import EntryKind
from bot.services import audit, deadline_lifecycle
from bot.services.access import (
    LEERPLICHT_OWN_CATEGORIES,
    NotAvailable,
    visible_case,
    visible_pupils,
)
from bot.services.cases import label
from bot.services.container import Services
from bot.storage.models import (
    AuditAction,
    Case,
    CaseEntry,
    DeadlineRow,
    DeadlineStatus,
    Exemption,
    Pupil,
    Role,
    School,
    User,
)

VERIFIERS = frozenset({Role.SWV, Role.ADMIN, Role.BOC, Role.LEERPLICHT})
# A verification counts for an occurrence from this many days before its date.
EARLY = timedelta(days=14)


@dataclass(frozen=True)
class CaseCard:
    """One open case as the session shows it: pseudonymous, no notes."""

    case_id: int
    pupil_id: int
    who: str  # "S.V. #42"
    category: str
    start: date
    end: date | None
    last_action: date | None
    verified_at: datetime | None


def _open(today: date) -> ColumnElement[bool]:
    return or_(col(Case.end_date).is_(None), col(Case.end_date) > today)


def cases_to_verify(services: Services, *, user: User) -> list[int]:
    """The open cases `user` may see, oldest start first."""
    if Role(user.role) not in VERIFIERS:
        return []
    today = services.clock.now().astimezone(services.settings.tz).date()
    with services.session() as session:
        rows = session.exec(
            select(Case.id)
            .join(Pupil, col(Case.pupil_id) == col(Pupil.id))
            .where(visible_pupils(user), _open(today))
            .order_by(col(Case.start_date), col(Case.id))
        )
        return [case_id for case_id in rows if case_id is not None]


def case_card(services: Services, *, user: User, case_id: int) -> CaseCard | None:
    """The card of one case, if `user` may still see it."""
    with services.session() as session:
        try:
            case, pupil = visible_case(session=session, user=user, case_id=case_id)
        except NotAvailable:
            return None
        last_action = session.exec(
            select(col(CaseEntry.day))
            .where(CaseEntry.case_id == case_id, CaseEntry.kind == EntryKind.ACTION)
            .order_by(col(CaseEntry.day).desc())
        ).first()
        return CaseCard(
            case_id=case_id,
            pupil_id=case.pupil_id,
            who=label(session=session, pupil=pupil),
            category=case.category,
            start=case.start_date,
            end=case.end_date,
            last_action=last_action,
            verified_at=case.verified_at,
        )


def verify(services: Services, *, user: User, case_id: int) -> bool:
    """Record that `user` verified this case now; then close the verification occurrences that
    are complete. False when the case is not (or no longer) one `user` may see."""
    now = services.clock.now()
    with services.session() as session:
        try:
            case, pupil = visible_case(session=session, user=user, case_id=case_id)
        except NotAvailable:
            return False
        if Role(user.role) not in VERIFIERS:
            return False
        case.verified_at = now
        case.verified_by_id = user.id
        session.add(case)
        audit.record(
            session,
            action=AuditAction.VERIFY,
            at=now,
            actor=user,
            pupil_id=pupil.id,
            swv_id=pupil.swv_id,
        )
        session.flush()
        close_complete_verifications(
            session,
            swv_id=pupil.swv_id,
            now=now,
            by=user,
            today=now.astimezone(services.settings.tz).date(),
        )
    return True


def close_complete_verifications(
    session: Session, *, swv_id: int, now: datetime, by: User | None, today: date
) -> list[int]:
    """Mark done each open LEERPLICHT_VERIFICATIE occurrence of this SWV, from 14 days before
    its date, whose organisation's open cases were all verified since then."""
    occurrences = session.exec(
        select(DeadlineRow).where(
            DeadlineRow.swv_id == swv_id,
            DeadlineRow.rule == Rule.LEERPLICHT_VERIFICATIE,
            DeadlineRow.status == DeadlineStatus.OPEN,
            DeadlineRow.due <= today + EARLY,
        )
    ).all()
    done: list[DeadlineRow] = []
    for occurrence in occurrences:
        since = datetime.combine(occurrence.due - EARLY, time(0), tzinfo=now.tzinfo)
        scope = _scope(occurrence, swv_id)
        unverified = session.exec(
            select(Case.id)
            .join(Pupil, col(Case.pupil_id) == col(Pupil.id))
            .where(
                scope,
                _open(today),
                or_(col(Case.verified_at).is_(None), col(Case.verified_at) < since),
            )
            .limit(1)
        ).first()
        if unverified is None and occurrence.id is not None:
            done.append(occurrence)
    # Audited as the verification that completed it, not as a deadline someone marked done.
    deadline_lifecycle.done(session, done, now=now, by=by, audited=False)
    return [occurrence.id for occurrence in done if occurrence.id is not None]


def _scope(occurrence: DeadlineRow, swv_id: int) -> ColumnElement[bool]:
    """The pupils whose open cases an occurrence covers: the SWV's, a board's schools', or a
    gemeente's that leerplicht sees of its own (absolute absence, exemptions)."""
    same_swv = col(Pupil.swv_id) == swv_id
    if occurrence.org_kind == "bestuur":
        schools = select(School.id).where(School.bestuur_id == occurrence.org_id)
        return and_(same_swv, col(Pupil.school_id).in_(schools))
    if occurrence.org_kind == "gemeente":
        own = select(Case.pupil_id).where(col(Case.category).in_(LEERPLICHT_OWN_CATEGORIES))
        exempted = select(Exemption.pupil_id)
        return and_(
            same_swv,
            col(Pupil.gemeente_id) == occurrence.org_id,
            or_(col(Pupil.id).in_(own), col(Pupil.id).in_(exempted)),
        )
    return same_swv
