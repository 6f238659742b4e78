"""Thin Telegram handlers, one feature per module, each with `register(application)`."""

from __future__ import annotations

from telegram.ext import Application

from bot.handlers import (
    admin,
    calendar,
    dossier,
    files,
    gate,
    help,
    invite,
    language,
    links,
    new_pupil,
    nudges,
    open_case,
    replies,
    reports,
    start,
    updates,
    verification,
    web,
)


def register_all(application: Application) -> None:
    """Add every feature's handlers; the gate first, so it runs before all others."""
    # The /nieuw conversation comes right after the gate: while it is open it answers every
    # command ("send /annuleer to stop") and its own answers; `updates` takes any other text and
    # therefore comes last.
    for feature in (
        gate,
        new_pupil,
        start,
        help,
        language,
        invite,
        admin,
        dossier,
        links,
        files,
        nudges,
        calendar,
        open_case,
        replies,
        reports,
        verification,
        web,
        updates,
    ):
        feature.register(application)
