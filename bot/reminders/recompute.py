"""At start (to catch up) and once a day the date-driven deadlines are recomputed; the daily run
also deletes the pupils whose retention period is over.

Follow-up reports and periodic occurrences depend on the date, not only on changes; the rest
is recomputed with every change already. The database is the source of truth: the job only
wakes the computation up, and a missed run is simply the next run.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import time
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.reminders.runtime import reminders_of, services_of
from bot.services.container import Services
from bot.services.deadlines import sync_everything
from bot.services.privacy import apply_retention
from bot.storage.models import AuditChannel

logger = logging.getLogger(__name__)

DAILY_AT = time(6, 0)
JOB_DAILY = "recompute:daily"


def recompute_now(services: Services) -> int:
    """Recompute every deadline as of today; returns how many changed."""
    now = services.clock.now()
    with services.session() as session:
        changes = sync_everything(
            session=session, as_of=now.date(), now=now, settings=services.settings.protocol
        )
    return len(changes.created) + len(changes.closed) + len(changes.reopened)


def apply_retention_now(services: Services) -> int:
    """Delete the pupils whose retention period is over (PRIVACY.md); returns how many."""
    now = services.clock.now()
    with services.session() as session:
        gone = apply_retention(
            session,
            today=now.date(),
            now=now,
            months=services.settings.retention_months,
            channel=AuditChannel.JOB,
        )
    return len(gone)


async def _run(context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.application)
    deleted = await asyncio.to_thread(apply_retention_now, services)
    logger.info("retention: %s pupils deleted", deleted)
    # A full recompute takes seconds to a minute: off the event loop, so chats stay responsive.
    changed = await asyncio.to_thread(recompute_now, services)
    logger.info("recomputed deadlines: %s changed", changed)
    reminders = reminders_of(context.application)
    if reminders is not None and reminders.lock.held:
        # The weekly nudges roll forward with the days.
        await asyncio.to_thread(reminders.plan, everything=True)


async def catch_up(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Recompute before the first update is handled: a day may have passed while down."""
    services = services_of(application)
    changed = await asyncio.to_thread(recompute_now, services)
    logger.info("caught up on deadlines at start: %s changed", changed)


def schedule_recomputation(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Every day at 06:00 (bot time zone); the job is replaced, never doubled."""
    queue = application.job_queue
    if queue is None:
        return
    services = services_of(application)
    for job in queue.get_jobs_by_name(JOB_DAILY):
        job.schedule_removal()
    queue.run_daily(_run, time=DAILY_AT.replace(tzinfo=services.settings.tz), name=JOB_DAILY)
