"""Logging without personal data."""

from __future__ import annotations

import logging
import traceback


def describe_exception(error: BaseException) -> str:
    """The exception chain's types and stack, without the messages.

    Exception messages can quote data: PostgreSQL's "Key (name)=(…) already exists" names the
    value, a ValueError may repeat user input. Type names and our own source lines cannot.
    """
    parts: list[str] = []
    current: BaseException | None = error
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        parts.append(f"{kind.__module__}.{kind.__qualname__}")
        parts.extend(line.rstrip() for line in traceback.format_tb(current.__traceback__))
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


def quiet_libraries() -> None:
    """Keep libraries that see message content or secrets from logging them, at any level.

    python-telegram-bot logs whole updates and API results at DEBUG (what people typed about
    pupils, what the bot answered); httpx logs request URLs at INFO, and Bot API URLs contain
    the bot token. Our own loggers may go to DEBUG; these stay above it.
    """
    logging.getLogger("telegram").setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr, without personal data or secrets from the libraries."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_libraries()
