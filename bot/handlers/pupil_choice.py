"""Finding the pupil a user named: one match goes on, none is said, several become buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.handlers.context import BotContext
from bot.services.cases import label
from bot.services.pupil_search import find_pupils
from bot.storage.models import School

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
    _ = context.tr.gettext
    with context.services.session() as session:
        pupils = find_pupils(session=session, user=account, name=name)
        choices = []
        for pupil in pupils[:MAX_CHOICES]:
            text = label(session=session, pupil=pupil)
            if show_school and pupil.school_id:
                school = session.get(School, pupil.school_id)
                text += f" ({school.name})" if school else ""
            choices.append((pupil.id, text))
        only = (pupils[0].id, label(session=session, pupil=pupils[0])) if len(pupils) == 1 else None
    if not pupils:
        text = _(
            "I do not know a pupil called “{name}” among your pupils. /leerlingen lists them."
        ).format(name=name[:40])
        await message.reply_text(f"{text}\n{not_found_extra}" if not_found_extra else text)
        return None
    if only is None:
        rows = [
            [InlineKeyboardButton(text, callback_data=button_data(pupil_id))]
            for pupil_id, text in choices
            if pupil_id is not None
        ]
        keyboard = InlineKeyboardMarkup([*rows, *map(list, extra_rows)])
        await message.reply_text(_("Which pupil do you mean?"), reply_markup=keyboard)
        return None
    pupil_id, text = only
    assert pupil_id is not None
    return pupil_id, text
