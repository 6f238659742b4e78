"""A full plan goes through the open deadlines in batches: the same nudges as one pass would
plan, and never more than one batch of deadlines in memory at once."""

from __future__ import annotations

from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders import planner
from bot.services.onboarding import redeem_invitation
from bot.storage.models import DeadlineRow, DeadlineStatus, Nudge, Role
from tests.utils.factories import NOW, invitation_code

AMS = ZoneInfo("Europe/Amsterdam")


def _with_recipients(session: Session) -> None:
    for telegram_id, role, where in (
        (4242, Role.ZORGCOORDINATOR, {"school": "12AB"}),
        (4343, Role.SWV, {"swv": "SWV Rijn en Gouwe"}),
    ):
        code = invitation_code(session, role, now=NOW, **where)
        redeem_invitation(
            session=session, code=code, telegram_id=telegram_id, display_name="Tester",
            language="nl", now=NOW, work_start=time(8, 0), work_end=time(18, 0),
        )  # fmt: skip
    session.commit()


def _planned(session: Session) -> set[tuple[Any, ...]]:
    return {
        (n.deadline_id, n.user_id, n.kind, n.planned_at, n.status)
        for n in session.exec(select(Nudge))
    }


def test_a_full_plan_in_batches_plans_what_one_pass_plans(
    registry: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_recipients(registry)
    open_deadlines = registry.exec(
        select(DeadlineRow).where(DeadlineRow.status == DeadlineStatus.OPEN)
    ).all()
    assert len(open_deadlines) > 10
    batches: list[int] = []
    whole = planner._plan_batch

    def counted(session: Session, run: Any, deadlines: Any, *rest: Any) -> None:
        batches.append(len(deadlines))
        # Only this batch's deadlines are held: the earlier ones were let go.
        held = [o for o in session.identity_map.values() if isinstance(o, DeadlineRow)]
        assert len(held) <= len(deadlines)
        whole(session, run, deadlines, *rest)

    monkeypatch.setattr(planner, "_plan_batch", counted)
    one_pass = planner.plan_nudges(session=registry, now=NOW, tz=AMS, settings=PROTOCOL)
    in_one = _planned(registry)
    registry.rollback()
    registry.expunge_all()
    assert batches == [len(open_deadlines)]

    batches.clear()
    monkeypatch.setattr(planner, "PLAN_BATCH", 3)
    batched = planner.plan_nudges(session=registry, now=NOW, tz=AMS, settings=PROTOCOL)
    assert len(batches) == -(-len(open_deadlines) // 3)
    assert max(batches) == 3
    assert in_one
    assert _planned(registry) == in_one
    assert (batched.planned, batched.cancelled) == (one_pass.planned, one_pass.cancelled) != (0, 0)


def test_a_full_plan_cancels_the_nudges_of_deadlines_closed_since(registry: Session) -> None:
    _with_recipients(registry)
    planner.plan_nudges(session=registry, now=NOW, tz=AMS, settings=PROTOCOL)
    registry.commit()
    closed = registry.exec(
        select(DeadlineRow).where(DeadlineRow.status == DeadlineStatus.OPEN)
    ).first()
    assert closed is not None
    closed.status = DeadlineStatus.CLOSED
    registry.add(closed)
    registry.flush()

    result = planner.plan_nudges(session=registry, now=NOW, tz=AMS, settings=PROTOCOL)

    statuses = {
        n.status for n in registry.exec(select(Nudge).where(Nudge.deadline_id == closed.id))
    }
    assert statuses == {"cancelled"}
    assert result.cancelled == len(
        registry.exec(select(Nudge).where(Nudge.deadline_id == closed.id)).all()
    )
