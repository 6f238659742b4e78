"""Runs before every other handler: who is this, which language, and may they be here at all."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Chat, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    InvalidCallbackData,
    TypeHandler,
)

from bot.handlers.context import BotContext
from bot.handlers.start import start_code
from bot.i18n import Translator, locale_from_language_code, translator
from bot.logs import bind_user, describe_exception
from bot.services.identity import Channel, mark_seen, read_account, seen_due, within_rate
from bot.storage.models import User
from bot.views.texts import not_registered_text

logger = logging.getLogger(__name__)

GATE_GROUP = -100


def _is_start_command(update: Update, *, with_code: bool = False) -> bool:
    message = update.message
    if message is None or not message.text:
        return False
    if start_code(message.text) is not None:
        return True
    words = message.text.split()
    start = bool(words) and (words[0] == "/start" or words[0].startswith("/start@"))
    return start and (len(words) > 1 or not with_code)


# Telegram's own limits; a local Bot API server or a forged update may carry more.
MAX_TEXT = 4096
MAX_CAPTION = 1024


async def _refuse(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
    raise ApplicationHandlerStop


def _foreign_button(update: Update, user_id: int) -> bool:
    """A press that no real client can make: on a message in another chat, or with data that is
    not on the pressed message's own keyboard (copied from elsewhere)."""
    query = update.callback_query
    if query is None or isinstance(query.data, InvalidCallbackData):
        return False
    message = query.message
    if message is None:
        return True
    if message.chat.id != user_id:
        return True
    markup = getattr(message, "reply_markup", None)
    buttons = [b for row in markup.inline_keyboard for b in row] if markup else []
    return not any(b.callback_data == query.data for b in buttons)


def _too_long(update: Update) -> bool:
    message = update.effective_message
    if message is None:
        return False
    return len(message.text or "") > MAX_TEXT or len(message.caption or "") > MAX_CAPTION


async def identify(update: Update, context: BotContext) -> None:
    """Look the sender up; let only registered users (and /start) go on to the other handlers.

    Also here, before any handler sees the update: the per-user rate limit and the length limit.
    """
    tg_user = update.effective_user
    chat = update.effective_chat
    # Case data never goes into group chats: the bot works in private chats only.
    if tg_user is None or (chat is not None and chat.type != Chat.PRIVATE):
        raise ApplicationHandlerStop
    context.tr = translator(locale_from_language_code(tg_user.language_code))
    await _limit_rate(update, context, tg_user.id)
    services = context.services
    account = await services.read(read_account, telegram_id=tg_user.id)
    if account is not None and seen_due(services, account):
        await asyncio.to_thread(mark_seen, services, account)
    if account is not None and account.active:
        context.account = account
        context.tr = translator(account.language)
        bind_user(account.id)
    await _limit_length(update, context)
    await _admit(update, context, account)
    if _foreign_button(update, tg_user.id):
        logger.info("update %s refused: button data not from that message", update.update_id)
        await _refuse(
            update, context.tr.gettext("This button has expired. Please give the command again.")
        )


async def _limit_rate(update: Update, context: BotContext, telegram_id: int) -> None:
    limiter = context.services.message_limiter
    if not within_rate(context.services, telegram_id, Channel.CHAT):
        logger.info("update %s over the rate limit of user %s", update.update_id, telegram_id)
        if limiter.warn(telegram_id):
            await _refuse(
                update,
                context.tr.gettext(
                    "You are sending messages faster than I can take them. Please wait a minute."
                ),
            )
        raise ApplicationHandlerStop


async def _limit_length(update: Update, context: BotContext) -> None:
    if _too_long(update):
        logger.info("update %s refused: too long", update.update_id)
        await _refuse(
            update,
            context.tr.gettext(
                "That message is too long for me (at most {text} characters, or {caption} for a "
                "caption). Please send it in parts."
            ).format(text=MAX_TEXT, caption=MAX_CAPTION),
        )


async def _admit(update: Update, context: BotContext, account: User | None) -> None:
    """Stop an update from someone without access, unless it is the /start that gives it."""
    revoked = account is not None and account.revoked_at is not None
    # A revoked user may only redeem a new invitation; a bare /start gets the revocation too.
    if context.account is None and not _is_start_command(update, with_code=revoked):
        if revoked and account is not None:
            logger.info("refused update %s from revoked user %s", update.update_id, account.id)
            await _refuse(
                update,
                context.tr.gettext(
                    "Your access to Thuiszitbot has been withdrawn. If you think this is a "
                    "mistake, ask the administrator of your samenwerkingsverband."
                ),
            )
        logger.info("refused update %s from an unregistered user", update.update_id)
        await _refuse(update, not_registered_text(context.tr))


async def stale_button(update: Update, context: BotContext) -> None:
    """Answer a button the bot no longer knows (after a restart) or never made (forged)."""
    query = update.callback_query
    assert query is not None
    await query.answer(
        context.tr.gettext("This button has expired. Please give the command again."),
        show_alert=True,
    )
    # A second tap finds the buttons gone already: removing them again is refused by Telegram.
    if getattr(query.message, "reply_markup", None) is not None:
        await query.edit_message_reply_markup(reply_markup=None)


def apology(tr: Translator) -> str:
    """What a user is told when something failed on the bot's side."""
    return tr.gettext(
        "Sorry, something went wrong on my side. Please try again; if it keeps happening, "
        "tell the administrator of your samenwerkingsverband."
    )


# Telegram's answers to an edit that a double tap or an old message makes pointless: the user
# already sees the right state, so these are neither errors nor reasons to apologise.
_EXPECTED_REFUSALS = ("message is not modified", "message to edit not found")


def expected_refusal(error: object) -> bool:
    """Whether Telegram refused an edit that changes nothing or a message that is gone."""
    return isinstance(error, BadRequest) and any(
        phrase in error.message.lower() for phrase in _EXPECTED_REFUSALS
    )


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure for developers (no personal data) and apologise to the user."""
    update_id = update.update_id if isinstance(update, Update) else None
    if expected_refusal(context.error):
        logger.info("update %s: Telegram had nothing to edit (%s)", update_id, context.error)
        if isinstance(update, Update) and update.callback_query is not None:
            with contextlib.suppress(TelegramError):  # it may have been answered already
                await update.callback_query.answer()
        raise ApplicationHandlerStop
    if context.error is not None:
        logger.error(
            "error while handling update %s:\n%s", update_id, describe_exception(context.error)
        )
    if not isinstance(update, Update):
        return
    text = apology(context.tr)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
    # One apology and the update ends here: without this PTB goes on to the next handler group
    # (after a failure in the gate, the handler itself), which fails and apologises again.
    raise ApplicationHandlerStop


def register(application: Application) -> None:
    """Add the gate, the stale-button answer and the error handler."""
    application.add_handler(TypeHandler(Update, identify), group=GATE_GROUP)
    application.add_handler(CallbackQueryHandler(stale_button, pattern=InvalidCallbackData))
    application.add_error_handler(on_error)
