"""/taal: switch the language the bot speaks with this user."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.handlers.commands import publish_chat_commands
from bot.handlers.context import BotContext
from bot.i18n import SUPPORTED_LOCALES, translator
from bot.services.onboarding import set_language
from bot.storage.models import Role

# Each language's name in itself, so it can be found by someone who does not read the other.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


@dataclass(frozen=True)
class LanguageChoice:
    """Button data: the language picked."""

    locale: str


async def ask_language(update: Update, context: BotContext) -> None:
    """Switch directly with `/taal en`, or offer the languages as buttons."""
    message = update.effective_message
    assert message is not None
    assert context.account is not None
    if context.args and context.args[0].lower() in SUPPORTED_LOCALES:
        await _switch(update, context, context.args[0].lower())
        return
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=LanguageChoice(code))]
            for code in SUPPORTED_LOCALES
        ]
    )
    await message.reply_text(
        context.tr.gettext("Which language shall I use?"), reply_markup=keyboard
    )


async def choose_language(update: Update, context: BotContext) -> None:
    """Store the language from the button."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, LanguageChoice)
    await query.answer()
    if query.data.locale not in SUPPORTED_LOCALES:
        return
    await _switch(update, context, query.data.locale)
    # The choice stays on the question; the buttons go, so it cannot be pressed again.
    await query.edit_message_text(
        f"{context.tr.gettext('Which language shall I use?')} ✓ {LANGUAGE_NAMES[query.data.locale]}"
    )


async def _switch(update: Update, context: BotContext, locale: str) -> None:
    account = context.account
    chat = update.effective_chat
    assert account is not None and account.id is not None
    assert chat is not None
    await asyncio.to_thread(set_language, context.services, user_id=account.id, language=locale)
    account.language = locale
    context.tr = translator(locale)
    await context.bot.send_message(
        chat.id, context.tr.gettext("From now on I will speak English with you.")
    )
    await publish_chat_commands(context.bot, chat.id, Role(account.role), locale)


def register(application: Application) -> None:
    """Add /taal (and /language) with its buttons."""
    application.add_handler(CommandHandler(["taal", "language"], ask_language))
    application.add_handler(CallbackQueryHandler(choose_language, pattern=LanguageChoice))
