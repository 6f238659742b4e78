"""Shared fixtures: a real database (SQLite by default, PostgreSQL when DATABASE_URL says so),
a fake Bot API server on 127.0.0.1, and the real Application talking to it."""

from __future__ import annotations

import ipaddress
import logging
import os
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import FixedClock
from bot.config import Settings
from bot.logs import TEXT_FORMAT, ContextFilter, TextFormatter, quiet_libraries
from bot.services.container import Services
from bot.storage import crypto
from bot.storage.crypto import KeyRing
from bot.storage.db import make_engine, upgrade_database
from tests.utils import factories
from tests.utils.fake_telegram import FakeTelegram
from tests.utils.harness import BotHarness, running_bot
from tests.utils.personal_data import personal_data_in

# CI draws the same examples every run (HYPOTHESIS_PROFILE=ci); locally they vary.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.addFilter(ContextFilter())
        self.setFormatter(TextFormatter(TEXT_FORMAT))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="session", autouse=True)
def _port_8080_taken() -> Iterator[None]:
    """The bot's default web port is held for the whole run, as another service may hold it on
    any machine: a test that would need it free fails here, not only where 8080 is taken."""
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8080))
        holder.listen()
    except OSError:
        pass  # taken already: just as well
    yield
    holder.close()


@pytest.fixture(autouse=True)
def _no_personal_data_in_logs() -> Iterator[None]:
    """Every test of the suite is also a log scan: whatever it logged, at any level, may not
    contain the name, birth date or residence of any pupil in the test data."""
    handler = _Collect()
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    quiet_libraries()  # as `python -m bot run` configures logging
    root.addHandler(handler)
    yield
    root.removeHandler(handler)
    root.setLevel(level)
    leaks = personal_data_in("\n".join(handler.lines))
    assert leaks == [], f"personal data in the logs: {leaks}"


@pytest.fixture(autouse=True)
def _data_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test runs with the test key installed, as the bot does after reading DATA_KEY."""
    monkeypatch.setenv("DATA_KEY", factories.DATA_KEY)
    monkeypatch.delenv("DATA_KEYS_OLD", raising=False)
    crypto.install(KeyRing.from_text(factories.DATA_KEY))
    yield
    crypto.install(KeyRing.from_text(factories.DATA_KEY))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host other than this machine."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise RuntimeError(f"tests may not connect to {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url and not url.startswith("sqlite") else None


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a SQLite file to copy per test, or the server URL (migrated once)."""
    server = _server_url()
    if server is not None:
        engine = make_engine(server)
        _drop_everything(engine)
        upgrade_database(engine)
        engine.dispose()
        yield server
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    yield str(path)


def _drop_everything(engine: Engine) -> None:
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)


def _truncate(engine: Engine) -> None:
    metadata = MetaData()
    metadata.reflect(engine)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables if t.name != "alembic_version")
    if names:
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    if _server_url() is not None:
        yield database_template
        engine = make_engine(database_template)
        _truncate(engine)
        engine.dispose()
        return
    path = tmp_path / "bot.db"
    shutil.copyfile(database_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def orgs(session: Session) -> Session:
    """The standard organisations (see tests/utils/factories.py), committed."""
    factories.organisations(session)
    return session


@pytest.fixture
def registry(session: Session) -> Session:
    """Organisations and the standard 20 imported pupils, committed."""
    factories.registry(session)
    return session


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def settings(telegram: FakeTelegram, database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=telegram.token,
        telegram_base_url=telegram.base_url,
        telegram_base_file_url=telegram.base_file_url,
        database_url=database_url,
        data_key=factories.DATA_KEY,
        # Tests send far more than a person types; the limit has its own test.
        messages_per_minute=1000,
    )


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> str:
    """For `main([...])`: the test database, no token, no .env from the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.delenv("BOT_LOCALE", raising=False)
    return database_url


@pytest.fixture
def clock() -> FixedClock:
    """The bot's clock in tests: fixed at factories.NOW until a test moves it."""
    return FixedClock(factories.NOW)


@pytest.fixture
def services(settings: Settings, engine: Engine, clock: FixedClock) -> Iterator[Services]:
    services = Services(settings=settings, engine=engine, clock=clock)
    yield services
    services.close()


@pytest.fixture
async def bot(telegram: FakeTelegram, services: Services) -> AsyncIterator[BotHarness]:
    """The real Application, polling the fake Bot API, as `python -m bot run` would."""
    async with running_bot(telegram, services) as harness:
        yield harness
