"""Texts shared by several handlers (message ids; translated where they are shown)."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.i18n import N_, Translator
from bot.storage.models import Role
from bot.texts import ROLE_NAMES

ROLE_INTROS: dict[Role, str] = {
    Role.ZORGCOORDINATOR: N_(
        "You keep track of the pupils of your school who miss school, and I remind you of "
        "what the protocol asks and when."
    ),
    Role.BOC: N_(
        "You see the pupils of the schools of your board, and I remind you of the deadlines "
        "the protocol gives your board."
    ),
    Role.LEERPLICHT: N_(
        "You see pupils of your municipality who are not enrolled or have an exemption, and "
        "pupils a colleague linked to you."
    ),
    Role.SWV: N_(
        "You see all pupils of your samenwerkingsverband, and I remind you of the quarterly "
        "reports and escalations."
    ),
    Role.ADMIN: N_(
        "You manage who uses this bot for your samenwerkingsverband, and you see all its pupils."
    ),
}


def role_name(role: Role, tr: Translator) -> str:
    """The name of a role in the reader's language."""
    return tr.gettext(ROLE_NAMES[role])


def not_registered_text(tr: Translator) -> str:
    """What an unknown Telegram user is told, and nothing more."""
    return tr.gettext(
        "This bot is only for invited professionals. Ask the administrator of your "
        "samenwerkingsverband for an invitation, then send /start followed by your code."
    )


def not_available_text(tr: Translator) -> str:
    """The answer to a button or request the user may not (or no longer) use."""
    return tr.gettext("This is not available.")


EXAMPLES = N_(
    "For example: “Sanne 4 uur ongeoorloofd vandaag”, “Sanne ziek sinds maandag”, "
    "“Sanne is weer op school” or “actie Sanne: RTG met ouders op 12 maart”."
)


def _hours(value: float, tr: Translator) -> str:
    return format_decimal(value, format="#,##0.##", locale=tr.locale)


def hours_text(value: float, tr: Translator) -> str:
    """ "4 uur", "1 hour", "10 minuten" (under an hour in whole minutes)."""
    minutes = round(value * 60)
    if minutes < 60 and abs(value * 60 - minutes) < 0.01:
        return tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    shown = _hours(value, tr)
    # The plural follows the number shown: 0.999… is shown, and read, as "1 hour".
    return tr.ngettext("{n} hour", "{n} hours", 1 if shown == "1" else 2).format(n=shown)
