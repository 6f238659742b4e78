"""The daily recomputation job and the catch-up at start."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.recompute import JOB_DAILY, recompute_now
from bot.reminders.runtime import services_of
from bot.services.container import Services
from bot.storage.models import DeadlineRow
from tests.utils.harness import BotHarness


async def test_the_daily_job_runs_at_six_in_amsterdam(bot: BotHarness) -> None:
    queue = bot.application.job_queue
    assert queue is not None
    [job] = queue.get_jobs_by_name(JOB_DAILY)
    next_run = job.next_t
    assert next_run is not None
    local = next_run.astimezone(services_of(bot.application).settings.tz)
    assert (local.hour, local.minute) == (6, 0)


def test_recompute_now_catches_up_a_day_that_passed(
    registry: Session, services: Services, clock: FixedClock
) -> None:
    def stored() -> int:
        registry.expire_all()
        return registry.exec(select(func.count()).select_from(DeadlineRow)).one()

    before = stored()
    assert recompute_now(services) == 0  # nothing changed since the import
    clock.advance(timedelta(days=60))  # two months later: new periodic occurrences are due
    assert recompute_now(services) > 0
    assert stored() > before
