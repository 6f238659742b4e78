"""A bare python-telegram-bot echo bot: the baseline the bot's own figures are measured against.

    TELEGRAM_BASE_URL=… BOT_TOKEN=… .venv/bin/python bench/echo_bot.py

It answers every text with the same text, and every button press by editing the message it is
on: what a bot does at the least for a message or a press, with nothing of ours in between.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"pressed: {query.data}")


def build() -> Application:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .base_file_url(os.environ["TELEGRAM_BASE_FILE_URL"])
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(press))
    return application


if __name__ == "__main__":
    build().run_polling(allowed_updates=Update.ALL_TYPES)
