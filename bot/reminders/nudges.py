"""Who is nudged about which deadline, and the nudge rows that say what must be sent when.

Planning is idempotent: every nudge has a key (deadline, user, kind, day), so planning twice
changes nothing, and a nudge someone snoozed or that was cancelled is not planned again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.protocol.calendar import DUTCH_TZ
from bot.protocol.rules import (
    CATALOGUE,
    ProtocolSettings,
    Rule,
    escalated_to,
    escalation_days,
    recipients_of,
)
from bot.reminders.planning import WorkingHours, next_working_moment
from bot.services import audit, deadline_lifecycle
from bot.services import nudge_lifecycle as lifecycle
from bot.services.access import LEERPLICHT_OWN_CATEGORIES, PupilFacts, may_see
from bot.storage.models import (
    AuditAction,
    Bestuur,
    Case,
    DeadlineRow,
    DeadlineStatus,
    Exemption,
    LeerplichtLink,
    Nudge,
    NudgeKind,
    NudgeStatus,
    Pupil,
    Role,
    School,
    User,
)


@dataclass
class RecipientIndex:
    """Everything needed to resolve recipients, read once per planning run."""

    users: dict[int, User]
    by_school: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_bestuur: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_gemeente: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_swv_role: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    board_of_school: dict[int, int] = field(default_factory=dict)
    school_types: dict[int, str] = field(default_factory=dict)
    swv_of_board: dict[int, int] = field(default_factory=dict)
    pupils: dict[int, tuple[int | None, int | None, int]] = field(default_factory=dict)
    linked: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    leerplicht_own: set[int] = field(default_factory=set)


def recipient_index(
    session: Session, deadlines: Sequence[DeadlineRow] | None = None
) -> RecipientIndex:
    """Read the active users, the organisation tree, pupils and links: everything, or (given
    the deadlines to plan) only what those deadlines' recipients can come from."""
    if deadlines is not None:
        return _scoped_index(session, deadlines)
    users = session.exec(select(User).where(col(User.active).is_(True))).all()
    index = _index_of(users)
    _read_boards(session, index, school_ids=None)
    index.pupils = {
        pid: (school_id, gemeente_id, swv_id)
        for pid, school_id, gemeente_id, swv_id in session.exec(
            select(Pupil.id, Pupil.school_id, Pupil.gemeente_id, Pupil.swv_id)
        )
        if pid
    }
    for pupil_id, user_id in session.exec(select(LeerplichtLink.pupil_id, LeerplichtLink.user_id)):
        index.linked[pupil_id].add(user_id)
    index.leerplicht_own = set(
        session.exec(select(Case.pupil_id).where(col(Case.category).in_(LEERPLICHT_OWN_CATEGORIES)))
    ) | set(session.exec(select(Exemption.pupil_id)))
    return index


def _read_boards(session: Session, index: RecipientIndex, school_ids: set[int] | None) -> None:
    """Each school's board, and each such board's SWV (all schools, or these)."""
    query = select(School.id, School.bestuur_id, Bestuur.swv_id, School.onderwijssoort).join(
        Bestuur, col(School.bestuur_id) == col(Bestuur.id)
    )
    if school_ids is not None:
        query = query.where(col(School.id).in_(school_ids))
    for school_id, bestuur_id, swv_id, school_type in session.exec(query):
        if school_id is not None:
            index.board_of_school[school_id] = bestuur_id
            index.swv_of_board[bestuur_id] = swv_id
            index.school_types[school_id] = school_type


def _index_of(users: Iterable[User]) -> RecipientIndex:
    index = RecipientIndex(users={u.id: u for u in users if u.id})
    for user_id, user in index.users.items():
        role = user.role
        index.by_swv_role[(user.swv_id, role)].append(user_id)
        if role == Role.ZORGCOORDINATOR and user.school_id:
            index.by_school[user.school_id].append(user_id)
        elif role == Role.BOC and user.bestuur_id:
            index.by_bestuur[user.bestuur_id].append(user_id)
        elif role == Role.LEERPLICHT and user.gemeente_id:
            index.by_gemeente[user.gemeente_id].append(user_id)
    return index


def _scoped_index(session: Session, deadlines: Sequence[DeadlineRow]) -> RecipientIndex:
    """The index for a few deadlines, read with indexed queries: its cost follows the change,
    not the size of the database."""
    pupil_ids = {d.pupil_id for d in deadlines if d.pupil_id is not None}
    pupils = {
        pid: (school_id, gemeente_id, swv_id)
        for pid, school_id, gemeente_id, swv_id in session.exec(
            select(Pupil.id, Pupil.school_id, Pupil.gemeente_id, Pupil.swv_id).where(
                col(Pupil.id).in_(pupil_ids)
            )
        )
        if pid
    }
    school_ids = {school for school, _, _ in pupils.values() if school}
    boards_read = RecipientIndex(users={})
    _read_boards(session, boards_read, school_ids=school_ids)
    board_of_school = boards_read.board_of_school
    boards = set(board_of_school.values()) | {
        d.org_id for d in deadlines if d.org_kind == "bestuur" and d.org_id is not None
    }
    gemeenten = {g for _, g, _ in pupils.values() if g} | {
        d.org_id for d in deadlines if d.org_kind == "gemeente" and d.org_id is not None
    }
    swvs = {d.swv_id for d in deadlines}
    # An organisation-level deadline of the SWV can go to any role of that SWV.
    whole_swvs = {
        d.swv_id
        for d in deadlines
        if d.pupil_id is None and d.org_kind not in ("bestuur", "gemeente")
    }
    links = session.exec(
        select(LeerplichtLink.pupil_id, LeerplichtLink.user_id).where(
            col(LeerplichtLink.pupil_id).in_(pupil_ids)
        )
    ).all()
    users = session.exec(
        select(User).where(
            col(User.active).is_(True),
            or_(
                col(User.school_id).in_(school_ids),
                col(User.bestuur_id).in_(boards),
                col(User.gemeente_id).in_(gemeenten),
                col(User.id).in_({user_id for _, user_id in links}),
                col(User.swv_id).in_(whole_swvs),
                # SWV staff hear about every pupil of their SWV; admins about unassigned ones.
                col(User.swv_id).in_(swvs) & col(User.role).in_([Role.SWV, Role.ADMIN]),
            ),
        )
    ).all()
    index = _index_of(users)
    index.pupils = pupils
    index.board_of_school = board_of_school
    index.swv_of_board = boards_read.swv_of_board
    index.school_types = boards_read.school_types
    for pupil_id, user_id in links:
        index.linked[pupil_id].add(user_id)
    index.leerplicht_own = set(
        session.exec(
            select(Case.pupil_id).where(
                col(Case.pupil_id).in_(pupil_ids), col(Case.category).in_(LEERPLICHT_OWN_CATEGORIES)
            )
        )
    ) | set(session.exec(select(Exemption.pupil_id).where(col(Exemption.pupil_id).in_(pupil_ids))))
    return index


def pupil_facts(pupil_id: int, index: RecipientIndex) -> PupilFacts:
    """What the access rule needs of one pupil, from the index."""
    school_id, gemeente_id, swv_id = index.pupils.get(pupil_id, (None, None, 0))
    board = index.board_of_school.get(school_id) if school_id else None
    return PupilFacts(
        swv_id=swv_id,
        school_id=school_id,
        bestuur_id=board,
        bestuur_swv_id=index.swv_of_board.get(board) if board else None,
        gemeente_id=gemeente_id,
        linked=frozenset(index.linked.get(pupil_id, ())),
        leerplicht_own=pupil_id in index.leerplicht_own,
    )


def recipients(deadline: DeadlineRow, index: RecipientIndex) -> list[int]:
    """The users to nudge about one deadline, by the rule's roles; about a pupil, only those who
    may see that pupil (`access.may_see`, the rule every read uses)."""
    spec = CATALOGUE.get(deadline.rule)
    roles = spec.recipients if spec else ()
    found: list[int] = []
    if deadline.pupil_id is not None:
        facts = pupil_facts(deadline.pupil_id, index)
        if spec is not None:
            roles = recipients_of(deadline.rule, index.school_types.get(facts.school_id or -1))
        found += _pupil_role_users(roles, facts, index)
    elif deadline.org_kind == "bestuur":
        found += index.by_bestuur[deadline.org_id or -1]
    elif deadline.org_kind == "gemeente":
        found += index.by_gemeente[deadline.org_id or -1]
    else:
        for role in roles:
            # A board's BOC-ers get the quarterly date from their board's own deadline, and the
            # verification from their board's; leerplicht from their gemeente's.
            if role == Role.BOC and deadline.rule == Rule.KWARTAAL_PEILDATUM:
                continue
            if role != Role.SWV and deadline.rule == Rule.LEERPLICHT_VERIFICATIE:
                continue
            found += index.by_swv_role[(deadline.swv_id, role)]
    return list(dict.fromkeys(found))


def _pupil_role_users(roles: Iterable[str], facts: PupilFacts, index: RecipientIndex) -> list[int]:
    found: list[int] = []
    for role in roles:
        if role == Role.ZORGCOORDINATOR:
            candidates = index.by_school[facts.school_id] if facts.school_id else []
        elif role == Role.BOC:
            candidates = index.by_bestuur[facts.bestuur_id] if facts.bestuur_id else []
        else:
            candidates = index.by_swv_role[(facts.swv_id, role)]
        found += [uid for uid in candidates if may_see(index.users[uid], facts)]
    return found


def escalation_recipients(
    deadline: DeadlineRow, index: RecipientIndex, today: date, settings: ProtocolSettings
) -> list[tuple[int, date]]:
    """The users a pupil's deadline has been escalated to by `today` (not its own recipients),
    each with the day it reached them."""
    if deadline.pupil_id is None:
        return []
    facts = pupil_facts(deadline.pupil_id, index)
    school_type = index.school_types.get(facts.school_id or -1)
    learned = deadline.created_at.astimezone(DUTCH_TZ).date()
    added = escalated_to(deadline.rule, deadline.due, today, settings, school_type, learned)
    if not added:
        return []
    own = set(recipients(deadline, index))
    steps = escalation_days(deadline.due, settings, learned)
    found: dict[int, date] = {}
    for step, role in zip(steps, added, strict=False):
        for uid in _pupil_role_users((role,), facts, index):
            if uid not in own:
                found.setdefault(uid, step)
    return list(found.items())


def working_hours(user: User, tz: ZoneInfo) -> WorkingHours:
    """The hours in which this user is nudged."""
    return WorkingHours(user.work_start, user.work_end, tz)


@dataclass(frozen=True)
class SentCopy:
    """A nudge message already delivered to someone, to update after a change."""

    user_id: int
    chat_id: int
    message_id: int
    language: str


def mark_done(
    *, session: Session, deadline: DeadlineRow, user: User, now: datetime, note: str | None = None
) -> list[SentCopy]:
    """Close the deadline for everybody nudged about it, with what was done if given; returns
    their delivered messages."""
    deadline_lifecycle.done(session, [deadline], now=now, by=user, audited=True)
    if note:
        add_done_note(session=session, deadline=deadline, user=user, note=note, now=now)
    copies = []
    for nudge in session.exec(
        select(Nudge).where(
            Nudge.deadline_id == deadline.id,
            Nudge.status == NudgeStatus.SENT,
            col(Nudge.message_id).is_not(None),
        )
    ):
        recipient = session.get(User, nudge.user_id)
        if recipient is not None and nudge.chat_id is not None and nudge.message_id is not None:
            copies.append(
                SentCopy(recipient.id or 0, nudge.chat_id, nudge.message_id, recipient.language)
            )
    session.flush()
    return copies


# One line of evidence: a date and a kenmerk fit many times over.
DONE_NOTE_LENGTH = 200


def clean_done_note(text: str) -> str | None:
    """One line of what was done, as stored: whitespace folded, at most DONE_NOTE_LENGTH
    characters; None when empty."""
    line = " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())
    return line[:DONE_NOTE_LENGTH] or None


def add_done_note(
    *, session: Session, deadline: DeadlineRow, user: User, note: str, now: datetime
) -> str | None:
    """Keep what was done with a deadline marked done (audited, never its text); the line as
    stored, or None when there was nothing to keep."""
    line = clean_done_note(note)
    if line is None or deadline.status != DeadlineStatus.DONE:
        return None
    deadline.done_note = line
    deadline.updated_at = now
    session.add(deadline)
    audit.record(
        session,
        action=AuditAction.DEADLINE_NOTE,
        at=now,
        actor=user,
        pupil_id=deadline.pupil_id,
        detail=deadline.rule,
    )
    session.flush()
    return line


def snooze(
    *, session: Session, deadline_id: int, user: User, days: int, now: datetime, tz: ZoneInfo
) -> datetime:
    """Remind `user` of the deadline again after `days` (the next working moment); the nudges
    planned before then are dropped."""
    moment = next_working_moment(now + timedelta(days=days), working_hours(user, tz))
    earlier = session.exec(
        select(Nudge.id).where(
            Nudge.deadline_id == deadline_id,
            Nudge.user_id == user.id,
            Nudge.status == NudgeStatus.PLANNED,
            Nudge.planned_at < moment,
        )
    ).all()
    lifecycle.cancel(session, [n for n in earlier if n is not None])
    assert user.id is not None
    key = f"{deadline_id}:{user.id}:{NudgeKind.SNOOZED}:{moment.isoformat()}"
    if session.exec(select(Nudge.id).where(Nudge.key == key)).first() is None:
        session.add(
            Nudge(
                **lifecycle.planned(
                    key=key,
                    deadline_id=deadline_id,
                    user_id=user.id,
                    kind=NudgeKind.SNOOZED,
                    at=moment,
                    now=now,
                )
            )
        )
    session.flush()
    return moment


def agenda_of(
    *,
    session: Session,
    user: User,
    today: date,
    settings: ProtocolSettings,
    due_until: date | None = None,
) -> list[tuple[DeadlineRow, bool]]:
    """Everything this user must act on: the open deadlines of their role (achterstand
    included) and those the escalation ladder brought to them (marked True), due up to
    `due_until`, overdue ones included."""
    index = recipient_index(session)
    found = []
    for deadline in session.exec(_open_of_swv(user, due_until)):
        if user.id in recipients(deadline, index):
            found.append((deadline, False))
        elif any(
            uid == user.id for uid, _ in escalation_recipients(deadline, index, today, settings)
        ):
            found.append((deadline, True))
    return found


def _open_of_swv(user: User, due_until: date | None) -> Any:
    query = select(DeadlineRow).where(
        DeadlineRow.swv_id == user.swv_id,
        DeadlineRow.status == DeadlineStatus.OPEN,
        col(DeadlineRow.history).is_(False),
    )
    if due_until is not None:
        query = query.where(DeadlineRow.due <= due_until)
    return query.order_by(col(DeadlineRow.due))
