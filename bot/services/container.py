"""The long-lived services, built once in `main()` and handed to the Telegram application."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.config import Settings
from bot.services.ratelimit import MessageLimiter, SignInLimiter
from bot.services.throttle import FailureThrottle
from bot.services.web_access import WebSessions


@dataclass
class Services:
    """Everything a handler needs besides the update itself."""

    settings: Settings
    engine: Engine
    clock: Clock
    invite_throttle: FailureThrottle = field(default_factory=FailureThrottle)
    sign_in_limiter: SignInLimiter = field(default_factory=SignInLimiter)
    message_limiter: MessageLimiter = field(init=False)
    # Sign-in links and sessions of the web pages (kept in memory: a restart signs out).
    web_sessions: WebSessions = field(init=False)

    def __post_init__(self) -> None:
        self.message_limiter = MessageLimiter(self.settings.messages_per_minute)
        self.web_sessions = WebSessions(idle=timedelta(minutes=self.settings.web_session_minutes))

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
