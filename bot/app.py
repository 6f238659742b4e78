"""Assembles the python-telegram-bot Application; no business logic lives here."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.handlers import register_all
from bot.handlers.commands import publish_default_commands
from bot.handlers.context import BotContext
from bot.logs import bind_update
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


class ThuiszitApplication(Application):
    """Tags every log record written while an update is handled with that update's id."""

    async def process_update(self, update: object) -> None:
        bind_update(update.update_id if isinstance(update, Update) else None)
        try:
            await super().process_update(update)
        finally:
            bind_update(None)

    async def stop(self) -> None:
        """Let a delivery in progress finish its messages in flight and stop (the rest stays
        planned) before the job queue waits for it. Every way of stopping comes here: SIGTERM
        and SIGINT (which python-telegram-bot turns into SystemExit), and `stop_running`."""
        reminders = reminders_of(self)
        if reminders is not None:
            reminders.stopping.set()
        await super().stop()


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await publish_default_commands(application.bot)
    schedule_recomputation(application)
    await start_reminders(application)
    # The catch-up and the first full plan grow with the data: they run in the background, so
    # that the bot answers within seconds of a start or a crash recovery.
    start_in_background(application, catch_up)


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await stop_reminders(application)
    services_of(application).engine.dispose()


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
        .rate_limiter(TelegramRateLimiter(TelegramLimits(), per_chat=False, max_retries=3))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.services = services
    register_all(application)
    return application
