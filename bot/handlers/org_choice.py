"""The "where will this person work?" step, shared by /uitnodigen and a role change."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.container import Services
from bot.services.onboarding import organisation_choices
from bot.storage.models import Role
from bot.views.texts import role_name

PAGE_SIZE = 8


async def ask_organisation(
    query: CallbackQuery,
    *,
    services: Services,
    tr: Translator,
    role: Role,
    swv_id: int,
    page: int,
    choose: Callable[[int], object],
    turn: Callable[[int], object],
) -> None:
    """Edit the message into one page of the SWV's organisations for `role`.

    `choose(org_id)` and `turn(page)` make the button data of an organisation and of « / ».
    """
    options = await asyncio.to_thread(organisation_choices, services, role=role, swv_id=swv_id)
    if not options:
        await query.edit_message_text(
            tr.gettext(
                "There is no organisation for this role in your samenwerkingsverband yet. "
                "Add it first with: python -m bot org add"
            )
        )
        return
    await query.edit_message_text(
        tr.gettext("Where will the {role} work?").format(role=role_name(role, tr)),
        reply_markup=InlineKeyboardMarkup(_page(options, page, choose, turn)),
    )


def _page(
    options: list[tuple[int, str]],
    page: int,
    choose: Callable[[int], object],
    turn: Callable[[int], object],
) -> list[list[InlineKeyboardButton]]:
    """One page of organisation buttons, with « and » to the pages before and after."""
    current = max(0, min(page, (len(options) - 1) // PAGE_SIZE))
    first = current * PAGE_SIZE
    rows = [
        [InlineKeyboardButton(label, callback_data=choose(org_id))]
        for org_id, label in options[first : first + PAGE_SIZE]
    ]
    navigation = []
    if first > 0:
        navigation.append(InlineKeyboardButton("«", callback_data=turn(current - 1)))
    if first + PAGE_SIZE < len(options):
        navigation.append(InlineKeyboardButton("»", callback_data=turn(current + 1)))
    return [*rows, navigation] if navigation else rows
