"""/help: what this user can do, for their role."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers.commands import commands_for
from bot.handlers.context import BotContext
from bot.i18n import Translator
from bot.storage.models import Role, User
from bot.views.texts import EXAMPLES, ROLE_INTROS, not_registered_text


def help_text(user: User, tr: Translator) -> str:
    """The help for a registered user: their role's introduction and their commands."""
    role = Role(user.role)
    lines = [tr.gettext(ROLE_INTROS[role]), "", tr.gettext("What you can do:")]
    lines += [
        f"/{command.name_in(tr.locale)} — {tr.gettext(command.description)}"
        for command in commands_for(role)
    ]
    lines += [
        "",
        tr.gettext("Or type a quick update about a pupil in your own words."),
        tr.gettext(EXAMPLES),
        tr.gettext(
            "Ask about a pupil, for example “Hoeveel uur heeft Sanne gemist?”; the label "
            "/leerlingen shows (“S.V. #12”) works as a name too."
        ),
        tr.gettext("A document or photo with a pupil's name as caption is filed with the case."),
    ]
    return "\n".join(lines)


async def show_help(update: Update, context: BotContext) -> None:
    """Send the help for the sender's role."""
    message = update.effective_message
    assert message is not None
    if context.account is None:
        await message.reply_text(not_registered_text(context.tr))
        return
    await message.reply_text(help_text(context.account, context.tr))


def register(application: Application) -> None:
    """Add /help."""
    application.add_handler(CommandHandler("help", show_help))
