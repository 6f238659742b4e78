"""What people were in the middle of in the chat, kept in the database over a restart: one
sealed value per name (the storage; `bot.persistence` says what goes in it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select

from bot.services.container import Services
from bot.storage.models import ChatState


def load(services: Services, name: str) -> bytes | None:
    """The value stored under `name` (opened with the key), or None."""
    with services.session() as session:
        row = session.exec(select(ChatState).where(ChatState.name == name)).first()
        return row.value if row is not None else None


def store(services: Services, name: str, value: bytes, now: datetime) -> None:
    """Keep `value` under `name`, replacing what was there."""
    with services.session() as session:
        row = session.exec(select(ChatState).where(ChatState.name == name)).first()
        if row is None:
            row = ChatState(name=name, value=value, updated_at=now)
        else:
            row.value, row.updated_at = value, now
        session.add(row)


def load_all(services: Services, prefix: str) -> dict[str, bytes]:
    """Every value whose name starts with `prefix`, by name."""
    with services.session() as session:
        rows = session.exec(
            select(ChatState).where(col(ChatState.name).startswith(prefix, autoescape=True))
        )
        return {row.name: row.value for row in rows}


def drop(services: Services, name: str) -> None:
    """Forget the value stored under `name`, if any."""
    with services.session() as session:
        session.execute(delete(ChatState).where(col(ChatState.name) == name))
