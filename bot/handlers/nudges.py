"""The buttons under a nudge (Done, Tomorrow, Next week, Open case), /agenda and /instellingen."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    InvalidCallbackData,
)

from bot.handlers.context import BotContext
from bot.handlers.dossier import show_dossier_of
from bot.handlers.language import LANGUAGE_NAMES, LanguageChoice
from bot.handlers.texts import not_available_text
from bot.i18n import translator
from bot.reminders.delivery import (
    BUTTON_PREFIX,
    deadline_subject,
    draft_of,
    rerender_digest,
)
from bot.reminders.nudges import SentCopy, deadlines_for_user, mark_done, snooze
from bot.services.access import NotAvailable, visible_pupil
from bot.storage.models import (
    DeadlineRow,
    DeadlineStatus,
    Nudge,
    User,
)
from bot.texts import RULE_ACTIONS

logger = logging.getLogger(__name__)

AGENDA_DAYS = 30
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
    account = context.account
    assert query is not None
    assert account is not None
    _ = context.tr.gettext
    parsed = _parse(query.data)
    services = context.services
    now = services.clock.now()
    copies = []
    with services.session() as session:
        nudge = session.get(Nudge, parsed[1]) if parsed else None
        deadline = session.get(DeadlineRow, nudge.deadline_id) if nudge else None
        pressed = query.message
        allowed = (
            nudge is not None
            and deadline is not None
            and nudge.user_id == account.id
            # Button data counts only on the message it was sent with (a digest included).
            and pressed is not None
            and (nudge.chat_id, nudge.message_id) == (pressed.chat.id, pressed.message_id)
        )
        if allowed and deadline is not None and deadline.pupil_id is not None:
            try:
                visible_pupil(session=session, user=account, pupil_id=deadline.pupil_id)
            except NotAvailable:
                allowed = False
        if not allowed or parsed is None or nudge is None or deadline is None:
            await query.answer(not_available_text(context.tr), show_alert=True)
            return
        action = parsed[0]
        pupil_id = deadline.pupil_id
        what, who = (
            RULE_ACTIONS.get(deadline.rule, deadline.rule),
            deadline_subject(session, deadline),
        )
        due = deadline.due
        document = draft_of(deadline) is not None
        if action == "d":
            if deadline.status == DeadlineStatus.OPEN.value:
                copies = mark_done(session=session, deadline=deadline, user=account, now=now)
        elif action in ("l1", "l7"):
            days = 1 if action == "l1" else 7
            until = snooze(
                session=session, nudge=nudge, days=days, now=now, tz=services.settings.tz
            )
    if action == "o" and pupil_id is not None:
        await query.answer()
        await show_dossier_of(update, context, pupil_id)
        return
    if action == "d":
        await query.answer(_("Marked as done."))
        logger.info("user %s marked deadline %s done", account.id, deadline.id)
        for copy in copies:
            if await _rerender_digest(context, copy):
                continue
            tr = translator(copy.language)
            by = tr.gettext("you") if copy.user_id == account.id else (account.display_name or "")
            text = "\n".join(
                [
                    tr.gettext(what),
                    f"{who} — " + tr.gettext("by {date}").format(date=tr.day(due)),
                    tr.gettext("✓ Done ({name}, {date})").format(name=by, date=tr.date(now.date())),
                ]
            )
            # A nudge that came with its draft report is a document: the text is its caption.
            try:
                if document:
                    await context.bot.edit_message_caption(
                        chat_id=copy.chat_id, message_id=copy.message_id, caption=text
                    )
                else:
                    await context.bot.edit_message_text(
                        chat_id=copy.chat_id, message_id=copy.message_id, text=text
                    )
            except (BadRequest, Forbidden):
                logger.info("could not update nudge message %s", copy.message_id)
        return
    if action in ("l1", "l7"):
        await query.answer(
            _("I will remind you on {date}.").format(date=context.tr.day(until.date()))
        )
        if query.message is not None and query.message.is_accessible:
            try:
                await query.edit_message_reply_markup(reply_markup=None)
            except BadRequest:
                # Pressed again: the buttons were already gone ("message is not modified").
                logger.debug("nudge message %s already without buttons", query.message.message_id)
        return
    await query.answer(not_available_text(context.tr), show_alert=True)


async def _rerender_digest(context: BotContext, copy: SentCopy) -> bool:
    """A digest that holds the closed deadline keeps its other items: it is rendered again from
    the database, the closed item marked done. False when the message is a single nudge."""
    with context.services.session() as session:
        rendered = rerender_digest(session=session, chat_id=copy.chat_id,
                                   message_id=copy.message_id, language=copy.language)  # fmt: skip
    if rendered is None:
        return False
    text, markup = rendered
    try:
        await context.bot.edit_message_text(
            chat_id=copy.chat_id, message_id=copy.message_id, text=text, reply_markup=markup
        )
    except (BadRequest, Forbidden):
        logger.info("could not update digest message %s", copy.message_id)
    return True


async def show_agenda(update: Update, context: BotContext) -> None:
    """/agenda: my open deadlines for the next 30 days (and overdue ones), grouped by week."""
    message = update.effective_message
    account = context.account
    assert message is not None
    assert account is not None
    tr = context.tr
    _ = tr.gettext
    today = context.services.clock.now().date()
    with context.services.session() as session:
        deadlines = deadlines_for_user(
            session=session, user=account, due_until=today + timedelta(days=AGENDA_DAYS)
        )
        lines_by_group: dict[str, list[str]] = {}
        for deadline in deadlines:
            if deadline.due < today:
                group = _("Overdue")
            else:
                monday = deadline.due - timedelta(days=deadline.due.weekday())
                group = _("Week {week} (from {date})").format(
                    week=deadline.due.isocalendar().week, date=tr.date(monday)
                )
            line = (
                f"• {tr.date(deadline.due)} — {_(RULE_ACTIONS.get(deadline.rule, deadline.rule))}"
            )
            lines_by_group.setdefault(group, []).append(
                f"{line} — {deadline_subject(session, deadline)}"
            )
    if not lines_by_group:
        await message.reply_text(_("No open deadlines for you in the next 30 days."))
        return
    parts = [
        _("Your deadlines up to {date}:").format(date=tr.date(today + timedelta(days=AGENDA_DAYS)))
    ]
    for group, lines in lines_by_group.items():
        parts += ["", group, *lines[:30]]
        if len(lines) > 30:
            parts.append(_("… and {count} more").format(count=len(lines) - 30))
    text = "\n".join(parts)
    await message.reply_text(text[:4000])


@dataclass(frozen=True)
class SettingChoice:
    """Button data for /instellingen."""

    setting: str
    value: object = None


def _settings_text(user: User, context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    _ = context.tr.gettext
    digest = {None: _("automatic"), True: _("on"), False: _("off")}[user.digest]
    hours = f"{user.work_start:%H:%M}–{user.work_end:%H:%M}"
    text = "\n".join([
        _("Your settings:"),
        _("Working hours (nudges only then, Monday to Friday): {hours}").format(hours=hours),
        _("One daily digest instead of separate nudges: {digest}").format(digest=digest),
    ])  # fmt: skip
    rows = [
        [
            InlineKeyboardButton(
                f"{a:02d}:00–{b:02d}:00", callback_data=SettingChoice("hours", (a, b))
            )
        ]
        for a, b in WORKING_HOURS
    ]
    rows.append([
        InlineKeyboardButton(name, callback_data=LanguageChoice(code))
        for code, name in LANGUAGE_NAMES.items()
    ])  # fmt: skip
    rows.append([
        InlineKeyboardButton(_("Digest: automatic"), callback_data=SettingChoice("digest", None)),
        InlineKeyboardButton(_("Digest: on"), callback_data=SettingChoice("digest", True)),
        InlineKeyboardButton(_("Digest: off"), callback_data=SettingChoice("digest", False)),
    ])  # fmt: skip
    return text, InlineKeyboardMarkup(rows)


async def show_settings(update: Update, context: BotContext) -> None:
    """/instellingen: working hours and the digest choice."""
    message = update.effective_message
    assert message is not None
    assert context.account is not None
    text, markup = _settings_text(context.account, context)
    await message.reply_text(text, reply_markup=markup)


async def change_setting(update: Update, context: BotContext) -> None:
    """Store a setting from its button."""
    query = update.callback_query
    account = context.account
    assert query is not None
    assert account is not None
    assert isinstance(query.data, SettingChoice)
    choice = query.data
    with context.services.session() as session:
        user = session.get(User, account.id)
        assert user is not None
        if choice.setting == "hours" and choice.value in WORKING_HOURS:
            start, end = choice.value
            user.work_start, user.work_end = time(start), time(end)
        elif choice.setting == "digest" and choice.value in (None, True, False):
            user.digest = choice.value
        session.add(user)
    await query.answer(context.tr.gettext("Saved."))
    # Nudges already planned move to the new hours with the next full planning run.
    text, markup = _settings_text(user, context)
    await query.edit_message_text(text, reply_markup=markup)


def register(application: Application) -> None:
    """Add the nudge buttons (before the stale-button answer), /agenda and /instellingen."""
    application.add_handler(CallbackQueryHandler(nudge_button, pattern=_is_nudge_button), group=-1)
    application.add_handler(CommandHandler("agenda", show_agenda))
    application.add_handler(CommandHandler(["instellingen", "settings"], show_settings))
    application.add_handler(CallbackQueryHandler(change_setting, pattern=SettingChoice))
