"""/koppel and /ontkoppel: a BOC-er or SWV member links a leerplicht officer to a pupil."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.handlers.context import BotContext
from bot.handlers.pupil_choice import resolve_named_pupil
from bot.handlers.texts import not_available_text
from bot.i18n import translator
from bot.services.access import NotAvailable, may_link_leerplicht, visible_pupil
from bot.services.cases import label
from bot.services.links import link, officers_for, unlink
from bot.storage.models import Gemeente, User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkChoice:
    """Button data: (un)link this officer and pupil."""

    pupil_id: int
    officer_id: int
    linking: bool


@dataclass(frozen=True)
class LinkPupil:
    """Button data: the pupil meant, when the name fits several."""

    pupil_id: int
    linking: bool


async def _ask_officer(update: Update, context: BotContext, pupil_id: int, linking: bool) -> None:
    account = context.account
    chat = update.effective_chat
    assert account is not None
    assert chat is not None
    _ = context.tr.gettext
    try:
        with context.services.session() as session:
            officers = officers_for(session=session, user=account, pupil_id=pupil_id)
            pupil = visible_pupil(session=session, user=account, pupil_id=pupil_id)
            who = label(session=session, pupil=pupil)
            buttons = []
            for officer, linked in officers:
                if linked != (not linking):
                    continue
                gemeente = (
                    session.get(Gemeente, officer.gemeente_id) if officer.gemeente_id else None
                )
                text = officer.display_name or f"#{officer.id}"
                if gemeente is not None:
                    text += f" ({gemeente.name})"
                assert officer.id is not None
                buttons.append(
                    [
                        InlineKeyboardButton(
                            text, callback_data=LinkChoice(pupil_id, officer.id, linking)
                        )
                    ]
                )
    except NotAvailable:
        await context.bot.send_message(chat.id, not_available_text(context.tr))
        return
    if not buttons:
        text = (
            _("There is no attendance officer to link in your samenwerkingsverband yet.")
            if linking
            else _("No attendance officer is linked to {pupil}.").format(pupil=who)
        )
        await context.bot.send_message(chat.id, text)
        return
    question = (
        _("Which attendance officer may see {pupil}?")
        if linking
        else _("Which attendance officer no longer sees {pupil}?")
    ).format(pupil=who)
    await context.bot.send_message(chat.id, question, reply_markup=InlineKeyboardMarkup(buttons))


async def _start(update: Update, context: BotContext, linking: bool) -> None:
    message = update.effective_message
    account = context.account
    assert message is not None
    assert account is not None
    _ = context.tr.gettext
    if not may_link_leerplicht(account):
        await message.reply_text(not_available_text(context.tr))
        return
    name = " ".join(context.args or [])[:80]
    if not name:
        command = "/koppel" if linking else "/ontkoppel"
        await message.reply_text(
            _("Which pupil? For example: {command} Sanne").format(command=command)
        )
        return
    found = await resolve_named_pupil(
        message, context, name, lambda pupil_id: LinkPupil(pupil_id, linking)
    )
    if found is not None:
        await _ask_officer(update, context, found[0], linking)


async def start_link(update: Update, context: BotContext) -> None:
    """/koppel NAME: choose the officer who may see this pupil."""
    await _start(update, context, linking=True)


async def start_unlink(update: Update, context: BotContext) -> None:
    """/ontkoppel NAME: choose the officer who no longer sees this pupil."""
    await _start(update, context, linking=False)


async def pick_pupil(update: Update, context: BotContext) -> None:
    """The pupil was picked from several: now the officer."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, LinkPupil)
    await query.answer()
    await _ask_officer(update, context, query.data.pupil_id, query.data.linking)


async def pick_officer(update: Update, context: BotContext) -> None:
    """Make or remove the link, and tell the officer."""
    query = update.callback_query
    account = context.account
    assert query is not None
    assert account is not None
    assert isinstance(query.data, LinkChoice)
    await query.answer()
    data = query.data
    _ = context.tr.gettext
    services = context.services
    try:
        with services.session() as session:
            if data.linking:
                officer, _new = link(
                    session=session, user=account, pupil_id=data.pupil_id,
                    officer_id=data.officer_id, now=services.clock.now(),
                )  # fmt: skip
            else:
                unlink(session=session, user=account, pupil_id=data.pupil_id,
                       officer_id=data.officer_id, now=services.clock.now())  # fmt: skip
                officer = session.get(User, data.officer_id)
            pupil = visible_pupil(session=session, user=account, pupil_id=data.pupil_id)
            who = label(session=session, pupil=pupil)
    except NotAvailable:
        await query.edit_message_text(not_available_text(context.tr))
        return
    context.drop_callback_data(query)
    logger.info(
        "user %s %s officer %s and pupil %s",
        account.id, "linked" if data.linking else "unlinked", data.officer_id, data.pupil_id,
    )  # fmt: skip
    name = officer.display_name if officer is not None else ""
    if data.linking:
        await query.edit_message_text(
            _("{officer} now sees {pupil}.").format(officer=name, pupil=who)
        )
    else:
        await query.edit_message_text(
            _("{officer} no longer sees {pupil}.").format(officer=name, pupil=who)
        )
    if officer is not None and officer.active:
        officer_tr = translator(officer.language)
        text = (
            officer_tr.gettext("You have been linked to {pupil}. /dossier shows the case.")
            if data.linking
            else officer_tr.gettext("You are no longer linked to {pupil}.")
        ).format(pupil=who)
        await context.bot.send_message(officer.telegram_id, text)


def register(application: Application) -> None:
    """Add /koppel and /ontkoppel with their buttons."""
    application.add_handler(CommandHandler(["koppel", "link"], start_link))
    application.add_handler(CommandHandler(["ontkoppel", "unlink"], start_unlink))
    application.add_handler(CallbackQueryHandler(pick_pupil, pattern=LinkPupil))
    application.add_handler(CallbackQueryHandler(pick_officer, pattern=LinkChoice))
