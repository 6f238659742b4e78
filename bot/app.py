"""Assembles the python-telegram-bot Application; no business logic lives here."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    ConversationHandler,
    Defaults,
)

from bot.handlers import register_all
from bot.handlers.commands import publish_default_commands
from bot.handlers.context import BotContext
from bot.logs import bind_update
from bot.persistence import DatabasePersistence, recovered
from bot.reminders.limits import TelegramLimits, TelegramRateLimiter
from bot.reminders.recompute import catch_up, schedule_recomputation
from bot.reminders.runtime import (
    BotData,
    reminders_of,
    services_of,
    start_in_background,
    start_reminders,
    stop_reminders,
)
from bot.services.container import Services

logger = logging.getLogger(__name__)


class ThuiszitApplication(Application):
    """Tags every log record written while an update is handled with that update's id; takes
    over what people were in the middle of from another process (a standby that starts to
    answer: `bot.persistence`)."""

    _taken_over = False

    async def process_update(self, update: object) -> None:
        bind_update(update.update_id if isinstance(update, Update) else None)
        started = time.perf_counter()
        try:
            if not self._taken_over:
                self._taken_over = True
                await self._take_over()
            if isinstance(update, Update) and update.callback_query is not None:
                update = await recovered(self, update) or update
            await super().process_update(update)
        finally:
            bind_update(None)
            metrics = services_of(self).metrics
            metrics.update_seconds.observe(time.perf_counter() - started)
            metrics.updates.labels(_kind(update)).inc()

    async def _take_over(self) -> None:
        """Before the first update this process handles: the users' data (a `/nieuw` draft, the
        questions asked) and the conversations' steps as the database has them now, not as
        they were when this process started — another one may have answered since (this is a
        standby taking over). For a process that just started, the same as it loaded.

        PTB loads them only while initialising; loading again goes through the attributes it
        keeps them in (`tests/handlers/test_restart.py` would fail if those changed)."""
        persistence = self.persistence
        if not isinstance(persistence, DatabasePersistence):
            return
        stored = await persistence.get_user_data()
        self._user_data.clear()
        self._user_data.update(stored)
        for handlers in self.handlers.values():
            for handler in handlers:
                if isinstance(handler, ConversationHandler) and handler.persistent:
                    # A fresh dict: PTB would write the old one's entries back as changes.
                    handler._conversations = type(handler._conversations)()
                    await self._add_ch_to_persistence(handler)

    async def stop(self) -> None:
        """Let a delivery in progress finish its messages in flight and stop (the rest stays
        planned) before the job queue waits for it. Every way of stopping comes here: SIGTERM
        and SIGINT (which python-telegram-bot turns into SystemExit), and `stop_running`."""
        reminders = reminders_of(self)
        if reminders is not None:
            reminders.stopping.set()
        await super().stop()


def _kind(update: object) -> str:
    """What kind of update this was, for the metrics (`metrics.UPDATE_KINDS`)."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "button"
    message = update.message
    if message is None:
        return "other"
    return "command" if (message.text or "").startswith("/") else "message"


def settle_memory() -> None:
    """What lives once the application is built (modules, tables, calendars: some 200,000
    objects) lives as long as the process: frozen, Python's collector no longer walks it at
    every full collection, which took 110–150 ms each — now and then in the middle of an
    answer."""
    gc.collect()
    gc.freeze()


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await publish_default_commands(application.bot)
    schedule_recomputation(application)
    await start_reminders(application)
    # The catch-up and the first full plan grow with the data: they run in the background, so
    # that the bot answers within seconds of a start or a crash recovery.
    start_in_background(application, catch_up)


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await stop_reminders(application)
    services_of(application).close()
    logger.info("stopped")


def build_application(
    services: Services,
    *,
    application_class: type[Application[Any, Any, Any, Any, Any, Any]] = ThuiszitApplication,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot, wired to the services; `application_class` lets tests observe processing."""
    settings = services.settings
    application = (
        ApplicationBuilder()
        .application_class(application_class)
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        # protect_content: messages about pupils may not be forwarded or saved (PRIVACY.md).
        .defaults(Defaults(tzinfo=settings.tz, protect_content=True))
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .arbitrary_callback_data(True)
        .persistence(DatabasePersistence(services))
        .rate_limiter(
            TelegramRateLimiter(
                TelegramLimits(on_refused=services.metrics.telegram_429.inc),
                per_chat=False,
                max_retries=3,
            )
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.services = services
    register_all(application)
    return application


def stop_on_signals(
    loop: asyncio.AbstractEventLoop, application: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    """Stop on the first SIGTERM or SIGINT; ignore the ones that follow while stopping.

    python-telegram-bot's own handlers raise SystemExit on every signal, so a second one (make
    passes its SIGTERM on to the bot, which often got one already) broke off the shutdown half
    way: nudges in flight unsettled, "coroutine 'Updater.stop' was never awaited". And a
    SystemExit while the bot is still starting (initialising, post_init, the updater) leaves
    that step half-run: finishing during the shutdown, it stopped the loop again ("Event loop
    stopped before Future completed", exit 1). Then the bot stops as soon as it has started.
    """
    stopping = False

    def stop(signum: int) -> None:
        nonlocal stopping
        if stopping:
            logger.info("%s while stopping: already stopping", signal.Signals(signum).name)
            return
        stopping = True
        if application.running:
            raise SystemExit  # as python-telegram-bot does: its run loop stops cleanly on it
        application.stop_running()  # honoured right after post_init
        waiting.append(loop.create_task(_stop_once_running(application)))

    waiting: list[asyncio.Task[None]] = []  # held: the loop keeps only weak references
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop, signum)


async def _stop_once_running(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop the bot once its start is through (when the signal came after post_init, the start
    goes on to the end first)."""
    while not application.running:  # noqa: ASYNC110 — no event marks the end of the start
        await asyncio.sleep(0.05)
    application.stop_running()


def run(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    loop: asyncio.AbstractEventLoop | None = None,
    cleanup: Callable[[], Awaitable[None]] | None = None,
    webhook_secret: str | None = None,
) -> None:
    """Run the bot until a stop signal: by webhook when WEBHOOK_URL is set (the updates arrive
    on the web server already serving on `loop`, checked against `webhook_secret`), else by
    polling.

    `loop` may already serve something the bot needs (the pages, the local trial's Bot API);
    `cleanup` runs on it once the bot has stopped.
    """
    settings = services_of(application).settings
    if loop is None:
        loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # python-telegram-bot runs on the current event loop
    stop_on_signals(loop, application)  # before anything slow: a signal is never lost
    settle_memory()
    try:
        if settings.webhook_url:
            assert webhook_secret is not None
            _run_on_webhook(application, loop, settings.webhook_url, webhook_secret)
        else:
            application.run_polling(
                allowed_updates=Update.ALL_TYPES, stop_signals=None, close_loop=False
            )
        if cleanup is not None:
            loop.run_until_complete(cleanup())
    finally:
        # What is left (a stop waiting for a start that a signal cut short) ends before the loop.
        leftover = asyncio.all_tasks(loop)
        for task in leftover:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*leftover, return_exceptions=True))
        loop.close()
        # Closing the loop gave the signals their default back; stopped, the bot only exits now.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _run_on_webhook(
    application: Application[Any, Any, Any, Any, Any, Any],
    loop: asyncio.AbstractEventLoop,
    url: str,
    secret: str,
) -> None:
    """python-telegram-bot's custom-webhook pattern, as `run_webhook` runs its own server: the
    application without its Updater, fed by the web server, until a stop signal (which raises
    SystemExit out of the loop; the serving task is then told to stop, and stops in order —
    not cancelled, which would cut short the waits inside the shutdown)."""
    stop = asyncio.Event()
    serving = loop.create_task(_serve_webhook(application, url, secret, stop))
    try:
        loop.run_until_complete(serving)
    except (KeyboardInterrupt, SystemExit):
        logger.info("stopping")
        stop.set()
        loop.run_until_complete(serving)


async def _serve_webhook(
    application: Application[Any, Any, Any, Any, Any, Any],
    url: str,
    secret: str,
    stop: asyncio.Event,
) -> None:
    """`async with application` initialises and shuts down; `run_webhook` would also call
    post_init, post_stop and post_shutdown, so they are called here in the same order."""
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        await application.start()
        try:
            await stop.wait()  # meanwhile the updates arrive on the web server's task
        finally:
            if application.running:
                await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
