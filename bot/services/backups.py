"""Backing up the database while the bot runs, and putting a copy back: only a copy that the
configured key opens, and never over a database without being told to.

A SQLite database is copied with SQLite's online backup API (`storage.backup`). PostgreSQL has
its own tools for this (`pg_dump`, `pg_restore`): the commands say how to use them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from alembic.script import ScriptDirectory

from bot.services.keys import key_opens_stored_data
from bot.storage import crypto
from bot.storage.backup import Manifest, copy_database, manifest_path, put_back, schema_of
from bot.storage.db import alembic_config, make_engine, sqlite_path, upgrade_database


class Refusal(StrEnum):
    """Why a backup or a restore did not happen (the command line says it in words)."""

    NOT_SQLITE = "not_sqlite"  # PostgreSQL: pg_dump / pg_restore
    NO_DATABASE = "no_database"  # DATABASE_URL's file does not exist
    NO_COPY = "no_copy"  # the copy to restore does not exist
    EXISTS = "exists"  # the target exists and --force was not given
    NOT_A_COPY = "not_a_copy"  # not a database of this bot
    NEWER = "newer"  # made by a newer version of the bot (an unknown migration)
    OTHER_KEY = "other_key"  # the configured keys do not open it
    SAME_FILE = "same_file"  # backing up or restoring a file onto itself


class BackupRefused(Exception):
    """Nothing was written; `reason` says why, `detail` what the sentence needs (a path, a
    fingerprint), never stored data."""

    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Done:
    """A backup made or a copy restored: where, and what the manifest says."""

    path: Path
    manifest: Manifest


def _database_file(database_url: str) -> Path:
    path = sqlite_path(database_url)
    if path is None:
        raise BackupRefused(Refusal.NOT_SQLITE)
    return path


def _known(schema: str) -> bool:
    return ScriptDirectory.from_config(alembic_config()).get_revision(schema) is not None


def _opens(path: Path) -> bool:
    """Whether the installed keys open the personal data in the database file `path`."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        return key_opens_stored_data(engine)
    finally:
        engine.dispose()


def make_backup(*, database_url: str, target: Path, now: datetime, force: bool) -> Done:
    """Copy the bot's SQLite database to `target` (consistent while the bot runs), with its
    manifest beside it, and check that the copy opens with the installed key (DATA_KEY)."""
    source = _database_file(database_url)
    if not source.is_file():
        raise BackupRefused(Refusal.NO_DATABASE, str(source))
    if target.resolve() == source.resolve():
        raise BackupRefused(Refusal.SAME_FILE, str(target))
    manifest_file = manifest_path(target)
    if not force and (target.exists() or manifest_file.exists()):
        raise BackupRefused(Refusal.EXISTS, str(target))
    copy_database(source, target)
    schema = schema_of(target)
    if schema is None or not _opens(target):
        target.unlink()
        raise BackupRefused(Refusal.OTHER_KEY if schema else Refusal.NOT_A_COPY, str(source))
    fingerprint = crypto.active().fingerprint
    manifest = Manifest(key_fingerprint=fingerprint, schema=schema, made_at=now)
    manifest_file.write_text(manifest.to_json() + "\n", encoding="utf-8")
    return Done(target, manifest)


def restore_backup(*, database_url: str, copy: Path, now: datetime, force: bool) -> Done:
    """Put `copy` back as the bot's SQLite database (then bring its schema up to date). Refused
    when the configured keys do not open it, when it is no copy of this bot's or one of a newer
    version, and when a database is there already unless `force`."""
    target = _database_file(database_url)
    if not copy.is_file():
        raise BackupRefused(Refusal.NO_COPY, str(copy))
    if target.exists() and target.resolve() == copy.resolve():
        raise BackupRefused(Refusal.SAME_FILE, str(copy))
    schema = schema_of(copy)
    if schema is None:
        raise BackupRefused(Refusal.NOT_A_COPY, str(copy))
    if not _known(schema):
        raise BackupRefused(Refusal.NEWER, schema)
    manifest = _manifest_of(copy, schema, now)
    if manifest.key_fingerprint not in crypto.active().fingerprints or not _opens(copy):
        raise BackupRefused(Refusal.OTHER_KEY, manifest.key_fingerprint)
    if target.exists() and not force:
        raise BackupRefused(Refusal.EXISTS, str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    put_back(copy, target)
    engine = make_engine(database_url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()
    return Done(target, manifest)


def _manifest_of(copy: Path, schema: str, now: datetime) -> Manifest:
    """The copy's manifest; without one (a copy made by hand) what the data itself says: the
    configured key must then open it, as it must anyway."""
    try:
        return Manifest.from_json(manifest_path(copy).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return Manifest(key_fingerprint=crypto.active().fingerprint, schema=schema, made_at=now)
