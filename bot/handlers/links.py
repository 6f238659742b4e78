"""/koppel and /ontkoppel: a BOC-er or SWV member links a leerplicht officer to a pupil."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.handlers.cancel import SAVED, answered_already, new_question, remember
from bot.handlers.context import BotContext
from bot.handlers.pupil_choice import resolve_named_pupil
from bot.i18n import N_, Translator, translator
from bot.services.access import NotAvailable, may_link_leerplicht
from bot.services.links import LinkChanged, change_link, link_options
from bot.storage.models import User
from bot.texts import sentence
from bot.views.texts import not_available_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkChoice:
    """Button data: (un)link this officer and pupil."""

    pupil_id: int
    officer_id: int
    linking: bool
    question: str = ""  # the question it answers: a second press changes nothing


@dataclass(frozen=True)
class LinkPupil:
    """Button data: the pupil meant, when the name fits several."""

    pupil_id: int
    linking: bool


async def _ask_officer(update: Update, context: BotContext, pupil_id: int, linking: bool) -> None:
    account, chat, _ = context.account, update.effective_chat, context.tr.gettext
    assert account is not None and chat is not None
    try:
        options = await asyncio.to_thread(
            link_options, context.services, user=account, pupil_id=pupil_id, linking=linking
        )
    except NotAvailable:
        await context.bot.send_message(chat.id, not_available_text(context.tr))
        return
    if not options.officers:
        none = N_("There is no attendance officer to link in your samenwerkingsverband yet.")
        gone = N_("No attendance officer is linked to {pupil}.")
        text = sentence(_(none if linking else gone).format(pupil=options.pupil))
        await context.bot.send_message(chat.id, text)
        return
    ask = N_("Which attendance officer may see {pupil}?")
    ask_gone = N_("Which attendance officer no longer sees {pupil}?")
    question = _(ask if linking else ask_gone).format(pupil=options.pupil)
    asked = new_question()
    buttons = [
        [InlineKeyboardButton(name, callback_data=LinkChoice(pupil_id, officer_id, linking, asked))]
        for officer_id, name in options.officers
    ]
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
    query, account = update.callback_query, context.account
    assert query is not None and account is not None and isinstance(query.data, LinkChoice)
    data = query.data
    if await answered_already(query, context, data.question):
        return
    await query.answer()
    try:
        changed = await _change(context, data)
    except NotAvailable:
        await query.edit_message_text(not_available_text(context.tr))
        return
    # Answered: pressed again (another tap, another device), it says so and tells nobody twice.
    remember(context, data.question, SAVED)
    verb = "linked" if data.linking else "unlinked"
    logger.info(
        "user %s %s officer %s and pupil %s", account.id, verb, data.officer_id, data.pupil_id
    )
    await query.edit_message_text(_changed_text(changed, data.linking, context.tr))
    if changed.officer is not None and changed.officer.active:
        await _tell_officer(context, changed.officer, changed.pupil, data.linking)


async def _change(context: BotContext, data: LinkChoice) -> LinkChanged:
    """Link or unlink, off the event loop (`NotAvailable` when the user may not)."""
    assert context.account is not None
    return await asyncio.to_thread(
        change_link,
        context.services,
        user=context.account,
        pupil_id=data.pupil_id,
        officer_id=data.officer_id,
        linking=data.linking,
    )


def _changed_text(changed: LinkChanged, linking: bool, tr: Translator) -> str:
    done = N_("{officer} now sees {pupil}.") if linking else N_("{officer} no longer sees {pupil}.")
    name = changed.officer.display_name if changed.officer is not None else ""
    return sentence(tr.gettext(done).format(officer=name, pupil=changed.pupil))


async def _tell_officer(context: BotContext, officer: User, pupil: str, linking: bool) -> None:
    officer_tr = translator(officer.language)
    text = sentence(
        (
            officer_tr.gettext("You have been linked to {pupil}. /dossier shows the case.")
            if linking
            else officer_tr.gettext("You are no longer linked to {pupil}.")
        ).format(pupil=pupil)
    )
    await context.bot.send_message(officer.telegram_id, text)


def register(application: Application) -> None:
    """Add /koppel and /ontkoppel with their buttons."""
    application.add_handler(CommandHandler(["koppel", "link"], start_link))
    application.add_handler(CommandHandler(["ontkoppel", "unlink"], start_unlink))
    application.add_handler(CallbackQueryHandler(pick_pupil, pattern=LinkPupil))
    application.add_handler(CallbackQueryHandler(pick_officer, pattern=LinkChoice))
