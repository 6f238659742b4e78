"""Linking a leerplicht officer to a pupil (done by a BOC-er or the SWV; 000, 001)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.services import audit
from bot.services.access import NotAvailable, may_link_leerplicht, visible_pupil
from bot.services.cases import label
from bot.services.container import Services
from bot.services.deadlines import sync_pupils
from bot.storage.models import AuditAction, Gemeente, LeerplichtLink, Role, User


def officers_for(*, session: Session, user: User, pupil_id: int) -> list[tuple[User, bool]]:
    """The active leerplicht officers of the pupil's SWV, each with whether already linked."""
    if not may_link_leerplicht(user):
        raise NotAvailable
    pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
    linked = set(
        session.exec(select(LeerplichtLink.user_id).where(LeerplichtLink.pupil_id == pupil.id))
    )
    officers = session.exec(
        select(User)
        .where(
            User.role == Role.LEERPLICHT,
            User.swv_id == pupil.swv_id,
            col(User.active).is_(True),
        )
        .order_by(col(User.display_name), col(User.id))
    )
    return [(officer, officer.id in linked) for officer in officers]


def _officer(session: Session, officer_id: int, swv_id: int) -> User:
    officer = session.get(User, officer_id)
    if (
        officer is None
        or officer.role != Role.LEERPLICHT
        or officer.swv_id != swv_id
        or not officer.active
    ):
        raise NotAvailable
    return officer


def link(
    *, session: Session, user: User, pupil_id: int, officer_id: int, now: datetime
) -> tuple[User, bool]:
    """Link; returns the officer and whether a new link was made (False: it existed)."""
    if not may_link_leerplicht(user):
        raise NotAvailable
    pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
    officer = _officer(session, officer_id, pupil.swv_id)
    exists = session.exec(
        select(LeerplichtLink).where(
            LeerplichtLink.pupil_id == pupil_id, LeerplichtLink.user_id == officer_id
        )
    ).first()
    if exists is not None:
        return officer, False
    session.add(
        LeerplichtLink(pupil_id=pupil_id, user_id=officer_id, created_at=now, created_by_id=user.id)
    )
    audit.record(
        session,
        action=AuditAction.LINK,
        at=now,
        actor=user,
        pupil_id=pupil_id,
        subject_user_id=officer_id,
    )
    session.flush()
    return officer, True


def unlink(*, session: Session, user: User, pupil_id: int, officer_id: int, now: datetime) -> bool:
    """Remove a link; False when there was none."""
    if not may_link_leerplicht(user):
        raise NotAvailable
    visible_pupil(session=session, user=user, pupil_id=pupil_id)
    existing = session.exec(
        select(LeerplichtLink).where(
            LeerplichtLink.pupil_id == pupil_id, LeerplichtLink.user_id == officer_id
        )
    ).first()
    if existing is None:
        return False
    session.delete(existing)
    audit.record(
        session,
        action=AuditAction.UNLINK,
        at=now,
        actor=user,
        pupil_id=pupil_id,
        subject_user_id=officer_id,
    )
    session.flush()
    return True


@dataclass(frozen=True)
class LinkOptions:
    """The pupil's chat label and the officers one may (un)link: id and name with gemeente."""

    pupil: str
    officers: list[tuple[int, str]]


@dataclass(frozen=True)
class LinkChanged:
    """A link made or removed: the pupil's chat label and the officer (None if gone since)."""

    pupil: str
    officer: User | None


def link_options(services: Services, *, user: User, pupil_id: int, linking: bool) -> LinkOptions:
    """/koppel, /ontkoppel: the officers not yet linked (or linked) to the pupil. Raises
    `NotAvailable` when `user` may not link or not see the pupil."""
    with services.session() as session:
        officers = officers_for(session=session, user=user, pupil_id=pupil_id)
        pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
        names: list[tuple[int, str]] = []
        for officer, linked in officers:
            if linked == linking or officer.id is None:
                continue
            gemeente = session.get(Gemeente, officer.gemeente_id) if officer.gemeente_id else None
            name = officer.display_name or f"#{officer.id}"
            names.append((officer.id, f"{name} ({gemeente.name})" if gemeente else name))
        return LinkOptions(pupil=label(session=session, pupil=pupil), officers=names)


def change_link(
    services: Services, *, user: User, pupil_id: int, officer_id: int, linking: bool
) -> LinkChanged:
    """Link (or unlink) the officer and the pupil; raises `NotAvailable` as `link` does."""
    now = services.clock.now()
    with services.session() as session:
        officer: User | None
        if linking:
            officer, _new = link(
                session=session, user=user, pupil_id=pupil_id, officer_id=officer_id, now=now
            )
        else:
            unlink(session=session, user=user, pupil_id=pupil_id, officer_id=officer_id, now=now)
            officer = session.get(User, officer_id)
        # Who is linked decides whether a melding still asks the BOC-er to link someone.
        sync_pupils(
            session=session,
            pupil_ids=[pupil_id],
            as_of=now.astimezone(services.settings.tz).date(),
            now=now,
            settings=services.settings.protocol,
        )
        pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
        return LinkChanged(pupil=label(session=session, pupil=pupil), officer=officer)
