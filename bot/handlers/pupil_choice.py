"""Finding the pupil a user named: one match goes on, none is said, several become buttons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.handlers.context import BotContext
from bot.handlers.web import pages_on
from bot.services.cases import close_pupils, named_pupils

MAX_CHOICES = 10


async def resolve_named_pupil(
    message: Message,
    context: BotContext,
    name: str,
    button_data: Callable[[int], object],
    *,
    show_school: bool = False,
    extra_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
    not_found_extra: str = "",
) -> tuple[int, str] | None:
    """The (id, chat label) of the one visible pupil `name` refers to; otherwise the user is
    told there is none, or offered a button per candidate, and None is returned."""
    account = context.account
    assert account is not None
    choices, count = await asyncio.to_thread(
        named_pupils,
        context.services,
        user=account,
        name=name,
        limit=MAX_CHOICES,
        show_school=show_school,
    )
    if count != 1:
        await answer_not_one(
            message, context, name, choices, button_data, extra_rows, not_found_extra
        )
        return None
    return choices[0]


async def answer_not_one(
    message: Message,
    context: BotContext,
    name: str,
    choices: Sequence[tuple[int, str]],
    button_data: Callable[[int], object],
    extra_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
    not_found_extra: str = "",
) -> None:
    """`name` found no visible pupil (said, with close names) or several (a button each)."""
    if not choices:
        await _not_found(message, context, name, button_data, not_found_extra)
        return
    rows = [
        [InlineKeyboardButton(text, callback_data=button_data(pupil_id))]
        for pupil_id, text in choices
    ]
    keyboard = InlineKeyboardMarkup([*rows, *map(list, extra_rows)])
    await message.reply_text(context.tr.gettext("Which pupil do you mean?"), reply_markup=keyboard)


async def _not_found(
    message: Message,
    context: BotContext,
    name: str,
    button_data: Callable[[int], object],
    extra: str,
) -> None:
    """No pupil by that name: said, with a button per pupil whose name is close (a typo)."""
    account = context.account
    assert account is not None
    _ = context.tr.gettext
    if pages_on(context.services.settings):
        # Not even an echo: the name typed may be that of a pupil the user may not see.
        text = _("I do not know that pupil among your pupils. /leerlingen lists them.")
    else:
        text = _(
            "I do not know a pupil called “{name}” among your pupils. /leerlingen lists them."
        ).format(name=name[:40])
    close = await asyncio.to_thread(
        close_pupils, context.services, user=account, name=name, limit=3
    )
    if close:
        # Only pupils the user may see are close: nothing is revealed across schools.
        rows = [
            [InlineKeyboardButton(text, callback_data=button_data(pupil_id))]
            for pupil_id, text in close
        ]
        await message.reply_text(
            "\n".join([text, _("Did you mean:")]), reply_markup=InlineKeyboardMarkup(rows)
        )
        return
    await message.reply_text("\n".join(filter(None, [text, extra])))
