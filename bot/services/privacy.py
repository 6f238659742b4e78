"""The rights of the pupil and their parents (AVG): access, erasure, and retention limits."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, SQLModel, col, select

from bot.protocol.rules import add_months
from bot.services import audit
from bot.services.pupil_search import TOKEN_COLUMNS
from bot.storage.models import (
    Absence,
    AuditAction,
    AuditChannel,
    AuditEvent,
    Case,
    CaseEntry,
    CaseFile,
    ChatState,
    DeadlineRow,
    Exemption,
    LeerplichtLink,
    Movement,
    Nudge,
    Pupil,
    Suspension,
    User,
    VariawetApplication,
    table_of,
)
from bot.storage.side_tables import WebSessionRow

# Rows that belong to a pupil directly.
_PUPIL_ROWS: tuple[type[SQLModel], ...] = (
    Absence, Exemption, Suspension, Movement, VariawetApplication, LeerplichtLink,
)  # fmt: skip


class UnknownPupil(Exception):
    """No pupil has this id or leerling_id."""


def find_pupil(session: Session, reference: str) -> Pupil:
    """The pupil with this internal id (digits) or leerling_id; UnknownPupil otherwise."""
    reference = reference.strip()
    pupil = session.get(Pupil, int(reference)) if reference.isdigit() else None
    if pupil is None:
        pupil = session.exec(select(Pupil).where(Pupil.leerling_id == reference)).first()
    if pupil is None:
        raise UnknownPupil
    return pupil


def _plain(row: SQLModel, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in row.model_dump().items():
        if name in skip:
            continue
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        values[name] = value
    return values


def pupil_record(
    session: Session,
    pupil: Pupil,
    *,
    now: datetime,
    actor: User | None = None,
    channel: AuditChannel = AuditChannel.CLI,
) -> dict[str, Any]:
    """Everything stored about one pupil (a right-of-access request), ready for JSON.

    File contents are included as base64. The export itself is recorded in the audit trail.
    """
    assert pupil.id is not None
    pupil_id = pupil.id
    cases = list(session.exec(select(Case).where(Case.pupil_id == pupil_id).order_by(col(Case.id))))
    case_ids = [c.id for c in cases]

    def rows(model: Any, column: Any, values: list[Any]) -> list[dict[str, Any]]:
        query = select(model).where(col(column).in_(values)).order_by(model.id)
        return [_plain(row) for row in session.exec(query)]

    record: dict[str, Any] = {
        "pupil": _plain(pupil, skip=TOKEN_COLUMNS),
        "cases": [_plain(c) for c in cases],
        "case_entries": rows(CaseEntry, CaseEntry.case_id, case_ids),
        "files": rows(CaseFile, CaseFile.case_id, case_ids),
    }
    for model in _PUPIL_ROWS:
        record[str(model.__tablename__)] = rows(model, table_of(model).c.pupil_id, [pupil_id])
    deadlines = list(session.exec(select(DeadlineRow).where(DeadlineRow.pupil_id == pupil_id)))
    record["deadlines"] = [_plain(d) for d in deadlines]
    record["nudges"] = [
        _plain(n)
        for n in session.exec(
            select(Nudge).where(col(Nudge.deadline_id).in_([d.id for d in deadlines]))
        )
    ]
    record["audit_trail"] = [
        _plain(a)
        for a in session.exec(
            select(AuditEvent).where(AuditEvent.pupil_id == pupil_id).order_by(col(AuditEvent.id))
        )
    ]
    audit.record(
        session,
        action=AuditAction.EXPORT,
        at=now,
        actor=actor,
        channel=channel,
        pupil_id=pupil_id,
        swv_id=pupil.swv_id,
        detail="pupil json",
    )
    return record


def erase(session: Session, pupil_id: int) -> None:
    """Delete the pupil and everything hanging off them; earlier audit entries keep who did
    what and when, but no longer say to which pupil."""
    case_ids = list(session.exec(select(Case.id).where(Case.pupil_id == pupil_id)))
    deadline_ids = list(
        session.exec(select(DeadlineRow.id).where(DeadlineRow.pupil_id == pupil_id))
    )
    session.execute(delete(Nudge).where(col(Nudge.deadline_id).in_(deadline_ids)))
    session.execute(delete(DeadlineRow).where(col(DeadlineRow.id).in_(deadline_ids)))
    session.execute(delete(CaseEntry).where(col(CaseEntry.case_id).in_(case_ids)))
    session.execute(delete(CaseFile).where(col(CaseFile.case_id).in_(case_ids)))
    for model in _PUPIL_ROWS:
        session.execute(delete(model).where(table_of(model).c.pupil_id == pupil_id))
    session.execute(delete(Case).where(col(Case.id).in_(case_ids)))
    session.execute(delete(Pupil).where(col(Pupil.id) == pupil_id))
    session.execute(
        update(AuditEvent).where(col(AuditEvent.pupil_id) == pupil_id).values(pupil_id=None)
    )
    session.expire_all()


def forget(
    session: Session,
    pupil: Pupil,
    *,
    now: datetime,
    actor: User | None = None,
    channel: AuditChannel = AuditChannel.CLI,
) -> None:
    """Remove the pupil everywhere, leaving only the audit record that they were forgotten.

    The chat's buttons kept over a restart go too (all of them: they are not sorted by pupil,
    and a waiting update may hold the name as it was typed), and what every web session keeps
    (forms waiting for Save, a search); a running bot holds its own in memory and writes them
    back, so this is done with the bot stopped (PRIVACY.md).
    """
    assert pupil.id is not None
    pupil_id, swv_id = pupil.id, pupil.swv_id
    erase(session, pupil_id)
    session.execute(delete(ChatState))
    session.execute(update(WebSessionRow).values(kept=None))
    audit.record(
        session,
        action=AuditAction.FORGET,
        at=now,
        actor=actor,
        channel=channel,
        pupil_id=pupil_id,
        swv_id=swv_id,
    )


@dataclass(frozen=True)
class Expired:
    """A pupil whose retention period is over."""

    pupil_id: int
    swv_id: int
    last_day: date  # the end of their last case, or their last record when they had no case


def expired(session: Session, *, today: date, months: int) -> list[Expired]:
    """Pupils to delete: every case closed and ended `months` ago; or, without any case,
    nothing recorded (created, absence) in that time."""
    cutoff = add_months(today, -months)
    found: list[Expired] = []
    ended = session.exec(
        select(
            Case.pupil_id, func.max(Case.end_date), func.count(), func.count(col(Case.end_date))
        ).group_by(col(Case.pupil_id))
    ).all()
    with_cases = set()
    for pupil_id, last_end, total, with_end in ended:
        with_cases.add(pupil_id)
        if total == with_end and last_end is not None and last_end <= cutoff:
            found.append(Expired(pupil_id, 0, last_end))
    last_absence = dict(
        session.exec(
            select(Absence.pupil_id, func.max(Absence.day)).group_by(col(Absence.pupil_id))
        ).all()
    )
    for maybe_id, created in session.exec(select(Pupil.id, Pupil.created_at)):
        if maybe_id in with_cases or maybe_id is None:
            continue
        last = max(d for d in (created.date(), last_absence.get(maybe_id)) if d is not None)
        if last <= cutoff:
            found.append(Expired(maybe_id, 0, last))
    swv_of = dict(
        session.exec(
            select(Pupil.id, Pupil.swv_id).where(col(Pupil.id).in_([e.pupil_id for e in found]))
        ).all()
    )
    return sorted(
        (
            Expired(e.pupil_id, swv_of[e.pupil_id], e.last_day)
            for e in found
            if e.pupil_id in swv_of
        ),
        key=lambda e: e.pupil_id,
    )


def apply_retention(
    session: Session, *, today: date, now: datetime, months: int, channel: AuditChannel
) -> list[Expired]:
    """Delete every expired pupil; each deletion is recorded (without the pupil's data)."""
    gone = expired(session, today=today, months=months)
    for item in gone:
        erase(session, item.pupil_id)
        audit.record(
            session,
            action=AuditAction.RETENTION,
            at=now,
            channel=channel,
            pupil_id=item.pupil_id,
            swv_id=item.swv_id,
            detail=f"{months} months",
        )
    return gone
