"""Only one process holds the sending role; on PostgreSQL a standby takes over."""

from __future__ import annotations

from sqlalchemy import text

from bot.reminders.sender_lock import SenderLock
from bot.storage.db import make_engine


def test_one_sender_at_a_time_and_a_standby_takes_over(database_url: str) -> None:
    first_engine, second_engine = make_engine(database_url), make_engine(database_url)
    first, second = SenderLock(first_engine), SenderLock(second_engine)
    try:
        assert first.try_acquire()
        assert first.try_acquire()  # holding it stays holding it
        assert not second.try_acquire()
        assert not second.held

        if first_engine.dialect.name == "postgresql":
            # The holder dies: PostgreSQL ends its session, and with it the lock.
            pid = first._connection.execute(text("SELECT pg_backend_pid()")).scalar()  # type: ignore[union-attr]
            with second_engine.connect() as killer:
                killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            assert not first.try_acquire()  # it notices it lost the role
        else:
            # SQLite: the other process stops (its lock file is closed).
            first.release()
        assert second.try_acquire()
        assert second.held
    finally:
        first.release()
        second.release()
        first_engine.dispose()
        second_engine.dispose()
