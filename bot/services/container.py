"""The long-lived services, built once in `main()` and handed to the Telegram application."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.config import Settings
from bot.metrics import Metrics
from bot.services.ratelimit import MessageLimiter, SignInLimiter
from bot.services.throttle import FailureThrottle
from bot.services.web_access import WebSessions
from bot.services.web_state import DatabaseSessions
from bot.storage.db import reading_engine

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Services:
    """Everything a handler needs besides the update itself."""

    settings: Settings
    engine: Engine
    clock: Clock
    invite_throttle: FailureThrottle = field(default_factory=FailureThrottle)
    sign_in_limiter: SignInLimiter = field(default_factory=SignInLimiter)
    message_limiter: MessageLimiter = field(init=False)
    # Sign-in links and sessions of the web pages (in the database: a restart keeps them).
    web_sessions: WebSessions = field(init=False)
    # The figures of /metrics: counted where things happen.
    metrics: Metrics = field(default_factory=Metrics)
    # The same data through connections that refuse to write (see `read`).
    read_engine: Engine | None = field(init=False)

    def __post_init__(self) -> None:
        self.message_limiter = MessageLimiter(self.settings.messages_per_minute)
        self.web_sessions = WebSessions(
            DatabaseSessions(self.session),
            idle=timedelta(minutes=self.settings.web_session_minutes),
        )
        self.read_engine = reading_engine(self.engine)

    async def read(
        self, query: Callable[Concatenate[Services, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """`query(services, ...)`, a use case that only reads, awaited from the event loop; it
        cannot write (its connections refuse to).

        On a SQLite file it runs at once, on the loop: a short read there costs less than the
        hand-over to a thread and back (measured with bench/round_trip.py: `/help`, whose only
        read is the user, answered 1 to 1.5 ms later with that read in a thread) and never
        waits for a writer. A server's reads go to a thread, as every write does.
        """
        reader = copy.copy(self)  # the same services, whatever a test set on them since
        reader.engine = self.read_engine or self.engine
        if reader.engine.dialect.name == "sqlite" and self.read_engine is not None:
            return query(reader, *args, **kwargs)
        return await asyncio.to_thread(query, reader, *args, **kwargs)

    def close(self) -> None:
        """Let go of the database connections."""
        self.engine.dispose()
        if self.read_engine is not None:
            self.read_engine.dispose()  # for a server: the same pool, already let go

    def invite_validity(self) -> timedelta:
        """How long a new invitation stays valid."""
        return timedelta(days=self.settings.invite_valid_days)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back on an error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
