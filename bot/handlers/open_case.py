"""Opening the thuiszit case from the 4-week deadline: a pupil absent 20 school days without a
case gets one button (on the confirmation that reached it, and on the deadline's nudge) that
opens the B2 or A1 case from the first day absent."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.handlers.cancel import CancelUpdate
from bot.handlers.context import BotContext
from bot.i18n import N_, Translator
from bot.services.access import NotAvailable
from bot.services.cases import UpdateError, visible_label
from bot.services.registration import (
    THUISZIT_CATEGORIES,
    OpenedCase,
    open_thuiszit_case,
    thuiszit_without_case,
)
from bot.texts import CATEGORY_NAMES
from bot.views.deadlines import deadline_lines
from bot.views.texts import not_available_text


@dataclass(frozen=True)
class OpenCase:
    """Button data: open this pupil's thuiszit case from `start` (asks the category)."""

    pupil_id: int
    start: date


@dataclass(frozen=True)
class OpenCaseAs:
    """Button data: open it in this category (the question showed what is stored)."""

    pupil_id: int
    start: date
    category: str


def open_case_button(tr: Translator, pupil_id: int, start: date) -> InlineKeyboardButton:
    """The one button that opens the thuiszit case from the first day absent."""
    return InlineKeyboardButton(
        "📂 " + tr.gettext("Open the thuiszit case from {date}").format(date=tr.date(start)),
        callback_data=OpenCase(pupil_id, start),
    )


async def open_case_markup(context: BotContext, pupil_id: int) -> InlineKeyboardMarkup | None:
    """The button, when this pupil is a thuiszitter by absence without a case and the user may
    open one; else None."""
    assert context.account is not None
    start = await asyncio.to_thread(
        thuiszit_without_case, context.services, user=context.account, pupil_id=pupil_id
    )
    if start is None:
        return None
    return InlineKeyboardMarkup([[open_case_button(context.tr, pupil_id, start)]])


async def ask_category(context: BotContext, message: Message, pupil_id: int, start: date) -> None:
    """Which case: B2 (unauthorised) or A1 (ill), from `start`; nothing is stored yet."""
    tr, account = context.tr, context.account
    assert account is not None
    who = await asyncio.to_thread(visible_label, context.services, user=account, pupil_id=pupil_id)
    if who is None:
        await message.reply_text(not_available_text(tr))
        return
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext(CATEGORY_NAMES[category]),
                callback_data=OpenCaseAs(pupil_id, start, category),
            )
        ]
        for category in THUISZIT_CATEGORIES
    ]
    rows.append([InlineKeyboardButton(tr.gettext("Cancel"), callback_data=CancelUpdate())])
    text = tr.gettext(WHICH_CATEGORY).format(pupil=who, date=tr.day(start))
    await message.reply_text(text, reply_markup=InlineKeyboardMarkup(rows), protect_content=True)


WHICH_CATEGORY = N_(
    "Open the thuiszit case of {pupil} from {date}, the first day absent? Choose the category:"
)


async def open_case_pressed(update: Update, context: BotContext) -> None:
    """The button under a confirmation: ask the category."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, OpenCase)
    await query.answer()
    context.drop_callback_data(query)
    await query.edit_message_reply_markup(reply_markup=None)
    if isinstance(query.message, Message):
        await ask_category(context, query.message, query.data.pupil_id, query.data.start)


async def category_pressed(update: Update, context: BotContext) -> None:
    """Open the case as shown; the question becomes its record."""
    query, tr, account = update.callback_query, context.tr, context.account
    assert query is not None and isinstance(query.data, OpenCaseAs) and account is not None
    data = query.data
    context.drop_callback_data(query)
    try:
        opened = await asyncio.to_thread(
            open_thuiszit_case,
            context.services,
            user=account,
            pupil_id=data.pupil_id,
            category=data.category,
            start=data.start,
        )
    except (NotAvailable, UpdateError) as error:
        await query.answer()
        meanwhile = isinstance(error, UpdateError)
        text = tr.gettext(CASE_OPEN) if meanwhile else not_available_text(tr)
        await query.edit_message_text(text)
        return
    await query.answer(tr.gettext("Saved."))
    today = context.services.clock.now().date()
    await query.edit_message_text(_opened_text(opened, today, tr))


def _opened_text(opened: OpenedCase, today: date, tr: Translator) -> str:
    saved = tr.gettext("Saved: the case of {pupil} is open: {category}, from {date}.").format(
        pupil=opened.label,
        category=tr.gettext(CATEGORY_NAMES[opened.category]),
        date=tr.day(opened.start),
    )
    return "\n".join([saved, *deadline_lines(opened.changes, today, tr)])


CASE_OPEN = N_("Meanwhile a case was opened for this pupil. Nothing was saved; /dossier shows it.")


def register(application: Application) -> None:
    """Add the buttons that open a thuiszit case."""
    application.add_handler(CallbackQueryHandler(open_case_pressed, pattern=OpenCase))
    application.add_handler(CallbackQueryHandler(category_pressed, pattern=OpenCaseAs))
