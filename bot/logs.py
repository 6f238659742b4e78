"""Logging without personal data: structured records that carry the update and the user's
internal id, never what anyone wrote."""

from __future__ import annotations

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

_update_id: ContextVar[int | None] = ContextVar("update_id", default=None)
_user_id: ContextVar[int | None] = ContextVar("user_id", default=None)


def bind_update(update_id: int | None) -> None:
    """Tag the records logged while this update is handled (a new update starts untagged)."""
    _update_id.set(update_id)
    _user_id.set(None)


def bind_user(user_id: int | None) -> None:
    """Tag the records of this update with the sender's internal user id (not Telegram's)."""
    _user_id.set(user_id)


class ContextFilter(logging.Filter):
    """Adds `update_id` and `user_id` to every record ("-" outside an update)."""

    def filter(self, record: logging.LogRecord) -> bool:
        update_id, user_id = _update_id.get(), _user_id.get()
        record.update_id = "-" if update_id is None else update_id
        record.user_id = "-" if user_id is None else user_id
        return True


def _utc(record: logging.LogRecord) -> str:
    """The record's moment in UTC, ISO 8601 with "Z": one zone for every line."""
    moment = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
    return moment.replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """Plain lines; a logged exception shows its types and stack, not its message."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc(record)

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]
        return describe_exception(ei[1]) if ei[1] is not None else ""


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _utc(record),
            "level": record.levelname,
            "logger": record.name,
            "update_id": getattr(record, "update_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = (
                describe_exception(record.exc_info[1]) if record.exc_info[1] else ""
            )
        return json.dumps(entry, ensure_ascii=False)


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
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # And keep routine chatter out of INFO: the scheduler logs two lines per run of each job
    # (thousands a day), matplotlib its font lookups per chart, Alembic its dialect at every
    # start. A migration that changes the schema still says so.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    logging.getLogger("PIL").setLevel(logging.WARNING)
    migration = logging.getLogger("alembic.runtime.migration")
    if not any(isinstance(f, _MigrationsOnly) for f in migration.filters):
        migration.addFilter(_MigrationsOnly())


class _MigrationsOnly(logging.Filter):
    """Alembic's INFO lines that say a migration ran; its routine ones are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO or record.getMessage().startswith("Running ")


TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s update=%(update_id)s user=%(user_id)s: %(message)s"
)


def configure_logging(level: int = logging.INFO, style: str = "text") -> None:
    """Log to stderr as text or JSON lines, without personal data or secrets from the libraries.

    Like logging.basicConfig, this leaves a root logger that already has handlers alone (a host
    program or the tests decide where records go); the libraries are quietened either way.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.addFilter(ContextFilter())
        handler.setFormatter(JsonFormatter() if style == "json" else TextFormatter(TEXT_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
    quiet_libraries()
