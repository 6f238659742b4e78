"""The chat's state kept over a restart (a table of its own module: `models` re-exports it, so
that it is registered with the others)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from bot.storage.types import AwareDateTime, SealedBytes


class ChatState(SQLModel, table=True):
    """What people were in the middle of in the chat — the buttons of confirmations waiting for
    Save — kept so that a restart does not lose it. Sealed like other personal data: a waiting
    update holds the name it was typed with."""

    __tablename__ = "chat_state"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, unique=True)
    value: bytes = Field(sa_column=Column(SealedBytes("chat_state.value"), nullable=False))
    updated_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
