"""What /healthz says: the database answers, the scheduler runs, no due nudge is left waiting —
on a clock of the test, never by waiting."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.config import Settings
from bot.reminders.runtime import reminders_of, services_of
from bot.services.container import Services
from bot.services.health import Beat, problems
from bot.storage.db import make_engine
from bot.storage.models import DeadlineRow, Nudge, NudgeKind, NudgeStatus, Role, User
from bot.web.site import root_app
from tests.utils.factories import NOW
from tests.utils.harness import BotHarness

M = timedelta(minutes=1)

# (process started, last delivery run, a due nudge planned at and its status) → what is wrong,
# each as minutes before NOW. Written from the rules before running: the scheduler is silent
# after 2 minutes without a run (from the start when it never ran); a due, unsent nudge is
# stalled after 15 minutes of waiting, counted from the start at the earliest.
CASES = [
    ((60, 0.5, None, None), []),
    ((60, 3, None, None), ["scheduler: no delivery run for 3 minutes"]),
    ((1, None, None, None), []),  # starting: no run yet
    ((3, None, None, None), ["scheduler: no delivery run for 3 minutes"]),
    ((60, 0.5, 20, NudgeStatus.PLANNED), ["delivery: a due nudge has waited 20 minutes"]),
    ((60, 0.5, 20, NudgeStatus.SENDING), ["delivery: a due nudge has waited 20 minutes"]),
    ((5, 0.5, 20, NudgeStatus.PLANNED), []),  # a backlog from before the start: 5 minutes yet
    ((60, 0.5, 10, NudgeStatus.PLANNED), []),
    ((60, 0.5, 20, NudgeStatus.SENT), []),
    ((60, 0.5, -20, NudgeStatus.PLANNED), []),  # not due yet
    ((60, 4, 30, NudgeStatus.PLANNED), ["scheduler: no delivery run for 4 minutes",
                                        "delivery: a due nudge has waited 30 minutes"]),
]  # fmt: skip


def _nudge(session: Session, planned_at: datetime, status: NudgeStatus) -> None:
    user = User(telegram_id=77, display_name="U", role=Role.SWV, swv_id=1, language="nl",
                work_start=time(8), work_end=time(18), created_at=NOW)  # fmt: skip
    session.add(user)
    session.flush()
    deadline = session.exec(select(DeadlineRow)).first()
    assert deadline is not None
    assert deadline.id is not None
    assert user.id is not None
    session.add(Nudge(key="k", deadline_id=deadline.id, user_id=user.id, kind=NudgeKind.DUE,
                      planned_at=planned_at, status=status, created_at=NOW))  # fmt: skip
    session.commit()


def _ago(minutes: float | None) -> datetime | None:
    return None if minutes is None else NOW - minutes * M


@pytest.mark.parametrize(("state", "expected"), CASES)
async def test_what_is_wrong(
    registry: Session, services: Services, state: tuple[Any, ...], expected: list[str]
) -> None:
    started, last_run, planned, status = state
    if planned is not None:
        _nudge(registry, NOW - planned * M, status)
    beat = Beat(started=NOW - started * M, last_run=_ago(last_run))
    assert await problems(services, now=NOW, beat=beat) == expected


async def test_before_the_scheduler_starts_only_the_database_counts(
    registry: Session, services: Services
) -> None:
    _nudge(registry, NOW - 60 * M, NudgeStatus.PLANNED)
    assert await problems(services, now=NOW, beat=None) == []


async def test_a_database_that_does_not_answer(settings: Settings) -> None:
    gone = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    services = Services(settings=settings, engine=gone, clock=FixedClock(NOW))
    try:
        assert await problems(services, now=NOW, beat=None) == ["database: does not answer"]
    finally:
        services.close()


async def test_healthz_answers_503_with_the_reason_when_the_scheduler_stops(
    bot: BotHarness, registry: Session, clock: FixedClock
) -> None:
    application = bot.application
    runner = web.AppRunner(root_app(services_of(application), application.bot,
                                    application=application), access_log=None)  # fmt: skip
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/healthz"
    try:
        async with aiohttp.ClientSession() as client:
            async with client.get(url) as answer:
                assert (answer.status, await answer.text()) == (200, "ok")
            # The scheduler stops (its jobs gone) and three minutes pass on the bot's clock.
            assert application.job_queue is not None
            for job in application.job_queue.jobs():
                job.schedule_removal()
            reminders = reminders_of(application)
            assert reminders is not None
            clock.advance(timedelta(minutes=3) + (NOW - (reminders.last_run or NOW)))
            async with client.get(url) as answer:
                assert answer.status == 503
                assert (await answer.text()).startswith("scheduler: no delivery run for 3 minutes")
    finally:
        await runner.cleanup()
