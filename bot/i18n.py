"""Translations and locale-aware formatting, bound per call (never installed globally).

The catalogs are the `.po` files in the top-level `locales/` folder, shipped in the package as
`bot._locales`. They are compiled in memory on first use, so a fresh `pip install` needs no
compile step and no `.mo` file is ever committed.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

SUPPORTED_LOCALES: tuple[str, ...] = ("nl", "en")
DEFAULT_LOCALE = "nl"
DOMAIN = "messages"


class MissingCatalogError(RuntimeError):
    """A catalog for a supported locale is missing from the installed package."""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where it is shown)."""
    return message


def locale_from_language_code(language_code: str | None) -> str:
    """Pick the bot language from Telegram's language_code: English for English, else Dutch."""
    if language_code and language_code.lower().split("-")[0] == "en":
        return "en"
    return DEFAULT_LOCALE


def normalise_locale(locale: str | None) -> str:
    """A supported locale, falling back to Dutch for anything unknown."""
    return locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE


def catalogs_dir() -> Traversable:
    """Where the `.po` catalogs are: inside the installed package, else the source tree's."""
    try:
        return resources.files("bot._locales")
    except ModuleNotFoundError:
        # Running from a checkout (also an editable install started from the repository root):
        # the source `bot/` package shadows the installed mapping, so look beside it.
        return Path(__file__).resolve().parent.parent / "locales"


@cache
def _catalog_translations(locale: str) -> Translations:
    # One part at a time: an installed (not editable) package's catalogs are a namespace
    # package, whose path takes one name per join before Python 3.12.
    po_file = catalogs_dir().joinpath(locale).joinpath("LC_MESSAGES").joinpath(f"{DOMAIN}.po")
    if not po_file.is_file():
        raise MissingCatalogError(f"no catalog for locale {locale!r} at {po_file}")
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    # Fuzzy entries are drafts; leaving them out shows the (English) source text instead.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@dataclass(frozen=True)
class Translator:
    """Texts and formats for one language; build one per update with `translator(locale)`."""

    locale: str
    _translations: Translations

    def gettext(self, message: str) -> str:
        """Translate one message."""
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message with a count; the caller formats `n` into it."""
        return self._translations.ngettext(singular, plural, n)

    def date(self, value: date) -> str:
        """A date the way people write it ("15 maart 2027"; in English in British order, like
        the weekday dates: "15 March 2027", not "March 15, 2027")."""
        return babel_format_date(value, format="d MMMM y", locale=self.locale)

    def day(self, value: dt.date) -> str:
        """A date with its weekday ("vrijdag 12 maart 2027"), for deadlines."""
        return babel_format_date(value, format="EEEE d MMMM y", locale=self.locale)

    def short_day(self, value: dt.date) -> str:
        """A short date with its weekday ("ma 23 nov"), for buttons."""
        return babel_format_date(value, format="EEE d MMM", locale=self.locale)

    def datetime(self, value: datetime) -> str:
        """A date and time in this language, in the value's own time zone."""
        return babel_format_datetime(
            value, format="d MMMM y HH:mm", tzinfo=value.tzinfo, locale=self.locale
        )


def translator(locale: str | None) -> Translator:
    """The translator for a locale (unknown locales get Dutch)."""
    chosen = normalise_locale(locale)
    return Translator(chosen, _catalog_translations(chosen))
