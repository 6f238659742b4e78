"""A nudge's life, in one place: every change of a nudge's status goes through here.

    planned ──claim──▶ sending ──sent──▶ sent
       ▲                  │
       └────plan_again────┤ (a retry, a 429, or the process stopping)
                          └──fail──▶ failed (refused for good, blocked, too many attempts)
    planned ──cancel──▶ cancelled (the deadline closed, the user left, an older duplicate)

It lives with the use cases, below `bot.reminders`, because withdrawing a user's access (a use
case) cancels their planned nudges too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from bot.storage.db import in_batches
from bot.storage.models import Nudge, NudgeStatus

_UNSENT = (NudgeStatus.PLANNED, NudgeStatus.SENDING)


def _set(session: Session, ids: Iterable[int], *conditions: Any, **values: Any) -> None:
    """Set these nudges' columns, in batches (a run can claim thousands)."""
    for batch in in_batches(list(ids)):
        session.execute(
            update(Nudge)
            .where(col(Nudge.id).in_(batch), *conditions)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def planned(
    *, key: str, deadline_id: int, user_id: int, kind: str, at: datetime, now: datetime
) -> dict[str, Any]:
    """A new nudge's row (for a bulk insert): planned for `at`, never tried."""
    return {
        "key": key,
        "deadline_id": deadline_id,
        "user_id": user_id,
        "kind": kind,
        "planned_at": at,
        "status": NudgeStatus.PLANNED,
        "attempts": 0,
        "late": False,
        "created_at": now,
    }


def claim(session: Session, read: Iterable[tuple[int, int]]) -> set[int]:
    """A delivery run takes these nudges, each as it read them (id, attempts): one more attempt.

    A compare-and-swap, in batches: a nudge is taken only while it is still planned (or left
    `sending` by a run that stopped) with the attempts that were read. A run that took it first
    has counted its attempt, so two runs never take the same nudge. Returns the ids taken.
    """
    by_attempts: dict[int, list[int]] = defaultdict(list)
    for nudge_id, attempts in read:
        by_attempts[attempts].append(nudge_id)
    taken: set[int] = set()
    for attempts, ids in by_attempts.items():
        for batch in in_batches(ids):
            rows = session.execute(
                update(Nudge)
                .where(
                    col(Nudge.id).in_(batch),
                    col(Nudge.status).in_(_UNSENT),
                    col(Nudge.attempts) == attempts,
                )
                .values(status=NudgeStatus.SENDING, attempts=col(Nudge.attempts) + 1)
                .returning(col(Nudge.id))
                .execution_options(synchronize_session=False)
            )
            taken |= {nudge_id for (nudge_id,) in rows}
    return taken


def mark_late(session: Session, ids: Iterable[int]) -> None:
    """These go out later than planned (the bot was down); their message says so."""
    _set(session, ids, late=True)


def sent(
    session: Session, ids: Iterable[int], *, at: datetime, chat_id: int, message_id: int
) -> None:
    """Delivered, in this message (so that a Done can update it later)."""
    _set(session, ids, status=NudgeStatus.SENT, sent_at=at, chat_id=chat_id, message_id=message_id)


def plan_again(session: Session, ids: Iterable[int], *, at: datetime | None = None) -> None:
    """Not delivered yet: planned again, at `at` (or at their old moment)."""
    values: dict[str, Any] = {"status": NudgeStatus.PLANNED}
    if at is not None:
        values["planned_at"] = at
    _set(session, ids, **values)


def fail(session: Session, ids: Iterable[int]) -> None:
    """Not delivered, and retrying will not help. Their deadlines stay open (and in /agenda)."""
    _set(session, ids, status=NudgeStatus.FAILED)


def cancel(session: Session, ids: Iterable[int]) -> None:
    """No longer wanted: cancelled, if still planned."""
    _set(session, ids, col(Nudge.status) == NudgeStatus.PLANNED, status=NudgeStatus.CANCELLED)


def cancel_unsent(session: Session, ids: Iterable[int]) -> None:
    """No longer wanted, found at claim time: cancelled if planned or left `sending` by a run
    that stopped."""
    _set(session, ids, col(Nudge.status).in_(_UNSENT), status=NudgeStatus.CANCELLED)


def cancel_for_user(session: Session, user_id: int) -> None:
    """Nothing more is sent to this user of what was planned (revoked, or blocked the bot)."""
    session.execute(
        update(Nudge)
        .where(col(Nudge.user_id) == user_id, col(Nudge.status) == NudgeStatus.PLANNED)
        .values(status=NudgeStatus.CANCELLED)
    )
