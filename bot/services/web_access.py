"""Who is at the web pages: a Telegram Mini App's signed `initData`, or a browser session begun
with a one-time sign-in link from `/web`.

Links and sessions are kept in the bot's memory, never in the database: a restart signs everyone
out, and a stolen database holds no way in. Only digests of the secrets are kept, so that a dump of
the process' memory does not hand out working links either.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

INIT_DATA_MAX_AGE = timedelta(hours=1)
LINK_VALID = timedelta(minutes=10)
SESSION_IDLE = timedelta(minutes=30)
# A bound on what one process keeps: old links and sessions are dropped first.
_MAX_KEPT = 10_000


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


@dataclass(frozen=True)
class _Link:
    user_id: int
    expires: datetime
    generation: int = 0


# A user's own sessions beyond this replace their oldest (never someone else's).
SESSIONS_PER_USER = 5


class WebSessions:
    """One-time sign-in links (valid 10 minutes, used once) and the sessions they open."""

    def __init__(self, *, idle: timedelta = SESSION_IDLE) -> None:
        self.idle = idle
        self._links: dict[str, _Link] = {}
        self._sessions: dict[str, WebSession] = {}

    def new_link(self, user_id: int, *, now: datetime, generation: int = 0) -> str:
        """A fresh sign-in token for `user_id` under their access `generation`; it opens one
        session, within LINK_VALID."""
        self._forget_old(now)
        token = secrets.token_urlsafe(32)
        self._links[_digest(token)] = _Link(user_id, now + LINK_VALID, generation)
        return token

    def redeem(
        self, token: str, *, now: datetime, current: Callable[[int], int | None]
    ) -> tuple[str, WebSession] | None:
        """Use a sign-in token: a new session, or None when it is unknown, used, expired, or
        made under another grant than the user's `current` one (None: no access at all)."""
        link = self._links.pop(_digest(token), None)
        if link is None or link.expires < now or current(link.user_id) != link.generation:
            return None
        return self.open(link.user_id, now=now, generation=link.generation)

    def open(self, user_id: int, *, now: datetime, generation: int = 0) -> tuple[str, WebSession]:
        """A new session for `user_id` (after a sign-in link or a checked initData); a user's
        sessions beyond SESSIONS_PER_USER replace their own oldest."""
        self._forget_old(now)
        own = sorted(
            (s.last_used, key) for key, s in self._sessions.items() if s.user_id == user_id
        )
        for _last_used, key in own[: max(0, len(own) - SESSIONS_PER_USER + 1)]:
            del self._sessions[key]
        session_id = secrets.token_urlsafe(32)
        session = WebSession(user_id, secrets.token_urlsafe(24), now, generation)
        self._sessions[_digest(session_id)] = session
        return session_id, session

    def get(self, session_id: str, *, now: datetime) -> WebSession | None:
        """The session, if it was used within the idle timeout. Only `keep` (once the user's
        access was checked again) keeps it alive: a refused request never does."""
        key = _digest(session_id)
        session = self._sessions.get(key)
        if session is None:
            return None
        if now - session.last_used > self.idle:
            del self._sessions[key]
            return None
        return session

    def keep(self, session: WebSession, *, now: datetime) -> None:
        """The session was used by a user who still has this access."""
        session.last_used = now

    def close(self, session_id: str) -> None:
        """Sign out."""
        self._sessions.pop(_digest(session_id), None)

    def close_user(self, user_id: int) -> None:
        """End every session and link of a user (access withdrawn)."""
        self._sessions = {k: s for k, s in self._sessions.items() if s.user_id != user_id}
        self._links = {k: link for k, link in self._links.items() if link.user_id != user_id}

    def _forget_old(self, now: datetime) -> None:
        self._links = {k: link for k, link in self._links.items() if link.expires >= now}
        self._sessions = {k: s for k, s in self._sessions.items() if now - s.last_used <= self.idle}
        for kept in (self._links, self._sessions):
            while len(kept) >= _MAX_KEPT:
                kept.pop(next(iter(kept)))
