"""Deadlines from stored data: load the facts, apply the pure rules, store the result.

Recomputing stores only differences: a new deadline is inserted, one that is no longer triggered
is closed with the reason, one that is triggered again is reopened, and one marked done stays
done. Identity is (pupil or organisation, rule, due), so recomputing twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, insert
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from bot.protocol.calendar import DUTCH_TZ, SchoolCalendar
from bot.protocol.facts import (
    AbsenceFact,
    CaseFact,
    ExemptionFact,
    MovementFact,
    OrganisationFacts,
    PupilFacts,
    SuspensionFact,
    VariawetFact,
)
from bot.protocol.rules import (
    CATALOGUE,
    REPORTED_BY,
    SUPERSEDED,
    SWITCHABLE,
    Deadline,
    ProtocolSettings,
    deadlines_for,
    escalated_to,
    is_ongoing,
    organisation_deadlines,
    recipients_of,
)
from bot.protocol.vocabulary import EntryKind
from bot.services import deadline_lifecycle
from bot.storage.db import BATCH, in_batches
from bot.storage.models import (
    Absence,
    Bestuur,
    Case,
    CaseEntry,
    DeadlineRow,
    DeadlineStatus,
    Exemption,
    Gemeente,
    LeerplichtLink,
    Movement,
    Pupil,
    School,
    SchoolClosure,
    Suspension,
    Swv,
    VariawetApplication,
    table_of,
)

NOT_TRIGGERED = "no_longer_triggered"


@dataclass
class DeadlineChanges:
    """What a recomputation changed (as plain values: a full recompute creates many)."""

    created: list[Deadline] = field(default_factory=list)
    closed: list[Deadline] = field(default_factory=list)
    reopened: list[Deadline] = field(default_factory=list)
    # New, but already past their due date by more than `history_days` while nothing about the
    # pupil asks for action any more (a closed case, old imported data): never nudged.
    history: list[Deadline] = field(default_factory=list)
    # New and already overdue, of a pupil whose case is open (achterstand): among `created`
    # too, listed first, escalated counting from today.
    backlog: list[Deadline] = field(default_factory=list)

    def extend(self, other: DeadlineChanges) -> None:
        self.created += other.created
        self.closed += other.closed
        self.reopened += other.reopened
        self.history += other.history
        self.backlog += other.backlog


def school_calendars(
    session: Session, school_ids: Collection[int] | None = None
) -> dict[int, tuple[SchoolCalendar, str]]:
    """The calendars of these schools (or of all), with their closure days."""
    closures_query = select(SchoolClosure)
    schools_query = select(School)
    if school_ids is not None:
        closures_query = closures_query.where(col(SchoolClosure.school_id).in_(school_ids))
        schools_query = schools_query.where(col(School.id).in_(school_ids))
    closures: dict[int, set[date]] = defaultdict(set)
    for closure in session.exec(closures_query):
        closures[closure.school_id].add(closure.day)
    return {
        school.id: (
            SchoolCalendar(school.regio, frozenset(closures[school.id])),
            school.onderwijssoort,
        )
        for school in session.exec(schools_query)
        if school.id is not None
    }


def pupil_facts(session: Session, pupil_ids: Sequence[int]) -> dict[int, PupilFacts]:
    """The facts of many pupils, read as plain columns in a few queries per batch."""
    return {facts.pupil_id: facts for facts, _ in _pupil_facts(session, pupil_ids)}


def _by_ids(*columns: Any, key: Any, also: Any = True) -> Any:
    """A statement built once, run with the ids as its parameter: a save reads one pupil's
    facts, and building nine statements for that cost more than running them."""
    return sa_select(*columns).where(col(key).in_(bindparam("ids", expanding=True)), also)


_PUPILS = _by_ids(
    Pupil.id,
    Pupil.school_id,
    Pupil.birth_date,
    Pupil.swv_id,
    exists().where(col(LeerplichtLink.pupil_id) == col(Pupil.id)),
    key=Pupil.id,
)
_CASES = _by_ids(
    Case.id,
    Case.pupil_id,
    Case.category,
    Case.start_date,
    Case.end_date,
    Case.offer_since,
    Case.contact_person,
    key=Case.pupil_id,
)
_ACTIONS = _by_ids(
    CaseEntry.case_id,
    CaseEntry.day,
    CaseEntry.created_at,
    key=CaseEntry.case_id,
    also=CaseEntry.kind == EntryKind.ACTION,
)
_ABSENCES = _by_ids(
    Absence.pupil_id, Absence.day, Absence.hours, Absence.kind, key=Absence.pupil_id
)
_EXEMPTIONS = _by_ids(
    Exemption.pupil_id,
    Exemption.article,
    Exemption.start_date,
    Exemption.end_date,
    Exemption.permanent,
    key=Exemption.pupil_id,
)
_SUSPENSIONS = _by_ids(
    Suspension.pupil_id, Suspension.start_date, Suspension.end_date, key=Suspension.pupil_id
)
_MOVEMENTS = _by_ids(
    Movement.pupil_id,
    Movement.kind,
    Movement.day,
    Movement.new_school_id,
    Movement.new_school_name,
    key=Movement.pupil_id,
)
_REPORTED = _by_ids(
    DeadlineRow.pupil_id,
    DeadlineRow.done_at,
    key=DeadlineRow.pupil_id,
    also=and_(
        col(DeadlineRow.rule).in_([rule.value for rule in REPORTED_BY]),
        col(DeadlineRow.status) == DeadlineStatus.DONE,
    ),
)
_VARIAWET = _by_ids(
    VariawetApplication.pupil_id,
    VariawetApplication.applied_on,
    VariawetApplication.decided_on,
    VariawetApplication.approved,
    key=VariawetApplication.pupil_id,
)


def _pupil_facts(
    session: Session,
    pupil_ids: Sequence[int],
    reported: Mapping[int, set[date]] | None = None,
) -> list[tuple[PupilFacts, int]]:
    """The facts of these pupils, each with its SWV id. `reported`: the days of their
    meldingen, when the caller read their stored deadlines already (`_reported`)."""
    # A save touches one pupil: only that pupil's school calendar is read, not every school's.
    calendars = None if len(pupil_ids) <= BATCH else school_calendars(session)
    no_school = (SchoolCalendar(None), None)
    result: list[tuple[PupilFacts, int]] = []

    def rows(query: Any, ids: Sequence[int]) -> Sequence[Sequence[Any]]:
        return session.execute(query, {"ids": list(ids)}).all()

    for chunk in in_batches(list(pupil_ids)):
        pupils = rows(_PUPILS, chunk)
        if calendars is None:
            calendars = school_calendars(session, {row[1] for row in pupils if row[1]})
        cases: dict[int, list[Sequence[Any]]] = defaultdict(list)
        for case in rows(_CASES, chunk):
            cases[case[1]].append(case)
        case_ids = [case[0] for found in cases.values() for case in found]
        actions: dict[int, list[date]] = defaultdict(list)
        # No cases (most pupils a save touches): no statement for their actions.
        for case_id, day, recorded in rows(_ACTIONS, case_ids) if case_ids else ():
            # An action counts from the day it was recorded, or its own date if that is earlier:
            # recording a planned meeting shows that something is being done.
            actions[case_id].append(min(day, recorded.astimezone(DUTCH_TZ).date()))
        absences: dict[int, list[AbsenceFact]] = defaultdict(list)
        for pupil_id, day, hours, kind in rows(_ABSENCES, chunk):
            absences[pupil_id].append(AbsenceFact(day, hours, kind))
        exemptions: dict[int, list[ExemptionFact]] = defaultdict(list)
        for pupil_id, *fields in rows(_EXEMPTIONS, chunk):
            exemptions[pupil_id].append(ExemptionFact(*fields))
        suspensions: dict[int, list[SuspensionFact]] = defaultdict(list)
        for pupil_id, start, end in rows(_SUSPENSIONS, chunk):
            suspensions[pupil_id].append(SuspensionFact(start, end))
        movements: dict[int, list[MovementFact]] = defaultdict(list)
        for pupil_id, kind, day, new_id, new_name in rows(_MOVEMENTS, chunk):
            movements[pupil_id].append(
                MovementFact(kind, day, new_id is not None or bool(new_name))
            )
        variawet: dict[int, list[VariawetFact]] = defaultdict(list)
        for pupil_id, *fields in rows(_VARIAWET, chunk):
            variawet[pupil_id].append(VariawetFact(*fields))
        made = reported if reported is not None else _reported(rows(_REPORTED, chunk))
        rules_off = _rules_off(session, {row[3] for row in pupils})
        for pupil_id, school_id, birth_date, swv_id, linked in pupils:
            calendar, school_type = calendars.get(school_id, no_school) if school_id else no_school
            facts = PupilFacts(
                pupil_id=pupil_id,
                calendar=calendar,
                school_type=school_type,
                birth_date=birth_date,
                cases=tuple(
                    CaseFact(case_id, category, start, end, offer, contact, tuple(actions[case_id]))
                    for case_id, _, category, start, end, offer, contact in cases[pupil_id]
                ),
                absences=tuple(absences[pupil_id]),
                exemptions=tuple(exemptions[pupil_id]),
                suspensions=tuple(suspensions[pupil_id]),
                movements=tuple(movements[pupil_id]),
                variawet=tuple(variawet[pupil_id]),
                rules_off=rules_off.get(swv_id, frozenset()),
                reported=tuple(sorted(made.get(pupil_id, ()))),
                leerplicht_linked=bool(linked),
            )
            result.append((facts, swv_id))
    return result


def _reported(made: Iterable[Sequence[Any]]) -> dict[int, set[date]]:
    """The days meldingen were made, by pupil, from (pupil id, done at) of report deadlines
    (REPORTED_BY) marked done."""
    found: dict[int, set[date]] = defaultdict(set)
    for pupil_id, done_at in made:
        if pupil_id is not None and done_at is not None:
            found[pupil_id].add(done_at.astimezone(DUTCH_TZ).date())
    return found


def _rules_off(session: Session, swv_ids: Collection[int]) -> dict[int, frozenset[str]]:
    """The rules each of these SWVs switched off (only switchable ones count)."""
    found = session.execute(
        sa_select(col(Swv.id), col(Swv.rules_off)).where(
            col(Swv.id).in_(swv_ids), col(Swv.rules_off) != ""
        )
    ).all()
    return {
        swv_id: frozenset(code for code in text.split(",") if code in SWITCHABLE)
        for swv_id, text in found
    }


def organisation_facts(session: Session) -> list[tuple[OrganisationFacts, int]]:
    """Every organisation that periodic rules apply to, with its SWV id."""
    found: list[tuple[OrganisationFacts, int]] = []
    for swv in session.exec(select(Swv)):
        assert swv.id is not None
        found.append((OrganisationFacts("swv", swv.id, swv.registered_on), swv.id))
    for board in session.exec(select(Bestuur)):
        assert board.id is not None
        found.append((OrganisationFacts("bestuur", board.id, board.registered_on), board.swv_id))
    periods: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for gemeente_id, start, end in session.exec(
        select(col(Pupil.gemeente_id), col(Case.start_date), col(Case.end_date)).join(
            Case, col(Case.pupil_id) == col(Pupil.id)
        )
    ):
        if gemeente_id is not None:
            periods[gemeente_id].append((start, end))
    for gemeente in session.exec(select(Gemeente)):
        assert gemeente.id is not None
        facts = OrganisationFacts(
            "gemeente", gemeente.id, gemeente.registered_on, tuple(periods[gemeente.id])
        )
        found.append((facts, gemeente.swv_id))
    return found


# What _sync reads of a stored deadline (plain tuples: a full recompute reads many).
_STORED: tuple[Any, ...] = (
    DeadlineRow.id, DeadlineRow.identity, DeadlineRow.status, DeadlineRow.rule, DeadlineRow.due,
    DeadlineRow.pupil_id, DeadlineRow.org_kind, DeadlineRow.org_id, DeadlineRow.trigger_day,
    DeadlineRow.closed_reason, DeadlineRow.done_at, DeadlineRow.done_by_id,
)  # fmt: skip


def _value(stored: Sequence[Any]) -> Deadline:
    _id, _identity, _status, rule, due, pupil_id, org_kind, org_id, trigger, *_rest = stored
    org = (org_kind, org_id) if org_kind and org_id is not None else None
    return Deadline(due, rule, pupil_id, org, trigger=trigger)


def _sync(
    session: Session,
    computed: dict[str, tuple[Deadline, int]],
    existing: Iterable[Sequence[Any]],
    now: datetime,
    as_of: date,
    history_before: date,
    ongoing: Collection[int] = frozenset(),
) -> DeadlineChanges:
    """Store the differences. A new deadline that was overtaken, or due before `history_before`
    for a pupil not in `ongoing`, is stored as history; one already overdue otherwise is
    achterstand (open, nudged, escalated from today)."""
    changes = DeadlineChanges()
    seen: set[str] = set()
    # Done deadlines no longer computed at their date: a new version of the same deadline (the
    # same rule and trigger, a few days off: moved to a working day) stays done.
    done_before: dict[tuple[Any, ...], list[tuple[date, Any, Any]]] = defaultdict(list)
    to_close: dict[str, list[int]] = defaultdict(list)
    to_reopen: list[int] = []
    # Overtaken, then no longer (an entry corrected): back from history.
    to_unsupersede: list[int] = []
    for stored in existing:
        row_id, identity, status = stored[0], stored[1], stored[2]
        seen.add(identity)
        found = computed.get(identity)
        triggered = found is not None and found[0].closed is None
        if status == DeadlineStatus.OPEN and not triggered:
            reason = found[0].closed if found is not None and found[0].closed else NOT_TRIGGERED
            to_close[reason].append(row_id)
            changes.closed.append(replace(_value(stored), closed=reason))
        elif status == DeadlineStatus.DONE and found is None:
            value = _value(stored)
            done_before[_same_deadline(value)].append((value.due, stored[10], stored[11]))
        elif status == DeadlineStatus.CLOSED and triggered:
            (to_unsupersede if stored[9] == SUPERSEDED else to_reopen).append(row_id)
            changes.reopened.append(_value(stored))
    for reason, ids in to_close.items():
        deadline_lifecycle.close(session, ids, reason=reason, now=now)
    deadline_lifecycle.reopen(session, to_reopen, now=now, from_history=False)
    deadline_lifecycle.reopen(session, to_unsupersede, now=now, from_history=True)
    new_rows = []
    for identity, (deadline, swv_id) in computed.items():
        if identity in seen:
            continue
        closed = deadline.closed is not None
        history = deadline.closed == SUPERSEDED or (
            deadline.due < history_before
            and deadline.pupil_id is not None
            and deadline.pupil_id not in ongoing
        )
        done = _done_earlier(deadline, done_before)
        new_rows.append(
            deadline_lifecycle.new_row(
                identity=identity,
                swv_id=swv_id,
                deadline=deadline,
                history=history,
                now=now,
                done=done,
            )
        )
        if done is not None:
            continue
        if not closed:
            (changes.history if history else changes.created).append(deadline)
            if not history and deadline.due < as_of:
                changes.backlog.append(deadline)
    if new_rows:
        # The daily job and a handler may add the same deadline at once: the first one wins.
        table = table_of(DeadlineRow)
        session.execute(_insert_ignoring_duplicates(session, table), new_rows)
    return changes


# A deadline moved by at most this much is the same deadline (a weekend and holidays).
_MOVED = timedelta(days=7)


def _same_deadline(deadline: Deadline) -> tuple[Any, ...]:
    return (deadline.pupil_id, deadline.org, deadline.rule, deadline.trigger)


def _done_earlier(
    deadline: Deadline, done_before: dict[tuple[Any, ...], list[tuple[date, Any, Any]]]
) -> tuple[Any, Any] | None:
    """When and by whom this deadline was marked done at its earlier date, if it was."""
    for due, done_at, done_by in done_before.get(_same_deadline(deadline), []):
        if abs(due - deadline.due) <= _MOVED:
            return done_at, done_by
    return None


def _insert_ignoring_duplicates(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql_insert(table).on_conflict_do_nothing(index_elements=["identity"])
    if dialect == "sqlite":
        return sqlite_insert(table).on_conflict_do_nothing(index_elements=["identity"])
    return insert(table)


def sync_pupils(
    *,
    session: Session,
    pupil_ids: Sequence[int],
    as_of: date,
    now: datetime,
    settings: ProtocolSettings,
) -> DeadlineChanges:
    """Recompute and store the deadlines of these pupils (in the caller's transaction)."""
    changes = DeadlineChanges()
    session.flush()
    for chunk in in_batches(list(pupil_ids)):
        # The stored deadlines first: which meldingen were made is among them (no statement
        # of its own for a save).
        existing = session.execute(
            sa_select(*_STORED).where(col(DeadlineRow.pupil_id).in_(chunk))
        ).all()
        made = _reported(
            (row.pupil_id, row.done_at)
            for row in existing
            if row.rule in REPORTED_BY and row.status == DeadlineStatus.DONE
        )
        pupils = _pupil_facts(session, chunk, reported=made)
        computed = {
            d.identity: (d, swv_id)
            for pupil, swv_id in pupils
            for d in deadlines_for(pupil, as_of, settings)
        }
        ongoing = {pupil.pupil_id for pupil, _ in pupils if is_ongoing(pupil, as_of)}
        history_before = _history_before(as_of, settings)
        changes.extend(_sync(session, computed, existing, now, as_of, history_before, ongoing))
    session.flush()
    return changes


def _history_before(as_of: date, settings: ProtocolSettings) -> date:
    return as_of - timedelta(days=settings.history_days)


def sync_organisations(
    *, session: Session, as_of: date, now: datetime, settings: ProtocolSettings
) -> DeadlineChanges:
    """Recompute and store the periodic deadlines of every organisation."""
    session.flush()
    computed = {
        d.identity: (d, swv_id)
        for org, swv_id in organisation_facts(session)
        for d in organisation_deadlines(org, as_of, settings)
    }
    existing = session.execute(sa_select(*_STORED).where(col(DeadlineRow.pupil_id).is_(None))).all()
    changes = _sync(session, computed, existing, now, as_of, _history_before(as_of, settings))
    session.flush()
    return changes


def sync_everything(
    *, session: Session, as_of: date, now: datetime, settings: ProtocolSettings
) -> DeadlineChanges:
    """The daily recomputation: every pupil and every organisation."""
    pupil_ids = [pid for pid in session.exec(select(Pupil.id)) if pid is not None]
    changes = sync_pupils(
        session=session, pupil_ids=pupil_ids, as_of=as_of, now=now, settings=settings
    )
    changes.extend(sync_organisations(session=session, as_of=as_of, now=now, settings=settings))
    return changes


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda (`python -m bot agenda`)."""

    leerling_id: str | None
    rule: str
    due: date
    recipients: tuple[str, ...]
    status: str
    escalated_to: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The public JSON shape (README, "Deadlines and agenda")."""
        return {
            "leerling_id": self.leerling_id,
            "rule": self.rule,
            "due": self.due.isoformat(),
            "recipients": list(self.recipients),
            "status": self.status,
            "escalated_to": list(self.escalated_to),
        }


def agenda(
    *,
    session: Session,
    as_of: date,
    days: int,
    settings: ProtocolSettings,
    include_history: bool = False,
) -> list[AgendaItem]:
    """The open deadlines due up to `as_of` + `days`, overdue ones included, by due date.

    Evaluated from the data as of `as_of` (so a past or future as-of date shows what the
    protocol asks then); deadlines marked done in the bot, those of a case that has ended and
    (unless `include_history`) those stored as history are left out.
    """
    # Periodic occurrences as far ahead as asked, even beyond the stored horizon.
    settings = replace(settings, horizon_days=max(settings.horizon_days, days))
    done = set(
        session.exec(select(DeadlineRow.identity).where(DeadlineRow.status == DeadlineStatus.DONE))
    )
    history = set(session.exec(select(DeadlineRow.identity).where(col(DeadlineRow.history))))
    # The day the bot learned of each deadline: achterstand climbs the ladder from then.
    learned = {
        identity: created.astimezone(DUTCH_TZ).date()
        for identity, created in session.exec(select(DeadlineRow.identity, DeadlineRow.created_at))
    }
    leerling_ids = dict(session.exec(select(Pupil.id, Pupil.leerling_id)).all())
    until = date.fromordinal(as_of.toordinal() + days)
    found: list[tuple[Deadline, str | None]] = []
    pupil_ids = [pid for pid in leerling_ids if pid is not None]
    for chunk in in_batches(pupil_ids):
        for pupil in pupil_facts(session, chunk).values():
            found += [
                (d, pupil.school_type)
                for d in deadlines_for(pupil, as_of, settings)
                if d.due <= until
            ]
    for org, _swv in organisation_facts(session):
        found += [(d, None) for d in organisation_deadlines(org, as_of, settings) if d.due <= until]
    items = [
        AgendaItem(
            leerling_id=leerling_ids.get(d.pupil_id) if d.pupil_id is not None else None,
            rule=d.rule,
            due=d.due,
            recipients=recipients_of(d.rule, school_type)
            if d.pupil_id is not None
            else CATALOGUE[d.rule].recipients,
            status=_status(d, as_of, history),
            escalated_to=escalated_to(
                d.rule, d.due, as_of, settings, school_type, learned.get(d.identity)
            )
            if d.closed is None
            else (),
        )
        for d, school_type in found
        if d.identity not in done
        and (d.closed is None or (include_history and d.closed == SUPERSEDED))
        and (include_history or d.identity not in history)
    ]
    return sorted(items, key=lambda i: (i.due, i.rule, i.leerling_id or ""))


def _status(deadline: Deadline, as_of: date, history: set[str]) -> str:
    if deadline.identity in history or deadline.closed == SUPERSEDED:
        return "history"
    return "overdue" if deadline.due < as_of else "open"


def open_deadline_counts(*, session: Session, pupil_ids: Sequence[int]) -> dict[int, int]:
    """How many open deadlines each of these pupils has."""
    if not pupil_ids:
        return {}
    counted = session.exec(
        select(DeadlineRow.pupil_id, func.count())
        .where(
            col(DeadlineRow.pupil_id).in_(pupil_ids),
            DeadlineRow.status == DeadlineStatus.OPEN,
            col(DeadlineRow.history).is_(False),
        )
        .group_by(col(DeadlineRow.pupil_id))
    ).all()
    return {pupil_id: count for pupil_id, count in counted if pupil_id is not None}
