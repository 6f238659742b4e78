"""Replies about one pupil: to the bot's question on a verification card, and to a nudge about
one pupil. The pupil is known from what was replied to, so the reply needs no name."""

from __future__ import annotations

import asyncio

from telegram import ForceReply, Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, filters

from bot.handlers.context import BotContext
from bot.handlers.updates import offer_reply
from bot.i18n import N_
from bot.protocol.parsing import ReplyAbout
from bot.services.cases import pupil_of_message

# user_data: the message id of a question asked → (pupil id, what it asks).
_ASKED = "asked_about_pupil"
_KEPT = 20

QUESTIONS = {
    ReplyAbout.ACTION: N_(
        "What was done or planned for {pupil}? Reply to this message, for example “gesprek met "
        "moeder gepland op 14 december”. Then press Still right on the card."
    ),
    ReplyAbout.END: N_(
        "Since which day is {pupil} back at school? Reply to this message, for example “sinds "
        "maandag”. Then press Still right on the card."
    ),
}


async def ask_about(
    context: BotContext, chat_id: int, pupil_id: int, who: str, about: ReplyAbout
) -> None:
    """Ask about one pupil; the reply is read for that pupil (`reply_about_pupil`)."""
    text = context.tr.gettext(QUESTIONS[about]).format(pupil=who)
    # Telegram's apps reply to a ForceReply message with what is typed next.
    question = await context.bot.send_message(chat_id, text, reply_markup=ForceReply())
    asked = context.user_data.setdefault(_ASKED, {})  # type: ignore[union-attr]
    asked[question.message_id] = (pupil_id, about)
    while len(asked) > _KEPT:
        asked.pop(next(iter(asked)))


async def reply_about_pupil(update: Update, context: BotContext) -> None:
    """A reply to a question about one pupil, or to a nudge about one: read for that pupil
    (else: not for us, the other handlers read it)."""
    message = update.effective_message
    if message is None or message.reply_to_message is None or context.account is None:
        return
    replied = message.reply_to_message.message_id
    found = (context.user_data or {}).get(_ASKED, {}).get(replied)
    if found is None:
        pupil_id = await asyncio.to_thread(
            pupil_of_message,
            context.services,
            user=context.account,
            chat_id=message.chat.id,
            message_id=replied,
        )
        if pupil_id is None:
            return
        found = (pupil_id, ReplyAbout.UPDATE)
    await offer_reply(message, context, *found)
    raise ApplicationHandlerStop


def register(application: Application) -> None:
    """Before the Done note's replies (group -1) and the quick updates: a reply about a pupil."""
    application.add_handler(
        MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, reply_about_pupil),
        group=-2,
    )
