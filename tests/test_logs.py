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
