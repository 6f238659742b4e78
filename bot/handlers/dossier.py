"""/dossier NAME and /leerlingen: the case card, and the list of one's pupils."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.handlers.context import BotContext
from bot.handlers.pupil_choice import resolve_named_pupil
from bot.handlers.web import clear_named_message, pages_on, send_pointer
from bot.i18n import Translator
from bot.services.access import NotAvailable
from bot.services.cases import TimelineItem, visible_label
from bot.services.dossier import (
    DoneDeadline,
    DossierDeadline,
    DossierView,
    PupilLine,
    download_file,
    older_timeline,
    pupil_list,
    read_dossier,
)
from bot.storage.models import Case, CaseStatus
from bot.texts import CATEGORY_NAMES, KIND_NAMES, RULE_ACTIONS, STATUS_NAMES
from bot.views.texts import hours_text, not_available_text

logger = logging.getLogger(__name__)

PAGE_SIZE = 10


@dataclass(frozen=True)
class OpenDossier:
    """Button data: show this pupil's dossier."""

    pupil_id: int


@dataclass(frozen=True)
class PupilPage:
    """Button data: a page of /leerlingen."""

    page: int


@dataclass(frozen=True)
class Older:
    """Button data: a dossier's timeline entries from `offset` on."""

    pupil_id: int
    offset: int


@dataclass(frozen=True)
class SendFile:
    """Button data: send a filed document."""

    file_id: int


def _case_lines(case: Case | None, tr: Translator) -> list[str]:
    _ = tr.gettext
    if case is None:
        return [_("No case registered.")]
    lines = [_("Category: {category}").format(category=_(CATEGORY_NAMES[case.category]))]
    if case.status is CaseStatus.CLOSED:
        # A closed case is named by its end; "since" the start would read as closed since then.
        lines.append(
            _("Status: closed on {date}").format(date=tr.date(case.end_date))
            if case.end_date is not None
            else _("Status: closed")
        )
        lines.append(_("Started: {date}").format(date=tr.date(case.start_date)))
    else:
        lines.append(
            _("Status: {status}, since {date}").format(
                status=_(STATUS_NAMES[case.status]), date=tr.date(case.start_date)
            )
        )
        if case.end_date is not None:
            lines.append(_("Ends: {date}").format(date=tr.date(case.end_date)))
    if case.offer_since is not None:
        lines.append(
            _("Suitable offer since {date}: {offer}").format(
                date=tr.date(case.offer_since), offer=case.offer_description or "—"
            )
        )
    else:
        lines.append(_("Suitable offer: none registered"))
    if case.contact_person:
        lines.append(_("Contact person: {name}").format(name=case.contact_person))
    return lines


def _timeline_line(item: TimelineItem, tr: Translator) -> str:
    what = tr.gettext(KIND_NAMES.get(item.kind, item.kind))
    detail = f" {hours_text(item.hours, tr)}" if item.hours is not None else ""
    text = f": {item.text}" if item.text else ""
    if item.result:
        text += f" — {tr.gettext('result')}: {item.result}"
    # Only the school side sees confidential entries; it should see which ones they are.
    mark = " " + tr.gettext("(confidential)") if item.confidential else ""
    return f"{tr.date(item.day)} — {what}{detail}{text}{mark}"


def _older_button(pupil_id: int, offset: int, tr: Translator) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(tr.gettext("Older entries"), callback_data=Older(pupil_id, offset))
    ]


_DEADLINES_SHOWN = 8


def _deadline_lines(deadlines: list[DossierDeadline], tr: Translator) -> list[str]:
    """The open deadlines, overdue ones marked; those stored as history (known only long after
    they were due, with nothing asking action any more) are marked: they are never nudged."""
    if not deadlines:
        return []
    _ = tr.gettext
    lines = ["", _("Open deadlines:")]
    for rule, due, history, overdue in deadlines[:_DEADLINES_SHOWN]:
        action = _(RULE_ACTIONS.get(rule, rule))
        if history:
            lines.append(
                "🗂 "
                + _("{action} — was due by {date} (history: no reminders)").format(
                    action=action, date=tr.date(due)
                )
            )
        elif overdue:
            lines.append(
                "⚠ "
                + _("{action} — overdue, was due by {date}").format(
                    action=action, date=tr.date(due)
                )
            )
        else:
            lines.append("⏰ " + _("{action} — by {date}").format(action=action, date=tr.date(due)))
    hidden = len(deadlines) - _DEADLINES_SHOWN
    if hidden > 0:
        lines.append(
            tr.ngettext("… and {count} more", "… and {count} more", hidden).format(count=hidden)
        )
    return lines


def _done_lines(done: list[DoneDeadline], tr: Translator) -> list[str]:
    """The deadlines marked done lately, with what was done."""
    if not done:
        return []
    lines = ["", tr.gettext("Done lately:")]
    for rule, _due, done_on, by, note in done:
        line = "✓ " + tr.gettext("{action} — done by {name} on {date}").format(
            action=tr.gettext(RULE_ACTIONS.get(rule, rule)),
            name=by or "?",
            date=tr.date(done_on) if done_on else "?",
        )
        lines.append(f"{line}: {note}" if note else line)
    return lines


def _year_line(view: DossierView, tr: Translator) -> str:
    """The hours per kind since 1 August (or that none were recorded)."""
    _ = tr.gettext
    assert view.year_start is not None
    since = tr.date(view.year_start)
    if not view.year_hours:
        return _("Absence this school year (since {date}): none recorded.").format(date=since)
    parts = [
        f"{_(KIND_NAMES['absence:' + kind])} {hours_text(hours, tr)}"
        for kind, hours in sorted(view.year_hours.items())
    ]
    return _("Absence this school year (since {date}): {parts}").format(
        date=since, parts=", ".join(parts)
    )


def render_answer(view: DossierView, tr: Translator) -> str:
    """The answer to a question about a pupil ("Hoeveel uur heeft Mila gemist?"): the school
    year's totals and what is open, with the pupil's label, and where the rest is."""
    _ = tr.gettext
    lines = [view.label, _year_line(view, tr)]
    lines += _deadline_lines(view.deadlines, tr) or ["", _("No open deadlines.")]
    lines += ["", _("The whole dossier: /dossier {pupil}").format(pupil=view.label)]
    return "\n".join(lines)


async def answer_question(message: Message, context: BotContext, name: str) -> None:
    """A question about a pupil is answered from the dossier, never stored as an update."""
    _ = context.tr.gettext
    if not name:
        await message.reply_text(
            _(
                "About which pupil? Ask with the name or label, for example “Hoeveel uur heeft "
                "Sanne gemist?”, or open the dossier: /dossier Sanne. Nothing was stored."
            )
        )
        return
    found = await resolve_named_pupil(message, context, name, OpenDossier)
    if found is not None:
        await answer_about(message, context, found[0])


async def answer_about(message: Message, context: BotContext, pupil_id: int) -> None:
    """The answer to a question about this pupil: in chat, or (pages on) in the app."""
    if pages_on(context.services.settings):
        await _point_to_dossier(context, message.chat.id, pupil_id)
        return
    assert context.account is not None
    try:
        view = await asyncio.to_thread(
            read_dossier, context.services, user=context.account, pupil_id=pupil_id
        )
    except NotAvailable:
        await message.reply_text(not_available_text(context.tr))
        return
    await message.reply_text(render_answer(view, context.tr))


def render_dossier(view: DossierView, tr: Translator) -> str:
    """The dossier as a message (the only place a pupil's full name is shown)."""
    _ = tr.gettext
    lines = [_("Dossier {pupil}").format(pupil=view.label), view.full_name]
    if view.age is not None:
        lines[-1] += ", " + tr.ngettext("{age} year", "{age} years", view.age).format(age=view.age)
    if view.school:
        lines.append(_("School: {school}").format(school=view.school))
    if view.gemeente:
        lines.append(_("Municipality: {gemeente}").format(gemeente=view.gemeente))
    lines += _case_lines(view.case, tr)
    if view.absence_hours:
        parts = [
            f"{_(KIND_NAMES['absence:' + kind])} {hours_text(hours, tr)}"
            for kind, hours in sorted(view.absence_hours.items())
        ]
        lines.append(_("Absence in the last 4 weeks: {parts}").format(parts=", ".join(parts)))
    lines.append(_year_line(view, tr))
    if view.linked:
        lines.append(_("Linked attendance officers: {names}").format(names=", ".join(view.linked)))
    lines += _deadline_lines(view.deadlines, tr)
    lines += _done_lines(view.done, tr)
    if view.timeline:
        lines += ["", _("Timeline:")]
        lines += [_timeline_line(item, tr) for item in view.timeline]
        older = view.timeline_total - len(view.timeline)
        if older > 0:
            lines.append(
                tr.ngettext(
                    "… and {count} older entry: the button “Older entries” shows it.",
                    "… and {count} older entries: the button “Older entries” shows them.",
                    older,
                ).format(count=older)
            )
    return "\n".join(lines)


async def show_dossier_of(update: Update, context: BotContext, pupil_id: int) -> None:
    """Send a pupil's dossier to the user (access is checked)."""
    await _send_dossier(update, context, pupil_id)


async def _send_dossier(update: Update, context: BotContext, pupil_id: int) -> None:
    account, chat = context.account, update.effective_chat
    assert account is not None and chat is not None
    if pages_on(context.services.settings):
        await _point_to_dossier(context, chat.id, pupil_id)
        return
    try:
        view = await asyncio.to_thread(
            read_dossier, context.services, user=account, pupil_id=pupil_id
        )
    except NotAvailable:
        await context.bot.send_message(chat.id, not_available_text(context.tr))
        return
    logger.info("user %s viewed dossier of pupil %s", account.id, pupil_id)
    rows = [
        [InlineKeyboardButton(f"📎 {name}", callback_data=SendFile(file_id))]
        for file_id, name in view.files
    ]
    if view.timeline_total > len(view.timeline):
        rows.append(_older_button(pupil_id, len(view.timeline), context.tr))
    keyboard = InlineKeyboardMarkup(rows) if rows else None
    await context.bot.send_message(chat.id, render_dossier(view, context.tr), reply_markup=keyboard)


async def _point_to_dossier(context: BotContext, chat_id: int, pupil_id: int) -> None:
    """With the web pages on, the dossier opens in the Mini App: the chat only names the
    pupil's label."""
    assert context.account is not None
    _ = context.tr.gettext
    shown = await asyncio.to_thread(
        visible_label, context.services, user=context.account, pupil_id=pupil_id
    )
    if shown is None:
        await context.bot.send_message(chat_id, not_available_text(context.tr))
        return
    await send_pointer(
        context,
        chat_id,
        _("Dossier {pupil}: it opens in the app.").format(pupil=shown),
        _("Open dossier"),
        f"/pupils/{pupil_id}",
    )


async def older_entries(update: Update, context: BotContext) -> None:
    """The next entries of a dossier's timeline, with a button to the ones after them."""
    query, account, tr = update.callback_query, context.account, context.tr
    assert query is not None and account is not None and isinstance(query.data, Older)
    data = query.data
    try:
        part = await asyncio.to_thread(
            older_timeline,
            context.services,
            user=account,
            pupil_id=data.pupil_id,
            offset=data.offset,
        )
    except NotAvailable:
        await query.answer(not_available_text(tr), show_alert=True)
        return
    await query.answer()
    end = part.offset + len(part.items)
    heading = tr.gettext("Timeline of {pupil}, entries {first}–{last} of {total}:").format(
        pupil=part.label, first=part.offset + 1, last=end, total=part.total
    )
    more = [_older_button(data.pupil_id, end, tr)] if end < part.total else []
    await context.bot.send_message(
        account.telegram_id,
        "\n".join([heading] + [_timeline_line(item, tr) for item in part.items]),
        reply_markup=InlineKeyboardMarkup(more) if more else None,
    )


async def show_dossier(update: Update, context: BotContext) -> None:
    """/dossier NAME: the dossier, or a choice when the name fits several pupils."""
    message = update.effective_message
    account = context.account
    assert message is not None
    assert account is not None
    _ = context.tr.gettext
    name = " ".join(context.args or [])[:80]
    if not name:
        await message.reply_text(_("Which pupil? For example: /dossier Sanne"))
        return
    found = await resolve_named_pupil(message, context, name, OpenDossier)
    if found is not None:
        await _send_dossier(update, context, found[0])
        await clear_named_message(update, context, message.message_id)


async def open_dossier(update: Update, context: BotContext) -> None:
    """A dossier button: checked again, then shown."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, OpenDossier)
    await query.answer()
    await _send_dossier(update, context, query.data.pupil_id)


async def list_pupils(update: Update, context: BotContext) -> None:
    """/leerlingen: the user's pupils, ten per page, each a button to its dossier."""
    query, chat, account = update.callback_query, update.effective_chat, context.account
    assert chat is not None and account is not None
    page = await _requested_page(query)
    if pages_on(context.services.settings):
        await _point_to_list(context, chat.id)
        return
    lines, total = await asyncio.to_thread(
        pupil_list, context.services, user=account, page=page, per_page=PAGE_SIZE
    )
    if total == 0:
        await context.bot.send_message(
            chat.id, context.tr.gettext("You have no pupils in view yet.")
        )
        return
    text, markup = _pupil_page(lines, total, page, context.tr)
    if query is not None:
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await context.bot.send_message(chat.id, text, reply_markup=markup)


async def _point_to_list(context: BotContext, chat_id: int) -> None:
    _ = context.tr.gettext
    await send_pointer(
        context,
        chat_id,
        _("Your pupils: search, filter and open them in the app."),
        _("Open the list"),
        "/pupils",
    )


async def _requested_page(query: CallbackQuery | None) -> int:
    """The page a button asked for (answering the press), or the first."""
    if query is None:
        return 0
    await query.answer()
    assert isinstance(query.data, PupilPage)
    return max(0, query.data.page)


def _pupil_page(
    lines: list[PupilLine], total: int, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    _ = tr.gettext
    rows = []
    for line in lines:
        status = ""
        if line.category is not None and line.status is not None:
            status = f" — {line.category}, {_(STATUS_NAMES.get(line.status, line.status))}"
        if line.open_deadlines:
            status += " — " + tr.ngettext(
                "{count} open deadline", "{count} open deadlines", line.open_deadlines
            ).format(count=line.open_deadlines)
        rows.append(
            [InlineKeyboardButton(line.label + status, callback_data=OpenDossier(line.pupil_id))]
        )
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    navigation = []
    if page > 0:
        navigation.append(InlineKeyboardButton("«", callback_data=PupilPage(page - 1)))
    if page + 1 < pages:
        navigation.append(InlineKeyboardButton("»", callback_data=PupilPage(page + 1)))
    if navigation:
        rows.append(navigation)
    text = _("Your pupils ({total}), page {page} of {pages}:").format(
        total=total, page=page + 1, pages=max(pages, 1)
    )
    example = next((line.label for line in lines if "#" in line.label), "S.V. #12")
    text += "\n" + _(
        "A label can be typed back as a name: “/dossier {label}” or “{label} 2 uur ziek vandaag”."
    ).format(label=example)
    return text, InlineKeyboardMarkup(rows)


async def send_file(update: Update, context: BotContext) -> None:
    """A file button: the file, if the user may see it."""
    query, account = update.callback_query, context.account
    assert query is not None and account is not None
    assert isinstance(query.data, SendFile)
    await query.answer()
    if pages_on(context.services.settings):
        await send_pointer(
            context,
            query.from_user.id,
            context.tr.gettext("Files open on the dossier page in the app."),
            context.tr.gettext("Open the list"),
            "/pupils",
        )
        return
    file_id = query.data.file_id
    try:
        stored = await asyncio.to_thread(
            download_file, context.services, user=account, file_id=file_id
        )
    except NotAvailable:
        await context.bot.send_message(query.from_user.id, not_available_text(context.tr))
        return
    logger.info("user %s downloaded file %s", account.id, file_id)
    await context.bot.send_document(
        query.from_user.id, document=stored.content, filename=stored.file_name
    )


def register(application: Application) -> None:
    """Add /dossier and /leerlingen with their buttons."""
    application.add_handler(CommandHandler("dossier", show_dossier))
    application.add_handler(CommandHandler(["leerlingen", "pupils"], list_pupils))
    application.add_handler(CallbackQueryHandler(open_dossier, pattern=OpenDossier))
    application.add_handler(CallbackQueryHandler(list_pupils, pattern=PupilPage))
    application.add_handler(CallbackQueryHandler(send_file, pattern=SendFile))
    application.add_handler(CallbackQueryHandler(older_entries, pattern=Older))
