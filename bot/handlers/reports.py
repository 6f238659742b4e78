"""/kwartaal (SWV staff: their SWV; BOC-ers: their board), /overzicht (leerplicht) and
/inspectie (SWV staff: the Inspectie's registration); who may have which is the report
catalogue's (`bot.reports.catalogue`)."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers.context import BotContext
from bot.handlers.web import pages_on, send_pointer
from bot.i18n import Translator
from bot.reports.catalogue import MadeReport, ReportFiles, ReportKind, make_report, report_files
from bot.storage.models import Role, User
from bot.texts import aside
from bot.views.reports import summary
from bot.views.texts import not_available_text, role_name

logger = logging.getLogger(__name__)


def _no_report_text(account: User, kind: ReportKind, tr: Translator) -> str:
    if kind is ReportKind.QUARTERLY and Role(account.role) is Role.LEERPLICHT:
        return tr.gettext(
            "The quarterly overview is made by the samenwerkingsverband and the boards. Your "
            "overview of the pupils missing school in your municipality, for the "
            "samenwerkingsverband: /overzicht."
        )
    return not_available_text(tr)


async def _send_report(update: Update, context: BotContext, kind: ReportKind) -> None:
    account, chat = context.account, update.effective_chat
    assert account is not None and chat is not None
    made = await asyncio.to_thread(make_report, context.services, kind=kind, user=account)
    if made is None:
        await context.bot.send_message(chat.id, _no_report_text(account, kind, context.tr))
        return
    who = f"{account.display_name} {aside(role_name(Role(account.role), context.tr))}"
    # Building the workbook and the chart takes a moment: not on the event loop.
    files = await asyncio.to_thread(report_files, made, who)
    logger.info("user %s made a %s report", account.id, kind)
    if made.inspectie is not None:
        await _send_registration(context, chat.id, files)
        return
    assert made.overview is not None and made.scope is not None
    text = summary(made.overview, made.scope.name, context.tr)
    if files.chart is not None:
        await context.bot.send_photo(chat.id, photo=files.chart.content, caption=text)
    else:
        await context.bot.send_message(chat.id, text)
    await context.bot.send_document(chat.id, files.main.content, filename=files.main.name)
    await _send_draft_and_list(context, chat.id, files, made)


async def _send_registration(context: BotContext, chat_id: int, files: ReportFiles) -> None:
    caption = context.tr.gettext(
        "The registration for the Inspectie, anonymised: everyone who was a thuiszitter or had "
        "a 5-onder-a exemption this school year."
    )
    await context.bot.send_document(
        chat_id, files.main.content, filename=files.main.name, caption=caption
    )


async def _send_draft_and_list(
    context: BotContext, chat_id: int, files: ReportFiles, made: MadeReport
) -> None:
    """The draft of the coming peildatum, when it is near; the pupil list, for SWV members."""
    tr = context.tr
    if files.draft is not None and made.draft is not None:
        caption = tr.gettext(
            "Draft for the coming peildatum, {date}, with today's data: check it with the "
            "schools before then."
        ).format(date=tr.date(made.draft.peildatum))
        await context.bot.send_document(
            chat_id, files.draft.content, filename=files.draft.name, caption=caption
        )
    if pages_on(context.services.settings):
        # The pupil list names pupils: with the web pages on, it is downloaded there.
        await send_pointer(
            context,
            chat_id,
            tr.gettext("The overview, its chart and the downloads are also in the app."),
            tr.gettext("Open the overview"),
            "/overview",
        )
    elif files.pupil_list is not None:
        await context.bot.send_document(
            chat_id,
            files.pupil_list.content,
            filename=files.pupil_list.name,
            caption=tr.gettext("Confidential: the pupils behind these figures. Do not forward."),
        )


async def quarterly(update: Update, context: BotContext) -> None:
    """/kwartaal: the quarterly overview, as a chart and a workbook."""
    await _send_report(update, context, ReportKind.QUARTERLY)


async def monthly(update: Update, context: BotContext) -> None:
    """/overzicht: leerplicht's overview of the schoolmissers in its gemeente, for the SWV."""
    await _send_report(update, context, ReportKind.OVERVIEW)


async def inspectie(update: Update, context: BotContext) -> None:
    """/inspectie: the SWV's cumulative, anonymised registration for the Inspectie."""
    await _send_report(update, context, ReportKind.INSPECTIE)


def register(application: Application) -> None:
    """Add /kwartaal, /overzicht and /inspectie."""
    application.add_handler(CommandHandler(["kwartaal", "quarterly"], quarterly))
    application.add_handler(CommandHandler(["overzicht", "overview"], monthly))
    application.add_handler(CommandHandler(["inspectie", "inspectorate"], inspectie))
