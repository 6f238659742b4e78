"""What reaches the logs about an error carries no data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.logs import describe_exception
from bot.storage.models import Swv


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
