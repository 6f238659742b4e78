"""/kwartaal (SWV staff: their SWV; BOC-ers: their board) and /overzicht (leerplicht)."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers.context import BotContext
from bot.handlers.texts import not_available_text, role_name
from bot.i18n import Translator
from bot.reports.data import Scope, pupil_lines, scope_of, scoped_records
from bot.reports.exports import overview_png, overview_xlsx
from bot.reports.overview import Overview, latest_peildatum, overview, quarter_name
from bot.services import audit
from bot.storage.models import AuditAction, Role

logger = logging.getLogger(__name__)


def summary(report: Overview, scope_name: str, tr: Translator) -> str:
    """Two lines: the totals per category, and offers / new / ended."""
    _ = tr.gettext
    totals = report.totaal
    count = sum(totals[c] for c in ("A1", "A2", "B1", "B2"))
    with_offer = sum(report.met_aanbod[c] for c in ("A1", "A2", "B1", "B2"))
    new = sum(report.nieuw[c] for c in ("A1", "A2", "B1", "B2"))
    ended = sum(report.beeindigd[c] for c in ("A1", "A2", "B1", "B2"))
    first = _("{scope} on {date}: {count} pupils (A1 {a1}, A2 {a2}, B1 {b1}, B2 {b2}).").format(
        scope=scope_name, date=tr.date(report.peildatum), count=count,
        a1=totals["A1"], a2=totals["A2"], b1=totals["B1"], b2=totals["B2"],
    )  # fmt: skip
    second = _(
        "{with_offer} with a suitable offer, {without} without; {new} new and {ended} ended "
        "since {previous}."
    ).format(
        with_offer=with_offer, without=count - with_offer, new=new, ended=ended,
        previous=tr.date(report.vorige_peildatum),
    )  # fmt: skip
    return f"{first}\n{second}"


async def _send_report(update: Update, context: BotContext, scope: Scope, *, chart: bool) -> None:
    account = context.account
    chat = update.effective_chat
    assert account is not None
    assert chat is not None
    services = context.services
    now = services.clock.now()
    day = latest_peildatum(now.date()) if chart else now.date()
    with services.session() as session:
        records = scoped_records(session=session, scope=scope)
        # A pupil-level list only for SWV members, and only of their own SWV.
        pupils = None
        if scope.kind == "swv" and Role(account.role) in (Role.SWV, Role.ADMIN):
            pupils = pupil_lines(session=session, swv_id=scope.org_id, day=day)
        audit.record(
            session,
            action=AuditAction.EXPORT,
            at=now,
            actor=account,
            detail=f"{'quarterly' if chart else 'overview'} {scope.kind}"
            + (" pupils" if pupils is not None else ""),
        )
    report = overview(records, day)
    who = f"{account.display_name} ({role_name(Role(account.role), context.tr)})"
    # Building the workbook and the chart takes a moment: not on the event loop.
    workbook = await asyncio.to_thread(overview_xlsx, report, who, now, pupils)
    text = summary(report, scope.name, context.tr)
    logger.info("user %s made a report for %s %s", account.id, scope.kind, scope.org_id)
    if chart:
        png = await asyncio.to_thread(overview_png, report)
        await context.bot.send_photo(chat.id, photo=png, caption=text)
        name = f"kwartaal-{quarter_name(day)}.xlsx"
    else:
        await context.bot.send_message(chat.id, text)
        name = f"overzicht-{day.isoformat()}.xlsx"
    await context.bot.send_document(chat.id, document=workbook, filename=name)


async def quarterly(update: Update, context: BotContext) -> None:
    """/kwartaal: the quarterly overview, as a chart and a workbook."""
    account = context.account
    message = update.effective_message
    assert account is not None
    assert message is not None
    role = Role(account.role)
    with context.services.session() as session:
        if role in (Role.SWV, Role.ADMIN):
            scope = scope_of(session=session, kind="swv", org_id=account.swv_id)
        elif role is Role.BOC and account.bestuur_id is not None:
            scope = scope_of(session=session, kind="bestuur", org_id=account.bestuur_id)
        else:
            scope = None
    if scope is None:
        await message.reply_text(not_available_text(context.tr))
        return
    await _send_report(update, context, scope, chart=True)


async def monthly(update: Update, context: BotContext) -> None:
    """/overzicht: leerplicht's overview of the schoolmissers in its gemeente, for the SWV."""
    account = context.account
    message = update.effective_message
    assert account is not None
    assert message is not None
    scope = None
    if Role(account.role) is Role.LEERPLICHT and account.gemeente_id is not None:
        with context.services.session() as session:
            scope = scope_of(session=session, kind="gemeente", org_id=account.gemeente_id)
    if scope is None:
        await message.reply_text(not_available_text(context.tr))
        return
    await _send_report(update, context, scope, chart=False)


def register(application: Application) -> None:
    """Add /kwartaal and /overzicht."""
    application.add_handler(CommandHandler(["kwartaal", "quarterly"], quarterly))
    application.add_handler(CommandHandler(["overzicht", "overview"], monthly))
