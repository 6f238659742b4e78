"""A deadline's life, in one place: every change of a deadline's status goes through here.

    (computed) ──new_row──▶ open ──done──▶ done (a person marked it, or a verification completed)
                              │  ▲
                        close │  │ reopen (triggered again; back from history when overtaken)
                              ▼  │
                             closed (no longer triggered, or overtaken: then history)

Marking done cancels the deadline's planned nudges at once (the deadline is settled); closing
and reopening flag the deadline for the planner, which cancels or plans its nudges on its next
run (a recompute closes thousands at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.protocol.rules import SUPERSEDED, Deadline
from bot.services import audit, nudge_lifecycle
from bot.storage.db import in_batches
from bot.storage.models import (
    AuditAction,
    DeadlineRow,
    DeadlineStatus,
    Nudge,
    NudgeStatus,
    User,
    table_of,
)


def new_row(
    *,
    identity: str,
    swv_id: int,
    deadline: Deadline,
    history: bool,
    now: datetime,
    done: tuple[datetime, int | None] | None = None,
) -> dict[str, Any]:
    """A computed deadline's new row (for a bulk insert): open, or closed when the rules say
    so; done already when an earlier version of it was (`done`: when, by whom)."""
    closed = deadline.closed is not None
    row: dict[str, Any] = {
        "identity": identity,
        "swv_id": swv_id,
        "pupil_id": deadline.pupil_id,
        "org_kind": deadline.org[0] if deadline.org else None,
        "org_id": deadline.org[1] if deadline.org else None,
        "rule": deadline.rule,
        "due": deadline.due,
        "trigger_day": deadline.trigger,
        "status": DeadlineStatus.CLOSED if closed else DeadlineStatus.OPEN,
        "closed_reason": deadline.closed,
        "history": history,
        "created_at": now,
        "updated_at": now,
        "plan_needed": not (closed or history),
        "done_at": None,
        "done_by_id": None,
    }
    if done is not None:
        row |= {
            "status": DeadlineStatus.DONE,
            "done_at": done[0],
            "done_by_id": done[1],
            "closed_reason": None,
            "plan_needed": False,
        }
    return row


def _set(session: Session, ids: Sequence[int], now: datetime, **values: Any) -> None:
    table = table_of(DeadlineRow)
    for chunk in in_batches(list(ids)):
        changed = update(table).where(table.c.id.in_(chunk))
        session.execute(changed.values(**values, updated_at=now, plan_needed=True))


def close(session: Session, ids: Sequence[int], *, reason: str, now: datetime) -> None:
    """These open deadlines no longer apply (`reason`); an overtaken one becomes history:
    never nudged again, left out of the agenda."""
    history = {"history": True} if reason == SUPERSEDED else {}
    _set(session, ids, now, status=DeadlineStatus.CLOSED, closed_reason=reason, **history)


def reopen(session: Session, ids: Sequence[int], *, now: datetime, from_history: bool) -> None:
    """These closed deadlines apply again (an entry corrected); overtaken ones come back from
    history (`from_history`)."""
    history = {"history": False} if from_history else {}
    _set(session, ids, now, status=DeadlineStatus.OPEN, closed_reason=None, **history)


def done(
    session: Session,
    deadlines: Iterable[DeadlineRow],
    *,
    now: datetime,
    by: User | None,
    audited: bool,
) -> None:
    """Mark these deadlines done (by `by`, or by the bot) and cancel their planned nudges.
    `audited`: a person did it, and the audit trail says so (a completed verification is
    audited as the verification itself)."""
    ids = []
    for deadline in deadlines:
        deadline.status = DeadlineStatus.DONE
        deadline.done_at = now
        deadline.done_by_id = by.id if by is not None else None
        deadline.updated_at = now
        deadline.plan_needed = True
        session.add(deadline)
        if audited:
            audit.record(
                session,
                action=AuditAction.DEADLINE_DONE,
                at=now,
                actor=by,
                pupil_id=deadline.pupil_id,
                detail=deadline.rule,
            )
        if deadline.id is not None:
            ids.append(deadline.id)
    for chunk in in_batches(ids):
        planned = session.exec(
            select(Nudge.id).where(
                col(Nudge.deadline_id).in_(chunk), Nudge.status == NudgeStatus.PLANNED
            )
        ).all()
        nudge_lifecycle.cancel(session, [n for n in planned if n is not None])
