"""A question that would store something is answered once, and says truthfully what happened
when any of its buttons is pressed again: "Al opgeslagen ✓" after a save, never "nothing was
saved" — also when two presses arrive together, before either was handled (python-telegram-bot
resolves the buttons' data when it fetches the updates)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from telegram import CallbackQuery, Update

from bot.handlers.context import BotContext
from bot.i18n import N_

SAVED, CANCELLED, CHANGED, HANDLED = "saved", "cancelled", "changed", "handled"
# Answers kept per bot; the buttons' data expires before them (python-telegram-bot keeps 1024).
_KEPT = 4096

AGAIN = {
    SAVED: N_("Already saved ✓"),
    CANCELLED: N_("This was cancelled: nothing was saved."),
    CHANGED: N_("Nothing was saved: send the corrected update."),
    # A verification card verified or skipped: its buttons count once.
    HANDLED: N_("Already handled ✓"),
}


def new_question() -> str:
    """A token for one question: its buttons carry it."""
    return secrets.token_hex(8)


def answered(context: BotContext, question: str) -> str | None:
    """How this question was answered, if it was."""
    return context.bot_data.answered.get(question) if question else None


def remember(context: BotContext, question: str, outcome: str) -> None:
    """The question is answered: later presses of its buttons say so."""
    if not question:
        return
    kept = context.bot_data.answered
    kept[question] = outcome
    while len(kept) > _KEPT:
        kept.pop(next(iter(kept)))


async def answered_already(query: CallbackQuery, context: BotContext, question: str) -> bool:
    """A press of a question answered before: say what happened, leave the message as it is."""
    outcome = answered(context, question)
    if outcome is None:
        return False
    await query.answer(context.tr.gettext(AGAIN[outcome]))
    return True


@dataclass(frozen=True)
class CancelUpdate:
    """Button data: forget what the question (`question`, when it has a token) would store."""

    question: str = ""


async def cancel(update: Update, context: BotContext) -> None:
    """Forget it: nothing was stored."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, CancelUpdate)
    if await answered_already(query, context, query.data.question):
        return
    if query.data.question:
        remember(context, query.data.question, CANCELLED)
    else:
        context.drop_callback_data(query)
    await query.answer()
    await query.edit_message_text(context.tr.gettext("Cancelled. Nothing was saved."))
