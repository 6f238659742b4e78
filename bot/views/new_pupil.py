"""What a new pupil's registration says when a value cannot be used: the same words in chat, on
the web and in a CSV import's report (`bot.services.new_pupil.REFUSALS`)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.services.new_pupil import REFUSALS


def refusal_text(code: str, tr: Translator) -> str:
    """The words for one refusal of a new pupil's value."""
    return tr.gettext(REFUSALS[code])
