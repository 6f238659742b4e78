"""Alembic environment: the engine comes from the bot (or DATABASE_URL for the alembic CLI)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import bot.storage.models  # noqa: F401 - registers the tables on SQLModel.metadata

config = context.config
target_metadata = SQLModel.metadata


def _engine():  # type: ignore[no-untyped-def]
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    from bot.config import load_settings
    from bot.storage.db import make_engine

    return make_engine(load_settings().database_url)


def run_migrations_online() -> None:
    """Run the migrations on a live connection."""
    engine = _engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by DROP and CREATE; with rows pointing at it, enforced
            # foreign keys would refuse the DROP. Checked again below once the schema is back.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            # SQLite can roll DDL back, but its driver only opens a transaction before DML and
            # Alembic assumes none: an upgrade broken off (a stop signal at start) would leave
            # half a migration behind. One explicit transaction makes the upgrade all or nothing.
            connection.exec_driver_sql("BEGIN")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if broken:
                raise RuntimeError(f"{len(broken)} rows break a foreign key after the migration")


run_migrations_online()
