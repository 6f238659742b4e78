"""Registering a new pupil and case (the chat's /nieuw, the web form); what is taken in is a
`NewPupil` (`bot.services.new_pupil`)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from bot.protocol.rules import ProtocolSettings, thuiszitter_periods
from bot.services import audit
from bot.services.access import NotAvailable, visible_pupil
from bot.services.cases import UpdateError, current_case, label
from bot.services.container import Services
from bot.services.deadlines import DeadlineChanges, pupil_facts, sync_pupils
from bot.services.new_pupil import NewPupil
from bot.services.pupil_search import refresh_tokens
from bot.storage.models import (
    AuditAction,
    Bestuur,
    Case,
    CaseStatus,
    Category,
    Exemption,
    Gemeente,
    LeerplichtLink,
    Pupil,
    Role,
    School,
    User,
)


def categories_for(school_id: int | None) -> list[str]:
    """The categories a new case may have: a pupil without a school is not enrolled (B1); a
    pupil enrolled at a school is not (A1, A2, B2)."""
    if school_id is None:
        return [Category.B1.value]
    return [c.value for c in Category if c is not Category.B1]


def schools_for(*, session: Session, user: User) -> list[tuple[int, str]]:
    """The schools a user may register a pupil at."""
    role = Role(user.role)
    query = select(School).join(Bestuur, col(School.bestuur_id) == col(Bestuur.id))
    if role is Role.ZORGCOORDINATOR:
        query = query.where(School.id == user.school_id)
    elif role is Role.BOC:
        query = query.where(School.bestuur_id == user.bestuur_id)
    else:
        query = query.where(Bestuur.swv_id == user.swv_id)
    return [(s.id, s.name) for s in session.exec(query.order_by(col(School.name))) if s.id]


def gemeenten_for(*, session: Session, user: User) -> list[tuple[int, str]]:
    """The municipalities a user may register a pupil in."""
    query = select(Gemeente).where(Gemeente.swv_id == user.swv_id)
    if Role(user.role) is Role.LEERPLICHT:
        query = query.where(Gemeente.id == user.gemeente_id)
    return [(g.id, g.name) for g in session.exec(query.order_by(col(Gemeente.name))) if g.id]


def register_pupil(
    *, session: Session, user: User, new: NewPupil, now: datetime, settings: ProtocolSettings
) -> tuple[Pupil, DeadlineChanges]:
    """Store the pupil and the first case; the choices are checked against the user again."""
    if new.school_id is not None and new.school_id not in dict(
        schools_for(session=session, user=user)
    ):
        raise NotAvailable
    if new.school_id is None and Role(user.role) is Role.ZORGCOORDINATOR:
        raise NotAvailable
    if new.category not in categories_for(new.school_id):
        # The forms offer only these; anything else was not offered.
        raise NotAvailable
    if new.gemeente_id is not None and new.gemeente_id not in dict(
        gemeenten_for(session=session, user=user)
    ):
        raise NotAvailable
    pupil = Pupil(
        leerling_id=f"TZB-{secrets.token_hex(5).upper()}",
        first_name=new.first_name,
        last_name=new.last_name,
        birth_date=new.birth_date,
        swv_id=user.swv_id,
        school_id=new.school_id,
        gemeente_id=new.gemeente_id,
        created_at=now,
        updated_at=now,
    )
    refresh_tokens(pupil)
    session.add(pupil)
    session.flush()
    assert pupil.id is not None
    audit.record(session, action=AuditAction.CREATE, at=now, actor=user, pupil_id=pupil.id)
    session.add(
        Case(
            pupil_id=pupil.id,
            category=Category(new.category),
            exemption_article=new.article,
            start_date=new.start,
            status=CaseStatus.CURRENT,
            created_at=now,
        )
    )
    if new.category == Category.A2 and new.article:
        session.add(
            Exemption(pupil_id=pupil.id, article=new.article, start_date=new.start, created_at=now)
        )
    if Role(user.role) is Role.LEERPLICHT:
        # The officer who registers a pupil keeps seeing them, whatever the category.
        assert user.id is not None
        link = LeerplichtLink(
            pupil_id=pupil.id, user_id=user.id, created_at=now, created_by_id=user.id
        )
        session.add(link)
    session.flush()
    changes = sync_pupils(
        session=session, pupil_ids=[pupil.id], as_of=now.date(), now=now, settings=settings
    )
    return pupil, changes


def school_choices(services: Services, *, user: User) -> list[tuple[int, str]]:
    """/nieuw: the schools `user` may register a pupil at (see `schools_for`)."""
    with services.session() as session:
        return schools_for(session=session, user=user)


def gemeente_choices(services: Services, *, user: User) -> list[tuple[int, str]]:
    """/nieuw: the municipalities to choose from (see `gemeenten_for`)."""
    with services.session() as session:
        return gemeenten_for(session=session, user=user)


@dataclass(frozen=True)
class Registered:
    """A pupil registered with /nieuw: its id, chat label and the deadlines that came with it."""

    pupil_id: int
    label: str
    changes: DeadlineChanges


def register_new(services: Services, *, user: User, new: NewPupil) -> Registered:
    """/nieuw confirmed: store the pupil and the case. Raises `NotAvailable` when a choice is
    no longer the user's, and then stores nothing."""
    with services.session() as session:
        pupil, changes = register_pupil(
            session=session,
            user=user,
            new=new,
            now=services.clock.now(),
            settings=services.settings.protocol,
        )
        assert pupil.id is not None
        return Registered(pupil.id, label(session=session, pupil=pupil), changes)


# Who may open a thuiszit case for a pupil they see (not leerplicht: the school's own case).
OPENS_CASES = (Role.ZORGCOORDINATOR, Role.BOC, Role.SWV)
# The categories of an enrolled pupil absent 4 weeks: unauthorised (B2) or ill (A1).
THUISZIT_CATEGORIES = (Category.B2, Category.A1)


@dataclass(frozen=True)
class OpenedCase:
    """A case opened from the 4-week deadline: its pupil's label, and what it changed."""

    pupil_id: int
    label: str
    category: str
    start: date
    changes: DeadlineChanges


def open_thuiszit_case(
    services: Services, *, user: User, pupil_id: int, category: str, start: date
) -> OpenedCase:
    """Open the B2 or A1 case of a pupil absent 20 school days without one, from the first day
    absent (`start`, as the 4-week deadline says). Raises NotAvailable when the user may not,
    and UpdateError("case_open") when a case was opened meanwhile; stores nothing then."""
    now = services.clock.now()
    if Role(user.role) not in OPENS_CASES or category not in THUISZIT_CATEGORIES:
        raise NotAvailable
    with services.session() as session:
        pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
        assert pupil.id is not None
        if current_case(session=session, pupil_id=pupil.id) is not None:
            raise UpdateError("case_open")
        session.add(
            Case(
                pupil_id=pupil.id,
                category=Category(category),
                start_date=start,
                status=CaseStatus.CURRENT,
                created_at=now,
            )
        )
        audit.record(
            session,
            action=AuditAction.CREATE,
            at=now,
            actor=user,
            pupil_id=pupil.id,
            detail=f"case {category}",
        )
        session.flush()
        changes = sync_pupils(
            session=session,
            pupil_ids=[pupil.id],
            as_of=now.date(),
            now=now,
            settings=services.settings.protocol,
        )
        return OpenedCase(pupil.id, label(session=session, pupil=pupil), category, start, changes)


def thuiszit_without_case(services: Services, *, user: User, pupil_id: int) -> date | None:
    """The first day absent of a pupil who became a thuiszitter by stored absence while no
    case is open (the day a case opened from the 4-week deadline starts); None otherwise, or
    when the user may not open one."""
    if Role(user.role) not in OPENS_CASES:
        return None
    with services.session() as session:
        try:
            visible_pupil(session=session, user=user, pupil_id=pupil_id)
        except NotAvailable:
            return None
        if current_case(session=session, pupil_id=pupil_id) is not None:
            return None
        facts = pupil_facts(session, [pupil_id]).get(pupil_id)
    periods = [p for p in thuiszitter_periods(facts) if p.case is None] if facts else []
    return periods[-1].first if periods else None
