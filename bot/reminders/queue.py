"""The nudges due, from the database: claimed for a run (older missed duplicates dropped, those
no longer wanted cancelled), read with what their messages say, and settled step by step through
`nudge_lifecycle`. Only SQL here: `messages` renders, `delivery` sends."""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select
from telegram import InlineKeyboardMarkup

from bot.i18n import Translator, translator
from bot.protocol.rules import (
    CATALOGUE,
    EARLY_WARNINGS,
    ProtocolSettings,
    Rule,
    WarningFacts,
    early_warning_facts,
    recipients_of,
)
from bot.reminders.messages import (
    DraftKey,
    NudgeItem,
    Outgoing,
    digest,
    escalation_note,
    warning_text,
)
from bot.services import nudge_lifecycle as lifecycle
from bot.services.cases import label
from bot.services.container import Services
from bot.services.deadlines import pupil_facts
from bot.services.organisations import organisation
from bot.services.registration import OPENS_CASES
from bot.storage.models import (
    Case,
    DeadlineRow,
    DeadlineStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    Pupil,
    Role,
    School,
    User,
)
from bot.texts import RULE_ACTIONS

logger = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=15)


def deadline_subject(session: Session, deadline: DeadlineRow) -> str:
    """Whom or what a deadline is about, as chat names it: "S.V. #42" or an organisation."""
    if deadline.pupil_id is not None:
        pupil = session.get(Pupil, deadline.pupil_id)
        return label(session=session, pupil=pupil) if pupil else ""
    if deadline.org_kind is None or deadline.org_id is None:
        return ""
    org = organisation(session, deadline.org_kind, deadline.org_id)
    return org.name if org is not None else ""


Claimed = tuple[dict[int, list["NudgeItem"]], dict[int, User], int]


def claim_due(services: Services, now: datetime, limit: int) -> Claimed:
    """Pick the due nudges, drop older missed duplicates, mark the rest `sending`."""
    with services.session() as session:
        due = session.exec(
            select(Nudge)
            .where(
                col(Nudge.status).in_([NudgeStatus.PLANNED, NudgeStatus.SENDING]),
                Nudge.planned_at <= now,
            )
            .order_by(col(Nudge.planned_at), col(Nudge.id))
            .limit(limit)
        ).all()
        newest: dict[tuple[int, int], Nudge] = {}
        cancelled: list[int] = []
        for nudge in due:
            pair = (nudge.deadline_id, nudge.user_id)
            if pair in newest:
                cancelled.append(newest[pair].id)  # type: ignore[arg-type]
            newest[pair] = nudge
        dropped = len(cancelled)
        users = {
            u.id: u
            for u in session.exec(
                select(User).where(col(User.id).in_({n.user_id for n in newest.values()}))
            )
            if u.id is not None
        }
        deadlines = {
            d.id: d
            for d in session.exec(
                select(DeadlineRow).where(
                    col(DeadlineRow.id).in_({n.deadline_id for n in newest.values()})
                )
            )
        }
        claimed: list[tuple[Nudge, DeadlineRow, User]] = []
        for nudge in newest.values():
            user = users.get(nudge.user_id)
            deadline = deadlines.get(nudge.deadline_id)
            if (
                user is None
                or not user.active
                or deadline is None
                or deadline.status != DeadlineStatus.OPEN
            ):
                cancelled.append(nudge.id)  # type: ignore[arg-type]
            else:
                claimed.append((nudge, deadline, user))
        lifecycle.cancel_unsent(session, cancelled)
        taken = lifecycle.claim(session, [(n.id, n.attempts) for n, _, _ in claimed if n.id])
        # Another run took the rest meanwhile (it is its to send).
        claimed = [(n, d, u) for n, d, u in claimed if n.id in taken]
        late = [n.id for n, _, _ in claimed if n.planned_at < now - LATE_AFTER and not n.late]
        lifecycle.mark_late(session, [n for n in late if n is not None])
        subjects = _subjects(session, [deadline for _, deadline, _ in claimed])
        schools = _schools(session, [deadline for _, deadline, _ in claimed])
        warnings = _warnings(session, [d for _, d, _ in claimed], services.settings.protocol)
        without_case = _without_case(session, [d for _, d, _ in claimed])
        today = now.astimezone(services.settings.tz).date()
        made_late = set(late)
        per_user: dict[int, list[NudgeItem]] = defaultdict(list)
        for nudge, deadline, user in claimed:
            tr = translator(user.language)
            subject = subjects[deadline.id]  # type: ignore[index]
            school = schools.get(deadline.pupil_id or -1)
            note = escalation_note(
                nudge.kind, deadline, school, today, services.settings.protocol, tr
            )
            found = warnings.get(deadline.id or -1)
            if found is not None:
                note = "\n".join(part for part in (warning_text(found, tr), note) if part)
            made = nudge.late or nudge.id in made_late
            item = _item(nudge, deadline, tr, subject, late=made, note=note)
            if nudge.kind == NudgeKind.UNASSIGNED:
                item = replace(item, missing=_missing_role(session, deadline), due=deadline.due)
            elif deadline.pupil_id in without_case and Role(user.role) in OPENS_CASES:
                item = replace(item, opens_case=True)
            per_user[user.id].append(item)  # type: ignore[index]
    # Sorted by nudge: a digest re-rendered later (after a Done) lists its items in this order.
    return (
        {uid: sorted(items, key=lambda i: i.nudge_id) for uid, items in per_user.items()},
        users,
        dropped,
    )


def _without_case(session: Session, deadlines: list[DeadlineRow]) -> set[int]:
    """The pupils of these 4-week deadlines who have no open case: their nudge opens one."""
    pupils = {d.pupil_id for d in deadlines if d.rule == Rule.VIER_WEKEN_VERZUIM and d.pupil_id}
    if not pupils:
        return set()
    with_case = session.exec(
        select(Case.pupil_id).where(col(Case.pupil_id).in_(pupils), col(Case.end_date).is_(None))
    )
    return pupils - set(with_case)


def _missing_role(session: Session, deadline: DeadlineRow) -> tuple[str, str]:
    """The organisation where nobody receives this deadline, and the role missing there: the
    rule's first role, at the organisation that role belongs to."""
    if deadline.pupil_id is None:
        # An SWV's own date goes to its staff (a board's to its BOC-ers, a gemeente's to
        # leerplicht), as `nudges.recipients` sends it.
        role = {"bestuur": Role.BOC, "gemeente": Role.LEERPLICHT, "swv": Role.SWV}.get(
            deadline.org_kind or "", CATALOGUE[deadline.rule].recipients[0]
        )
        org = organisation(session, deadline.org_kind or "", deadline.org_id or -1)
        return (org.name if org is not None else ""), str(role)
    pupil = session.get(Pupil, deadline.pupil_id)
    school = session.get(School, pupil.school_id) if pupil and pupil.school_id else None
    role = recipients_of(deadline.rule, school.onderwijssoort if school else None)[0]
    found: Any = None
    if role == Role.ZORGCOORDINATOR:
        found = school
    elif role == Role.BOC and school is not None:
        found = organisation(session, "bestuur", school.bestuur_id)
    elif role == Role.LEERPLICHT and pupil is not None and pupil.gemeente_id:
        found = organisation(session, "gemeente", pupil.gemeente_id)
    if found is None:
        found = organisation(session, "swv", deadline.swv_id)
    return (found.name if found is not None else ""), str(role)


def _subjects(session: Session, deadlines: list[DeadlineRow]) -> dict[int, str]:
    """Whom each deadline is about, each pupil or organisation looked up once."""
    names: dict[tuple[str, int | None], str] = {}
    subjects: dict[int, str] = {}
    for deadline in deadlines:
        key = (
            ("pupil", deadline.pupil_id)
            if deadline.pupil_id
            else (deadline.org_kind or "", deadline.org_id)
        )
        if key not in names:
            names[key] = deadline_subject(session, deadline)
        subjects[deadline.id] = names[key]  # type: ignore[index]
    return subjects


def _item(
    nudge: Nudge,
    deadline: DeadlineRow,
    tr: Translator,
    subject: str,
    *,
    late: bool,
    note: str = "",
) -> NudgeItem:
    return NudgeItem(
        nudge_id=nudge.id,  # type: ignore[arg-type]
        deadline_id=deadline.id,  # type: ignore[arg-type]
        kind=nudge.kind,
        late=late,
        text_parts=(
            RULE_ACTIONS.get(deadline.rule, deadline.rule),
            subject,
            tr.gettext("by {date}").format(date=tr.day(deadline.due)),
        ),
        pupil_id=deadline.pupil_id,
        draft=draft_of(deadline),
        note=note,
    )


def _schools(session: Session, deadlines: list[DeadlineRow]) -> dict[int, tuple[str, str]]:
    """Each of these deadlines' pupils' school: (name, type)."""
    pupil_ids = {d.pupil_id for d in deadlines if d.pupil_id is not None}
    if not pupil_ids:
        return {}
    rows = session.exec(
        select(Pupil.id, School.name, School.onderwijssoort)
        .join(School, col(Pupil.school_id) == col(School.id))
        .where(col(Pupil.id).in_(pupil_ids))
    )
    return {pupil_id: (name, kind) for pupil_id, name, kind in rows if pupil_id is not None}


def _warnings(
    session: Session, deadlines: list[DeadlineRow], settings: ProtocolSettings
) -> dict[int, WarningFacts]:
    """The facts behind the early warnings among these deadlines, read from the stored data."""
    early = [d for d in deadlines if d.rule in EARLY_WARNINGS and d.pupil_id is not None]
    if not early:
        return {}
    facts = pupil_facts(session, sorted({d.pupil_id for d in early if d.pupil_id is not None}))
    found: dict[int, WarningFacts] = {}
    for deadline in early:
        pupil = facts.get(deadline.pupil_id or -1)
        warning = pupil and early_warning_facts(
            deadline.rule, deadline.trigger_day, pupil, settings
        )
        if warning and deadline.id is not None:
            found[deadline.id] = warning
    return found


def record_step(
    services: Services, change: Callable[..., None], nudge_ids: list[int], **values: Any
) -> None:
    """One step of these nudges' life (see `nudge_lifecycle`), in its own unit of work."""
    with services.session() as session:
        change(session, nudge_ids, **values)


def draft_of(deadline: DeadlineRow) -> DraftKey | None:
    """The draft report this deadline's nudges carry (they are then documents, the nudge their
    caption): the organisation's overview as of the due date; None for other deadlines."""
    spec = CATALOGUE.get(deadline.rule)
    if spec and spec.carries_report and deadline.org_kind and deadline.org_id is not None:
        # The occurrence's own date (the peildatum), not the working day it was moved to.
        return (deadline.org_kind, deadline.org_id, deadline.trigger_day)
    return None


def attempts_of(services: Services, ids: list[int]) -> int:
    with services.session() as session:
        return max(session.exec(select(Nudge.attempts).where(col(Nudge.id).in_(ids))).all() or [0])


def rerender_digest(
    *, session: Session, chat_id: int, message_id: int, language: str
) -> tuple[str, InlineKeyboardMarkup] | None:
    """A digest message as it reads now: its items from the database, closed ones marked and
    without a button. None when the message carries a single nudge (not a digest)."""
    nudges = session.exec(
        select(Nudge)
        .where(Nudge.chat_id == chat_id, Nudge.message_id == message_id)
        .order_by(col(Nudge.id))
    ).all()
    if len(nudges) < 2:
        return None
    deadlines = {
        d.id: d
        for d in session.exec(
            select(DeadlineRow).where(col(DeadlineRow.id).in_({n.deadline_id for n in nudges}))
        )
    }
    tr = translator(language)
    subjects = _subjects(session, list(deadlines.values()))
    items = [
        _item(n, deadlines[n.deadline_id], tr, subjects[n.deadline_id], late=n.late) for n in nudges
    ]
    closed = frozenset(
        i for i, d in deadlines.items() if i is not None and d.status != DeadlineStatus.OPEN
    )
    return digest(items, tr, closed)


def plan_unsent_again(services: Services, queues: dict[int, deque[Outgoing]]) -> None:
    """What was claimed and not sent (the process is stopping) is planned for the next run."""
    unsent = [item.nudge_id for pending in queues.values() for out in pending for item in out.items]
    if unsent:
        record_step(services, lifecycle.plan_again, unsent)
        logger.info("stopping: %s nudges left planned for the next run", len(unsent))
