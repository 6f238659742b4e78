"""/web, and the chat's pointers into the web pages when they are configured (WEB_BASE_URL).

The chat is a Telegram cloud chat: with the pages on, it carries prompts and pointers ("S.V. #42",
a button that opens the dossier in the Mini App), never a full name, birth date, note or file.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
    WebAppInfo,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.config import WEB_PREFIX, Settings
from bot.handlers.context import BotContext
from bot.services.organisations import clears_named_messages

logger = logging.getLogger(__name__)


def pages_on(settings: Settings) -> bool:
    """Whether the chat points to the web pages instead of showing personal data itself."""
    return settings.web_base_url is not None


def open_button(settings: Settings, text: str, page: str) -> InlineKeyboardMarkup:
    """One button that opens `page` in the Mini App (the pages are on)."""
    url = settings.mini_app_url(page)
    assert url is not None
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, web_app=WebAppInfo(url))]])


async def send_pointer(
    context: BotContext, chat_id: int, text: str, button: str, page: str
) -> None:
    """A short message with a button into the Mini App, instead of the data itself."""
    await context.bot.send_message(
        chat_id, text, reply_markup=open_button(context.services.settings, button, page)
    )


async def clear_named_message(update: Update, context: BotContext, message_id: int | None) -> None:
    """Delete the user's own message that named a pupil, once it was acted on (an update saved,
    a dossier opened), if their SWV chose so: the chat then keeps only the label. Bots may delete
    incoming messages in a private chat for 48 hours; an older one stays (said in the log)."""
    chat, account = update.effective_chat, context.account
    if message_id is None or chat is None or chat.type != ChatType.PRIVATE or account is None:
        return
    if not await asyncio.to_thread(clears_named_messages, context.services, user=account):
        return
    try:
        await context.bot.delete_message(chat.id, message_id)
    except TelegramError as error:
        logger.info("could not delete user %s's message (%s)", account.id, type(error).__name__)


async def sign_in_link(update: Update, context: BotContext) -> None:
    """/web: a one-time link to the pages for a browser (valid 10 minutes, used once)."""
    message, account = update.effective_message, context.account
    assert message is not None and account is not None and account.id is not None
    services = context.services
    token = await asyncio.to_thread(
        services.web_sessions.new_link,
        account.id,
        now=services.clock.now(),
        generation=account.access_generation,
    )
    url = f"{services.settings.web_root()}{WEB_PREFIX}/signin/{token}"
    logger.info("user %s asked for a sign-in link", account.id)
    _ = context.tr.gettext
    await message.reply_text(
        _(
            "Your sign-in link for the web pages, for a browser on your own computer. It works "
            "once, for 10 minutes; do not pass it on."
        )
        + f"\n\n{url}",
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


def register(application: Application) -> None:
    """Add /web."""
    application.add_handler(CommandHandler("web", sign_in_link))
