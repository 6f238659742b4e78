"""Finding pupils by name through keyed tokens: the names themselves are stored encrypted."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from bot.services.access import visible_pupils
from bot.services.naming import initials, surname_initial
from bot.storage import crypto
from bot.storage.crypto import fold_name
from bot.storage.models import Case, Pupil, User

# The keyed name tokens of a pupil, one column each.
TOKEN_COLUMNS = ("token_first", "token_full", "token_short", "token_initials")


def _short(first: str, last: str) -> str:
    return f"{first} {surname_initial(last)}"


def token_columns(first_name: str, last_name: str) -> dict[str, str]:
    """The token columns for a pupil with these names, under the current key."""
    ring = crypto.active()
    return {
        "token_first": ring.token(first_name),
        "token_full": ring.token(f"{first_name} {last_name}"),
        "token_short": ring.token(_short(first_name, last_name)),
        "token_initials": ring.token(initials(first_name, last_name)),
    }


def refresh_tokens(pupil: Pupil) -> None:
    """Set the pupil's tokens from their names (after a change of name or of key)."""
    for column, value in token_columns(pupil.first_name, pupil.last_name).items():
        setattr(pupil, column, value)


# "S.V. #42", "Sanne V. #42", "#42": the chat's label, typed back (the number is the case's).
_LABEL = re.compile(r"^(?P<name>.*?)\s*#\s*(?P<case>\d{1,9})$")
# "S.V." or "s. v.": initials, with their dots (two letters alone may be a name: "Bo").
_INITIALS = re.compile(r"^([^\W\d_])\.\s*([^\W\d_])\.?$")


def find_pupils(*, session: Session, user: User, name: str) -> list[Pupil]:
    """Visible pupils that `name` refers to: a first name, a full name, "Sanne V.", or the
    chat's label ("S.V. #42", "#42", "S.V.")."""
    wanted = fold_name(name).strip()
    label = _LABEL.match(wanted)
    if label is not None:
        by_case = _by_case(session=session, user=user, case_id=int(label.group("case")))
        named = label.group("name").strip()
        if by_case is None or not named:
            return [by_case] if by_case is not None else []
        # "S.P. #24" where #24 is L.N.'s: which one was meant is not guessed.
        same = find_pupils(session=session, user=user, name=named)
        return [p for p in same if p.id == by_case.id]
    ring = crypto.active()
    letters = _INITIALS.match(wanted)
    if letters is not None:
        typed = f"{letters.group(1)}.{letters.group(2)}."
        return _matching(session, user, [Pupil.token_initials], ring.tokens(typed))
    wanted = wanted.rstrip(".").strip()
    if not wanted:
        return []
    tokens = ring.tokens(wanted)
    words = wanted.split()
    if len(words) == 1:
        # One word is a first name: a full or short name of one word is that first name too
        # (a pupil without a surname), so one statement finds both and the exact ones win.
        named = _matching(session, user, [Pupil.token_first], tokens)
        exact = [p for p in named if p.token_full in tokens or p.token_short in tokens]
        return exact or named
    # "Sanne V": a first name and a surname initial (two letters folded from the Dutch "Ĳ").
    short = [Pupil.token_full, Pupil.token_short] if len(words[-1]) <= 2 else [Pupil.token_full]
    return _matching(session, user, short, tokens) or _matching(
        session, user, [Pupil.token_first], tokens
    )


def _matching(session: Session, user: User, columns: list[str], tokens: list[str]) -> list[Pupil]:
    """The visible pupils with one of `tokens` in one of `columns`, by id. One statement per
    column, without ORDER BY: the planner then enters the pupil table through that column's
    index (token, SWV, school) whatever its statistics say; an OR of two columns, or an order
    by id, let SQLite read a whole SWV through `ix_pupil_swv_id` instead."""
    found: dict[int | None, Pupil] = {}
    for column in columns:
        rows = session.exec(select(Pupil).where(col(column).in_(tokens), visible_pupils(user)))
        found.update((pupil.id, pupil) for pupil in rows)
    return sorted(found.values(), key=lambda pupil: pupil.id or 0)


def _by_case(*, session: Session, user: User, case_id: int) -> Pupil | None:
    """The visible pupil whose case has this number."""
    return session.exec(
        select(Pupil)
        .join(Case, col(Case.pupil_id) == col(Pupil.id))
        .where(col(Case.id) == case_id, visible_pupils(user))
    ).first()
