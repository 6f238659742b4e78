"""The calendar subscription from the chat: a button under /agenda makes the user's address (and
ends the one before) and sends it once, with how to add it to Outlook, Google or Apple."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.handlers.context import BotContext
from bot.i18n import Translator
from bot.services.calendar_feed import feed_addresses, new_address
from bot.storage.models import AuditChannel
from bot.views.calendar import subscription_text


@dataclass(frozen=True)
class CalendarAddress:
    """Button data: make a new calendar address."""


def calendar_button(tr: Translator) -> InlineKeyboardMarkup:
    """The button under /agenda."""
    text = "📅 " + tr.gettext("In your own calendar")
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=CalendarAddress())]])


async def send_address(update: Update, context: BotContext) -> None:
    """A new address for the user's calendar feed, shown once (only its digest is kept)."""
    query, account = update.callback_query, context.account
    assert query is not None and account is not None
    services = context.services
    secret = await asyncio.to_thread(new_address, services, user=account, channel=AuditChannel.CHAT)
    address, subscription = feed_addresses(services, secret)
    text = subscription_text(context.tr, address, subscription)
    await query.answer()
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(
        chat.id, text, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )


def register(application: Application) -> None:
    """Add the calendar button's handler."""
    application.add_handler(CallbackQueryHandler(send_address, pattern=CalendarAddress))
