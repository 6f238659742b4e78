"""The engine and the schema upgrade. Nothing here runs at import time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite leaves foreign keys off unless asked, per connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the scheduler read while a handler writes; busy_timeout waits instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted rows (a forgotten pupil) are overwritten with zeros, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


T = TypeVar("T")
# Values per IN list: SQLite allows 32,766 parameters per statement, and shorter lists keep
# each statement's plan cheap.
BATCH = 1000


def in_batches(values: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    """`values` in slices of at most `size`, for `IN (...)` lists."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def sqlite_path(url: str) -> Path | None:
    """The file behind a `sqlite:///…` URL, or None for other databases and in-memory SQLite."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix) :].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for DATABASE_URL; for a SQLite file its folder is created first."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql://"):
        # Plain postgresql:// would pick psycopg2, which we do not install.
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    connect_args: dict[str, Any] = {}
    sqlite = url.startswith("sqlite")
    if sqlite:
        connect_args["check_same_thread"] = False
    # hide_parameters: SQL errors must not carry pupils' data into logs and tracebacks. A
    # server's connection may have gone (a restart, a standby taking over): each is tried
    # before use. A SQLite file's cannot, and the try would be one more statement per unit
    # of work.
    engine = create_engine(
        url,
        echo=echo,
        connect_args=connect_args,
        pool_pre_ping=not sqlite,
        hide_parameters=True,
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _refuse_writes(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # A write would wait for the write lock (busy_timeout) and the disk with the event loop
    # blocked: it fails at once instead.
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def reading_engine(engine: Engine) -> Engine | None:
    """`engine`'s data through connections that refuse to write, for a use case that only reads
    (`Services.read`); None for an in-memory SQLite database (one connection of its own).

    For a SQLite file it is a second engine on it: such a read runs on the event loop (in WAL
    mode a reader never waits for a writer, and a read by an index takes less than handing it
    to a thread), so a write there must fail at once instead of waiting for the write lock. A
    server's reads go over the network and stay off the loop, in read-only transactions.
    """
    url = engine.url
    if url.get_backend_name() != "sqlite":
        if engine.dialect.name == "postgresql":
            return engine.execution_options(postgresql_readonly=True)
        return None
    if url.database in (None, "", ":memory:"):
        return None
    reader = make_engine(url.render_as_string(hide_password=False))
    event.listen(reader, "connect", _refuse_writes)
    return reader


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (the newest by default). On SQLite the planner's
    statistics are refreshed too, before the first lookup: they cost milliseconds there, while
    PostgreSQL keeps its own and a full ANALYZE would hold up the start (the bot refreshes both
    in the background after the start's plan, and daily)."""
    command.upgrade(alembic_config(engine), revision)
    if engine.dialect.name == "sqlite":
        refresh_statistics(engine)


def refresh_statistics(engine: Engine) -> None:
    """Tell the query planner what the data looks like. Without statistics SQLite takes
    whichever index was created last: a name lookup then reads a whole SWV through
    `ix_pupil_swv_id` instead of finding one name through its token index. SQLite samples at
    most 1,000 rows per index, so this stays a matter of milliseconds at any size; PostgreSQL
    samples by itself."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        connection.exec_driver_sql("ANALYZE")


def downgrade_database(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` ("base" removes everything)."""
    command.downgrade(alembic_config(engine), revision)
