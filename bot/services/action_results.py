"""The result of an action ("resultaat Sanne: moeder stemt in met het plan"): aimed, when the
update is prepared, at the pupil's latest action without one — the confirmation names it — and
written to exactly that action on Save."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session, col, select

from bot.protocol.parsing import Result
from bot.protocol.vocabulary import EntryKind
from bot.services.access import sees_confidential
from bot.services.errors import UpdateError
from bot.storage.models import Case, CaseEntry, User


def aimed_result(
    session: Session, user: User, case_id: int | None, result: Result, today: date
) -> Result:
    """`result`, aimed at the action it completes: the latest one up to today of the pupil's
    latest case (`case_id`) without a result; UpdateError("no_open_action") when there is
    none. Leerplicht cannot see, and so cannot complete, a confidential one."""
    query = select(CaseEntry).where(
        CaseEntry.case_id == case_id,
        CaseEntry.kind == EntryKind.ACTION,
        col(CaseEntry.result).is_(None),
        col(CaseEntry.day) <= today,
    )
    if not sees_confidential(user):
        query = query.where(col(CaseEntry.confidential).is_(False))
    action = session.exec(
        query.order_by(col(CaseEntry.day).desc(), col(CaseEntry.id).desc())
    ).first()
    if action is None:
        raise UpdateError("no_open_action")
    return replace(result, action_id=action.id, action_day=action.day)


def store_result(session: Session, pupil_id: int, result: Result) -> int | None:
    """Write `result` to the action its confirmation named, if that one still has none;
    UpdateError("action_changed") otherwise. Returns the case's id."""
    action = session.get(CaseEntry, result.action_id) if result.action_id is not None else None
    case = session.get(Case, action.case_id) if action is not None else None
    if action is None or case is None or case.pupil_id != pupil_id or action.result is not None:
        raise UpdateError("action_changed")
    action.result = result.text
    session.add(action)
    return case.id
