"""`python -m bot backup PATH` and `restore PATH`: a copy made while the bot runs and saves, put
back elsewhere with every table equal; refused — with nothing written — for a copy the key does
not open, over a database without --force, and on PostgreSQL (its own tools, named)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.__main__ import main
from bot.storage import crypto
from bot.storage.backup import Manifest, manifest_path
from bot.storage.crypto import KeyRing, generate_key
from bot.storage.db import make_engine, upgrade_database
from bot.storage.models import Role
from tests.utils import factories
from tests.utils.factories import DATA_KEY, NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness, texts

CARE = TgUser(501, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB): sees Sanne


def _tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in the order of the primary key."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for table in metadata.sorted_tables
        }


def _sqlite(url: str) -> bool:
    return url.startswith("sqlite")


async def _save(bot: BotHarness, day: int) -> None:
    [question] = await bot.send(CARE, f"Sanne 1 uur ongeoorloofd op {day} november")
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))
    assert saved.startswith("Opgeslagen:")


async def test_a_backup_of_a_running_bot_restores_elsewhere_with_every_table_equal(
    bot: BotHarness,
    registry: Session,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    code = invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    await bot.send(CARE, f"/start {code}")
    for day in (9, 10, 11):
        await _save(bot, day)
    during = tmp_path / "during.db"
    # The copy is made in a thread while the bot goes on saving.
    backing_up = asyncio.create_task(asyncio.to_thread(main, ["backup", str(during)]))
    for day in (12, 13, 16):
        await _save(bot, day)
    exit_code = await backing_up
    if not _sqlite(database_url):
        assert exit_code == 1
        assert "pg_dump --format=custom" in capsys.readouterr().err
        assert not during.exists()
        return
    assert exit_code == 0
    # One moment of the database: whole, its references intact, the saves before it in it.
    with sqlite3.connect(during) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = copy.execute("SELECT count(*) FROM absence").fetchone()[0]
    assert 3 <= stored <= 6

    after = tmp_path / "after.db"
    assert main(["backup", str(after)]) == 0  # the bot still runs, now idle
    printed = capsys.readouterr().out
    manifest = Manifest.from_json(manifest_path(after).read_text(encoding="utf-8"))
    assert manifest.key_fingerprint == KeyRing.from_text(DATA_KEY).fingerprint
    assert manifest.key_fingerprint in printed
    assert DATA_KEY not in printed + manifest_path(after).read_text(encoding="utf-8")

    elsewhere = tmp_path / "elsewhere" / "bot.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{elsewhere}")
    assert main(["restore", str(after)]) == 0
    restored = make_engine(f"sqlite:///{elsewhere}")
    try:
        assert _tables(restored) == _tables(engine)
    finally:
        restored.dispose()


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite database with the standard registry, as DATABASE_URL (in the PostgreSQL run too:
    backup and restore work on SQLite files)."""
    path = tmp_path / "source.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    with Session(engine) as session:
        factories.registry(session)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


@pytest.fixture
def copy(source: Path, tmp_path: Path) -> Path:
    """A backup of `source`."""
    path = tmp_path / "copy.db"
    assert main(["backup", str(path)]) == 0
    return path


def test_a_restore_with_force_replaces_the_database(
    source: Path, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{source}"
    engine = make_engine(url)
    try:
        wanted = _tables(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE school SET name = 'Elders'"))
        assert _tables(engine) != wanted
        assert main(["restore", str(copy), "--force"]) == 0
        assert _tables(engine) == wanted
    finally:
        engine.dispose()


# (what is done, the environment it is done in) → the sentence of the refusal (Dutch: BOT_LOCALE).
REFUSALS = [
    ("restore over the database", {}, "bestaat al"),
    ("restore with another key", {"DATA_KEY": "new"}, "vingerafdruk"),
    ("restore a file that is no database", {}, "geen database van Thuiszitbot"),
    ("backup over the copy", {}, "bestaat al"),
    ("backup of a database that is not there", {"DATABASE_URL": "missing"}, "geen database"),
    ("backup on PostgreSQL", {"DATABASE_URL": "postgresql://u@127.0.0.1:1/db"}, "pg_dump"),
]


@pytest.mark.parametrize(("action", "env", "said"), REFUSALS)
def test_refused_with_nothing_written(
    source: Path,
    copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    action: str,
    env: dict[str, str],
    said: str,
) -> None:
    database = source
    if env.get("DATA_KEY") == "new":
        monkeypatch.setenv("DATA_KEY", generate_key())
    if env.get("DATABASE_URL") == "missing":
        database = tmp_path / "nowhere" / "bot.db"
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    elif "DATABASE_URL" in env:
        monkeypatch.setenv("DATABASE_URL", env["DATABASE_URL"])
    capsys.readouterr()
    before = {p: p.read_bytes() for p in (database, copy) if p.exists()}
    if action.startswith("restore"):
        if "no database" in action:
            copy.write_text("not a database\n", encoding="utf-8")
            before[copy] = copy.read_bytes()
        code = main(["restore", str(copy)])
    else:
        code = main(["backup", str(copy)])
    error = capsys.readouterr().err
    assert code == 1
    assert said in error
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "nowhere").exists()
    crypto.install(KeyRing.from_text(DATA_KEY))
