"""The SQL statements a piece of code makes the database run, for tests that check which
statements (and which query plans) a lookup uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def statements_on(engine: Engine, table: str) -> Iterator[list[tuple[str, Any]]]:
    """(statement, parameters) of every statement that reads `table` (FROM it) while the block
    runs."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if f"FROM {table}" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
