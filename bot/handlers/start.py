"""/start CODE: redeem an invitation (also through a t.me/<bot>?start=CODE link)."""

from __future__ import annotations

import logging
import math

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers.commands import publish_chat_commands
from bot.handlers.context import BotContext
from bot.handlers.help import help_text
from bot.handlers.texts import not_registered_text, role_name
from bot.i18n import translator
from bot.services.onboarding import RedeemOutcome, organisation_name, redeem_invitation
from bot.storage.models import Role, User

logger = logging.getLogger(__name__)


async def start(update: Update, context: BotContext) -> None:
    """Register the sender with an invitation code, or greet someone already registered."""
    message = update.effective_message
    tg_user = update.effective_user
    assert message is not None
    assert tg_user is not None
    services = context.services
    _ = context.tr.gettext

    if context.account is not None:
        if context.args:
            await message.reply_text(_already_registered(context.account, context))
        else:
            await message.reply_text(help_text(context.account, context.tr))
        return
    if not context.args:
        await message.reply_text(not_registered_text(context.tr))
        return

    now = services.clock.now()
    wait = services.invite_throttle.wait_time(tg_user.id, now)
    if wait is not None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        await message.reply_text(
            context.tr.ngettext(
                "Too many wrong codes. Please try again in {minutes} minute.",
                "Too many wrong codes. Please try again in {minutes} minutes.",
                minutes,
            ).format(minutes=minutes)
        )
        return

    with services.session() as session:
        result = redeem_invitation(
            session=session,
            code=context.args[0],
            telegram_id=tg_user.id,
            display_name=tg_user.full_name,
            language=context.tr.locale,
            now=now,
            work_start=services.settings.default_work_start,
            work_end=services.settings.default_work_end,
        )
        org_name = (
            organisation_name(session=session, user=result.user) if result.user is not None else ""
        )

    if result.outcome is RedeemOutcome.UNKNOWN:
        services.invite_throttle.record_failure(tg_user.id, now)
        await message.reply_text(
            _(
                "I do not know this code. Check that you copied all of it, or ask for a new "
                "invitation."
            )
        )
        return
    if result.outcome is RedeemOutcome.USED:
        await message.reply_text(
            _("This invitation has already been used. Ask for a new invitation.")
        )
        return
    if result.outcome is RedeemOutcome.EXPIRED:
        await message.reply_text(_("This invitation has expired. Ask for a new invitation."))
        return

    user = result.user
    assert user is not None
    if result.outcome is RedeemOutcome.ALREADY_REGISTERED:
        await message.reply_text(_already_registered(user, context))
        return
    services.invite_throttle.reset(tg_user.id)
    tr = translator(user.language)
    role = Role(user.role)
    logger.info("user %s registered with role %s", user.id, role.value)
    welcome = tr.gettext("Welcome! You are signed in as {role} at {organisation}.").format(
        role=role_name(role, tr), organisation=org_name
    )
    await message.reply_text(welcome + "\n\n" + help_text(user, tr))
    await publish_chat_commands(context.bot, message.chat_id, role, user.language)


def _already_registered(account: User, context: BotContext) -> str:
    with context.services.session() as session:
        org_name = organisation_name(session=session, user=account)
    return context.tr.gettext("You are already signed in as {role} at {organisation}.").format(
        role=role_name(Role(account.role), context.tr), organisation=org_name
    )


def register(application: Application) -> None:
    """Add /start."""
    application.add_handler(CommandHandler("start", start))
