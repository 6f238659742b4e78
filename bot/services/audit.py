"""The audit trail: who did what, when, to which pupil — never what was written."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import datetime
from typing import TextIO

from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot.storage.models import AuditAction, AuditChannel, AuditEvent, User, table_of

CSV_COLUMNS = (
    "id", "at", "actor_id", "actor_role", "channel", "action", "pupil_id", "subject_user_id",
    "swv_id", "detail",
)  # fmt: skip


# The pages run the same use cases as the chat; their requests set this (each request has its own
# context, which asyncio.to_thread carries into the worker thread), so the services need not pass
# a channel through every call.
CHANNEL: ContextVar[AuditChannel] = ContextVar("audit_channel", default=AuditChannel.CHAT)


def record(
    session: Session,
    *,
    action: AuditAction,
    at: datetime,
    actor: User | None = None,
    channel: AuditChannel | None = None,
    pupil_id: int | None = None,
    subject_user_id: int | None = None,
    swv_id: int | None = None,
    detail: str = "",
) -> None:
    """Add one entry in the caller's transaction, so it stands or falls with the action."""
    session.add(
        AuditEvent(
            at=at,
            actor_id=actor.id if actor else None,
            actor_role=actor.role if actor else None,
            channel=(channel or CHANNEL.get()).value,
            action=action.value,
            pupil_id=pupil_id,
            subject_user_id=subject_user_id,
            swv_id=swv_id if swv_id is not None else (actor.swv_id if actor else None),
            detail=detail[:40],
        )
    )


def record_many(
    session: Session,
    *,
    action: AuditAction,
    at: datetime,
    pupils: Iterable[tuple[int, int]],
    channel: AuditChannel,
    detail: str = "",
) -> int:
    """One entry per (pupil id, swv id), written in bulk (an import can touch thousands)."""
    rows = [
        {
            "at": at,
            "channel": channel.value,
            "action": action.value,
            "pupil_id": pupil_id,
            "swv_id": swv_id,
            "detail": detail[:40],
        }
        for pupil_id, swv_id in pupils
    ]
    if rows:
        session.execute(insert(table_of(AuditEvent)), rows)
    return len(rows)


def recent(session: Session, *, swv_id: int, limit: int = 20) -> list[AuditEvent]:
    """The newest entries within one SWV, newest first."""
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.swv_id == swv_id)
            .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
            .limit(limit)
        )
    )


def export_csv(
    session: Session, out: TextIO, *, since: datetime | None = None, swv_id: int | None = None
) -> int:
    """Write the whole trail (or the part since `since`, or one SWV's) as CSV; returns the
    number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    query = select(AuditEvent).order_by(col(AuditEvent.id))
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if swv_id is not None:
        query = query.where(AuditEvent.swv_id == swv_id)
    count = 0
    for event in session.exec(query.execution_options(yield_per=1000)):
        writer.writerow(
            [
                event.id,
                event.at.isoformat(),
                event.actor_id,
                event.actor_role,
                event.channel,
                event.action,
                event.pupil_id,
                event.subject_user_id,
                event.swv_id,
                event.detail,
            ]
        )
        count += 1
    return count
