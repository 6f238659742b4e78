"""Who may see which pupil: one place, used by every read and write (PROTOCOL.md, "Who may see
what"; seeds 000 and 001). A pupil someone may not see and a pupil that does not exist look the
same from outside: both are `NotAvailable`."""

from __future__ import annotations

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
_LEERPLICHT_OWN_CATEGORIES = (Category.B1.value, Category.A2.value)


class NotAvailable(Exception):
    """The pupil is unknown or not visible to this user (deliberately the same answer)."""


def visible_pupils(user: User) -> ColumnElement[bool]:
    """A filter on `Pupil` that keeps exactly the pupils `user` may see."""
    if not user.active:
        return false()
    same_swv = col(Pupil.swv_id) == user.swv_id
    role = Role(user.role)
    if role is Role.ZORGCOORDINATOR:
        return and_(same_swv, col(Pupil.school_id) == user.school_id)
    if role is Role.BOC:
        board_schools = (
            select(School.id)
            .join(Bestuur, col(School.bestuur_id) == col(Bestuur.id))
            .where(School.bestuur_id == user.bestuur_id, Bestuur.swv_id == user.swv_id)
        )
        return and_(same_swv, col(Pupil.school_id).in_(board_schools))
    if role in (Role.SWV, Role.ADMIN):
        return same_swv
    linked = select(LeerplichtLink.pupil_id).where(LeerplichtLink.user_id == user.id)
    own_category = select(Case.pupil_id).where(col(Case.category).in_(_LEERPLICHT_OWN_CATEGORIES))
    exempted = select(Exemption.pupil_id)
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
