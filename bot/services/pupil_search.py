"""Finding pupils by name through keyed tokens: the names themselves are stored encrypted."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.services.access import visible_pupils
from bot.services.naming import surname_initial
from bot.storage import crypto
from bot.storage.crypto import fold_name
from bot.storage.models import Pupil, User


def _short(first: str, last: str) -> str:
    return f"{first} {surname_initial(last)}"


def token_columns(first_name: str, last_name: str) -> dict[str, str]:
    """The token columns for a pupil with these names, under the current key."""
    ring = crypto.active()
    return {
        "token_first": ring.token(first_name),
        "token_full": ring.token(f"{first_name} {last_name}"),
        "token_short": ring.token(_short(first_name, last_name)),
    }


def refresh_tokens(pupil: Pupil) -> None:
    """Set the pupil's tokens from their names (after a change of name or of key)."""
    for column, value in token_columns(pupil.first_name, pupil.last_name).items():
        setattr(pupil, column, value)


def find_pupils(*, session: Session, user: User, name: str) -> list[Pupil]:
    """Visible pupils that `name` refers to: a first name, a full name, or "Sanne V."."""
    wanted = fold_name(name).rstrip(".").strip()
    if not wanted:
        return []
    ring = crypto.active()
    tokens = ring.tokens(wanted)
    base = select(Pupil).where(visible_pupils(user)).order_by(col(Pupil.id))
    exact = list(
        session.exec(
            base.where(or_(col(Pupil.token_full).in_(tokens), col(Pupil.token_short).in_(tokens)))
        )
    )
    if exact:
        return exact
    return list(session.exec(base.where(col(Pupil.token_first).in_(tokens))))
