"""Copies of a SQLite database file made and put back with SQLite's online backup API: the copy
is one consistent moment even while the bot writes (a file copy of a database in WAL mode is
not), and putting one back goes through SQLite too, so that a write-ahead log beside the file
can never be replayed onto pages it does not belong to."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

FORMAT = "thuiszitbot-backup-1"
BUSY_MS = 5000  # as the bot's own connections: wait for a writer instead of failing


@dataclass(frozen=True)
class Manifest:
    """What is written beside a copy: which key opens it (its fingerprint, never the key), the
    schema it has, and when it was made."""

    key_fingerprint: str
    schema: str
    made_at: datetime

    def to_json(self) -> str:
        """The manifest's file content."""
        return json.dumps(
            {
                "format": FORMAT,
                "key_fingerprint": self.key_fingerprint,
                "schema": self.schema,
                "made_at": self.made_at.isoformat(),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, content: str) -> Manifest:
        """A manifest read back; ValueError when it is not one."""
        data = json.loads(content)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a Thuiszitbot backup manifest")
        return cls(
            key_fingerprint=str(data["key_fingerprint"]),
            schema=str(data["schema"]),
            made_at=datetime.fromisoformat(str(data["made_at"])),
        )


def manifest_path(copy: Path) -> Path:
    """Where the manifest of `copy` is kept: beside it."""
    return copy.with_name(copy.name + ".json")


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    return connection


def copy_database(source: Path, target: Path) -> None:
    """Copy the database at `source` to a new file `target`, consistent while others write.

    Written beside `target` under another name first and renamed when complete, so that an
    interrupted copy never looks like a backup.
    """
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    origin = _connect(source)
    try:
        copy = sqlite3.connect(partial)
        try:
            origin.backup(copy)  # all pages in one step: one moment of the database
        finally:
            copy.close()
    finally:
        origin.close()
    os.replace(partial, target)


def put_back(copy: Path, target: Path) -> None:
    """Replace the database at `target` (or create it) with the content of `copy`, in one
    transaction of the target's own (nothing half-written if it is interrupted)."""
    origin = _connect(copy)
    try:
        destination = _connect(target)
        try:
            origin.backup(destination)
        finally:
            destination.close()
    finally:
        origin.close()


def schema_of(path: Path) -> str | None:
    """The migration a database file is at; None when it is no database of this bot's."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # not a database, or without the table
        return None
    finally:
        engine.dispose()
