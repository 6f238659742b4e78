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


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr; quiet the libraries that would log secrets."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Bot API URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
