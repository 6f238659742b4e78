"""Thin Telegram handlers, one feature per module, each with `register(application)`."""

from __future__ import annotations

from telegram.ext import Application

from bot.handlers import gate, help, invite, language, start, updates


def register_all(application: Application) -> None:  # type: ignore[type-arg]
    """Add every feature's handlers; the gate first, so it runs before all others."""
    # `updates` takes any other text, so it comes last.
    for feature in (gate, start, help, language, invite, updates):
        feature.register(application)
