"""Reading and changing the case registry, always through the access rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import case as sa_case
from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.protocol.calendar import SchoolCalendar
from bot.protocol.parsing import (
    ABSENCE_ITEMS,
    AbsenceOnDay,
    AbsencePeriod,
    BackAtSchool,
    ContactPerson,
    Entry,
    Evaluation,
    Exemption,
    Item,
    LateArrival,
    Movement,
    Offer,
    QuickUpdate,
    Result,
    Suspension,
    Variawet,
    VariawetStep,
)
from bot.protocol.quick_checks import Checked, check_absences
from bot.protocol.rules import ProtocolSettings
from bot.protocol.vocabulary import DAILY_KINDS, AbsenceKind, EntryKind, MovementKind
from bot.services import audit
from bot.services.access import NotAvailable, sees_confidential, visible_pupil, visible_pupils
from bot.services.action_results import aimed_result, store_result
from bot.services.container import Services
from bot.services.deadlines import DeadlineChanges, sync_pupils
from bot.services.errors import UpdateError as UpdateError
from bot.services.naming import close_names, pupil_label
from bot.services.pupil_search import find_pupils
from bot.storage.crypto import fold_name
from bot.storage.models import (
    Absence,
    AuditAction,
    Case,
    CaseEntry,
    CaseStatus,
    Category,
    DeadlineRow,
    Nudge,
    Pupil,
    School,
    SchoolClosure,
    SchoolType,
    Swv,
    User,
    VariawetApplication,
)
from bot.storage.models import (
    Exemption as Exemption_,
)
from bot.storage.models import (
    Movement as Movement_,
)
from bot.storage.models import (
    Suspension as Suspension_,
)
from bot.texts import aside


def current_case(*, session: Session, pupil_id: int) -> Case | None:
    """The open case (no end date) that started last, or None."""
    return session.exec(
        select(Case)
        .where(Case.pupil_id == pupil_id, col(Case.end_date).is_(None))
        .order_by(col(Case.start_date).desc(), col(Case.id).desc())
    ).first()


def _latest_case(pupil_id: int) -> SelectOfScalar[Case]:
    is_open = col(Case.end_date).is_(None)
    return (
        select(Case)
        .where(Case.pupil_id == pupil_id)
        .order_by(
            is_open.desc(),
            sa_case((is_open, col(Case.start_date)), else_=col(Case.end_date)).desc(),
            col(Case.id).desc(),
        )
    )


def latest_case(*, session: Session, pupil_id: int) -> Case | None:
    """The open case (as `current_case`), else the case that ended last: in one query."""
    return session.exec(_latest_case(pupil_id)).first()


def label(*, session: Session, pupil: Pupil) -> str:
    """How chat messages name this pupil ("S.V. #42"): the SWV's naming and the latest case's
    number, in one statement."""
    assert pupil.id is not None
    naming, case_id = session.execute(
        select(
            select(Swv.pupil_naming).where(Swv.id == pupil.swv_id).scalar_subquery(),
            _latest_case(pupil.id).with_only_columns(col(Case.id)).limit(1).scalar_subquery(),
        )
    ).one()
    return pupil_label(pupil.first_name, pupil.last_name, case_id, naming or "initials")


def calendar_for(*, session: Session, school: School | None) -> SchoolCalendar:
    """The calendar of a pupil's school (None: no school), with its own closure days (working
    days when there is no school)."""
    if school is None:
        return SchoolCalendar(None)
    closures = session.exec(
        select(col(SchoolClosure.day)).where(SchoolClosure.school_id == school.id)
    )
    return SchoolCalendar(school.regio, frozenset(closures))


def daily_hours(*, school: School | None, settings: ProtocolSettings) -> float:
    """Scheduled lesson hours on one school day at a pupil's school (project default: 25 h/week
    PO, 30 h/week VO)."""
    po = school is None or SchoolType(school.onderwijssoort) in _PRIMARY
    return (settings.weekly_hours_po if po else settings.weekly_hours_vo) / 5


_PRIMARY = frozenset({SchoolType.PO, SchoolType.SO, SchoolType.SBO})


@dataclass(frozen=True)
class Applied:
    """What a saved update did, including the deadlines it created or closed."""

    pupil_id: int
    case_id: int | None
    changes: DeadlineChanges = field(default_factory=DeadlineChanges)


@dataclass(frozen=True)
class PreparedUpdate:
    """An understood update for one pupil, with the exact absence rows it will store: what the
    confirmation shows and what Save writes."""

    pupil_id: int
    update: QuickUpdate
    checked: Checked
    daily_hours: float


def prepare_update(
    *,
    session: Session,
    user: User,
    pupil_id: int,
    update: QuickUpdate,
    today: date,
    settings: ProtocolSettings,
    visible: Pupil | None = None,
) -> PreparedUpdate:
    """Work out what `update` would store for a pupil the user may see; raises NotAvailable
    otherwise, and UpdateError when a period holds no school day. Stores nothing. `visible`:
    the pupil, when this session read it already as one the user may see."""
    pupil = visible or visible_pupil(session=session, user=user, pupil_id=pupil_id)
    assert pupil.id is not None
    school = session.get(School, pupil.school_id) if pupil.school_id else None
    hours = daily_hours(school=school, settings=settings)
    absence_items = [i for i in update.items if isinstance(i, ABSENCE_ITEMS)]
    stored = _stored_hours(session, pupil.id, absence_items)
    checked = check_absences(
        absence_items,
        calendar=calendar_for(session=session, school=school),
        daily_hours=hours,
        late_hours=settings.late_arrival_hours,
        stored=stored,
        today=today,
    )
    if any(period.school_days == 0 for period in checked.periods):
        raise UpdateError("no_school_days")
    if any(isinstance(item, Result) for item in update.items):
        aimed = tuple(
            aimed_result(session, user, _case_id(session, pupil.id), item, today)
            if isinstance(item, Result)
            else item
            for item in update.items
        )
        update = replace(update, items=aimed)
    return PreparedUpdate(pupil.id, update, checked, hours)


def _stored_hours(
    session: Session, pupil_id: int, items: Sequence[Item]
) -> dict[tuple[date, AbsenceKind], float]:
    days = [
        getattr(item, name)
        for item in items
        for name in ("day", "start", "end")
        if hasattr(item, name)
    ]
    if not days:
        return {}
    rows = session.exec(
        select(Absence).where(
            Absence.pupil_id == pupil_id,
            col(Absence.day) >= min(days),
            col(Absence.day) <= max(days),
            col(Absence.kind).in_([kind.value for kind in DAILY_KINDS]),
        )
    )
    return {(row.day, AbsenceKind(row.kind)): row.hours for row in rows}


def apply_update(
    *,
    session: Session,
    user: User,
    prepared: PreparedUpdate,
    replace: bool,
    now: datetime,
    settings: ProtocolSettings,
    visible: Pupil | None = None,
) -> Applied:
    """Store a prepared update exactly as it was shown: absence hours added to what was stored
    (or replacing it when the user chose so), and the other facts. Raises NotAvailable when the
    user may no longer see the pupil, UpdateError("changed_meanwhile") when someone stored
    absence on one of its days since it was shown. `visible`: the pupil, when this session
    read it already as one the user may see.

    The pupil's deadlines are recomputed in the same transaction.
    """
    pupil = visible or visible_pupil(session=session, user=user, pupil_id=prepared.pupil_id)
    assert pupil.id is not None
    pupil.updated_at = now
    session.add(pupil)
    _store_absences(session, user, pupil.id, prepared, replace, now)
    case_id = _case_id(session, pupil.id)
    for item in prepared.update.items:
        if not isinstance(item, ABSENCE_ITEMS):
            case_id = _apply_item(session, user, pupil.id, item, now)
    kinds = ",".join(dict.fromkeys(audit_kind(item) for item in prepared.update.items))
    audit.record(
        session,
        action=AuditAction.CHANGE,
        at=now,
        actor=user,
        pupil_id=pupil.id,
        detail=kinds[:100],
    )
    changes = sync_pupils(
        session=session, pupil_ids=[pupil.id], as_of=now.date(), now=now, settings=settings
    )
    return Applied(pupil.id, case_id, changes)


_AUDIT_KINDS: dict[type, str] = {
    AbsenceOnDay: "absence", LateArrival: "absence", AbsencePeriod: "absence",
    BackAtSchool: "back_at_school", Offer: "offer", Suspension: "suspension",
    Exemption: "exemption", ContactPerson: "contact", Evaluation: "evaluation", Result: "result",
    Movement: "movement", Variawet: "variawet",
}  # fmt: skip


def audit_kind(item: Item) -> str:
    """The kind of change an item is recorded as in the audit trail (never its content)."""
    return item.kind.value if isinstance(item, Entry) else _AUDIT_KINDS[type(item)]


def _store_absences(
    session: Session,
    user: User,
    pupil_id: int,
    prepared: PreparedUpdate,
    replace: bool,
    now: datetime,
) -> None:
    rows = prepared.checked.rows
    if not rows:
        return
    existing = {
        (a.day, AbsenceKind(a.kind)): a
        for a in session.exec(
            select(Absence).where(
                Absence.pupil_id == pupil_id,
                col(Absence.day).in_({row.day for row in rows}),
                col(Absence.kind).in_({row.kind.value for row in rows}),
            )
        )
    }
    if any(
        (existing[(r.day, r.kind)].hours if (r.day, r.kind) in existing else None) != r.before
        for r in rows
    ):
        # What was shown is no longer what would be stored: nothing is written.
        raise UpdateError("changed_meanwhile")
    for row in rows:
        entry = existing.get((row.day, row.kind))
        if entry is None:
            entry = Absence(
                pupil_id=pupil_id,
                day=row.day,
                hours=row.hours,
                kind=AbsenceKind(row.kind),
                created_at=now,
                created_by_id=user.id,
            )
        else:
            entry.hours = row.after(replace=replace)
        session.add(entry)


def _apply_item(
    session: Session, user: User, pupil_id: int, item: Item, now: datetime
) -> int | None:
    """Store one fact other than absence; returns the id of the case it belongs to."""
    if isinstance(item, Suspension):
        session.add(
            Suspension_(pupil_id=pupil_id, start_date=item.start, end_date=item.end, created_at=now)
        )
        return _case_id(session, pupil_id)
    if isinstance(item, Exemption):
        return _exemption(session, pupil_id, item, now)
    if isinstance(item, Movement):
        session.add(
            Movement_(
                pupil_id=pupil_id,
                kind=MovementKind(item.step),
                day=item.day,
                new_school_name=item.new_school[:200] if item.new_school else None,
                created_at=now,
            )
        )
        return _case_id(session, pupil_id)
    if isinstance(item, Variawet):
        return _variawet(session, pupil_id, item, now)
    if isinstance(item, Result):
        return store_result(session, pupil_id, item)
    case = current_case(session=session, pupil_id=pupil_id)
    if isinstance(item, BackAtSchool):
        if case is None:
            raise UpdateError("no_open_case")
        if item.day < case.start_date:
            raise UpdateError("before_case_start")
        case.end_date = item.day
        case.status = CaseStatus.CLOSED
        session.add(case)
        return case.id
    if isinstance(item, Offer):
        if case is None:
            raise UpdateError("no_open_case")
        case.offer_since = item.since
        case.offer_description = (item.text or "")[:500] or None
        session.add(case)
        return case.id
    case = case or latest_case(session=session, pupil_id=pupil_id)
    if case is None:
        raise UpdateError("no_case")
    if isinstance(item, ContactPerson):
        case.contact_person = item.text[:200]
    elif isinstance(item, Evaluation):
        if case.end_date is None:
            raise UpdateError("evaluation_while_open")
        case.evaluation = item.text
    else:
        assert isinstance(item, Entry) and case.id is not None
        session.add(
            CaseEntry(
                case_id=case.id,
                kind=EntryKind(item.kind),
                day=item.day,
                text=item.text,
                confidential=item.confidential,
                created_at=now,
                created_by_id=user.id,
            )
        )
        return case.id
    session.add(case)
    return case.id


def _case_id(session: Session, pupil_id: int) -> int | None:
    """The latest case's id (as `latest_case`), without loading the case."""
    latest = _latest_case(pupil_id).with_only_columns(col(Case.id)).limit(1)
    return session.execute(latest).scalar()


def _variawet(session: Session, pupil_id: int, item: Variawet, now: datetime) -> int | None:
    if item.step is VariawetStep.APPLIED:
        session.add(VariawetApplication(pupil_id=pupil_id, applied_on=item.day, created_at=now))
        return _case_id(session, pupil_id)
    pending = session.exec(
        select(VariawetApplication)
        .where(
            VariawetApplication.pupil_id == pupil_id, col(VariawetApplication.decided_on).is_(None)
        )
        .order_by(col(VariawetApplication.applied_on).desc())
    ).first()
    if pending is None:
        raise UpdateError("no_variawet_application")
    if item.day < pending.applied_on:
        raise UpdateError("before_application")
    pending.decided_on = item.day
    pending.approved = item.step is VariawetStep.APPROVED
    session.add(pending)
    return _case_id(session, pupil_id)


def _exemption(session: Session, pupil_id: int, item: Exemption, now: datetime) -> int | None:
    session.add(
        Exemption_(
            pupil_id=pupil_id,
            article=item.article,
            start_date=item.start,
            end_date=item.end,
            created_at=now,
        )
    )
    case = current_case(session=session, pupil_id=pupil_id)
    if case is None or case.category != Category.A2:
        case = Case(
            pupil_id=pupil_id,
            category=Category.A2,
            exemption_article=item.article,
            start_date=item.start,
            end_date=item.end,
            created_at=now,
        )
        session.add(case)
        session.flush()
    return case.id


@dataclass(frozen=True)
class TimelineItem:
    """One line of a dossier's timeline."""

    day: date
    kind: str
    text: str
    hours: float | None = None
    confidential: bool = False
    # An action's result, once recorded.
    result: str | None = None


TIMELINE_PAGE = 15


def timeline(
    *, session: Session, user: User, pupil: Pupil, limit: int = TIMELINE_PAGE, offset: int = 0
) -> tuple[list[TimelineItem], int]:
    """Entries about a pupil, newest first, `limit` of them from `offset` on, and how many there
    are in all; confidential ones only for the school."""
    assert pupil.id is not None
    absences = select(Absence).where(Absence.pupil_id == pupil.id)
    case_ids = [c.id for c in session.exec(select(Case).where(Case.pupil_id == pupil.id))]
    entries = select(CaseEntry).where(col(CaseEntry.case_id).in_(case_ids))
    if not sees_confidential(user):
        entries = entries.where(col(CaseEntry.confidential).is_(False))
    wanted = offset + limit  # the newest `wanted` of each kind hold the newest `wanted` in all
    items: list[TimelineItem] = [
        TimelineItem(a.day, f"absence:{a.kind}", "", a.hours)
        for a in session.exec(absences.order_by(col(Absence.day).desc()).limit(wanted))
    ]
    items += [
        TimelineItem(e.day, f"entry:{e.kind}", e.text, confidential=e.confidential, result=e.result)
        for e in session.exec(entries.order_by(col(CaseEntry.day).desc()).limit(wanted))
    ]
    items.sort(key=lambda item: item.day, reverse=True)
    total = session.exec(select(func.count()).select_from(absences.subquery())).one()
    total += session.exec(select(func.count()).select_from(entries.subquery())).one()
    return items[offset:wanted], total


def visible_pupil_page(
    *, session: Session, user: User, page: int, per_page: int
) -> tuple[list[Pupil], int]:
    """One page of the pupils `user` may see (by name), and the total number."""
    # Names are encrypted, so the database cannot sort by them: sort the decrypted names here.
    names = session.exec(
        select(Pupil.id, Pupil.first_name, Pupil.last_name).where(visible_pupils(user))
    ).all()
    ordered = sorted(names, key=lambda n: (fold_name(n[1]), fold_name(n[2]), n[0]))
    wanted = [pupil_id for pupil_id, _, _ in ordered[page * per_page : (page + 1) * per_page]]
    by_id = {p.id: p for p in session.exec(select(Pupil).where(col(Pupil.id).in_(wanted)))}
    return [by_id[pupil_id] for pupil_id in wanted], len(names)


# ----- the use cases of a quick update in chat: each opens its own session -----


def named_pupils(
    services: Services, *, user: User, name: str, limit: int, show_school: bool = False
) -> tuple[list[tuple[int, str]], int]:
    """The visible pupils `name` may refer to, at most `limit` of them as (id, chat label), and
    how many there are in all. With `show_school`, candidates (more than one) carry their
    school's name to tell them apart."""
    with services.session() as session:
        pupils = find_pupils(session=session, user=user, name=name)
        return pupil_choices(session, pupils, limit=limit, show_school=show_school), len(pupils)


def pupil_choices(
    session: Session, pupils: list[Pupil], *, limit: int, show_school: bool
) -> list[tuple[int, str]]:
    """The first `limit` of `pupils` as (id, chat label); with `show_school`, when there are
    several, with their school's name to tell them apart."""
    show_school = show_school and len(pupils) > 1
    choices: list[tuple[int, str]] = []
    for pupil in pupils[:limit]:
        assert pupil.id is not None
        text = label(session=session, pupil=pupil)
        school = session.get(School, pupil.school_id) if show_school and pupil.school_id else None
        choices.append((pupil.id, f"{text} {aside(school.name)}" if school else text))
    return choices


def close_pupils(services: Services, *, user: User, name: str, limit: int) -> list[tuple[int, str]]:
    """The visible pupils whose name is close to `name` (a typo), as (id, chat label): never a
    pupil `user` may not see."""
    with services.session() as session:
        names = session.exec(
            select(Pupil.id, Pupil.first_name, Pupil.last_name).where(visible_pupils(user))
        ).all()
        ids = close_names(name, ((i, f, la) for i, f, la in names if i is not None), limit=limit)
        pupils = {p.id: p for p in session.exec(select(Pupil).where(col(Pupil.id).in_(ids)))}
        return [(i, label(session=session, pupil=pupils[i])) for i in ids]


def visible_label(services: Services, *, user: User, pupil_id: int) -> str | None:
    """How chat names a pupil `user` may see ("S.V. #42"); None when the pupil is not visible."""
    with services.session() as session:
        try:
            pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
        except NotAvailable:
            return None
        return label(session=session, pupil=pupil)


def save_prepared(
    services: Services, *, user: User, prepared: PreparedUpdate, replace: bool
) -> tuple[Applied, str]:
    """Store the confirmed update exactly as shown (see `apply_update`), with the pupil's label."""
    now = services.clock.now()
    with services.session() as session:
        # Held here for the label: the session keeps no object nobody refers to.
        pupil = visible_pupil(session=session, user=user, pupil_id=prepared.pupil_id)
        applied = apply_update(
            session=session,
            user=user,
            prepared=prepared,
            replace=replace,
            now=now,
            settings=services.settings.protocol,
            visible=pupil,
        )
        return applied, label(session=session, pupil=pupil)


def pupil_of_message(
    services: Services, *, user: User, chat_id: int, message_id: int
) -> int | None:
    """The one pupil a nudge message sent to `user` is about (a reply to it needs no name);
    None for a digest about several, a message that is no nudge, or a pupil no longer visible."""
    with services.session() as session:
        pupils = set(
            session.exec(
                select(DeadlineRow.pupil_id)
                .join(Nudge, col(Nudge.deadline_id) == col(DeadlineRow.id))
                .where(
                    Nudge.user_id == user.id,
                    Nudge.chat_id == chat_id,
                    Nudge.message_id == message_id,
                )
            )
        )
        if len(pupils) != 1 or None in pupils:
            return None
        [pupil_id] = pupils
        assert pupil_id is not None
        try:
            visible_pupil(session=session, user=user, pupil_id=pupil_id)
        except NotAvailable:
            return None
        return pupil_id
