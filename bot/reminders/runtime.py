"""Nudges in the running bot: the sending role, the plan and delivery jobs, the nudge bot.

The database holds what must be sent; the jobs only wake things up: planning every minute for
deadlines that changed (everything at start and after the daily recomputation), delivery every
30 seconds. Only the process holding the sending role plans and delivers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import Application, ContextTypes, ExtBot

from bot.reminders.delivery import deliver_due
from bot.reminders.limits import TelegramLimits, TelegramRateLimiter, nudge_rate_limiter
from bot.reminders.planner import plan_flagged
from bot.reminders.sender_lock import SenderLock, lock_file
from bot.services.container import Services
from bot.services.health import Beat
from bot.storage.db import refresh_statistics

logger = logging.getLogger(__name__)

JOB_ROLE, JOB_PLAN, JOB_DELIVER = "nudges:role", "nudges:plan", "nudges:deliver"
# The planner's statistics follow the data: refreshed after the start's full plan and daily.
JOB_STATISTICS = "db:statistics"
STATISTICS_EVERY = timedelta(days=1)


@dataclass
class Reminders:
    """The nudge machinery of one process."""

    services: Services
    bot: ExtBot[int]
    lock: SenderLock
    planned_until: datetime | None = None
    busy: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Set when the process is asked to stop: delivery ends after the message in flight.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    # Set once the deadlines were caught up and planned after start; nothing is sent before.
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    startup: asyncio.Task[None] | None = None
    # For /healthz: when the machinery started, and when the delivery job last ran.
    started: datetime | None = None
    last_run: datetime | None = None

    def beat(self) -> Beat:
        """What /healthz needs to know of this process's scheduler."""
        return Beat(started=self.started or self.services.clock.now(), last_run=self.last_run)

    def plan(self, *, everything: bool = False) -> int:
        """Plan nudges for the deadlines flagged as changed (or for all), and clear the flags."""
        now = self.services.clock.now()
        with self.services.session() as session:
            everything = everything or self.planned_until is None
            result = plan_flagged(
                session=session,
                now=now,
                tz=self.services.settings.tz,
                settings=self.services.settings.protocol,
                everything=everything,
            )
        self.planned_until = now
        return result.planned

    async def deliver(self) -> None:
        """Plan what changed, then send what is due — if this process holds the sending role."""
        self.last_run = self.services.clock.now()  # the scheduler runs, whoever sends
        if not self.lock.held or not self.ready.is_set():
            return
        async with self.busy:
            await asyncio.to_thread(self.plan)
            if not self.stopping.is_set():
                await deliver_due(services=self.services, bot=self.bot, stop=self.stopping)


@dataclass
class BotData:
    """python-telegram-bot's `bot_data`, typed: what the handlers and the jobs share. PTB creates
    it empty; `build_application` sets the services, `start_reminders` the reminders."""

    services: Services | None = None
    reminders: Reminders | None = None
    # Questions that would store something, once answered (a token → "saved", "cancelled" or
    # "changed"): a second press of any of their buttons says what happened, truthfully.
    answered: dict[str, str] = field(default_factory=dict)


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """The services the application was built with."""
    data: BotData = application.bot_data
    if data.services is None:
        raise RuntimeError("the application was built without its services")
    return data.services


def reminders_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Reminders | None:
    """The nudge machinery, once started."""
    data: BotData = application.bot_data
    return data.reminders


def _shared_limits(application: Application[Any, Any, Any, Any, Any, Any]) -> TelegramLimits:
    """The limits the answering bot keeps, so that both bots stay within Telegram's together."""
    limiter = application.bot.rate_limiter
    if isinstance(limiter, TelegramRateLimiter):
        return limiter.limits
    return TelegramLimits()


def _reminders(context: ContextTypes.DEFAULT_TYPE) -> Reminders:
    reminders = reminders_of(context.application)
    assert reminders is not None  # the jobs are scheduled once the reminders exist
    return reminders


async def _take_role(context: ContextTypes.DEFAULT_TYPE) -> None:
    reminders = _reminders(context)
    had = reminders.lock.held
    if reminders.lock.try_acquire() and not had:
        logger.info("this process now sends the nudges")
        await asyncio.to_thread(reminders.plan, everything=True)


async def _deliver(context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reminders(context).deliver()


async def _statistics(context: ContextTypes.DEFAULT_TYPE) -> None:
    await asyncio.to_thread(refresh_statistics, _reminders(context).services.engine)


async def start_reminders(application: Application[Any, Any, Any, Any, Any, Any]) -> Reminders:
    """Create the nudge bot, try to take the sending role, and schedule the jobs."""
    services = services_of(application)
    settings = services.settings
    # A bot of its own for nudges: plain button data that stays valid after a restart, sharing
    # the main bot's rate limiter so both stay within Telegram's limits together.
    nudge_bot: ExtBot[int] = ExtBot(
        token=settings.require_token(),
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        defaults=application.bot.defaults,
        rate_limiter=nudge_rate_limiter(_shared_limits(application)),
    )
    await nudge_bot.initialize()
    reminders = Reminders(
        services=services,
        bot=nudge_bot,
        lock=SenderLock(services.engine),
        started=services.clock.now(),
    )
    application.bot_data.reminders = reminders
    if reminders.lock.try_acquire():
        pass  # the first full plan runs in the background, after the catch-up (see `start`)
    elif services.engine.dialect.name == "sqlite":
        logger.error(
            "another bot process already sends the nudges from this SQLite database (lock %s): "
            "this process will not send nudges; stop the other one, or use PostgreSQL for a "
            "standby",
            lock_file(services.engine),
        )
    else:
        logger.info("standby: another process sends the nudges; taking over when it stops")
    queue = application.job_queue
    if queue is not None:
        for name in (JOB_ROLE, JOB_DELIVER):
            for job in queue.get_jobs_by_name(name):
                job.schedule_removal()
        if services.engine.dialect.name == "postgresql":
            queue.run_repeating(_take_role, interval=30, first=30, name=JOB_ROLE)
        queue.run_repeating(_deliver, interval=30, first=1, name=JOB_DELIVER)
        for job in queue.get_jobs_by_name(JOB_STATISTICS):
            job.schedule_removal()
        queue.run_repeating(
            _statistics, interval=STATISTICS_EVERY, first=STATISTICS_EVERY, name=JOB_STATISTICS
        )
    return reminders


def start_in_background(
    application: Application[Any, Any, Any, Any, Any, Any],
    catch_up: Callable[[Application[Any, Any, Any, Any, Any, Any]], Awaitable[None]],
) -> None:
    """Catch up on the deadlines and plan every nudge without holding up the first answers: the
    bot answers messages at once; nudges wait until this is done (`Reminders.ready`)."""
    reminders = reminders_of(application)
    assert reminders is not None

    async def run() -> None:
        try:
            await catch_up(application)
            if reminders.lock.held:
                planned = await asyncio.to_thread(reminders.plan, everything=True)
                logger.info("planned the nudges at start: %s new", planned)
            # The catch-up and the plan wrote the most rows they ever will at once.
            await asyncio.to_thread(refresh_statistics, reminders.services.engine)
        finally:
            reminders.ready.set()

    reminders.startup = asyncio.get_running_loop().create_task(run(), name="catch-up")


async def stop_reminders(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Give up the sending role and close the nudge bot."""
    reminders = reminders_of(application)
    if reminders is None:
        return
    if reminders.startup is not None and not reminders.startup.done():
        # Stopped while still catching up: the next start catches up again.
        reminders.startup.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reminders.startup
    reminders.lock.release()
    await reminders.bot.shutdown()
