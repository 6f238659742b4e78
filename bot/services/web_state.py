"""The web pages' sign-in links and sessions in the database (`web_access.SessionStore`), so
that a restart or a standby taking over signs nobody out."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, update
from sqlmodel import Session, col, select

from bot.services.web_access import Link, WebSession
from bot.storage.side_tables import CalendarFeedRow, WebLinkRow, WebSessionRow


class DatabaseSessions:
    """Links and sessions as rows; each method one transaction of `unit_of_work`."""

    def __init__(self, unit_of_work: Callable[[], AbstractContextManager[Session]]) -> None:
        self._unit_of_work = unit_of_work

    def add_link(self, key: str, link: Link) -> None:
        with self._unit_of_work() as session:
            session.add(
                WebLinkRow(
                    key=key, user_id=link.user_id, generation=link.generation, expires=link.expires
                )
            )

    def take_link(self, key: str) -> Link | None:
        with self._unit_of_work() as session:
            row = session.get(WebLinkRow, key)
            if row is None:
                return None
            link = Link(row.user_id, row.expires, row.generation)
            # Used once even when two processes are asked at once: only one delete finds it.
            gone = cast(
                CursorResult[Any],
                session.execute(delete(WebLinkRow).where(col(WebLinkRow.key) == key)),
            )
            return link if gone.rowcount == 1 else None

    def add_session(self, session: WebSession, *, keep_newest: int) -> list[str]:
        with self._unit_of_work() as db:
            own = db.exec(
                select(WebSessionRow.key)
                .where(WebSessionRow.user_id == session.user_id)
                .order_by(col(WebSessionRow.last_used).desc(), col(WebSessionRow.key))
            ).all()
            dropped = list(own[keep_newest - 1 :])
            if dropped:
                db.execute(delete(WebSessionRow).where(col(WebSessionRow.key).in_(dropped)))
            db.add(
                WebSessionRow(
                    key=session.key,
                    user_id=session.user_id,
                    generation=session.generation,
                    last_used=session.last_used,
                    csrf=session.csrf,
                    kept=session.stored_kept,
                )
            )
            return dropped

    def load_session(self, key: str) -> WebSession | None:
        with self._unit_of_work() as db:
            row = db.exec(select(WebSessionRow).where(WebSessionRow.key == key)).first()
            if row is None:
                return None
            return WebSession(
                row.user_id,
                row.csrf,
                row.last_used,
                row.generation,
                key=key,
                stored_used=row.last_used,
                stored_kept=row.kept or b"",
            )

    def touch(self, key: str, last_used: datetime) -> None:
        self._set(key, last_used=last_used)

    def save_kept(self, key: str, kept: bytes) -> None:
        self._set(key, kept=kept)

    def delete(self, key: str) -> None:
        with self._unit_of_work() as db:
            db.execute(delete(WebSessionRow).where(col(WebSessionRow.key) == key))

    def delete_user(self, user_id: int) -> None:
        with self._unit_of_work() as db:
            end_user(db, user_id)

    def sweep(self, *, links_before: datetime, sessions_before: datetime) -> None:
        with self._unit_of_work() as db:
            db.execute(delete(WebLinkRow).where(col(WebLinkRow.expires) < links_before))
            db.execute(delete(WebSessionRow).where(col(WebSessionRow.last_used) < sessions_before))

    def _set(self, key: str, **values: object) -> None:
        # Through the ORM's column types: `kept` is sealed on the way in.
        with self._unit_of_work() as db:
            db.execute(update(WebSessionRow).where(col(WebSessionRow.key) == key).values(**values))


def end_user(db: Session, user_id: int) -> None:
    """Delete a user's sessions, links and calendar feed in the unit of work `db` (their
    access changed)."""
    db.execute(delete(WebSessionRow).where(col(WebSessionRow.user_id) == user_id))
    db.execute(delete(WebLinkRow).where(col(WebLinkRow.user_id) == user_id))
    db.execute(delete(CalendarFeedRow).where(col(CalendarFeedRow.user_id) == user_id))
