"""The callback context every handler gets: the services, the sender's account and language."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import DEFAULT_LOCALE, Translator, translator
from bot.reminders.runtime import BotData, services_of
from bot.services.container import Services
from bot.storage.models import User


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Built once per update; the registration gate fills in `account` and `tr` first."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.account: User | None = None
        self.tr: Translator = translator(DEFAULT_LOCALE)

    @property
    def services(self) -> Services:
        """The services the application was built with."""
        return services_of(self.application)
