"""Quick case updates typed in chat: understand, show what was understood, store on Save."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.handlers.context import BotContext
from bot.handlers.pupil_choice import resolve_named_pupil
from bot.handlers.texts import EXAMPLES, not_available_text
from bot.i18n import N_, Translator
from bot.protocol.parsing import (
    FailureReason,
    ParseFailure,
    QuickUpdate,
    UpdateKind,
    parse_quick_update,
)
from bot.rule_texts import RULE_ACTIONS
from bot.services.access import NotAvailable, visible_pupil
from bot.services.cases import UpdateError, apply_update, label
from bot.services.deadlines import DeadlineChanges

logger = logging.getLogger(__name__)

FAILURES: dict[FailureReason, str] = {
    FailureReason.EMPTY: N_("I did not understand that as a case update."),
    FailureReason.NOT_UNDERSTOOD: N_("I did not understand that as a case update."),
    FailureReason.NO_NAME: N_("Whom is this about? Start with the pupil's name."),
    FailureReason.TOO_LONG: N_(
        "That is too long for a quick update (at most 500 characters). Keep it short."
    ),
    FailureReason.FUTURE_DATE: N_(
        "Absence and returns can only be registered for today or earlier."
    ),
    FailureReason.END_BEFORE_START: N_("The end date lies before the start date."),
    FailureReason.NO_TEXT: N_(
        "What is the action, goal or person involved? Write it after the colon."
    ),
    FailureReason.NO_ARTICLE: N_(
        "On which article is the exemption based: 5A, 5B, 5C or 5D? "
        "For example: “Sanne vrijstelling 5A van 1 maart tot 31 juli”."
    ),
}

UPDATE_ERRORS: dict[str, str] = {
    "no_open_case": N_("There is no open case for this pupil. Register one with /nieuw."),
    "no_case": N_("There is no case for this pupil yet. Register one with /nieuw."),
    "before_case_start": N_("That date lies before the start of the open case."),
    "no_school_days": N_("There are no school days in that period."),
    "no_variawet_application": N_("There is no open Variawet application for this pupil."),
    "before_application": N_("That date lies before the application."),
    "evaluation_while_open": N_(
        "The case is still open. Record the evaluation after it has ended."
    ),
}


@dataclass(frozen=True)
class PickPupil:
    """Button data: which of several matching pupils is meant."""

    pupil_id: int
    update: QuickUpdate


@dataclass(frozen=True)
class SaveUpdate:
    """Button data: store this understood update."""

    pupil_id: int
    update: QuickUpdate


@dataclass(frozen=True)
class ChangeUpdate:
    """Button data: the user wants to correct the update."""


@dataclass(frozen=True)
class CancelUpdate:
    """Button data: forget the update."""


def _hours(value: float, tr: Translator) -> str:
    return format_decimal(value, format="#,##0.#", locale=tr.locale)


def describe(update: QuickUpdate, who: str, tr: Translator) -> str:
    """What was understood, in one line, without health details or exemption grounds."""
    _ = tr.gettext
    kind = update.kind
    if kind is UpdateKind.ABSENCE:
        absence = update.absence_kind
        if absence == "te_laat":
            return _("{pupil}: late {count}× on {date}").format(
                pupil=who,
                count=update.count or 1,
                date=tr.date(update.day),  # type: ignore[arg-type]
            )
        if update.start is not None:
            return _("{pupil}: ill since {date} (every school day up to today)").format(
                pupil=who, date=tr.date(update.start)
            )
        assert update.day is not None
        names = {
            "ongeoorloofd": _("unauthorised absence"),
            "geoorloofd": _("authorised absence"),
            "ziek": _("ill"),
        }
        if update.hours is None:
            return _("{pupil}: {what}, a whole school day on {date}").format(
                pupil=who, what=names[absence or ""], date=tr.date(update.day)
            )
        return _("{pupil}: {what}, {hours} hours on {date}").format(
            pupil=who, what=names[absence or ""], hours=_hours(update.hours, tr),
            date=tr.date(update.day),
        )  # fmt: skip
    if kind is UpdateKind.BACK_AT_SCHOOL:
        return _("{pupil}: back at school since {date}; the open case is closed").format(
            pupil=who,
            date=tr.date(update.day),  # type: ignore[arg-type]
        )
    if kind is UpdateKind.OFFER:
        return _("{pupil}: suitable offer since {date}: {offer}").format(
            pupil=who,
            date=tr.date(update.start),
            offer=update.text or "—",  # type: ignore[arg-type]
        )
    if kind is UpdateKind.SUSPENSION:
        return _("{pupil}: suspended from {start} up to and including {end}").format(
            pupil=who,
            start=tr.date(update.start),
            end=tr.date(update.end),  # type: ignore[arg-type]
        )
    if kind is UpdateKind.EXEMPTION:
        if update.end is None:
            return _("{pupil}: exemption from {start}").format(
                pupil=who,
                start=tr.date(update.start),  # type: ignore[arg-type]
            )
        return _("{pupil}: exemption from {start} up to and including {end}").format(
            pupil=who,
            start=tr.date(update.start),
            end=tr.date(update.end),  # type: ignore[arg-type]
        )
    if kind is UpdateKind.MOVEMENT:
        steps = {
            "verwijdering": _("removed from school"),
            "uitschrijving": _("de-registered"),
            "inschrijving": _("enrolled"),
        }
        line = _("{pupil}: {what} on {date}").format(
            pupil=who,
            what=steps[update.step or ""],
            date=tr.date(update.day),  # type: ignore[arg-type]
        )
        if update.text:
            line += "; " + _("new school: {school}").format(school=update.text)
        return line
    if kind is UpdateKind.VARIAWET:
        steps = {
            "applied": _("Variawet application"),
            "approved": _("Variawet application approved"),
            "rejected": _("Variawet application rejected"),
        }
        return _("{pupil}: {what} on {date}").format(
            pupil=who,
            what=steps[update.step or ""],
            date=tr.date(update.day),  # type: ignore[arg-type]
        )
    if kind is UpdateKind.CONTACT:
        return _("{pupil}: contact person: {name}").format(pupil=who, name=update.text)
    if kind is UpdateKind.EVALUATION:
        return _("{pupil}: evaluation: {text}").format(pupil=who, text=update.text)
    entry_names = {
        UpdateKind.ACTION: _("action"),
        UpdateKind.GOAL: _("goal"),
        UpdateKind.PARTY: _("involved"),
        UpdateKind.NOTE: _("note"),
    }
    return _("{pupil}: {what} on {date}: {text}").format(
        pupil=who,
        what=entry_names[kind],
        date=tr.date(update.day),
        text=update.text,  # type: ignore[arg-type]
    )


def _confirmation(pupil_id: int, update: QuickUpdate, tr: Translator) -> InlineKeyboardMarkup:
    _ = tr.gettext
    return InlineKeyboardMarkup(
        [[
            InlineKeyboardButton(_("Save"), callback_data=SaveUpdate(pupil_id, update)),
            InlineKeyboardButton(_("Change"), callback_data=ChangeUpdate()),
            InlineKeyboardButton(_("Cancel"), callback_data=CancelUpdate()),
        ]]
    )  # fmt: skip


async def understand(update: Update, context: BotContext) -> None:
    """Read a free-text message as a case update and ask to confirm what was understood."""
    message = update.effective_message
    account = context.account
    assert message is not None and account is not None
    _ = context.tr.gettext
    services = context.services
    parsed = parse_quick_update(message.text or "", services.clock.now().date())
    if isinstance(parsed, ParseFailure):
        text = _(FAILURES[parsed.reason])
        if parsed.reason is not FailureReason.NO_ARTICLE:
            text += "\n" + _(EXAMPLES)
        await message.reply_text(text)
        return
    found = await resolve_named_pupil(
        message, context, parsed.name, lambda pupil_id: PickPupil(pupil_id, parsed),
        show_school=True,
        extra_rows=[[InlineKeyboardButton(_("Cancel"), callback_data=CancelUpdate())]],
    )  # fmt: skip
    if found is None:
        return
    pupil_id, only = found
    await message.reply_text(
        _("Is this right?") + "\n" + describe(parsed, only, context.tr),
        reply_markup=_confirmation(pupil_id, parsed, context.tr),
    )


async def pick_pupil(update: Update, context: BotContext) -> None:
    """After choosing among several pupils: show what will be saved."""
    query = update.callback_query
    account = context.account
    assert query is not None and account is not None and isinstance(query.data, PickPupil)
    await query.answer()
    with context.services.session() as session:
        try:
            pupil = visible_pupil(session=session, user=account, pupil_id=query.data.pupil_id)
        except NotAvailable:
            await query.edit_message_text(not_available_text(context.tr))
            return
        who = label(session=session, pupil=pupil)
    await query.edit_message_text(
        context.tr.gettext("Is this right?") + "\n" + describe(query.data.update, who, context.tr),
        reply_markup=_confirmation(query.data.pupil_id, query.data.update, context.tr),
    )


async def save(update: Update, context: BotContext) -> None:
    """Store the confirmed update, checking again that the user may."""
    query = update.callback_query
    account = context.account
    assert query is not None and account is not None and isinstance(query.data, SaveUpdate)
    _ = context.tr.gettext
    services = context.services
    now = services.clock.now()
    try:
        with services.session() as session:
            applied = apply_update(
                session=session, user=account, pupil_id=query.data.pupil_id,
                update=query.data.update, today=now.date(), now=now,
            )  # fmt: skip
            pupil = visible_pupil(session=session, user=account, pupil_id=applied.pupil_id)
            who = label(session=session, pupil=pupil)
    except NotAvailable:
        await query.answer()
        await query.edit_message_text(not_available_text(context.tr))
        return
    except UpdateError as error:
        await query.answer()
        await query.edit_message_text(_(UPDATE_ERRORS[error.code]))
        return
    # The buttons are spent: drop them from the cache so a second tap cannot save twice.
    context.drop_callback_data(query)
    logger.info("user %s saved a %s update", account.id, query.data.update.kind.value)
    await query.answer(_("Saved."))
    lines = [_("Saved:") + " " + describe(query.data.update, who, context.tr)]
    lines += deadline_lines(applied.changes, now.date(), context.tr)
    await query.edit_message_text("\n".join(lines))


# Not worth a line in a confirmation: it moves with every action that is recorded.
_QUIET_RULES = frozenset({"GEEN_ACTIE"})
_SHOWN = 3


def deadline_lines(changes: DeadlineChanges, today: date, tr: Translator) -> list[str]:
    """What a change did to the protocol's deadlines, in a few lines."""
    _ = tr.gettext
    created = sorted(
        (
            d
            for d in changes.created
            if d.rule not in _QUIET_RULES and d.due >= today - timedelta(days=7)
        ),
        key=lambda d: d.due,
    )
    closed = [d for d in changes.closed if d.rule not in _QUIET_RULES]
    lines = [
        "⏰ " + _("{action}: by {date}").format(action=_(RULE_ACTIONS[d.rule]), date=tr.day(d.due))
        for d in created[:_SHOWN]
    ]
    lines += [
        "✓ " + _("No longer needed: {action}").format(action=_(RULE_ACTIONS[d.rule]))
        for d in closed[:_SHOWN]
    ]
    return lines


async def change(update: Update, context: BotContext) -> None:
    """Ask for the corrected update; nothing was stored."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    context.drop_callback_data(query)
    await query.edit_message_text(
        context.tr.gettext("Nothing was saved. Send the corrected update.")
        + "\n"
        + context.tr.gettext(EXAMPLES)
    )


async def cancel(update: Update, context: BotContext) -> None:
    """Forget the update."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    context.drop_callback_data(query)
    await query.edit_message_text(context.tr.gettext("Cancelled. Nothing was saved."))


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the free-text handler (last, after every command and conversation) and its buttons."""
    application.add_handler(CallbackQueryHandler(pick_pupil, pattern=PickPupil))
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
