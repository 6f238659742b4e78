"""The schema is owned by Alembic: migrations match the models and run both ways."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel

from bot.storage.db import downgrade_database, make_engine, upgrade_database
from bot.storage.models import Bestuur, Role, Swv, User

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    downgrade_database(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_database(engine)
    assert {"swv", "bestuur", "school", "gemeente", "app_user", "invitation"} <= set(
        inspect(engine).get_table_names()
    )


def test_a_migration_broken_off_half_way_leaves_the_schema_as_it_was(engine: Engine) -> None:
    # A stop signal or a crash during the upgrade at start: on SQLite, whose DDL Alembic runs
    # outside a transaction by default, this left half a migration behind and the bot could
    # not start again.
    downgrade_database(engine, "0004")
    before = _schema(engine)
    ddl_seen = 0

    def fail_at_the_second_ddl(_c: object, _cur: object, statement: str, *_a: object) -> None:
        nonlocal ddl_seen
        if statement.lstrip().upper().startswith(("CREATE", "ALTER", "DROP")):
            ddl_seen += 1
            if ddl_seen == 2:
                raise RuntimeError("broken off")

    event.listen(engine, "before_cursor_execute", fail_at_the_second_ddl)
    try:
        with pytest.raises(RuntimeError, match="broken off"):
            upgrade_database(engine)
    finally:
        event.remove(engine, "before_cursor_execute", fail_at_the_second_ddl)

    assert ddl_seen == 2
    assert _schema(engine) == before
    upgrade_database(engine)
    assert "audit_event" in inspect(engine).get_table_names()


def _schema(engine: Engine) -> tuple[str | None, dict[str, list[str]]]:
    inspector = inspect(engine)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    columns = {
        table: sorted(c["name"] for c in inspector.get_columns(table))
        for table in inspector.get_table_names()
    }
    return version, columns


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(Bestuur(name="Zwevend", swv_id=12345, registered_on=date(2026, 1, 1)))
    with pytest.raises(IntegrityError):
        session.flush()


def test_datetimes_come_back_timezone_aware(session: Session) -> None:
    swv = Swv(name="SWV", registered_on=date(2026, 1, 1))
    session.add(swv)
    session.flush()
    amsterdam_summer = datetime(2026, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    session.add(User(telegram_id=1, role="swv", swv_id=swv.id, created_at=amsterdam_summer))
    session.commit()
    session.expire_all()

    stored = session.get(User, 1)

    assert stored is not None
    assert stored.created_at == amsterdam_summer
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.astimezone(UTC).hour == 8


def test_naive_datetimes_are_refused(session: Session) -> None:
    swv = Swv(name="SWV", registered_on=date(2026, 1, 1))
    session.add(swv)
    session.flush()
    session.add(User(telegram_id=2, role="swv", swv_id=swv.id, created_at=datetime(2026, 1, 1)))
    with pytest.raises(Exception, match="naive datetimes are not stored"):
        session.flush()


def test_enumerated_columns_store_the_value_and_give_the_member(session: Session) -> None:
    swv = Swv(name="SWV", registered_on=date(2026, 1, 1))
    session.add(swv)
    session.flush()
    session.add(User(telegram_id=3, role="boc", swv_id=swv.id, created_at=NOW))
    session.commit()
    session.expire_all()
    stored = session.get(User, 1)
    assert stored is not None
    assert stored.role is Role.BOC  # the member, not the string it was given as
    raw = session.execute(text("SELECT role FROM app_user")).scalar_one()
    assert type(raw) is str
    assert raw == "boc"  # a plain VARCHAR: adding a value needs no migration


def test_a_value_outside_the_enum_is_refused(session: Session) -> None:
    swv = Swv(name="SWV", registered_on=date(2026, 1, 1))
    session.add(swv)
    session.flush()
    session.add(User(telegram_id=4, role="koning", swv_id=swv.id, created_at=NOW))
    with pytest.raises(StatementError, match="'koning' is not a valid Role"):
        session.flush()


def test_sqlite_file_database_uses_wal(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/nested/folder/bot.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
