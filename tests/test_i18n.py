"""The catalogs: complete, consistent, and found after installation."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import (
    SUPPORTED_LOCALES,
    MissingCatalogError,
    _catalog_translations,
    catalogs_dir,
    locale_from_language_code,
    translator,
)

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _source_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT / "bot"), keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_in_the_code_is_in_the_catalog(locale: str) -> None:
    catalog = _catalog(locale)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    missing = _source_messages() - ids
    assert not missing, f"run pybabel extract/update (see README); missing in {locale}: {missing}"


def test_every_dutch_message_is_translated_with_the_same_placeholders() -> None:
    for message in _catalog("nl"):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"untranslated: {ids[0]!r}"
        assert not message.fuzzy, f"fuzzy: {ids[0]!r}"
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, f"placeholders differ: {ids[0]!r}"


def test_catalogs_are_found_from_the_package() -> None:
    for locale in SUPPORTED_LOCALES:
        assert catalogs_dir().joinpath(locale, "LC_MESSAGES", "messages.po").is_file()


def test_a_missing_catalog_is_a_loud_error() -> None:
    with pytest.raises(MissingCatalogError):
        _catalog_translations("xx")


@pytest.mark.parametrize(
    ("code", "locale"),
    [("nl", "nl"), ("nl-BE", "nl"), ("en", "en"), ("en-GB", "en"), ("EN-us", "en"),
     ("de", "nl"), ("fr", "nl"), (None, "nl"), ("", "nl")],
)  # fmt: skip
def test_language_from_telegram(code: str | None, locale: str) -> None:
    assert locale_from_language_code(code) == locale


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("nl", "15 maart 2027"), ("en", "15 March 2027"), ("de", "15 maart 2027")],
)
def test_dates_are_written_in_the_reader_language(locale: str, expected: str) -> None:
    assert translator(locale).date(date(2027, 3, 15)) == expected


def test_plural_forms() -> None:
    tr = translator("nl")
    singular = "Too many wrong codes. Please try again in {minutes} minute."
    plural = "Too many wrong codes. Please try again in {minutes} minutes."
    assert tr.ngettext(singular, plural, 1).format(minutes=1) == (
        "Te veel verkeerde codes. Probeer het over 1 minuut opnieuw."
    )
    assert tr.ngettext(singular, plural, 4).format(minutes=4).endswith("4 minuten opnieuw.")
