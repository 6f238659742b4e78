"""Cancel under a question that would store something: nothing is stored, and it says so."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.handlers.context import BotContext


@dataclass(frozen=True)
class CancelUpdate:
    """Button data: forget what the question would store."""


async def cancel(update: Update, context: BotContext) -> None:
    """Forget it: nothing was stored."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    context.drop_callback_data(query)
    await query.edit_message_text(context.tr.gettext("Cancelled. Nothing was saved."))
