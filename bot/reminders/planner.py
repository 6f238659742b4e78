"""Planning runs: the nudges the open deadlines want, written as rows, and those no longer
wanted cancelled.

Planning is idempotent: every nudge has a key (deadline, user, kind, day), so planning twice
changes nothing, and a nudge someone snoozed or that was cancelled is not planned again. A full
plan goes through the deadlines in batches, so that its memory follows the batch and not the
size of the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.protocol.rules import ProtocolSettings
from bot.reminders.nudges import (
    RecipientIndex,
    escalation_recipients,
    recipient_index,
    recipients,
    working_hours,
)
from bot.reminders.planning import next_working_moment, nudge_moments
from bot.services import nudge_lifecycle as lifecycle
from bot.storage.db import in_batches
from bot.storage.models import DeadlineRow, DeadlineStatus, Nudge, NudgeKind, NudgeStatus, Role

# New nudges are not planned further back than this: what lies further back was never due to
# anyone (the deadline is older than the bot, or the user joined later).
PLAN_BACK = timedelta(hours=1)

# Deadlines planned at a time in a full plan: the rows of one batch are in memory at once.
PLAN_BATCH = 2000


def _key(deadline_id: int, user_id: int, kind: str, moment: datetime) -> str:
    return f"{deadline_id}:{user_id}:{kind}:{moment.date().isoformat()}"


@dataclass
class PlanResult:
    """What a planning run did."""

    planned: int = 0
    cancelled: int = 0
    unassigned: list[int] = field(default_factory=list)


@dataclass
class _Plan:
    """One planning run's state: the nudges wanted, those already planned, the new rows."""

    now: datetime
    tz: ZoneInfo
    settings: ProtocolSettings
    index: RecipientIndex
    existing: set[str]
    admins: dict[int | None, list[int]]
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    wanted: set[tuple[int, int]] = field(default_factory=set)

    def add(self, key: str, deadline_id: int, uid: int, kind: str, at: datetime) -> None:
        """Plan this nudge unless it is planned already."""
        if key in self.existing:
            return
        self.existing.add(key)
        self.new_rows.append(
            lifecycle.planned(
                key=key, deadline_id=deadline_id, user_id=uid, kind=kind, at=at, now=self.now
            )
        )

    def unassigned(self, deadline: DeadlineRow) -> None:
        """The administrators hear of a deadline nobody receives once, summarised with the
        others of its organisation and missing role, when it comes within the look-ahead."""
        assert deadline.id is not None
        lookahead = timedelta(days=self.settings.unassigned_lookahead_days)
        if deadline.due > self.now.astimezone(self.tz).date() + lookahead:
            return
        for uid in self.admins[deadline.swv_id]:
            self.wanted.add((deadline.id, uid))
            first = next_working_moment(
                max(self.now, deadline.created_at), working_hours(self.index.users[uid], self.tz)
            )
            self.add(
                f"{deadline.id}:{uid}:{NudgeKind.UNASSIGNED}",
                deadline.id,
                uid,
                NudgeKind.UNASSIGNED,
                first,
            )

    def escalations(self, deadline: DeadlineRow) -> None:
        """Once, when it reaches them: what is open, since when and with whom."""
        assert deadline.id is not None
        today = self.now.astimezone(self.tz).date()
        for uid, day in escalation_recipients(deadline, self.index, today, self.settings):
            self.wanted.add((deadline.id, uid))
            key = f"{deadline.id}:{uid}:{NudgeKind.ESCALATION}"
            if key in self.existing:
                continue
            reached = max(self.now, datetime.combine(day, time(0), tzinfo=self.tz))
            at = next_working_moment(reached, working_hours(self.index.users[uid], self.tz))
            self.add(key, deadline.id, uid, NudgeKind.ESCALATION, at)

    def reminders(self, deadline: DeadlineRow, users: Iterable[int]) -> None:
        """The nudges before, on and after the due date, for each recipient."""
        assert deadline.id is not None
        learned = deadline.created_at.astimezone(self.tz).date()
        for uid in users:
            self.wanted.add((deadline.id, uid))
            hours = working_hours(self.index.users[uid], self.tz)
            for moment in nudge_moments(
                due=deadline.due, known_at=deadline.created_at, now=self.now, hours=hours
            ):
                if moment.kind == NudgeKind.EVENT and deadline.due < learned:
                    # Overdue before the bot knew of it: one message with the rest of it.
                    moment = replace(moment, kind=NudgeKind.BACKLOG)
                if moment.at < self.now - PLAN_BACK:
                    continue
                key = _key(deadline.id, uid, moment.kind, moment.at)
                self.add(key, deadline.id, uid, moment.kind, moment.at)


def plan_nudges(
    *,
    session: Session,
    now: datetime,
    tz: ZoneInfo,
    settings: ProtocolSettings,
    deadline_ids: Sequence[int] | None = None,
) -> PlanResult:
    """Plan the nudges of the open deadlines (all, or these), and cancel those no longer due."""
    result = PlanResult()
    if deadline_ids is not None and not deadline_ids:
        return result
    if deadline_ids is not None:
        deadlines = session.exec(_OPEN.where(col(DeadlineRow.id).in_(deadline_ids))).all()
        index = recipient_index(session, deadlines)
        _plan_batch(session, _run(now, tz, settings, index), deadlines, list(deadline_ids), result)
        session.flush()
        return result
    run = _run(now, tz, settings, recipient_index(session))
    after = 0
    while batch := session.exec(
        _OPEN.where(col(DeadlineRow.id) > after).order_by(col(DeadlineRow.id)).limit(PLAN_BATCH)
    ).all():
        ids = [d.id for d in batch if d.id is not None]
        _plan_batch(session, run, batch, ids, result)
        after = ids[-1]
        for deadline in batch:
            session.expunge(deadline)
    result.cancelled += _cancel_not_open(session)
    session.flush()
    return result


# History (first computed long after its due date) is never nudged.
_OPEN = select(DeadlineRow).where(
    DeadlineRow.status == DeadlineStatus.OPEN, col(DeadlineRow.history).is_(False)
)


@dataclass(frozen=True)
class _Run:
    """What every batch of one planning run shares."""

    now: datetime
    tz: ZoneInfo
    settings: ProtocolSettings
    index: RecipientIndex
    admins: dict[int | None, list[int]]


def _run(now: datetime, tz: ZoneInfo, settings: ProtocolSettings, index: RecipientIndex) -> _Run:
    admins: dict[int | None, list[int]] = defaultdict(list)
    for uid, user in index.users.items():
        if user.role == Role.ADMIN:
            admins[user.swv_id].append(uid)
    return _Run(now, tz, settings, index, admins)


def _plan_batch(
    session: Session,
    run: _Run,
    deadlines: Sequence[DeadlineRow],
    scope: Sequence[int],
    result: PlanResult,
) -> None:
    """Plan these deadlines' nudges and cancel the planned nudges of `scope` no longer wanted."""
    ids = [d.id for d in deadlines if d.id is not None]
    plan = _Plan(
        now=run.now,
        tz=run.tz,
        settings=run.settings,
        index=run.index,
        existing=_existing_keys(session, ids),
        admins=run.admins,
    )
    for deadline in deadlines:
        assert deadline.id is not None
        users = recipients(deadline, run.index)
        if not users:
            result.unassigned.append(deadline.id)
            plan.unassigned(deadline)
            continue
        plan.escalations(deadline)
        plan.reminders(deadline, users)
    if plan.new_rows:
        session.bulk_insert_mappings(Nudge, plan.new_rows)
    result.planned += len(plan.new_rows)
    result.cancelled += _cancel_unwanted(session, plan.wanted, scope)


# More changed deadlines than this (after a large import): one full plan beats a huge IN list.
PLAN_ALL_FROM = 5000


def plan_flagged(
    *, session: Session, now: datetime, tz: ZoneInfo, settings: ProtocolSettings, everything: bool
) -> PlanResult:
    """Plan the nudges of the deadlines flagged as changed (or of all), and clear the flags."""
    ids: list[int] | None = None
    flagged = select(DeadlineRow.id).where(col(DeadlineRow.plan_needed).is_(True))
    if not everything:
        # Locked (on PostgreSQL) until planned: a change made meanwhile waits, and sets its flag
        # again after this clears it, so it is planned on the next run.
        ids = [i for i in session.exec(flagged.with_for_update()) if i is not None]
        if len(ids) > PLAN_ALL_FROM:
            ids = None
    result = plan_nudges(session=session, now=now, tz=tz, settings=settings, deadline_ids=ids)
    cleared = update(DeadlineRow).where(col(DeadlineRow.plan_needed).is_(True))
    if ids is None:
        session.execute(cleared.values(plan_needed=False))
    for batch in in_batches(ids or []):
        session.execute(cleared.where(col(DeadlineRow.id).in_(batch)).values(plan_needed=False))
    return result


def _existing_keys(session: Session, deadline_ids: Sequence[int]) -> set[str]:
    return set(session.exec(select(Nudge.key).where(col(Nudge.deadline_id).in_(deadline_ids))))


def _cancel_unwanted(
    session: Session, wanted: set[tuple[int, int]], deadline_ids: Sequence[int]
) -> int:
    """Planned nudges of these deadlines that are no longer open, or whose user no longer
    receives it."""
    query = select(Nudge.id, Nudge.deadline_id, Nudge.user_id).where(
        Nudge.status == NudgeStatus.PLANNED, col(Nudge.deadline_id).in_(deadline_ids)
    )
    doomed = [
        nid for nid, did, uid in session.exec(query) if nid is not None and (did, uid) not in wanted
    ]
    lifecycle.cancel(session, doomed)
    return len(doomed)


def _cancel_not_open(session: Session) -> int:
    """Planned nudges of deadlines that are no longer open (or are history): after a full plan,
    which went through the open ones only."""
    still_open = select(DeadlineRow.id).where(
        DeadlineRow.status == DeadlineStatus.OPEN, col(DeadlineRow.history).is_(False)
    )
    doomed = [
        nid
        for nid in session.exec(
            select(Nudge.id).where(
                Nudge.status == NudgeStatus.PLANNED, col(Nudge.deadline_id).not_in(still_open)
            )
        )
        if nid is not None
    ]
    lifecycle.cancel(session, doomed)
    return len(doomed)
