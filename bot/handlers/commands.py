"""The commands the bot offers, per role: one list feeds /help and Telegram's command menu."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScopeChat

from bot.i18n import N_, SUPPORTED_LOCALES, translator
from bot.reports.catalogue import REPORTS, ReportKind
from bot.storage.models import Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class CommandInfo:
    """A command, what it does (a message id), and who may use it."""

    name: str
    description: str
    roles: frozenset[Role] = ALL_ROLES
    english: str = ""  # the English name, where it differs; both names work

    def name_in(self, locale: str) -> str:
        """The name shown to someone who reads `locale`."""
        return self.english if locale == "en" and self.english else self.name


LINKERS = frozenset({Role.BOC, Role.SWV, Role.ADMIN})

COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo("help", N_("What I can do for you")),
    CommandInfo("leerlingen", N_("Your pupils"), english="pupils"),
    CommandInfo("dossier", N_("A pupil's case: /dossier Sanne")),
    CommandInfo("nieuw", N_("Register a new pupil and case"), english="new"),
    CommandInfo("agenda", N_("Your deadlines for the next 30 days")),
    CommandInfo("koppel", N_("Let an attendance officer see a pupil"), LINKERS, "link"),
    CommandInfo("ontkoppel", N_("Stop an attendance officer seeing a pupil"), LINKERS, "unlink"),
    CommandInfo(
        "kwartaal",
        N_("The quarterly overview (chart and workbook)"),
        REPORTS[ReportKind.QUARTERLY].roles,
        "quarterly",
    ),
    CommandInfo(
        "inspectie",
        N_("The registration for the Inspectie (workbook)"),
        REPORTS[ReportKind.INSPECTIE].roles,
        "inspectorate",
    ),
    CommandInfo(
        "verificatie",
        N_("Go through the open cases: still right?"),
        frozenset({Role.SWV, Role.ADMIN, Role.BOC, Role.LEERPLICHT}),
        "verify",
    ),
    CommandInfo(
        "overzicht",
        N_("The overview of schoolmissers in your municipality"),
        REPORTS[ReportKind.OVERVIEW].roles,
        "overview",
    ),
    CommandInfo("uitnodigen", N_("Invite a colleague"), frozenset({Role.ADMIN}), "invite"),
    CommandInfo(
        "gebruikers", N_("Users: unused accounts, change a role"), frozenset({Role.ADMIN}), "users"
    ),
    CommandInfo("intrekken", N_("Withdraw a user's access"), frozenset({Role.ADMIN}), "revoke"),
    CommandInfo("audit", N_("Who did what, recently (audit trail)"), frozenset({Role.ADMIN})),
    CommandInfo("web", N_("Sign in to the web pages in a browser")),
    CommandInfo("instellingen", N_("Working hours, digest and language"), english="settings"),
    CommandInfo("taal", N_("Switch language: Nederlands or English"), english="language"),
)


def commands_for(role: Role | None) -> list[CommandInfo]:
    """The commands a user with `role` can use; before registration only /help."""
    if role is None:
        return [command for command in COMMANDS if command.name == "help"]
    return [command for command in COMMANDS if role in command.roles]


def bot_commands(role: Role | None, locale: str) -> list[BotCommand]:
    """The command menu for a role, in a language."""
    _ = translator(locale).gettext
    return [
        BotCommand(command.name_in(locale), _(command.description))
        for command in commands_for(role)
    ]


async def publish_default_commands(bot: Bot) -> None:
    """Register the menu for people who have not signed in yet, in Dutch and English."""
    await bot.set_my_commands(bot_commands(None, "nl"))
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(bot_commands(None, locale), language_code=locale)


async def publish_chat_commands(bot: Bot, chat_id: int, role: Role, locale: str) -> None:
    """Give one user's chat the menu of their role, in their language."""
    await bot.set_my_commands(bot_commands(role, locale), scope=BotCommandScopeChat(chat_id))
