"""Who is at the web pages: a Telegram Mini App's signed `initData`, or a browser session begun
with a one-time sign-in link from `/web`.

Links and sessions are kept in the database (`SessionStore`), so that a restart or a standby
taking over signs nobody out and loses no form waiting for Save; the process keeps the sessions
in use in memory as well. Only digests of the secrets are kept, in the database and in memory: a
copy of the database or a dump of the process' memory hands out no working link or session.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import pickle
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import parse_qsl

INIT_DATA_MAX_AGE = timedelta(hours=1)
LINK_VALID = timedelta(minutes=10)
SESSION_IDLE = timedelta(minutes=30)
# A bound on the sessions one process keeps in memory (the database keeps them all).
_MAX_CACHED = 10_000
# How often a session's last use is written: a restart may end it up to this much early.
TOUCH_EVERY = timedelta(minutes=1)
# How often expired links and sessions are deleted from the database.
SWEEP_EVERY = timedelta(minutes=5)

logger = logging.getLogger(__name__)


class InitDataRefused(Exception):
    """The Mini App's initData is not from Telegram for this bot, or too old (the reason is a
    short code for the log: never the data itself)."""


def init_data_user(init_data: str, *, bot_token: str, now: datetime) -> int:
    """The Telegram user id in a Mini App's `initData`, checked as Telegram documents it: the
    HMAC-SHA-256 of the sorted fields under a key derived from the bot token, and `auth_date`
    at most an hour old."""
    if len(init_data) > 8192:
        raise InitDataRefused("too_long")
    try:
        fields = dict(parse_qsl(init_data, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        raise InitDataRefused("malformed") from None
    received = fields.pop("hash", "")
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if not received or not hmac.compare_digest(expected, received):
        raise InitDataRefused("hash")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user_id = int(json.loads(fields["user"])["id"])
    except (KeyError, ValueError, TypeError):
        raise InitDataRefused("fields") from None
    if not timedelta(minutes=-5) <= now - signed_at <= INIT_DATA_MAX_AGE:
        raise InitDataRefused("expired")
    return user_id


def sign_init_data(fields: dict[str, str], *, bot_token: str) -> str:
    """`fields` signed as Telegram signs a Mini App's initData (the local trial and tests)."""
    from urllib.parse import urlencode

    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class WebSession:
    """A signed-in browser or Mini App: whose, its form token, and when it was last used."""

    user_id: int
    csrf: str
    last_used: datetime
    # The user's access generation when it opened: a later grant (or none) refuses it.
    generation: int = 0
    # What the pages keep between requests: the list's filter (so that a searched name never
    # stands in a URL) and forms waiting for Save (so that Save stores what was shown).
    kept: dict[str, object] = field(default_factory=dict)
    # The digest of the session's secret: its key in the store.
    key: str = ""
    # What the store holds of it, so that only a change is written.
    stored_used: datetime | None = field(default=None, repr=False)
    stored_kept: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class Link:
    """A sign-in link not used yet (stored under the digest of its secret)."""

    user_id: int
    expires: datetime
    generation: int = 0


class SessionStore(Protocol):
    """Where links and sessions outlive the process (`bot.services.web_state`: the database).
    Each method is one short unit of work; taking a link is atomic, so that it opens one
    session even when two processes are asked at once."""

    def add_link(self, key: str, link: Link) -> None: ...

    def take_link(self, key: str) -> Link | None: ...

    def add_session(self, session: WebSession, *, keep_newest: int) -> list[str]:
        """Store a new session; the user's older ones beyond `keep_newest` are deleted and
        their keys returned."""
        ...

    def load_session(self, key: str) -> WebSession | None:
        """The stored session (`kept` still pickled, in `stored_kept`), or None."""
        ...

    def touch(self, key: str, last_used: datetime) -> None: ...

    def save_kept(self, key: str, kept: bytes) -> None: ...

    def delete(self, key: str) -> None: ...

    def delete_user(self, user_id: int) -> None: ...

    def sweep(self, *, links_before: datetime, sessions_before: datetime) -> None:
        """Delete the links expired and the sessions unused since those times."""
        ...


# A user's own sessions beyond this replace their oldest (never someone else's).
SESSIONS_PER_USER = 5


class WebSessions:
    """One-time sign-in links (valid 10 minutes, used once) and the sessions they open, in
    `store`. Called from worker threads: each method does its own database work."""

    def __init__(self, store: SessionStore, *, idle: timedelta = SESSION_IDLE) -> None:
        self.idle = idle
        self._store = store
        self._lock = threading.Lock()
        self._cached: dict[str, WebSession] = {}
        self._swept: datetime | None = None

    def new_link(self, user_id: int, *, now: datetime, generation: int = 0) -> str:
        """A fresh sign-in token for `user_id` under their access `generation`; it opens one
        session, within LINK_VALID."""
        self._sweep(now)
        token = secrets.token_urlsafe(32)
        self._store.add_link(_digest(token), Link(user_id, now + LINK_VALID, generation))
        return token

    def redeem(
        self, token: str, *, now: datetime, current: Callable[[int], int | None]
    ) -> tuple[str, WebSession] | None:
        """Use a sign-in token: a new session, or None when it is unknown, used, expired, or
        made under another grant than the user's `current` one (None: no access at all)."""
        link = self._store.take_link(_digest(token))
        if link is None or link.expires < now or current(link.user_id) != link.generation:
            return None
        return self.open(link.user_id, now=now, generation=link.generation)

    def open(self, user_id: int, *, now: datetime, generation: int = 0) -> tuple[str, WebSession]:
        """A new session for `user_id` (after a sign-in link or a checked initData); a user's
        sessions beyond SESSIONS_PER_USER replace their own oldest."""
        self._sweep(now)
        session_id = secrets.token_urlsafe(32)
        session = WebSession(
            user_id, secrets.token_urlsafe(24), now, generation, key=_digest(session_id)
        )
        session.stored_used, session.stored_kept = now, _pickled(session.kept)
        dropped = self._store.add_session(session, keep_newest=SESSIONS_PER_USER)
        with self._lock:
            for key in dropped:
                self._cached.pop(key, None)
            self._cache(session)
        return session_id, session

    def get(self, session_id: str, *, now: datetime) -> WebSession | None:
        """The session, if it was used within the idle timeout. Only `keep` (once the user's
        access was checked again) keeps it alive: a refused request never does."""
        key = _digest(session_id)
        with self._lock:
            session = self._cached.get(key)
        if session is None:
            session = self._store.load_session(key)
            if session is None:
                return None
            session.kept = _unpickled(session.stored_kept)
            with self._lock:
                session = self._cached.setdefault(key, session)
        if now - session.last_used > self.idle:
            self.close(session_id)
            return None
        return session

    def keep(self, session: WebSession, *, now: datetime) -> None:
        """The session was used by a user who still has this access."""
        session.last_used = now
        if session.stored_used is None or now - session.stored_used >= TOUCH_EVERY:
            self._store.touch(session.key, now)
            session.stored_used = now

    def remember(self, session: WebSession) -> None:
        """Store what the pages keep in the session, if a request changed it."""
        value = _pickled(session.kept)
        if value != session.stored_kept:
            self._store.save_kept(session.key, value)
            session.stored_kept = value

    def close(self, session_id: str) -> None:
        """Sign out."""
        key = _digest(session_id)
        with self._lock:
            self._cached.pop(key, None)
        self._store.delete(key)

    def close_user(self, user_id: int) -> None:
        """End every session and link of a user (access withdrawn)."""
        with self._lock:
            self._cached = {k: s for k, s in self._cached.items() if s.user_id != user_id}
        self._store.delete_user(user_id)

    def _cache(self, session: WebSession) -> None:
        while len(self._cached) >= _MAX_CACHED:
            self._cached.pop(next(iter(self._cached)))
        self._cached[session.key] = session

    def _sweep(self, now: datetime) -> None:
        if self._swept is not None and now - self._swept < SWEEP_EVERY:
            return
        self._swept = now
        # A session's stored last use may lag its real one by up to TOUCH_EVERY: one still in
        # use must not be deleted from the database while its process keeps it alive.
        self._store.sweep(links_before=now, sessions_before=now - self.idle - TOUCH_EVERY)
        with self._lock:
            self._cached = {k: s for k, s in self._cached.items() if now - s.last_used <= self.idle}


def _pickled(kept: dict[str, object]) -> bytes:
    return pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickled(value: bytes) -> dict[str, object]:
    # Unpickled safely: the value was sealed (authenticated) with DATA_KEY, so only the bot
    # wrote it. It may come from a version whose form classes have changed since.
    if not value:
        return {}
    try:
        kept = pickle.loads(value)
    except Exception:
        logger.warning("what a web session kept from before the start could not be read")
        return {}
    return kept if isinstance(kept, dict) else {}
