"""Quick case updates typed in chat: understand, ask when unsure, confirm, store on Save.

What the confirmation shows is rendered from the prepared rows that Save writes, so the two
cannot differ. A question (which day, which kind, add or replace, a weekend) is asked with
buttons; nothing is stored before the user pressed Save.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.handlers.cancel import (
    CHANGED,
    SAVED,
    CancelUpdate,
    answered_already,
    cancel,
    new_question,
    remember,
)
from bot.handlers.context import BotContext
from bot.handlers.dossier import answer_about, answer_question
from bot.handlers.open_case import open_case_markup
from bot.handlers.pupil_choice import MAX_CHOICES, answer_not_one
from bot.handlers.web import clear_named_message, pages_on
from bot.i18n import N_, Translator
from bot.protocol.parsing import (
    Ambiguous,
    FailureReason,
    ParseFailure,
    ParseResult,
    QuickUpdate,
    ReplyAbout,
    parse_reply,
    parse_several,
)
from bot.protocol.rules import Rule
from bot.services.access import NotAvailable
from bot.services.cases import (
    Applied,
    PreparedUpdate,
    UpdateError,
    save_prepared,
    visible_label,
)
from bot.services.update_flow import NOT_AVAILABLE, Ask, Refuse, Step, named_step, next_step
from bot.views.deadlines import deadline_lines
from bot.views.texts import EXAMPLES, not_available_text
from bot.views.updates import (
    QUESTIONS,
    UPDATE_ERRORS,
    Confirmation,
    confirmation,
    describe,
    failure_text,
    option_label,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PickPupil:
    """Button data: which of several matching pupils is meant."""

    pupil_id: int
    parsed: QuickUpdate | Ambiguous
    origin: int | None = None


@dataclass(frozen=True)
class PickReading:
    """Button data: the answer to a question about what the message meant."""

    pupil_id: int
    update: QuickUpdate
    origin: int | None = None


@dataclass(frozen=True)
class SaveUpdate:
    """Button data: store this prepared update (adding to stored hours, or replacing them)."""

    prepared: PreparedUpdate
    replace: bool = False
    # The user's own message that named the pupil: deleted once saved, when the SWV chose so.
    origin: int | None = None
    # The question these buttons answer (`cancel.new_question`).
    question: str = ""


@dataclass(frozen=True)
class ChangeUpdate:
    """Button data: the user wants to correct the update."""

    question: str = ""


# ----- rendering -----


def _confirmation(
    prepared: PreparedUpdate, shown: Confirmation, tr: Translator, origin: int | None
) -> InlineKeyboardMarkup:
    _ = tr.gettext
    asked = new_question()
    change = InlineKeyboardButton(_("Change"), callback_data=ChangeUpdate(asked))
    cancel = InlineKeyboardButton(_("Cancel"), callback_data=CancelUpdate(asked))
    if shown.asks_add_or_replace:
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Add up"), callback_data=SaveUpdate(prepared, False, origin, asked)
                    ),
                    InlineKeyboardButton(
                        _("Replace"), callback_data=SaveUpdate(prepared, True, origin, asked)
                    ),
                ],
                [change, cancel],
            ]
        )
    save = _("Save anyway") if shown.worried else _("Save")
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    save, callback_data=SaveUpdate(prepared, False, origin, asked)
                ),
                change,
                cancel,
            ]
        ]
    )


# ----- the flow -----


async def understand(update: Update, context: BotContext) -> None:
    """Read a free-text message as a case update and ask to confirm what was understood: a
    question is answered instead, and a message about several pupils is confirmed per pupil."""
    message = update.effective_message
    assert message is not None and context.account is not None
    results = parse_several(message.text or "", context.services.clock.now().date())
    first = results[0]
    if isinstance(first, ParseFailure) and first.reason is FailureReason.QUESTION:
        await answer_question(message, context, first.name)
        return
    if len(results) > 1:
        await message.reply_text(
            context.tr.gettext(
                "This message is about {count} pupils: I confirm each one separately, and store "
                "only what you save."
            ).format(count=len(results))
        )
    for parsed in results:
        await _understand_one(message, context, parsed)


async def _understand_one(message: Message, context: BotContext, parsed: ParseResult) -> None:
    """One pupil's part of a message: refused, asked about, or offered for saving."""
    if isinstance(parsed, ParseFailure):
        echo = not pages_on(context.services.settings)
        await message.reply_text(failure_text(parsed, context.tr, echo_name=echo))
        return
    name = parsed.options[0].name if isinstance(parsed, Ambiguous) else parsed.name
    assert context.account is not None
    named = await context.services.read(
        named_step,
        user=context.account,
        name=name,
        parsed=parsed,
        limit=MAX_CHOICES,
    )
    if named.step is None:
        await _not_one_pupil(message, context, parsed, name, named.choices)
        return
    pupil_id, who = named.choices[0]
    origin = message.message_id
    text, keyboard = await _next_step(context, pupil_id, who, parsed, origin, step=named.step)
    await message.reply_text(text, reply_markup=keyboard)


async def _not_one_pupil(
    message: Message,
    context: BotContext,
    parsed: QuickUpdate | Ambiguous,
    name: str,
    choices: list[tuple[int, str]],
) -> None:
    """The update names no pupil the user may see, or several: said, or asked which."""
    _ = context.tr.gettext
    await answer_not_one(
        message,
        context,
        name,
        choices,
        lambda pupil_id: PickPupil(pupil_id, parsed, message.message_id),
        extra_rows=[[InlineKeyboardButton(_("Cancel"), callback_data=CancelUpdate())]],
        not_found_extra=_(
            "Start the message with the pupil's name or the label /leerlingen "
            "shows. For example: “Sanne 4 uur ongeoorloofd vandaag” or “S.V. #12 "
            "4 uur ongeoorloofd vandaag”."
        ),
    )


async def offer_reply(
    message: Message, context: BotContext, pupil_id: int, about: ReplyAbout
) -> None:
    """A reply about a known pupil (no name needed): answered, refused, or confirmed like any
    quick update."""
    tr = context.tr
    parsed = parse_reply(message.text or "", context.services.clock.now().date(), about)
    if isinstance(parsed, ParseFailure) and parsed.reason is FailureReason.QUESTION:
        await answer_about(message, context, pupil_id)
        return
    assert context.account is not None
    who = await context.services.read(visible_label, user=context.account, pupil_id=pupil_id)
    if who is None:
        await message.reply_text(not_available_text(tr))
        return
    if isinstance(parsed, ParseFailure):
        lines = [failure_text(parsed, tr, echo_name=False)]
        if about is ReplyAbout.END and parsed.reason is FailureReason.FUTURE_DATE:
            lines.append(tr.gettext(PLANNED_RETURN).format(pupil=who))
        await message.reply_text("\n".join(lines))
        return
    named = (
        replace(parsed, options=tuple(replace(o, name=who) for o in parsed.options))
        if isinstance(parsed, Ambiguous)
        else replace(parsed, name=who)
    )
    text, keyboard = await _next_step(context, pupil_id, who, named, message.message_id)
    await message.reply_text(text, reply_markup=keyboard)


PLANNED_RETURN = N_(
    "A planned return is not stored as the end date until it has happened: record it as an "
    "action now (“actie {pupil}: terug naar school gepland op 12 december”), and send the "
    "return on the day itself."
)


async def _next_step(
    context: BotContext,
    pupil_id: int,
    who: str,
    parsed: QuickUpdate | Ambiguous,
    origin: int | None,
    step: Step | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The question to ask about `parsed`, its confirmation, or why not (`update_flow`; `step`
    when it was decided already)."""
    tr = context.tr
    _ = tr.gettext
    assert context.account is not None
    if step is None:
        step = await context.services.read(
            next_step, user=context.account, pupil_id=pupil_id, parsed=parsed
        )
    if isinstance(step, Ask):
        rows = [
            [
                InlineKeyboardButton(
                    option_label(step.question, option, tr),
                    callback_data=PickReading(pupil_id, option, origin),
                )
            ]
            for option in step.options
        ]
        rows.append([InlineKeyboardButton(_("Cancel"), callback_data=CancelUpdate())])
        return f"{who}: {_(QUESTIONS[step.question])}", InlineKeyboardMarkup(rows)
    if isinstance(step, Refuse):
        if step.code == NOT_AVAILABLE:
            return not_available_text(tr), None
        return _(UPDATE_ERRORS[step.code]), None
    shown = confirmation(step.prepared, who, tr)
    return shown.text(), _confirmation(step.prepared, shown, tr, origin)


async def pick_pupil(update: Update, context: BotContext) -> None:
    """After choosing among several pupils: ask, or show what will be saved."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, PickPupil)
    await query.answer()
    await _continue(context, query.data.pupil_id, query.data.parsed, update, query.data.origin)


async def pick_reading(update: Update, context: BotContext) -> None:
    """After answering which day, kind or end was meant: show what will be saved."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, PickReading)
    await query.answer()
    context.drop_callback_data(query)
    await _continue(context, query.data.pupil_id, query.data.update, update, query.data.origin)


async def _continue(
    context: BotContext,
    pupil_id: int,
    parsed: QuickUpdate | Ambiguous,
    update: Update,
    origin: int | None,
) -> None:
    query = update.callback_query
    assert query is not None
    assert context.account is not None
    who = await context.services.read(visible_label, user=context.account, pupil_id=pupil_id)
    if who is None:
        await query.edit_message_text(not_available_text(context.tr))
        return
    text, keyboard = await _next_step(context, pupil_id, who, parsed, origin)
    await query.edit_message_text(text, reply_markup=keyboard)


async def save(update: Update, context: BotContext) -> None:
    """Store the confirmed update exactly as shown, checking again that the user may."""
    query, account, tr = update.callback_query, context.account, context.tr
    assert query is not None and account is not None and isinstance(query.data, SaveUpdate)
    data = query.data
    if await answered_already(query, context, data.question):
        return
    try:
        applied, who = await asyncio.to_thread(
            save_prepared,
            context.services,
            user=account,
            prepared=data.prepared,
            replace=data.replace,
        )
    except (NotAvailable, UpdateError) as error:
        await query.answer()
        await query.edit_message_text(_not_saved_text(error, tr))
        return
    # Answered: a second press of any of its buttons says so and stores nothing.
    remember(context, data.question, SAVED)
    facts = len(data.prepared.update.items)
    logger.info("user %s saved an update with %d facts", account.id, facts)
    await _show_saved(query, context, _saved_text(data, applied, who, context), applied)
    await clear_named_message(update, context, data.origin)


def _not_saved_text(error: NotAvailable | UpdateError, tr: Translator) -> str:
    if isinstance(error, UpdateError):
        return tr.gettext(UPDATE_ERRORS[error.code])
    return not_available_text(tr)


async def _show_saved(
    query: CallbackQuery, context: BotContext, text: str, applied: Applied
) -> None:
    """The question becomes the record of the save; when the update made the pupil a
    thuiszitter by absence alone, with the button that opens the case."""
    markup = None
    if any(d.rule == Rule.VIER_WEKEN_VERZUIM for d in applied.changes.created):
        markup = await open_case_markup(context, applied.pupil_id)
    # Both at once: the press's answer and the edit the user is waiting for.
    await asyncio.gather(
        query.answer(context.tr.gettext("Saved.")),
        query.edit_message_text(text, reply_markup=markup),
    )


def _saved_text(data: SaveUpdate, applied: Applied, who: str, context: BotContext) -> str:
    """The record of a save that replaces the question (without the texts of notes and the like
    when the dossier lives on the web pages)."""
    tr, today = context.tr, context.services.clock.now().date()
    with_text = not pages_on(context.services.settings)
    facts = describe(data.prepared, who, tr, replace=data.replace, with_text=with_text)
    saved = tr.gettext("Saved:")
    lines = [f"{saved} {facts[0]}"] if len(facts) == 1 else [saved, *facts]
    lines += deadline_lines(applied.changes, today, tr)
    return "\n".join(lines)


async def change(update: Update, context: BotContext) -> None:
    """Ask for the corrected update; nothing was stored."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, ChangeUpdate)
    if await answered_already(query, context, query.data.question):
        return
    remember(context, query.data.question, CHANGED)
    await query.answer()
    await query.edit_message_text(
        context.tr.gettext("Nothing was saved. Send the corrected update.")
        + "\n"
        + context.tr.gettext(EXAMPLES)
    )


def register(application: Application) -> None:
    """Add the free-text handler (last, after every command and conversation) and its buttons."""
    application.add_handler(CallbackQueryHandler(pick_pupil, pattern=PickPupil))
    application.add_handler(CallbackQueryHandler(pick_reading, pattern=PickReading))
    application.add_handler(CallbackQueryHandler(save, pattern=SaveUpdate))
    application.add_handler(CallbackQueryHandler(change, pattern=ChangeUpdate))
    application.add_handler(CallbackQueryHandler(cancel, pattern=CancelUpdate))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, understand))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(filters.ALL, unsupported))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command nobody handles (mistyped, or not for this role)."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.tr.gettext("I do not know that command. /help shows what I can do for you.")
    )


async def unsupported(update: Update, context: BotContext) -> None:
    """Stickers, voice notes, locations and the like: say what does work."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(
        context.tr.gettext(
            "I read text messages, documents and photos. /help shows what I can do for you."
        )
    )
