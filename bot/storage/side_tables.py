"""The tables beside the registry: what people were in the middle of, kept over a restart (the
chat's state, the web pages' sessions and sign-in links), and the calendar feeds. In a module of
its own: `models` imports it, so that these tables are registered with the others."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from bot.storage.types import AwareDateTime, SealedBytes, SealedText


class ChatState(SQLModel, table=True):
    """What people were in the middle of in the chat — the buttons of confirmations waiting for
    Save — kept so that a restart does not lose it. Sealed like other personal data: a waiting
    update holds the name it was typed with."""

    __tablename__ = "chat_state"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, unique=True)
    value: bytes = Field(sa_column=Column(SealedBytes("chat_state.value"), nullable=False))
    updated_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class WebSessionRow(SQLModel, table=True):
    """A signed-in browser or Mini App. Only the SHA-256 of the session's secret is kept (the
    cookie holds the secret): a copy of the database opens no session. The form token and what
    the pages keep between requests (a searched name, forms waiting for Save) are sealed."""

    __tablename__ = "web_session"

    # A number as every table with sealed columns has (the key rotation walks them by it).
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    user_id: int = Field(index=True)
    generation: int
    last_used: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False, index=True))
    csrf: str = Field(sa_column=Column(SealedText("web_session.csrf"), nullable=False))
    kept: bytes | None = Field(
        default=None, sa_column=Column(SealedBytes("web_session.kept"), nullable=True)
    )


class WebLinkRow(SQLModel, table=True):
    """A one-time sign-in link not used yet: the SHA-256 of its secret, whose it is, until when."""

    __tablename__ = "web_link"

    key: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(index=True)
    generation: int
    expires: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False, index=True))


class CalendarFeedRow(SQLModel, table=True):
    """A user's calendar subscription: the SHA-256 of the secret in its address (the address
    is shown once; a copy of the database opens no feed), and the access generation it was made
    under (a change of access ends it)."""

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(unique=True)
    key: str = Field(max_length=64, unique=True)
    generation: int
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
