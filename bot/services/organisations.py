"""Registering and finding organisations: SWV → besturen → scholen, and gemeenten."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from bot.protocol.rules import SWITCHABLE, ProtocolSettings
from bot.services.container import Services
from bot.services.deadlines import sync_pupils
from bot.storage.models import (
    ROLE_ORG_KIND,
    Bestuur,
    Gemeente,
    OrgKind,
    Pupil,
    Region,
    Role,
    School,
    SchoolClosure,
    SchoolType,
    Swv,
    User,
)

# A BRIN number: 2 digits and 2 letters or digits ("12AB"), optionally a 2-digit branch ("12AB00").
_BRIN_PATTERN = re.compile(r"^[0-9]{2}[A-Z0-9]{2}([0-9]{2})?$")


class OrganisationError(Exception):
    """An organisation cannot be added or found; `code` picks the message shown to people."""

    def __init__(self, code: str, **details: str) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def organisation(session: Session, kind: str, org_id: int) -> Swv | Bestuur | Gemeente | None:
    """The organisation a deadline or a report names by kind ("swv", "bestuur", "gemeente")."""
    if kind == "swv":
        return session.get(Swv, org_id)
    if kind == "bestuur":
        return session.get(Bestuur, org_id)
    if kind == "gemeente":
        return session.get(Gemeente, org_id)
    return None


def normalise_brin(brin: str) -> str:
    """BRIN numbers are written in capitals without spaces."""
    return brin.strip().upper().replace(" ", "")


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 200:
        raise OrganisationError("bad_name")
    return cleaned


def add_swv(*, session: Session, name: str, today: date) -> Swv:
    """Register an SWV."""
    name = _clean_name(name)
    if session.exec(select(Swv).where(Swv.name == name)).first():
        raise OrganisationError("exists", name=name)
    swv = Swv(name=name, registered_on=today)
    session.add(swv)
    session.flush()
    return swv


def add_bestuur(*, session: Session, name: str, swv_name: str, today: date) -> Bestuur:
    """Register a school board within an SWV."""
    name = _clean_name(name)
    swv = get_swv(session=session, name=swv_name)
    if session.exec(select(Bestuur).where(Bestuur.name == name)).first():
        raise OrganisationError("exists", name=name)
    assert swv.id is not None
    bestuur = Bestuur(name=name, swv_id=swv.id, registered_on=today)
    session.add(bestuur)
    session.flush()
    return bestuur


def add_gemeente(*, session: Session, name: str, swv_name: str, today: date) -> Gemeente:
    """Register a municipality as part of an SWV."""
    name = _clean_name(name)
    swv = get_swv(session=session, name=swv_name)
    if session.exec(select(Gemeente).where(Gemeente.name == name)).first():
        raise OrganisationError("exists", name=name)
    assert swv.id is not None
    gemeente = Gemeente(name=name, swv_id=swv.id, registered_on=today)
    session.add(gemeente)
    session.flush()
    return gemeente


def add_school(
    *,
    session: Session,
    brin: str,
    name: str,
    school_type: str,
    region: str,
    bestuur_name: str,
    today: date,
) -> School:
    """Register a school with its BRIN, type and holiday region, under a board."""
    brin = normalise_brin(brin)
    if not _BRIN_PATTERN.match(brin):
        raise OrganisationError("bad_brin", brin=brin)
    try:
        kind = SchoolType(school_type.strip().upper())
    except ValueError:
        raise OrganisationError("bad_school_type", value=school_type) from None
    try:
        regio = Region(region.strip().lower())
    except ValueError:
        raise OrganisationError("bad_region", value=region) from None
    bestuur = get_bestuur(session=session, name=bestuur_name)
    if session.exec(select(School).where(School.brin == brin)).first():
        raise OrganisationError("exists", name=brin)
    assert bestuur.id is not None
    school = School(
        brin=brin,
        name=_clean_name(name),
        onderwijssoort=kind.value,
        regio=regio.value,
        bestuur_id=bestuur.id,
        registered_on=today,
    )
    session.add(school)
    session.flush()
    return school


def get_swv(*, session: Session, name: str) -> Swv:
    """The SWV with this name, or OrganisationError("unknown")."""
    swv = session.exec(select(Swv).where(Swv.name == " ".join(name.split()))).first()
    if swv is None:
        raise OrganisationError("unknown", kind=OrgKind.SWV.value, name=name)
    return swv


def get_bestuur(*, session: Session, name: str) -> Bestuur:
    """The board with this name, or OrganisationError("unknown")."""
    bestuur = session.exec(select(Bestuur).where(Bestuur.name == " ".join(name.split()))).first()
    if bestuur is None:
        raise OrganisationError("unknown", kind=OrgKind.BESTUUR.value, name=name)
    return bestuur


def get_gemeente(*, session: Session, name: str) -> Gemeente:
    """The municipality with this name, or OrganisationError("unknown")."""
    gemeente = session.exec(select(Gemeente).where(Gemeente.name == " ".join(name.split()))).first()
    if gemeente is None:
        raise OrganisationError("unknown", kind=OrgKind.GEMEENTE.value, name=name)
    return gemeente


def get_school(*, session: Session, brin: str) -> School:
    """The school with this BRIN, or OrganisationError("unknown")."""
    school = session.exec(select(School).where(School.brin == normalise_brin(brin))).first()
    if school is None:
        raise OrganisationError("unknown", kind=OrgKind.SCHOOL.value, name=brin)
    return school


@dataclass(frozen=True)
class OrgRow:
    """One line of `org list`."""

    kind: OrgKind
    name: str
    detail: str
    parent: str
    # The roles that receive this organisation's deadlines and have nobody active here.
    missing: tuple[Role, ...] = ()


def list_organisations(*, session: Session, swv_id: int | None = None) -> list[OrgRow]:
    """Every organisation (of one SWV, if given), SWV by SWV, each with the roles nobody
    fills: for `org list` and the administrator's /gebruikers."""
    staff = session.exec(
        select(User).where(col(User.active).is_(True), col(User.revoked_at).is_(None))
    )
    # Each role is at one kind of organisation: a zorgcoördinator's school, a BOC-er's board.
    filled = {
        (
            user.role,
            {
                OrgKind.SWV: user.swv_id,
                OrgKind.BESTUUR: user.bestuur_id,
                OrgKind.SCHOOL: user.school_id,
                OrgKind.GEMEENTE: user.gemeente_id,
            }[ROLE_ORG_KIND[user.role]],
        )
        for user in staff
    }

    def missing(roles: tuple[Role, ...], org_id: int | None) -> tuple[Role, ...]:
        return tuple(role for role in roles if (role, org_id) not in filled)

    rows: list[OrgRow] = []
    swvs = select(Swv).order_by(Swv.name)
    for swv in session.exec(swvs if swv_id is None else swvs.where(Swv.id == swv_id)):
        rows.append(OrgRow(OrgKind.SWV, swv.name, "", "", missing((Role.SWV, Role.ADMIN), swv.id)))
        for bestuur in session.exec(
            select(Bestuur).where(Bestuur.swv_id == swv.id).order_by(Bestuur.name)
        ):
            rows.append(
                OrgRow(
                    OrgKind.BESTUUR, bestuur.name, "", swv.name, missing((Role.BOC,), bestuur.id)
                )
            )
            for school in session.exec(
                select(School).where(School.bestuur_id == bestuur.id).order_by(School.brin)
            ):
                detail = f"{school.brin} {school.onderwijssoort} {school.regio}"
                lacking = missing((Role.ZORGCOORDINATOR,), school.id)
                rows.append(OrgRow(OrgKind.SCHOOL, school.name, detail, bestuur.name, lacking))
        for gemeente in session.exec(
            select(Gemeente).where(Gemeente.swv_id == swv.id).order_by(Gemeente.name)
        ):
            lacking = missing((Role.LEERPLICHT,), gemeente.id)
            rows.append(OrgRow(OrgKind.GEMEENTE, gemeente.name, "", swv.name, lacking))
    return rows


def add_closures(*, session: Session, brin: str, first: date, last: date) -> int:
    """Add the school's own closure days from `first` to `last`; returns how many were new."""
    school = get_school(session=session, brin=brin)
    assert school.id is not None
    existing = set(
        session.exec(select(col(SchoolClosure.day)).where(SchoolClosure.school_id == school.id))
    )
    added = 0
    day = first
    while day <= last:
        if day not in existing:
            session.add(SchoolClosure(school_id=school.id, day=day))
            added += 1
        day += timedelta(days=1)
    session.flush()
    return added


def recompute_school(
    *, session: Session, brin: str, as_of: date, now: datetime, settings: ProtocolSettings
) -> None:
    """Recompute the deadlines of a school's pupils (after its calendar changed)."""
    school = get_school(session=session, brin=brin)
    pupil_ids = [
        pid for pid in session.exec(select(Pupil.id).where(Pupil.school_id == school.id)) if pid
    ]
    sync_pupils(session=session, pupil_ids=pupil_ids, as_of=as_of, now=now, settings=settings)


def switch_rules_off(
    *,
    session: Session,
    swv_name: str,
    codes: Sequence[str],
    as_of: date,
    now: datetime,
    settings: ProtocolSettings,
) -> tuple[str, ...]:
    """Set the early warnings an SWV switched off (an empty list: all on), and recompute its
    pupils' deadlines; OrganisationError("not_switchable") for any other rule code."""
    wanted = tuple(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    refused = [code for code in wanted if code not in SWITCHABLE]
    if refused:
        raise OrganisationError("not_switchable", value=", ".join(refused))
    swv = get_swv(session=session, name=swv_name)
    swv.rules_off = ",".join(wanted)
    session.add(swv)
    session.flush()
    pupil_ids = [pid for pid in session.exec(select(Pupil.id).where(Pupil.swv_id == swv.id)) if pid]
    sync_pupils(session=session, pupil_ids=pupil_ids, as_of=as_of, now=now, settings=settings)
    return wanted


def set_clear_named_messages(*, session: Session, swv_name: str, on: bool) -> None:
    """Whether the bot deletes a user's chat message that named a pupil, once it is saved (only
    with the web pages on, where the chat keeps pointers only)."""
    swv = get_swv(session=session, name=swv_name)
    swv.clear_named_messages = on
    session.add(swv)
    session.flush()


def clears_named_messages(services: Services, *, user: User) -> bool:
    """Whether `user`'s own messages that name a pupil are deleted once saved: their SWV chose
    so, and the web pages are on (without them the chat is the only place the data is seen)."""
    if services.settings.web_base_url is None:
        return False
    with services.session() as session:
        swv = session.get(Swv, user.swv_id)
        return swv is not None and swv.clear_named_messages
