"""Only one process sends nudges at a time (the "sending role").

PostgreSQL: a session-level advisory lock, held on a connection of its own. When the process
dies, PostgreSQL ends its session and frees the lock, and a standby that keeps trying takes
over. SQLite: an exclusive lock on a file beside the database; a second process cannot get it
and says so.
"""

from __future__ import annotations

import fcntl
import logging
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from bot.storage.db import sqlite_path

logger = logging.getLogger(__name__)

# An arbitrary, fixed 64-bit number naming this lock in PostgreSQL.
ADVISORY_KEY = 7_310_442_901_227


class SenderLock:
    """Try to take the sending role; `held` says whether this process has it."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._file: IO[Any] | None = None

    @property
    def held(self) -> bool:
        """Whether this process holds the sending role."""
        return self._connection is not None or self._file is not None

    def try_acquire(self) -> bool:
        """Take the role if it is free; True when held afterwards."""
        if self.held:
            return self._still_held()
        if self._engine.dialect.name == "postgresql":
            connection = self._engine.connect()
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            ).scalar()
            connection.commit()
            if got:
                self._connection = connection
            else:
                connection.close()
            return bool(got)
        path = sqlite_path(str(self._engine.url))
        if path is None:  # in-memory SQLite: one process by definition
            self._file = open("/dev/null")  # noqa: SIM115 - held for the life of the process
            return True
        handle = open(f"{path}.sender.lock", "a")  # noqa: SIM115 - held while sending
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def _still_held(self) -> bool:
        if self._connection is None:
            return True
        try:
            self._connection.execute(text("SELECT 1"))
            return True
        except Exception:  # the connection broke: the lock is gone with it
            logger.warning("lost the database connection that held the sending role")
            self._connection = None
            return False

    def release(self) -> None:
        """Give the role up (at shutdown)."""
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None
        if self._file is not None:
            if self._file.name != "/dev/null":
                fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def lock_file(engine: Engine) -> Path | None:
    """Where the SQLite sender lock lives (for messages)."""
    path = sqlite_path(str(engine.url))
    return Path(f"{path}.sender.lock") if path else None
