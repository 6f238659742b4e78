"""/uitnodigen: an SWV administrator invites a colleague from the chat."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import cast

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.handlers.cancel import SAVED, answered_already, new_question, remember
from bot.handlers.context import BotContext
from bot.handlers.org_choice import ask_organisation
from bot.services.onboarding import invite
from bot.storage.models import ROLE_ORG_KIND, OrgKind, Role
from bot.views.texts import not_available_text, role_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InviteRole:
    """Button data: the role of the colleague to invite (`question`: the /uitnodigen it
    answers, so that a second press makes no second invitation)."""

    role: Role
    question: str = ""


@dataclass(frozen=True)
class InvitePage:
    """Button data: another page of organisations to choose from."""

    role: Role
    page: int
    question: str = ""


@dataclass(frozen=True)
class InviteOrg:
    """Button data: the organisation the colleague will belong to."""

    role: Role
    org_id: int
    question: str = ""


def _is_admin(context: BotContext) -> bool:
    return context.account is not None and context.account.role == Role.ADMIN


async def start_invite(update: Update, context: BotContext) -> None:
    """Ask which role the new colleague will have."""
    message = update.effective_message
    assert message is not None
    if not _is_admin(context):
        await message.reply_text(not_available_text(context.tr))
        return
    asked = new_question()
    rows = [
        [InlineKeyboardButton(role_name(role, context.tr), callback_data=InviteRole(role, asked))]
        for role in Role
    ]
    keyboard = InlineKeyboardMarkup(rows)
    await message.reply_text(
        context.tr.gettext("Whom do you want to invite?"), reply_markup=keyboard
    )


async def pick_role(update: Update, context: BotContext) -> None:
    """After the role: create the invitation for the own SWV, or ask for the organisation."""
    query = update.callback_query
    assert query is not None
    # Arbitrary callback data: the button's own object, not the str that PTB's types declare.
    data = cast(object, query.data)
    if not isinstance(data, InviteRole | InvitePage):
        return
    if await answered_already(query, context, data.question):
        return
    await query.answer()
    if not _is_admin(context):
        await query.edit_message_text(not_available_text(context.tr))
        return
    role, asked = data.role, data.question
    page = data.page if isinstance(data, InvitePage) else 0
    assert context.account is not None
    if ROLE_ORG_KIND[role] is OrgKind.SWV:
        await _create(update, context, role, context.account.swv_id, asked)
        return
    await _ask_where(query, context, role, page, asked)


async def _ask_where(
    query: CallbackQuery, context: BotContext, role: Role, page: int, asked: str
) -> None:
    """Which organisation the invitation is for: a page of buttons."""
    assert context.account is not None
    await ask_organisation(
        query,
        services=context.services,
        tr=context.tr,
        role=role,
        swv_id=context.account.swv_id,
        page=page,
        choose=lambda org_id: InviteOrg(role, org_id, asked),
        turn=lambda number: InvitePage(role, number, asked),
    )


async def pick_organisation(update: Update, context: BotContext) -> None:
    """Create the invitation for the chosen organisation."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, InviteOrg)
    if await answered_already(query, context, query.data.question):
        return
    await query.answer()
    if not _is_admin(context):
        await query.edit_message_text(not_available_text(context.tr))
        return
    await _create(update, context, query.data.role, query.data.org_id, query.data.question)


async def _create(update: Update, context: BotContext, role: Role, org_id: int, asked: str) -> None:
    query, account, tr = update.callback_query, context.account, context.tr
    assert query is not None and account is not None
    created = await asyncio.to_thread(
        invite, context.services, admin=account, role=role, org_id=org_id
    )
    if created is None:
        await query.edit_message_text(not_available_text(tr))
        return
    # Answered: pressed again (another tap, another device), no second invitation is made.
    remember(context, asked, SAVED)
    invitation, code = created
    logger.info("user %s created invitation %s", account.id, invitation.id)
    expires = invitation.expires_at.astimezone(context.services.settings.tz).date()
    text = tr.gettext(
        "Invitation for a {role}, valid until {date}. Send your colleague this link, or "
        "let them send the bot: /start {code}\n\n{link}"
    ).format(
        role=role_name(role, tr),
        date=tr.date(expires),
        code=code,
        link=f"https://t.me/{context.bot.username}?start={code}",
    )
    await query.edit_message_text(text)


def register(application: Application) -> None:
    """Add /uitnodigen and its buttons."""
    application.add_handler(CommandHandler(["uitnodigen", "invite"], start_invite))
    application.add_handler(CallbackQueryHandler(pick_role, pattern=InviteRole))
    application.add_handler(CallbackQueryHandler(pick_role, pattern=InvitePage))
    application.add_handler(CallbackQueryHandler(pick_organisation, pattern=InviteOrg))
