"""The one place that edits the delivered copies of a nudge, whoever marked it done (a button
in chat, Done on the agenda page): every copy says who did it, a digest keeps its other items."""

from __future__ import annotations

import logging
from datetime import date

from telegram import Bot
from telegram.error import BadRequest, Forbidden

from bot.i18n import translator
from bot.reminders.actions import ChangedCopy, Pressed
from bot.storage.models import User

logger = logging.getLogger(__name__)


def _done_text(result: Pressed, language: str, by: str | None, today: date) -> str:
    """A nudge marked done, in its reader's language; `by` is None for the reader themself."""
    tr = translator(language)
    return "\n".join(
        [
            tr.gettext(result.what),
            f"{result.who} — " + tr.gettext("by {date}").format(date=tr.day(result.due)),
            tr.gettext("✓ Done by you on {date}").format(date=tr.date(today))
            if by is None
            else tr.gettext("✓ Done by {name} on {date}").format(name=by, date=tr.date(today)),
        ]
    )


async def show_done(
    bot: Bot, *, result: Pressed, changed: ChangedCopy, by: User, today: date
) -> None:
    """One delivered copy of the nudge, marked done by `by`: a digest keeps its other items.
    (Also after Done on the agenda page.)"""
    copy = changed.copy
    by_me = copy.user_id == by.id
    text = _done_text(result, copy.language, None if by_me else by.display_name or "", today)
    chat_id, message_id = copy.chat_id, copy.message_id
    try:
        if changed.digest is not None:
            digest_text, markup = changed.digest
            await bot.edit_message_text(
                digest_text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        elif result.document:
            # A nudge that came with its draft report is a document: the text is its caption.
            await bot.edit_message_caption(chat_id, message_id, caption=text)
        else:
            await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
    except (BadRequest, Forbidden):
        logger.info("could not update nudge message %s", copy.message_id)
