"""Is the bot well: what `/healthz` checks — the database answers a query, the scheduler runs,
and no due nudge is left waiting. Each problem is a line for an operator: no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from bot.services.container import Services
from bot.storage.models import Nudge, NudgeStatus

# The delivery job runs every 30 s: four missed runs mean the scheduler stopped.
SCHEDULER_SILENT = timedelta(minutes=2)
# A due nudge is taken within 30 s and a failed one planned again later: this long waiting means
# nobody is sending (counted from this process's start, so that a backlog after a stop is not).
DELIVERY_STALLED = timedelta(minutes=15)


@dataclass(frozen=True)
class Beat:
    """What a process knows of its own scheduler: when it started, when the delivery job last
    ran (None: not yet)."""

    started: datetime
    last_run: datetime | None


@dataclass(frozen=True)
class Waiting:
    """The nudges due and not sent: how many, and when the longest-waiting one was planned."""

    count: int
    oldest: datetime | None


def due_nudges(services: Services, *, now: datetime) -> Waiting:
    """The nudges that are due and not sent (planned, or taken by a delivery in progress)."""
    with services.session() as session:
        count, oldest = session.exec(
            select(func.count(), func.min(Nudge.planned_at)).where(
                col(Nudge.status).in_([NudgeStatus.PLANNED, NudgeStatus.SENDING]),
                Nudge.planned_at <= now,
            )
        ).one()
    return Waiting(count, oldest)


async def problems(services: Services, *, now: datetime, beat: Beat | None) -> list[str]:
    """What is wrong, a line each (none: healthy). `beat` is None before the scheduler started
    (the first seconds of a start): then only the database is checked."""
    try:
        due = (await services.read(due_nudges, now=now)).oldest
    except (SQLAlchemyError, OSError):
        return ["database: does not answer"]
    if beat is None:
        return []
    found = []
    silent = now - (beat.last_run or beat.started)
    if silent > SCHEDULER_SILENT:
        found.append(f"scheduler: no delivery run for {_minutes(silent)}")
    if due is not None and (waited := now - max(due, beat.started)) > DELIVERY_STALLED:
        found.append(f"delivery: a due nudge has waited {_minutes(waited)}")
    return found


def _minutes(span: timedelta) -> str:
    return f"{int(span.total_seconds() // 60)} minutes"
