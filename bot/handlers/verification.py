"""/verificatie: the SWV, BOC-ers and leerplicht go through their open cases, one at a time."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import cast

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.handlers.cancel import HANDLED, answered_already, new_question, remember
from bot.handlers.context import BotContext
from bot.handlers.replies import ask_about
from bot.i18n import Translator
from bot.protocol.parsing import ReplyAbout
from bot.services.verification import (
    VERIFIERS,
    CaseCard,
    case_card,
    cases_to_verify,
    verify,
)
from bot.storage.models import Role
from bot.views.texts import not_available_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerifyStep:
    """Button data: what to do with the case at `position` of the session's cases."""

    action: str  # "ok", "end", "action", "skip"
    case_ids: tuple[int, ...]
    position: int
    verified: int
    question: str = ""  # the card it is on: pressed again, it says so and counts nothing twice


# How to change the case while verifying: a question about its pupil, whose reply is an
# ordinary update (with its confirmation) that needs no name.
ASKS = {"end": ReplyAbout.END, "action": ReplyAbout.ACTION}


def _card_text(card: CaseCard, step: VerifyStep, tr: Translator) -> str:
    _ = tr.gettext
    never = _("never")
    lines = [
        _("Verification {number} of {total}: {who}").format(
            number=step.position + 1, total=len(step.case_ids), who=card.who
        ),
        _("Category {category}, at home since {start}").format(
            category=card.category, start=tr.date(card.start)
        ),
        _("End date: {date}").format(date=tr.date(card.end) if card.end else "—"),
        _("Last action: {date}").format(
            date=tr.date(card.last_action) if card.last_action else never
        ),
        _("Last verified: {date}").format(
            date=tr.date(card.verified_at.date()) if card.verified_at else never
        ),
        _("Is this still right?"),
    ]
    return "\n".join(lines)


def _card_buttons(step: VerifyStep, tr: Translator) -> InlineKeyboardMarkup:
    _ = tr.gettext
    asked = new_question()

    def button(text: str, action: str) -> InlineKeyboardButton:
        data = VerifyStep(action, step.case_ids, step.position, step.verified, asked)
        return InlineKeyboardButton(text, callback_data=data)

    return InlineKeyboardMarkup(
        [
            [button("✓ " + _("Still right"), "ok")],
            [button(_("End date"), "end"), button(_("Add an action or result"), "action")],
            [button(_("Skip"), "skip")],
        ]
    )


def _end_text(step: VerifyStep, tr: Translator) -> str:
    return tr.gettext(
        "Verification done: {verified} of {total} open cases verified.\n"
        "New thuiszitters? Register them with /nieuw."
    ).format(verified=step.verified, total=len(step.case_ids))


async def start_verification(update: Update, context: BotContext) -> None:
    """/verificatie: the first open case the user may see."""
    message, account = update.effective_message, context.account
    assert message is not None
    if account is None or Role(account.role) not in VERIFIERS:
        await message.reply_text(not_available_text(context.tr))
        return
    case_ids = tuple(await asyncio.to_thread(cases_to_verify, context.services, user=account))
    if not case_ids:
        await message.reply_text(
            context.tr.gettext("There are no open cases to verify. New thuiszitters? /nieuw")
        )
        return
    text, markup = await _show(context, VerifyStep("", case_ids, 0, 0))
    await message.reply_text(text, reply_markup=markup)


async def _show(context: BotContext, step: VerifyStep) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card at `step.position` (skipping cases no longer visible), or the closing text."""
    account = context.account
    assert account is not None
    while step.position < len(step.case_ids):
        card = await asyncio.to_thread(
            case_card, context.services, user=account, case_id=step.case_ids[step.position]
        )
        if card is not None:
            return _card_text(card, step, context.tr), _card_buttons(step, context.tr)
        step = VerifyStep("", step.case_ids, step.position + 1, step.verified)
    return _end_text(step, context.tr), None


async def on_step(update: Update, context: BotContext) -> None:
    """A button of the session: verify, skip, or say how to record an end date or action."""
    query, account, tr = update.callback_query, context.account, context.tr
    assert query is not None
    step = cast(VerifyStep, query.data)
    if account is None or Role(account.role) not in VERIFIERS:
        await query.answer()
        await query.edit_message_text(not_available_text(tr))
        return
    case_id = step.case_ids[step.position]
    if step.action in ASKS:
        await _ask(query, context, case_id, ASKS[step.action])
        return
    if await answered_already(query, context, step.question):
        return
    verified = step.verified
    if step.action == "ok":
        if not await asyncio.to_thread(verify, context.services, user=account, case_id=case_id):
            await query.answer(not_available_text(tr), show_alert=True)
            return
        logger.info("user %s verified case %s", account.id, case_id)
        verified += 1
    remember(context, step.question, HANDLED)
    await query.answer(tr.gettext("Verified.") if step.action == "ok" else None)
    text, markup = await _show(context, VerifyStep("", step.case_ids, step.position + 1, verified))
    await query.edit_message_text(text, reply_markup=markup)


async def _ask(query: CallbackQuery, context: BotContext, case_id: int, about: ReplyAbout) -> None:
    """The card stays (to press Still right after); a question about its pupil follows."""
    assert context.account is not None
    card = await asyncio.to_thread(
        case_card, context.services, user=context.account, case_id=case_id
    )
    if card is None or query.message is None:
        await query.answer(not_available_text(context.tr), show_alert=True)
        return
    await query.answer()
    await ask_about(context, query.message.chat.id, card.pupil_id, card.who, about)


def register(application: Application) -> None:
    """Add /verificatie and its buttons."""
    application.add_handler(CommandHandler(["verificatie", "verify"], start_verification))
    application.add_handler(CallbackQueryHandler(on_step, pattern=VerifyStep))
