"""What every command of the command line shares: exit codes, dates, opening the database with the
key, and the words for an organisation that cannot be registered."""

from __future__ import annotations

import argparse
from datetime import date

from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.keys import key_opens_stored_data
from bot.services.organisations import (
    OrganisationError,
)
from bot.storage import crypto
from bot.storage.db import make_engine, sqlite_path, upgrade_database

EXIT_CONFIG = 2


EXIT_FAILED = 1


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def open_services(
    settings: Settings, clock: Clock | None = None, *, create: bool = True
) -> Services:
    """The services on DATABASE_URL's database, its schema brought up to date. Without `create`
    a SQLite file that does not exist is refused instead of made: a command that reports on an
    empty database it just made would report success on the wrong data."""
    # Without the key nothing personal can be read or written: refuse before touching the data.
    crypto.install(settings.key_ring())
    path = sqlite_path(settings.database_url)
    if not create and path is not None and not path.exists():
        raise ConfigError(
            f"there is no database at {path}: check DATABASE_URL, or create it with "
            "`python -m bot db upgrade` (starting the bot creates it too)"
        )
    engine = make_engine(settings.database_url)
    upgrade_database(engine)
    if not key_opens_stored_data(engine):
        engine.dispose()
        raise ConfigError(
            "DATA_KEY does not open the stored personal data: this is not the key it was "
            "encrypted with (after a rotation, put the previous key in DATA_KEYS_OLD)"
        )
    return Services(settings=settings, engine=engine, clock=clock or SystemClock(settings.tz))


def organisation_error(error: OrganisationError, tr: Translator) -> str:
    _ = tr.gettext
    details = error.details
    messages = {
        "exists": _("{name} is already registered.").format(name=details.get("name", "")),
        "unknown": _("There is no {kind} named {name}.").format(
            kind=details.get("kind", ""), name=details.get("name", "")
        ),
        "bad_name": _("A name must be 1 to 200 characters."),
        "bad_brin": _("{brin} is not a BRIN number (like 12AB or 12AB00).").format(
            brin=details.get("brin", "")
        ),
        "bad_school_type": _("Unknown school type {value}: use PO, SO, SBO, VO or VSO.").format(
            value=details.get("value", "")
        ),
        "bad_region": _("Unknown region {value}: use noord, midden or zuid.").format(
            value=details.get("value", "")
        ),
        "wrong_org_for_role": _("A {role} invitation needs --{kind}.").format(
            role=details.get("role", ""), kind=details.get("kind", "")
        ),
        "bad_days": _("--days must be between 1 and 90."),
        "bad_days_ahead": _("--days must be between 0 and 3660."),
        "bad_period": _("UNTIL must be on or after FROM, at most a year later."),
        "bad_quarter": _("--quarter must look like 2026Q4 (Q1 to Q4)."),
        "not_switchable": _(
            "Only the early warnings can be switched off (DREIGEND_16_UUR, ZIEKMELDING_PATROON), "
            "not {value}."
        ).format(value=details.get("value", "")),
    }
    return messages.get(error.code, error.code)
