"""The buttons under a nudge (Done, Tomorrow, Next week, Open case), /agenda and /instellingen."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import cast

from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    InvalidCallbackData,
    MessageHandler,
    filters,
)

from bot.handlers.calendar import calendar_button
from bot.handlers.context import BotContext
from bot.handlers.dossier import show_dossier_of
from bot.handlers.language import LANGUAGE_NAMES, LanguageChoice
from bot.handlers.open_case import CASE_OPEN, ask_category
from bot.handlers.web import pages_on
from bot.i18n import N_, Translator
from bot.protocol.rules import Rule
from bot.reminders.actions import (
    AGENDA_DAYS,
    DONE,
    OPEN,
    OPEN_CASE,
    AgendaLine,
    Pressed,
    agenda,
    keep_done_note,
    press_nudge_button,
)
from bot.reminders.copies import show_done
from bot.reminders.messages import BUTTON_PREFIX
from bot.services.registration import thuiszit_without_case
from bot.services.users import set_digest, set_working_hours
from bot.storage.models import User
from bot.texts import done_note_from_reply, done_note_prefill
from bot.views.texts import not_available_text

logger = logging.getLogger(__name__)

WORKING_HOURS = ((7, 16), (8, 17), (8, 18), (9, 17), (9, 18))


def _is_nudge_button(data: object) -> bool:
    return isinstance(data, InvalidCallbackData) and str(data.callback_data or "").startswith(
        BUTTON_PREFIX
    )


def _parse(data: object) -> tuple[str, int] | None:
    if not isinstance(data, InvalidCallbackData):
        return None  # PTB passes an empty button's data through as it is
    try:
        _prefix, action, number = str(data.callback_data).split(":")
        return action, int(number)
    except ValueError:
        return None


async def nudge_button(update: Update, context: BotContext) -> None:
    """Done / Later / Open case under a nudge; the nudge must be this user's, the pupil visible."""
    await _nudge_button(update, context)
    # Handled: the generic answer to unknown buttons (group 0) must not answer it again.
    raise ApplicationHandlerStop


async def _nudge_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.account is not None
    result = await _press(query, context)
    if result is not None and result.action in (OPEN, OPEN_CASE) and result.pupil_id is not None:
        await query.answer()
        await _open(update, context, result)
    elif result is not None and result.action == DONE:
        await query.answer(context.tr.gettext("Marked as done."))
        logger.info("user %s marked deadline %s done", context.account.id, result.deadline_id)
        await _show_done_everywhere(query, context, result)
    elif result is not None and result.until is not None:
        await _show_snoozed(query, context, result.until)
    else:
        await query.answer(not_available_text(context.tr), show_alert=True)


async def _press(query: CallbackQuery, context: BotContext) -> Pressed | None:
    """What the button does (None: not a nudge button this user may press)."""
    parsed, pressed = _parse(query.data), query.message
    if parsed is None or pressed is None:
        return None
    assert context.account is not None
    return await asyncio.to_thread(
        press_nudge_button,
        context.services,
        user=context.account,
        action=parsed[0],
        nudge_id=parsed[1],
        chat_id=pressed.chat.id,
        message_id=pressed.message_id,
    )


async def _show_done_everywhere(query: CallbackQuery, context: BotContext, result: Pressed) -> None:
    """Every delivered copy says who marked it done; the presser is asked what was done."""
    assert context.account is not None
    today = context.services.clock.now().date()
    for changed in result.copies:
        await show_done(
            context.bot, result=result, changed=changed, by=context.account, today=today
        )
    if result.marked and query.message is not None:
        await _ask_what_was_done(context, query.message.chat.id, result, today)


async def _open(update: Update, context: BotContext, result: Pressed) -> None:
    """Open case: the dossier; the 4-week deadline's other button: the case to open."""
    assert result.pupil_id is not None and context.account is not None
    message = update.effective_message
    if result.action == OPEN or message is None:
        await show_dossier_of(update, context, result.pupil_id)
        return
    start = await asyncio.to_thread(
        thuiszit_without_case, context.services, user=context.account, pupil_id=result.pupil_id
    )
    if start is None:  # opened meanwhile: what is there is in the dossier
        await message.reply_text(context.tr.gettext(CASE_OPEN))
    else:
        await ask_category(context, message, result.pupil_id, start)


_QUESTIONS = "done_questions"


async def _ask_what_was_done(
    context: BotContext, chat_id: int, result: Pressed, today: date
) -> None:
    """After Done: what was done, one optional line; for a melding its date is filled in."""
    tr = context.tr
    prefilled = done_note_prefill(result.rule, today, tr)
    if result.rule == Rule.LEERPLICHT_TERUGKOPPELING:
        text, hint = tr.gettext(WHAT_CAME_OF_IT), tr.gettext("What came of the melding")
    elif prefilled is None:
        text, hint = tr.gettext(WHAT_WAS_DONE), tr.gettext("What was done (optional)")
    else:
        text, hint = tr.gettext(WHEN_REPORTED).format(line=prefilled), tr.gettext("kenmerk")
    # Telegram's apps reply to a ForceReply message with what is typed next.
    answer = ForceReply(input_field_placeholder=hint[:64])
    question = await context.bot.send_message(chat_id, text, reply_markup=answer)
    asked = context.user_data.setdefault(_QUESTIONS, {})  # type: ignore[union-attr]
    asked[question.message_id] = (result.deadline_id, prefilled)
    while len(asked) > 20:
        asked.pop(next(iter(asked)))


WHAT_WAS_DONE = N_(
    "What was done? Reply to this message with one line and it is kept with the deadline in "
    "the dossier (optional)."
)
WHAT_CAME_OF_IT = N_(
    "What came of the melding? Reply to this message with one line — for example “thuiszitter: "
    "nee, gesprek gevoerd, afspraken gemaakt”, “proces-verbaal” or “HALT” — and it is kept with "
    "the deadline in the dossier, where the school sees it came back."
)
WHEN_REPORTED = N_(
    "When and under which kenmerk was it reported in DUO's verzuimregister? Reply to this "
    "message with the kenmerk and it is kept as: “{line}, kenmerk …” — or reply with a line of "
    "your own (optional)."
)


async def what_was_done(update: Update, context: BotContext) -> None:
    """A reply to the question after Done: keep it with the deadline (else: not for us)."""
    message = update.effective_message
    asked = (context.user_data or {}).get(_QUESTIONS, {})
    if message is None or message.reply_to_message is None or context.account is None:
        return
    found = asked.pop(message.reply_to_message.message_id, None)
    if found is None:
        return  # a reply to something else: the other handlers read it
    deadline_id, prefilled = found
    note = done_note_from_reply(message.text or "", prefilled)
    await _keep_note(message, context, deadline_id, note)
    raise ApplicationHandlerStop


async def _keep_note(message: Message, context: BotContext, deadline_id: int, text: str) -> None:
    assert context.account is not None
    kept = await asyncio.to_thread(
        keep_done_note, context.services, user=context.account, deadline_id=deadline_id, note=text
    )
    tr = context.tr
    if kept is None:
        await message.reply_text(not_available_text(tr))
    elif pages_on(context.services.settings):
        # With the pages on, the chat carries no note's text: it is in the dossier.
        await message.reply_text(tr.gettext("Kept with the deadline (the text is in the dossier)."))
    else:
        await message.reply_text(tr.gettext("Kept with the deadline: {line}").format(line=kept))


async def _show_snoozed(query: CallbackQuery, context: BotContext, until: datetime) -> None:
    """The new date in the toast and, for good, on the message itself (its buttons go)."""
    when = context.tr.day(until.date())
    await query.answer(context.tr.gettext("I will remind you on {date}.").format(date=when))
    message = query.message
    if message is None or not isinstance(message, Message):
        return
    trace = "💤 " + context.tr.gettext("Postponed: I will remind you again on {date}.").format(
        date=when
    )
    kept = "\n".join(line for line in (message.text or "").splitlines() if "💤" not in line)
    try:
        await query.edit_message_text(f"{kept.rstrip()}\n\n{trace}", reply_markup=None)
    except BadRequest:
        # Pressed again with the same outcome: "message is not modified".
        logger.debug("nudge message %s already shows its new date", message.message_id)


async def show_agenda(update: Update, context: BotContext) -> None:
    """/agenda: my open deadlines for the next 30 days (and overdue ones), grouped by week."""
    message = update.effective_message
    assert message is not None and context.account is not None
    lines = await asyncio.to_thread(
        agenda, context.services, user=context.account, days=AGENDA_DAYS
    )
    today = context.services.clock.now().date()
    await message.reply_text(
        _agenda_text(lines, today, context.tr)[:4000], reply_markup=calendar_button(context.tr)
    )


def _agenda_text(lines: list[AgendaLine], today: date, tr: Translator) -> str:
    _ = tr.gettext
    if not lines:
        return _("No open deadlines for you in the next 30 days.")
    by_group: dict[str, list[str]] = {}
    for line in lines:
        if line.due < today:
            group = _("Overdue")
        else:
            monday = line.due - timedelta(days=line.due.weekday())
            group = _("Week {week} (from {date})").format(
                week=line.due.isocalendar().week, date=tr.date(monday)
            )
        escalated = " ⬆ " + _("escalated to you") if line.escalated else ""
        by_group.setdefault(group, []).append(
            f"• {tr.date(line.due)} — {_(line.what)} — {line.who}{escalated}"
        )
    parts = [
        _("Your deadlines up to {date}:").format(date=tr.date(today + timedelta(days=AGENDA_DAYS)))
    ]
    for group, shown in by_group.items():
        parts += ["", group, *shown[:30]]
        if len(shown) > 30:
            parts.append(_("… and {count} more").format(count=len(shown) - 30))
    return "\n".join(parts)


@dataclass(frozen=True)
class SettingChoice:
    """Button data for /instellingen."""

    setting: str
    value: object = None


def _settings_text(user: User, tr: Translator) -> tuple[str, InlineKeyboardMarkup]:
    _ = tr.gettext
    digest = {None: _("automatic"), True: _("on"), False: _("off")}[user.digest]
    hours = f"{user.work_start:%H:%M}–{user.work_end:%H:%M}"
    text = "\n".join(
        [
            _("Your settings:"),
            _("Working hours (nudges only then, Monday to Friday): {hours}").format(hours=hours),
            _("One daily digest instead of separate nudges: {digest}").format(digest=digest),
        ]
    )
    hours_now = (user.work_start.hour, user.work_end.hour)
    rows = [
        [
            InlineKeyboardButton(
                _current(f"{a:02d}:00–{b:02d}:00", (a, b) == hours_now),
                callback_data=SettingChoice("hours", (a, b)),
            )
        ]
        for a, b in WORKING_HOURS
    ]
    rows.append(
        [
            InlineKeyboardButton(
                _current(name, code == user.language), callback_data=LanguageChoice(code)
            )
            for code, name in LANGUAGE_NAMES.items()
        ]
    )
    digests = ((None, _("Digest: automatic")), (True, _("Digest: on")), (False, _("Digest: off")))
    rows.append(
        [
            InlineKeyboardButton(
                _current(label, value is user.digest), callback_data=SettingChoice("digest", value)
            )
            for value, label in digests
        ]
    )
    return text, InlineKeyboardMarkup(rows)


def _current(text: str, chosen: bool) -> str:
    """A button's text, marked when it is the current choice."""
    return f"✓ {text}" if chosen else text


async def show_settings(update: Update, context: BotContext) -> None:
    """/instellingen: working hours and the digest choice."""
    message = update.effective_message
    assert message is not None
    assert context.account is not None
    text, markup = _settings_text(context.account, context.tr)
    await message.reply_text(text, reply_markup=markup)


async def change_setting(update: Update, context: BotContext) -> None:
    """Store a setting from its button."""
    query = update.callback_query
    account = context.account
    assert query is not None and account is not None and account.id is not None
    choice = query.data
    assert isinstance(choice, SettingChoice)
    user = account
    if choice.setting == "hours" and choice.value in WORKING_HOURS:
        start, end = cast(tuple[int, int], choice.value)
        user = await asyncio.to_thread(
            set_working_hours,
            context.services,
            user_id=account.id,
            start=time(start),
            end=time(end),
        )
    elif choice.setting == "digest" and choice.value in (None, True, False):
        digest = cast(bool | None, choice.value)
        user = await asyncio.to_thread(
            set_digest, context.services, user_id=account.id, digest=digest
        )
    await query.answer(context.tr.gettext("Saved."))
    # Nudges already planned move to the new hours with the next full planning run.
    text, markup = _settings_text(user, context.tr)
    await query.edit_message_text(text, reply_markup=markup)


def register(application: Application) -> None:
    """Add the nudge buttons (before the stale-button answer), /agenda and /instellingen."""
    application.add_handler(CallbackQueryHandler(nudge_button, pattern=_is_nudge_button), group=-1)
    # Before the quick updates: a reply to "what was done?" is not an update.
    application.add_handler(
        MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, what_was_done), group=-1
    )
    application.add_handler(CommandHandler("agenda", show_agenda))
    application.add_handler(CommandHandler(["instellingen", "settings"], show_settings))
    application.add_handler(CallbackQueryHandler(change_setting, pattern=SettingChoice))
