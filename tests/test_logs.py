"""What reaches the logs about an error carries no data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.logs import describe_exception
from bot.storage.models import Swv
from tests.utils.harness import BotHarness


def test_a_database_error_is_described_without_the_values(session: Session) -> None:
    session.add(Swv(name="Geheime naam", registered_on=date(2026, 1, 1)))
    session.add(Swv(name="Geheime naam", registered_on=date(2026, 1, 1)))
    with pytest.raises(IntegrityError) as caught:
        session.flush()

    described = describe_exception(caught.value)

    assert "Geheime naam" not in described
    assert "sqlalchemy.exc.IntegrityError" in described
    assert "test_logs.py" in described


def test_chained_exceptions_are_all_named() -> None:
    # Data arrives in variables; the stack shows source lines, never their values.
    pupil = "".join(["San", "ne de Vries, 12-03-2015"])
    try:
        try:
            raise ValueError(pupil)
        except ValueError as inner:
            raise RuntimeError(f"wrapping {pupil}") from inner
    except RuntimeError as outer:
        described = describe_exception(outer)
    assert described.splitlines()[0] == "builtins.RuntimeError"
    assert "builtins.ValueError" in described
    assert pupil not in described
    assert "Sanne" not in described


def test_records_carry_the_update_and_user_id_as_text_or_json() -> None:
    import json
    import logging

    from bot.logs import (
        TEXT_FORMAT,
        ContextFilter,
        JsonFormatter,
        TextFormatter,
        bind_update,
        bind_user,
    )

    record = logging.LogRecord("bot.test", logging.INFO, __file__, 1, "did %s", ("x",), None)
    bind_update(4711)
    bind_user(12)
    ContextFilter().filter(record)
    text = TextFormatter(TEXT_FORMAT).format(record)
    assert text.endswith("INFO bot.test update=4711 user=12: did x")
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["update_id"], entry["user_id"], entry["message"]) == (4711, 12, "did x")
    bind_update(None)
    outside = logging.LogRecord("bot.test", logging.INFO, __file__, 1, "job", (), None)
    ContextFilter().filter(outside)
    assert TextFormatter(TEXT_FORMAT).format(outside).endswith("update=- user=-: job")


def test_a_logged_exception_shows_types_and_stack_but_not_its_message() -> None:
    import logging
    import sys

    from bot.logs import TEXT_FORMAT, ContextFilter, JsonFormatter, TextFormatter

    secret = "".join(["San", "ne de Vries, 12-03-2015"])  # data arrives in variables
    try:
        raise ValueError(secret)
    except ValueError:
        record = logging.LogRecord(
            "bot.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    ContextFilter().filter(record)
    for formatter in (TextFormatter(TEXT_FORMAT), JsonFormatter()):
        out = formatter.format(record)
        assert "builtins.ValueError" in out
        assert "Sanne" not in out


async def test_a_routine_day_logs_fewer_than_100_lines_at_info(
    bot: BotHarness, registry: Session, engine: Engine
) -> None:
    import logging

    from bot.reminders.delivery import deliver_due
    from bot.reminders.runtime import reminders_of
    from bot.reports.exports import overview_png
    from bot.reports.overview import overview
    from bot.storage.db import upgrade_database

    seen: list[logging.LogRecord] = []

    class Operator(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    operator = Operator(logging.INFO)
    logging.getLogger().addHandler(operator)
    try:
        # A day of the scheduler's two jobs, every 30 seconds: APScheduler writes two lines per
        # run of each (as here, under its own loggers' names).
        executor = logging.getLogger("apscheduler.executors.default")
        for _ in range(2 * 2880):
            executor.info('Running job "deliver (trigger: interval[0:00:30])" (scheduled at …)')
            executor.info('Job "deliver (trigger: interval[0:00:30])" executed successfully')
        # Some of those runs for real, with nothing due.
        reminders = reminders_of(bot.application)
        assert reminders is not None
        for _ in range(50):
            reminders.plan()
            await deliver_due(services=reminders.services, bot=reminders.bot)
        # A chart (matplotlib), a start on an up-to-date database (Alembic).
        overview_png(
            overview([], date(2026, 9, 15)), "SWV", "test", datetime(2026, 9, 15, tzinfo=UTC)
        )
        upgrade_database(engine)
    finally:
        logging.getLogger().removeHandler(operator)
    lines = [f"{r.name}: {r.getMessage()}" for r in seen]
    assert len(lines) < 100, lines[:20]
    assert [
        line for line in lines if line.startswith(("apscheduler", "matplotlib", "alembic"))
    ] == []


def test_a_migration_that_runs_is_still_logged() -> None:
    import logging

    from bot.logs import quiet_libraries

    quiet_libraries()
    migration = logging.getLogger("alembic.runtime.migration")
    running = migration.makeRecord(migration.name, logging.INFO, __file__, 1,
                                   "Running upgrade 0005 -> 0006, …", (), None)  # fmt: skip
    routine = migration.makeRecord(migration.name, logging.INFO, __file__, 1,
                                   "Context impl SQLiteImpl.", (), None)  # fmt: skip
    assert migration.filter(running)
    assert not migration.filter(routine)


def test_log_times_are_utc_with_their_zone() -> None:
    import logging

    from bot.logs import TEXT_FORMAT, ContextFilter, TextFormatter

    record = logging.LogRecord("bot.test", logging.INFO, __file__, 1, "tick", (), None)
    record.created = 1_780_000_000.0  # 2026-05-28 20:26:40 UTC
    ContextFilter().filter(record)
    assert TextFormatter(TEXT_FORMAT).format(record).startswith("2026-05-28T20:26:40.000Z INFO ")
