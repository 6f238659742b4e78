"""How an amount of hours is written: singular and plural follow the number as shown."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from bot.views.texts import hours_text


@pytest.mark.parametrize(
    ("hours", "locale", "text"),
    [
        (1.0, "en", "1 hour"),
        (0.9999999, "en", "1 hour"),  # a sum of quarters shown as 1 is one hour, not "1 hours"
        (1.5, "en", "1.5 hours"),
        (2.0, "en", "2 hours"),
        (0.25, "en", "15 minutes"),
        (1.0, "nl", "1 uur"),
        (2.5, "nl", "2,5 uur"),
        (0.25, "nl", "15 minuten"),
    ],
)
def test_hours_text(hours: float, locale: str, text: str) -> None:
    assert hours_text(hours, translator(locale)) == text
