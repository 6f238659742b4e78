"""/nieuw: register a pupil and a case step by step; /annuleer stops at any step."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.handlers.cancel import CANCELLED, SAVED, answered_already, new_question, remember
from bot.handlers.context import BotContext
from bot.handlers.web import pages_on, send_pointer
from bot.i18n import Translator
from bot.protocol.dates import parse_date
from bot.services.access import NotAvailable
from bot.services.new_pupil import NewPupil, Refused, read_field
from bot.services.registration import (
    categories_for,
    gemeente_choices,
    register_new,
    school_choices,
)
from bot.storage.models import Category, ExemptionArticle, Role
from bot.texts import CATEGORY_NAMES, sentence
from bot.views.deadlines import deadline_lines
from bot.views.new_pupil import refusal_text
from bot.views.texts import not_available_text

logger = logging.getLogger(__name__)

FIRST_NAME, LAST_NAME, BIRTH_DATE, SCHOOL, GEMEENTE, CATEGORY, ARTICLE, START, CONFIRM = range(9)
DRAFT = "new_pupil_draft"
# An unfinished registration ends after this long without an answer (measured on the injected
# clock, so tests move time instead of waiting).
TIMEOUT = timedelta(minutes=30)
DRAFTS_SWEPT_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Choice:
    """Button data inside /nieuw: which step and what was chosen."""

    step: str
    value: Any


def is_step(name: str) -> Callable[[object], bool]:
    """A button pattern matching one step's choices."""
    return lambda data: isinstance(data, Choice) and data.step == name


async def _answered(query: CallbackQuery) -> None:
    """Acknowledge a step's button and take the keyboard away, so it is not pressed twice; the
    question keeps the answer given ("→ Gouda")."""
    await query.answer()
    message = query.message
    markup = getattr(message, "reply_markup", None)
    pressed = (
        [b.text for row in markup.inline_keyboard for b in row if b.callback_data == query.data]
        if markup
        else []
    )
    text = getattr(message, "text", None)
    if text and pressed:
        await query.edit_message_text(f"{text}\n→ {pressed[0]}", reply_markup=None)
    else:
        await query.edit_message_reply_markup(reply_markup=None)


async def stale_step(update: Update, context: BotContext) -> None:
    """A step button from a conversation that has ended: Save or Cancel pressed again says
    what happened ("Al opgeslagen ✓"); any other step has expired."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, Choice)
    if await answered_already(query, context, _question_of(query.data)):
        return
    await query.answer(
        context.tr.gettext("This button has expired. Please give the command again."),
        show_alert=True,
    )


def _question_of(choice: Choice) -> str:
    """The token of the summary whose Save or Cancel this is ("" for any other button)."""
    value = choice.value
    if choice.step == "confirm" and isinstance(value, tuple) and len(value) == 2:
        return str(value[0])
    return ""


def _draft(context: BotContext) -> dict[str, Any]:
    # Transient: the draft of one conversation, discarded at its end; nothing is stored yet.
    return context.user_data.setdefault(DRAFT, {})  # type: ignore[union-attr]


Buttons = list[list[InlineKeyboardButton]]


async def _say(
    update: Update, context: BotContext, text: str, buttons: Buttons | None = None
) -> None:
    chat = update.effective_chat
    assert chat is not None
    markup = InlineKeyboardMarkup(buttons) if buttons else None
    await context.bot.send_message(chat.id, text, reply_markup=markup)


async def start(update: Update, context: BotContext) -> int:
    """Begin: ask the first name (or, with the web pages on, open the form there: a name and a
    date of birth do not belong in a cloud chat)."""
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    chat = update.effective_chat
    if pages_on(context.services.settings) and chat is not None:
        _ = context.tr.gettext
        await send_pointer(
            context,
            chat.id,
            _(
                "Register a new pupil in the app: a name and date of birth do not belong in "
                "the chat."
            ),
            _("New pupil"),
            "/pupils/new",
        )
        return ConversationHandler.END
    _draft(context)["started_at"] = context.services.clock.now()
    _ = context.tr.gettext
    await _say(
        update,
        context,
        _("New pupil. You can stop at any time with /annuleer.") + "\n" + _("First name?"),
    )
    return FIRST_NAME


def _read(update: Update, context: BotContext, field: str) -> Any:
    """The typed value of one field of the new pupil, or why it is refused."""
    text = update.effective_message.text if update.effective_message else None
    return read_field(field, text or "", today=context.services.clock.now().date())


async def first_name(update: Update, context: BotContext) -> int:
    """Store the first name; ask the last name."""
    _ = context.tr.gettext
    value = _read(update, context, "first_name")
    if isinstance(value, Refused):
        await _say(update, context, refusal_text(value, context.tr))
        return FIRST_NAME
    _draft(context)["first_name"] = value
    await _say(update, context, _("Last name (with prefix, e.g. “de Vries”)?"))
    return LAST_NAME


async def last_name(update: Update, context: BotContext) -> int:
    """Store the last name; ask the date of birth."""
    _ = context.tr.gettext
    value = _read(update, context, "last_name")
    if isinstance(value, Refused):
        await _say(update, context, refusal_text(value, context.tr))
        return LAST_NAME
    _draft(context)["last_name"] = value
    await _say(update, context, _("Date of birth? For example 15-03-2015."))
    return BIRTH_DATE


async def birth_date(update: Update, context: BotContext) -> int:
    """Store the date of birth; ask the school."""
    born = _read(update, context, "birth_date")
    if isinstance(born, Refused):
        await _say(update, context, refusal_text(born, context.tr))
        return BIRTH_DATE
    _draft(context)["birth_date"] = born
    return await _ask_school(update, context)


async def _ask_school(update: Update, context: BotContext) -> int:
    account = context.account
    assert account is not None
    _ = context.tr.gettext
    schools = await asyncio.to_thread(school_choices, context.services, user=account)
    # Kept for the summary, which names what was chosen.
    _draft(context)["school_names"] = dict(schools)
    if Role(account.role) is Role.ZORGCOORDINATOR and len(schools) == 1:
        _draft(context)["school_id"] = schools[0][0]
        return await _ask_gemeente(update, context)
    buttons = [
        [InlineKeyboardButton(name, callback_data=Choice("school", sid))] for sid, name in schools
    ]
    buttons.append(
        [InlineKeyboardButton(_("No school (not enrolled)"), callback_data=Choice("school", None))]
    )
    await _say(update, context, _("At which school is the pupil enrolled?"), buttons)
    return SCHOOL


async def school(update: Update, context: BotContext) -> int:
    """Store the school; ask the municipality."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, Choice)
    await _answered(query)
    _draft(context)["school_id"] = query.data.value
    return await _ask_gemeente(update, context)


async def _ask_gemeente(update: Update, context: BotContext) -> int:
    account = context.account
    assert account is not None
    _ = context.tr.gettext
    gemeenten = await asyncio.to_thread(gemeente_choices, context.services, user=account)
    _draft(context)["gemeente_names"] = dict(gemeenten)
    if len(gemeenten) == 1:
        _draft(context)["gemeente_id"] = gemeenten[0][0]
        return await _ask_category(update, context)
    buttons = [
        [InlineKeyboardButton(name, callback_data=Choice("gemeente", gid))]
        for gid, name in gemeenten
    ]
    buttons.append([InlineKeyboardButton(_("Unknown"), callback_data=Choice("gemeente", None))])
    await _say(update, context, _("In which municipality does the pupil live?"), buttons)
    return GEMEENTE


async def gemeente(update: Update, context: BotContext) -> int:
    """Store the municipality; ask the category."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, Choice)
    await _answered(query)
    _draft(context)["gemeente_id"] = query.data.value
    return await _ask_category(update, context)


async def _ask_category(update: Update, context: BotContext) -> int:
    _ = context.tr.gettext
    buttons = [
        [InlineKeyboardButton(_(CATEGORY_NAMES[code]), callback_data=Choice("category", code))]
        for code in categories_for(_draft(context).get("school_id"))
    ]
    await _say(update, context, _("Which category?"), buttons)
    return CATEGORY


async def category(update: Update, context: BotContext) -> int:
    """Store the category; ask the exemption article (A2) or the start date."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, Choice)
    await _answered(query)
    if query.data.value not in categories_for(_draft(context).get("school_id")):
        return CATEGORY
    _draft(context)["category"] = query.data.value
    _ = context.tr.gettext
    if query.data.value == Category.A2:
        buttons = [
            [InlineKeyboardButton(a.value, callback_data=Choice("article", a.value))]
            for a in ExemptionArticle
        ]
        await _say(update, context, _("Which article of the Leerplichtwet?"), buttons)
        return ARTICLE
    await _say(update, context, _("Since when? For example “vandaag” or 3-11-2026."))
    return START


async def article(update: Update, context: BotContext) -> int:
    """Store the article; ask the start date."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, Choice)
    await _answered(query)
    if query.data.value not in {a.value for a in ExemptionArticle}:
        return ARTICLE
    _draft(context)["article"] = query.data.value
    await _say(
        update, context, context.tr.gettext("Since when? For example “vandaag” or 3-11-2026.")
    )
    return START


async def start_date(update: Update, context: BotContext) -> int:
    """Store the start date; show the summary to confirm."""
    _ = context.tr.gettext
    today = context.services.clock.now().date()
    text = (update.effective_message.text or "") if update.effective_message else ""
    since = parse_date(text[:40], today, "past") if text.strip() else None
    if since is None or since > today:
        await _say(update, context, _("That is not a start date I can use (today or earlier)."))
        return START
    draft = _draft(context)
    draft["start"] = since
    summary = _summary(draft, context.tr)
    asked = new_question()
    buttons = [
        [
            InlineKeyboardButton(_("Save"), callback_data=Choice("confirm", (asked, True))),
            InlineKeyboardButton(_("Cancel"), callback_data=Choice("confirm", (asked, False))),
        ]
    ]
    await _say(update, context, "\n".join(summary), buttons)
    return CONFIRM


def _summary(draft: dict[str, Any], tr: Translator) -> list[str]:
    """What will be stored, named as the user chose it: school and municipality included."""
    _ = tr.gettext
    schools, gemeenten = draft.get("school_names", {}), draft.get("gemeente_names", {})
    return [
        _("Please check:"),
        f"{draft['first_name']} {draft['last_name']}, {tr.date(draft['birth_date'])}",
        _("School: {school}").format(
            school=schools.get(draft.get("school_id"), _("No school (not enrolled)"))
        ),
        _("Municipality: {gemeente}").format(
            gemeente=gemeenten.get(draft.get("gemeente_id"), _("Unknown"))
        ),
        _(CATEGORY_NAMES[str(draft.get("category"))])
        + ", "
        + _("since {date}").format(date=tr.date(draft["start"])),
    ]


def _new_pupil(draft: dict[str, Any], today: date) -> NewPupil:
    fields = (
        "first_name",
        "last_name",
        "birth_date",
        "school_id",
        "gemeente_id",
        "category",
        "article",
        "start",
    )
    return NewPupil.read({field: draft.get(field) for field in fields}, today=today)


async def confirm(update: Update, context: BotContext) -> int:
    """Save (or not) and end the conversation."""
    query, account, _ = update.callback_query, context.account, context.tr.gettext
    assert query is not None and account is not None and isinstance(query.data, Choice)
    asked = _question_of(query.data)
    if await answered_already(query, context, asked):
        return ConversationHandler.END
    await query.answer()  # the summary is replaced by the outcome, its buttons with it
    draft = context.user_data.pop(DRAFT, {})
    if query.data.value != (asked, True):
        remember(context, asked, CANCELLED)
        await query.edit_message_text(_("Cancelled. Nothing was saved."))
        return ConversationHandler.END
    await _register(query, context, draft, asked)
    return ConversationHandler.END


async def _register(
    query: CallbackQuery, context: BotContext, draft: dict[str, Any], asked: str
) -> None:
    account, _ = context.account, context.tr.gettext
    assert account is not None
    try:
        done = await asyncio.to_thread(
            register_new,
            context.services,
            user=account,
            new=_new_pupil(draft, context.services.clock.now().date()),
        )
    except NotAvailable:
        await query.edit_message_text(not_available_text(context.tr))
        return
    # Answered: a second press of Save (another tap, another device) says so, stores nothing.
    remember(context, asked, SAVED)
    logger.info("user %s registered pupil %s", account.id, done.pupil_id)
    today = context.services.clock.now().date()
    lines = [sentence(_("Registered: {pupil}. /dossier shows the case.").format(pupil=done.label))]
    await query.edit_message_text(
        "\n".join(lines + deadline_lines(done.changes, today, context.tr))
    )


async def cancel(update: Update, context: BotContext) -> int:
    """/annuleer: stop without saving."""
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    await _say(update, context, context.tr.gettext("Cancelled. Nothing was saved."))
    return ConversationHandler.END


_Step = Callable[[Update, BotContext], Coroutine[Any, Any, int]]


def _unless_expired(step: _Step) -> _Step:
    """A step that first ends a registration left unfinished for more than 30 minutes, so that a
    message sent much later is not taken for the answer to an old question."""

    async def guarded(update: Update, context: BotContext) -> int:
        if _expired(_draft(context), context.services.clock.now()):
            context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
            if update.callback_query is not None:
                await update.callback_query.answer()
            await _say(
                update,
                context,
                context.tr.gettext(
                    "The registration of a new pupil stopped after 30 minutes without an answer; "
                    "nothing was saved. Send your message again, or /nieuw to start over."
                ),
            )
            return ConversationHandler.END
        return await step(update, context)

    guarded.__doc__ = step.__doc__
    return guarded


async def still_registering(update: Update, context: BotContext) -> int | None:
    """Another command while /nieuw is open: the registration goes on, and how to stop it."""
    if _expired(_draft(context), context.services.clock.now()):
        context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
        await _say(
            update,
            context,
            context.tr.gettext(
                "The registration of a new pupil had stopped; nothing was saved. "
                "Please send your command again."
            ),
        )
        return ConversationHandler.END
    await _say(
        update,
        context,
        context.tr.gettext(
            "You are registering a new pupil. Answer the question above, or send /annuleer to stop."
        ),
    )
    return None


def register(application: Application) -> None:
    """Add the /nieuw conversation (before the free-text handler)."""
    text = filters.TEXT & ~filters.COMMAND

    # One conversation per user and chat is what we want; PTB warns that button presses are then
    # not tracked per message, which is exactly the intent here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[CommandHandler(["nieuw", "new"], start)],
            states={
                FIRST_NAME: [MessageHandler(text, _unless_expired(first_name))],
                LAST_NAME: [MessageHandler(text, _unless_expired(last_name))],
                BIRTH_DATE: [MessageHandler(text, _unless_expired(birth_date))],
                SCHOOL: [CallbackQueryHandler(_unless_expired(school), pattern=is_step("school"))],
                GEMEENTE: [
                    CallbackQueryHandler(_unless_expired(gemeente), pattern=is_step("gemeente"))
                ],
                CATEGORY: [
                    CallbackQueryHandler(_unless_expired(category), pattern=is_step("category"))
                ],
                ARTICLE: [
                    CallbackQueryHandler(_unless_expired(article), pattern=is_step("article"))
                ],
                START: [MessageHandler(text, _unless_expired(start_date))],
                CONFIRM: [
                    CallbackQueryHandler(_unless_expired(confirm), pattern=is_step("confirm"))
                ],
            },
            fallbacks=[
                CommandHandler(["annuleer", "cancel"], cancel),
                # /nieuw again starts over; any other command is answered with the way out.
                CommandHandler(["nieuw", "new"], start),
                MessageHandler(filters.COMMAND, still_registering),
            ],
            name="new_pupil",
            per_message=False,
            # Its step is kept in the database (bot.persistence): a restart does not end it.
            persistent=True,
        )
    application.add_handler(conversation)
    application.add_handler(CallbackQueryHandler(stale_step, pattern=Choice))
    if application.job_queue is not None:
        every = DRAFTS_SWEPT_EVERY.total_seconds()
        application.job_queue.run_repeating(forget_stale_drafts, interval=every, first=every)


async def forget_stale_drafts(context: BotContext) -> None:
    """A registration left unfinished holds a child's name and date of birth, kept in the
    database over a restart: it goes once the conversation has expired (the next message then
    says that it stopped), not only when that user writes again."""
    now = context.services.clock.now()
    stale = [
        user_id
        for user_id, data in context.application.user_data.items()
        if DRAFT in data and _expired(data[DRAFT], now)
    ]
    for user_id in stale:
        context.application.user_data[user_id].pop(DRAFT, None)
    if stale:
        context.application.mark_data_for_update_persistence(user_ids=stale)


def _expired(draft: dict[str, Any], now: datetime) -> bool:
    started = draft.get("started_at")
    return started is None or now - started > TIMEOUT
