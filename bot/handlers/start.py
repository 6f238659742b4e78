"""/start CODE: redeem an invitation (also through a t.me/<bot>?start=CODE link)."""

from __future__ import annotations

import asyncio
import logging
import math
import re

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.handlers.commands import publish_chat_commands
from bot.handlers.context import BotContext
from bot.handlers.help import help_text
from bot.i18n import Translator, translator
from bot.services.onboarding import RedeemOutcome, SignIn, my_organisation, sign_in
from bot.storage.models import Role, User
from bot.texts import role_at
from bot.views.texts import not_registered_text

logger = logging.getLogger(__name__)


# An invitation link sent as text (copied from an e-mail) instead of opened in Telegram.
START_LINK = re.compile(r"(?:https?://)?(?:t|telegram)\.me/\w+\?start=([\w-]+)", re.IGNORECASE)


def start_code(text: str | None) -> str | None:
    """The invitation code of a t.me/<bot>?start=CODE link in `text`, if there is one."""
    match = START_LINK.search(text or "")
    return match[1] if match else None


async def start(update: Update, context: BotContext) -> None:
    """Register the sender with an invitation code (/start CODE, or the invitation link sent as
    text), or greet someone already registered."""
    message, tg_user, account = update.effective_message, update.effective_user, context.account
    assert message is not None and tg_user is not None
    code = context.args[0] if context.args else start_code(message.text)
    if account is not None:
        text = await _already_registered(account, context) if code else None
        await message.reply_text(text or help_text(account, context.tr))
        return
    if not code:
        await message.reply_text(not_registered_text(context.tr))
        return
    result = await asyncio.to_thread(
        sign_in,
        context.services,
        code=code,
        telegram_id=tg_user.id,
        display_name=tg_user.full_name,
        language=context.tr.locale,
    )
    if result.outcome is not RedeemOutcome.REGISTERED or result.user is None:
        await message.reply_text(_not_signed_in(result, context.tr))
        return
    await _welcome(message, context, result, result.user)


async def _welcome(message: Message, context: BotContext, result: SignIn, user: User) -> None:
    """Signed in: who as, what they can do, and the command menu of their role."""
    tr, role = translator(user.language), Role(user.role)
    logger.info("user %s registered with role %s", user.id, role.value)
    welcome = tr.gettext("Welcome! You are signed in as {who}.").format(
        who=role_at(role, result.organisation, tr)
    )
    await message.reply_text(welcome + "\n\n" + help_text(user, tr))
    await publish_chat_commands(context.bot, message.chat_id, role, user.language)


def _not_signed_in(result: SignIn, tr: Translator) -> str:
    _ = tr.gettext
    if result.wait is not None:
        minutes = max(1, math.ceil(result.wait.total_seconds() / 60))
        return tr.ngettext(
            "Too many wrong codes. Please try again in {minutes} minute.",
            "Too many wrong codes. Please try again in {minutes} minutes.",
            minutes,
        ).format(minutes=minutes)
    if result.outcome is RedeemOutcome.ALREADY_REGISTERED and result.user is not None:
        return _("You are already signed in as {who}.").format(
            who=role_at(Role(result.user.role), result.organisation, tr)
        )
    if result.outcome is RedeemOutcome.USED:
        return _("This invitation has already been used. Ask for a new invitation.")
    if result.outcome is RedeemOutcome.EXPIRED:
        return _("This invitation has expired. Ask for a new invitation.")
    return _(
        "I do not know this code. Check that you copied all of it, or ask for a new invitation."
    )


async def _already_registered(account: User, context: BotContext) -> str:
    organisation = await asyncio.to_thread(my_organisation, context.services, user=account)
    return context.tr.gettext("You are already signed in as {who}.").format(
        who=role_at(Role(account.role), organisation, context.tr)
    )


def register(application: Application) -> None:
    """Add /start."""
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & filters.Regex(START_LINK), start))
