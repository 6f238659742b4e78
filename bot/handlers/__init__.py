"""Thin Telegram handlers, one feature per module, each with `register(application)`."""

from __future__ import annotations

from telegram.ext import Application


def register_all(application: Application) -> None:  # type: ignore[type-arg]
    """Add every feature's handlers; the gate first, so it runs before all others."""
    # Imported here, not at the top: other layers (reminders) use bot.handlers.texts, and
    # importing every feature with the package would make that a cycle.
    from bot.handlers import (
        admin,
        dossier,
        files,
        gate,
        help,
        invite,
        language,
        links,
        new_pupil,
        nudges,
        reports,
        start,
        updates,
    )

    # The /nieuw conversation must see its answers before `updates`, which takes any other text
    # and therefore comes last.
    for feature in (
        gate, start, help, language, invite, admin, new_pupil, dossier, links, files, nudges,
        reports,
        updates,
    ):  # fmt: skip
        feature.register(application)
