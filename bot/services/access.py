"""Who may see which pupil: one place, used by every read and write and by the choice of whom
to nudge (seeds 000 and 001). A pupil someone may not see and a pupil that does not exist look
the same from outside: both are `NotAvailable`.

The rule has two forms, side by side below: `visible_pupils`, a filter for the database, and
`may_see`, the same rule on facts already read (to choose the recipients of many nudges at once).
tests/services/test_access_rule.py holds them equal on random worlds.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import Session, col, select

from bot.storage.models import (
    Bestuur,
    Case,
    Category,
    Exemption,
    LeerplichtLink,
    Pupil,
    Role,
    School,
    User,
)

# Leerplicht sees pupils of their own gemeente in these categories without being linked (001 §2).
LEERPLICHT_OWN_CATEGORIES = (Category.B1, Category.A2)


class NotAvailable(Exception):
    """The pupil is unknown or not visible to this user (deliberately the same answer)."""


def visible_pupils(user: User) -> ColumnElement[bool]:
    """A filter on `Pupil` that keeps exactly the pupils `user` may see."""
    if not user.active:
        return false()
    same_swv = col(Pupil.swv_id) == user.swv_id
    role = Role(user.role)
    # `column == None` would compare as IS NULL: someone without a school (or gemeente) would
    # see every pupil without one. Without their organisation they see no such pupils.
    if role is Role.ZORGCOORDINATOR:
        if user.school_id is None:
            return false()
        return and_(same_swv, col(Pupil.school_id) == user.school_id)
    if role is Role.BOC:
        if user.bestuur_id is None:
            return false()
        board_schools = (
            select(School.id)
            .join(Bestuur, col(School.bestuur_id) == col(Bestuur.id))
            .where(School.bestuur_id == user.bestuur_id, Bestuur.swv_id == user.swv_id)
        )
        return and_(same_swv, col(Pupil.school_id).in_(board_schools))
    if role in (Role.SWV, Role.ADMIN):
        return same_swv
    linked = select(LeerplichtLink.pupil_id).where(LeerplichtLink.user_id == user.id)
    own_category = select(Case.pupil_id).where(col(Case.category).in_(LEERPLICHT_OWN_CATEGORIES))
    exempted = select(Exemption.pupil_id)
    if user.gemeente_id is None:
        return and_(same_swv, col(Pupil.id).in_(linked))
    return and_(
        same_swv,
        or_(
            col(Pupil.id).in_(linked),
            and_(
                col(Pupil.gemeente_id) == user.gemeente_id,
                or_(col(Pupil.id).in_(own_category), col(Pupil.id).in_(exempted)),
            ),
        ),
    )


@dataclass(frozen=True)
class PupilFacts:
    """What `may_see` needs of a pupil: its SWV, school and the board (with the board's SWV),
    gemeente, the leerplicht officers linked to it, and whether it is leerplicht's own (a B1 or
    A2 case, or an exemption)."""

    swv_id: int
    school_id: int | None = None
    bestuur_id: int | None = None
    bestuur_swv_id: int | None = None
    gemeente_id: int | None = None
    linked: frozenset[int] = frozenset()
    leerplicht_own: bool = False


def may_see(user: User, pupil: PupilFacts) -> bool:
    """Whether `user` may see the pupil: `visible_pupils`, on facts already read."""
    if not user.active or pupil.swv_id != user.swv_id:
        return False
    role = Role(user.role)
    if role is Role.ZORGCOORDINATOR:
        return pupil.school_id is not None and pupil.school_id == user.school_id
    if role is Role.BOC:
        return (
            pupil.bestuur_id is not None
            and pupil.bestuur_id == user.bestuur_id
            and pupil.bestuur_swv_id == user.swv_id
        )
    if role in (Role.SWV, Role.ADMIN):
        return True
    return user.id in pupil.linked or (
        pupil.leerplicht_own
        and pupil.gemeente_id is not None
        and pupil.gemeente_id == user.gemeente_id
    )


def visible_pupil(*, session: Session, user: User, pupil_id: int) -> Pupil:
    """The pupil, if `user` may see them; otherwise NotAvailable."""
    pupil = session.exec(select(Pupil).where(Pupil.id == pupil_id, visible_pupils(user))).first()
    if pupil is None:
        raise NotAvailable
    return pupil


def visible_case(*, session: Session, user: User, case_id: int) -> tuple[Case, Pupil]:
    """A case and its pupil, if `user` may see the pupil; otherwise NotAvailable."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotAvailable
    return case, visible_pupil(session=session, user=user, pupil_id=case.pupil_id)


def sees_confidential(user: User) -> bool:
    """Medical and confidential notes and files stay with the school side, never leerplicht."""
    return Role(user.role) is not Role.LEERPLICHT


def may_link_leerplicht(user: User) -> bool:
    """Only a BOC-er or the SWV links a leerplicht officer to a pupil."""
    return Role(user.role) in (Role.BOC, Role.SWV, Role.ADMIN)
